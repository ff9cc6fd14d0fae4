"""Anomalies any format can have: reported, never repaired."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.plans.importers import ImportFailure, ParsedItem, ParsedPlan, Source, parse_source
from jalon.plans.importers.checks import code_ordinal, report_code_anomalies
from jalon.plans.importers.seed import MARKUP

from .test_import_seed import kept_text, words


def plan_of(*codes: str, parent: str = "") -> ParsedPlan:
    children = [ParsedItem(code=code, title=f"item {code}", line_start=n) for n, code in enumerate(codes, 2)]
    root = ParsedItem(code=parent, title="root", line_start=1, children=children)
    plan = ParsedPlan(title="t", format="test", items=[root])
    report_code_anomalies(plan)
    return plan


def kinds(plan: ParsedPlan) -> list[tuple[str, str]]:
    return [(anomaly.kind, anomaly.code) for anomaly in plan.anomalies]


def test_a_clean_series_has_no_anomaly() -> None:
    assert kinds(plan_of("1.1", "1.2", "1.3", parent="1")) == []


def test_it_reports_a_missing_number_in_a_series() -> None:
    assert kinds(plan_of("1.1", "1.2", "1.4", parent="1")) == [("missing_code", "1.3")]


def test_it_reports_a_duplicate_once_and_keeps_both_items() -> None:
    plan = plan_of("A", "B", "B", "C")
    assert kinds(plan) == [("duplicate_code", "B")]
    assert [child.code for child in plan.items[0].children] == ["A", "B", "B", "C"]


def test_it_reports_codes_out_of_order_without_reordering_them() -> None:
    plan = plan_of("1.1", "1.3", "1.2", parent="1")
    assert kinds(plan) == [("out_of_order", "1.2")]
    plan = plan_of("I.", "III.", "II.")
    assert kinds(plan) == [("out_of_order", "II.")]


def test_a_trailing_dot_does_not_make_a_different_code() -> None:
    assert kinds(plan_of("1.1.1.", "1.1.1", parent="1.1")) == [("duplicate_code", "1.1.1")]


def test_it_reports_a_code_that_does_not_belong_to_its_parent() -> None:
    assert kinds(plan_of("1.1", "1.2", "2.3", parent="1")) == [("code_mismatch", "2.3")]


def test_an_item_without_a_code_among_numbered_siblings_is_reported() -> None:
    assert ("no_code", "") in kinds(plan_of("1", "", "2"))


def test_ordinals_read_numbers_letters_and_roman_numerals() -> None:
    assert [code_ordinal(code) for code in ("1.12", "B", "IV.", "3)", "x.y.zz")] == [12, 2, 4, 3, None]


def test_changing_level_labels_are_reported() -> None:
    plan = ParsedPlan(
        title="t",
        format="test",
        items=[
            ParsedItem(code="1", title="a", label="Axe"),
            ParsedItem(code="2", title="b", label="Objectif"),
        ],
    )
    report_code_anomalies(plan)
    assert kinds(plan) == [("level_label", "2")]


cell = st.text(alphabet=st.sampled_from(list("abc é1.2 3<p>/:\t")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cell, min_size=1, max_size=4).map("\t".join), min_size=1, max_size=15))
def test_the_seed_reader_never_crashes_and_never_loses_a_word(rows: list[str]) -> None:
    text = "\n".join(rows)
    try:
        parsed = parse_source(Source(name="fuzz.txt", data=text.encode()), "seed")
    except ImportFailure:
        return
    source_words = words(MARKUP.sub(" ", text))
    kept = words(kept_text(parsed))
    assert not (set(source_words) - set(kept))
