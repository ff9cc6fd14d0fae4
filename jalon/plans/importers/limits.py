"""The most a plan's fields can hold, declared here so that importers check a source
against them without loading the models: an importer stays a pure function of the bytes.

The models declare their fields with these (plans/models.py), and
tests/test_importer_limits.py checks that each still agrees with its field."""

# Item.path holds five characters per level in 255: the tree cannot be deeper than this.
MAX_DEPTH = 51

PLAN_TITLE_MAX_LENGTH = 500
PLAN_ORGANISATION_MAX_LENGTH = 300
PLAN_LANGUAGE_MAX_LENGTH = 10
# An item's code, and the code an anomaly names, which is an item's code.
CODE_MAX_LENGTH = 50
LABEL_MAX_LENGTH = 200
