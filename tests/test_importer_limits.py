"""The importers' limits agree with the fields they mirror: a source they accept fits."""

from django.db.models import CharField, Model

from jalon.plans.importers import limits
from jalon.plans.importers.base import ANOMALY_KINDS, PLAN_STATUSES
from jalon.plans.models import PATH_STEP, Anomaly, AnomalyKind, Item, Plan, PlanStatus

# Every length in limits.py and the fields it must equal.
MIRRORED_FIELDS: dict[str, list[tuple[type[Model], str]]] = {
    "PLAN_TITLE_MAX_LENGTH": [(Plan, "title")],
    "PLAN_ORGANISATION_MAX_LENGTH": [(Plan, "organisation")],
    "PLAN_LANGUAGE_MAX_LENGTH": [(Plan, "language")],
    "CODE_MAX_LENGTH": [(Item, "code"), (Anomaly, "code")],
    "LABEL_MAX_LENGTH": [(Item, "label")],
}


def max_length(model: type[Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, CharField) and field.max_length is not None
    return field.max_length


def test_the_deepest_level_fits_the_items_path() -> None:
    assert limits.MAX_DEPTH * PATH_STEP <= max_length(Item, "path")


def test_the_deepest_level_uses_the_whole_path() -> None:
    assert limits.MAX_DEPTH == max_length(Item, "path") // PATH_STEP


def test_each_length_is_its_fields_max_length() -> None:
    for name, fields in MIRRORED_FIELDS.items():
        for model, field in fields:
            assert getattr(limits, name) == max_length(model, field), f"{name} != {model.__name__}.{field}"


def test_every_limit_is_checked_against_a_field() -> None:
    declared = {name for name in vars(limits) if name.isupper()}
    assert declared == {"MAX_DEPTH", *MIRRORED_FIELDS}


def test_importers_report_the_kinds_of_anomaly_the_model_knows() -> None:
    assert list(ANOMALY_KINDS) == AnomalyKind.values


def test_a_plan_file_gives_the_statuses_the_model_knows() -> None:
    assert list(PLAN_STATUSES) == PlanStatus.values
