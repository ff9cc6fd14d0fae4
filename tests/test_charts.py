"""The indicator chart: SVG drawn on the server, parsed here as XML to check what it draws."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from jalon.results.charts import indicator_chart_svg, nice_ticks
from jalon.results.models import Indicator, IndicatorValue, Measure, Sex, Target

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


def indicator(measure: str = Measure.NUMBER, **fields: object) -> Indicator:
    fields.setdefault("title", "Nombre de travailleuses formées")
    return Indicator(pk=7, measure=measure, unit="travailleuses", **fields)  # type: ignore[misc]


def value(end: datetime.date, number: str, **fields: object) -> IndicatorValue:
    start = D(end.year, 1, 1)
    return IndicatorValue(period_start=start, period_end=end, value=Decimal(number), **fields)  # type: ignore[misc]


def target(year: int, number: str) -> Target:
    return Target(period_start=D(year, 1, 1), period_end=D(year, 12, 31), value=Decimal(number))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if element.get("class") == name]


def test_actual_points_run_left_to_right_in_date_order_and_higher_values_sit_higher() -> None:
    values = [value(D(2025, 6, 30), "231"), value(D(2024, 6, 30), "70"), value(D(2024, 12, 31), "162")]
    root = parse(indicator_chart_svg(indicator(), [target(2024, "150")], values, language="fr"))
    points = by_class(root, "chart__actual-point")
    assert [point.get("data-date") for point in points] == ["2024-06-30", "2024-12-31", "2025-06-30"]
    xs = [float(point.get("cx", 0)) for point in points]
    ys = [float(point.get("cy", 0)) for point in points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert ys[0] > ys[1] > ys[2]  # SVG's y grows downwards


def test_it_draws_targets_dashed_actuals_solid_and_the_baseline_dotted() -> None:
    chart = indicator(baseline_value=Decimal(20))
    root = parse(
        indicator_chart_svg(
            chart, [target(2024, "150"), target(2025, "300")], [value(D(2024, 12, 31), "162")], language="fr"
        )
    )
    (target_line,) = by_class(root, "chart__target")
    (actual_line,) = by_class(root, "chart__actual")
    (baseline,) = by_class(root, "chart__baseline")
    assert target_line.get("stroke-dasharray") and not actual_line.get("stroke-dasharray")
    assert baseline.get("stroke-dasharray") == "2 4"
    # A step: each target runs flat from the start to the end of its period.
    points = [tuple(map(float, pair.split(","))) for pair in (target_line.get("points") or "").split()]
    assert len(points) == 4 and points[0][1] == points[1][1] > points[2][1] == points[3][1]
    assert len(by_class(root, "chart__target-point")) == 2
    # Colours are attributes, so the SVG renders alone (in a PDF, say).
    assert all(element.get("stroke") for element in (target_line, actual_line, baseline))
    # The baseline (20) lies below the first target (150): larger y.
    assert float(baseline.get("y1", 0)) > points[0][1]


def test_the_actual_value_at_the_target_sits_on_the_target_line() -> None:
    root = parse(
        indicator_chart_svg(
            indicator(), [target(2024, "150")], [value(D(2024, 12, 31), "150")], language="fr"
        )
    )
    (point,) = by_class(root, "chart__actual-point")
    (marker,) = by_class(root, "chart__target-point")
    assert float(point.get("cy", 0)) == float(marker.get("y", 0)) + 4
    assert float(point.get("cx", 0)) == float(marker.get("x", 0)) + 4


def test_it_is_an_accessible_image_with_a_title_and_the_figures_in_its_description() -> None:
    root = parse(
        indicator_chart_svg(
            indicator(), [target(2024, "1500")], [value(D(2024, 12, 31), "1620")], language="fr"
        )
    )
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Nombre de travailleuses formées"
    assert desc is not None and desc.text is not None
    assert "31/12/2024" in desc.text
    assert "1\u202f620" in desc.text or "1 620" in desc.text or "1\xa0620" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_labels_follow_the_language() -> None:
    values = [value(D(2024, 12, 31), "1620.5")]
    english = parse(indicator_chart_svg(indicator(title_en="Women trained"), [], values, language="en"))
    title = english.find(f"{SVG}title")
    desc = english.find(f"{SVG}desc")
    assert title is not None and title.text == "Women trained"
    assert desc is not None and "1,620.50" in (desc.text or "")
    assert "12/31/2024" in (desc.text or "")


def test_percent_charts_run_from_0_to_100_and_yes_no_from_no_to_yes() -> None:
    root = parse(
        indicator_chart_svg(indicator(Measure.PERCENT), [], [value(D(2024, 12, 31), "74")], language="fr")
    )
    labels = [label.text for label in by_class(root, "chart__y-label")]
    assert labels[0] == "0 %" and labels[-1] == "100 %"
    root = parse(
        indicator_chart_svg(indicator(Measure.YES_NO), [], [value(D(2024, 12, 31), "1")], language="en")
    )
    assert [label.text for label in by_class(root, "chart__y-label")] == ["No", "Yes"]


def test_only_total_values_are_charted_not_the_groups() -> None:
    values = [
        value(D(2024, 12, 31), "162"),
        value(D(2024, 12, 31), "97", sex=Sex.FEMALE),
        value(D(2024, 12, 31), "5", place="Pablo Sula"),
    ]
    root = parse(indicator_chart_svg(indicator(), [], values, language="fr"))
    assert [point.get("data-value") for point in by_class(root, "chart__actual-point")] == ["162"]


def test_every_text_is_escaped() -> None:
    svg = indicator_chart_svg(
        indicator(title="<b>Femmes & filles</b>"), [], [value(D(2024, 12, 31), "3")], language="fr"
    )
    root = parse(svg)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "<b>Femmes & filles</b>"
    assert "<b>" not in svg


def test_there_is_no_chart_for_a_qualitative_indicator_or_without_data() -> None:
    assert indicator_chart_svg(indicator(Measure.QUALITATIVE), [], [], language="fr") == ""
    assert indicator_chart_svg(indicator(), [], [], language="fr") == ""


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0, 300, [0, 100, 200, 300]), (0, 162, [0, 50, 100, 150, 200]), (0, 7, [0, 2, 4, 6, 8])],
)
def test_ticks_are_round_numbers_covering_the_values(low: float, high: float, expected: list[float]) -> None:
    assert nice_ticks(low, high, count=4) == expected
