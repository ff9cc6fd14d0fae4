"""The plan as a table, one row per item: its columns, declared once for the CSV and XLSX
exporters, which write them in this order with headers in the plan's language, and for
the tabular importer, which also reads tables Jalon did not write (any of these names, in
French or English, in any case, with or without accents).

The aliases hold every name earlier versions of Jalon wrote ("Profondeur", "Titre
anglais"…), so their files read whatever the catalogues say today. No model is imported:
the importers stay pure functions of the bytes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jalon.lib import spreadsheet
from jalon.lib.spreadsheet import TEXT, Column

COLUMNS = (
    Column(
        "code",
        gettext_lazy("Code"),
        {"fr": ("code", "numero", "no", "n", "num", "ref"), "en": ("code", "number", "no", "ref")},
        width=10,
        number_format=TEXT,
    ),
    Column("depth", gettext_lazy("Depth"), {"fr": ("profondeur",), "en": ("depth",)}, width=11),
    # The level's name ("Orientation") when written; a number or a name when read.
    Column("level", gettext_lazy("Level"), {"fr": ("niveau",), "en": ("level",)}, width=22),
    Column(
        "parent",
        gettext_lazy("Parent code"),
        {"fr": ("code parent", "parent"), "en": ("parent code", "parent")},
        width=12,
        number_format=TEXT,
    ),
    Column(
        "title",
        gettext_lazy("Title"),
        {
            "fr": ("titre", "intitule", "action", "actions", "nom"),
            "en": ("title", "action", "actions", "name"),
        },
        width=70,
        wrap=True,
    ),
    Column(
        "title_en",
        gettext_lazy("Title (English)"),
        {
            "fr": ("titre anglais", "titre en anglais", "titre en", "anglais"),
            "en": ("title english", "english title", "title en", "english"),
        },
        width=50,
        wrap=True,
    ),
    Column(
        "body",
        gettext_lazy("Text"),
        {"fr": ("texte", "description", "contenu", "details"), "en": ("text", "description", "body")},
        width=70,
        wrap=True,
    ),
)
# Read, never written: the level's name beside a column of level numbers.
LEVEL_NAME = Column(
    "label",
    gettext_lazy("Level name"),
    {"fr": ("libelle", "nom du niveau"), "en": ("label", "level name")},
)
READ_COLUMNS = (*COLUMNS, LEVEL_NAME)


def headers(language: str) -> list[str]:
    """Return the header row written for a plan in that language."""
    return spreadsheet.headers(COLUMNS, language)
