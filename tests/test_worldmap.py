"""The world map: shapes shipped in the repository, drawn on the server as SVG."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from typing import Any

import pycountry
import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from jalon.directory import worldmap
from jalon.directory.maps import country_counts
from jalon.directory.models import ItemLink, LinkStatus, Place, PlaceKind
from jalon.directory.worldmap import legend, shade, world_map_svg
from jalon.plans.models import Item, Plan

from .factories import make_plan

SVG = "{http://www.w3.org/2000/svg}"


def plain_label(code: str, count: int) -> str:
    return f"{code}: {count}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def paths_by_code(root: ET.Element) -> dict[str, ET.Element]:
    return {path.get("data-code", ""): path for path in root.iter(f"{SVG}path") if path.get("data-code")}


def test_every_country_with_an_id_gets_a_path() -> None:
    topology = json.loads(worldmap.TOPOJSON.read_text(encoding="utf-8"))
    ids = [shape["id"] for shape in topology["objects"]["countries"]["geometries"] if "id" in shape]
    countries = [pycountry.countries.get(numeric=numeric) for numeric in ids]
    expected = {country.alpha_2 for country in countries if country}
    assert len(expected) == len(ids) == 174
    drawn = paths_by_code(parse(world_map_svg({}, title="Map", label=plain_label)))
    assert set(drawn) == expected
    assert all(drawn[code].get("d", "").startswith("M") for code in expected)


def test_the_shapes_without_an_id_are_drawn_unshaded_and_unlabelled() -> None:
    unnamed = [shape for shape in worldmap.shapes() if not shape.code]
    assert sorted(shape.name for shape in unnamed) == ["Kosovo", "N. Cyprus", "Somaliland"]
    root = parse(world_map_svg({"": 9}, title="Map", label=plain_label))
    unlabelled = [path for path in root.iter(f"{SVG}path") if "data-code" not in path.attrib]
    # The sphere behind the map, then the three shapes.
    assert [path.get("class") for path in unlabelled] == ["map-sphere", "map-0", "map-0", "map-0"]


def test_a_count_shades_the_right_country() -> None:
    svg = world_map_svg({"HN": 4, "CD": 1}, title="Map", label=plain_label)
    drawn = paths_by_code(parse(svg))
    assert drawn["HN"].get("class") == "map-5"
    assert drawn["HN"].get("fill") == worldmap.COLOURS[5]
    assert drawn["HN"].find(f"{SVG}title").text == "HN: 4"  # type: ignore[union-attr]
    assert drawn["CD"].get("class") == "map-2"
    assert drawn["FR"].get("class") == "map-0"
    assert drawn["FR"].get("fill") == worldmap.COLOURS[0]


def test_a_label_with_markup_is_escaped() -> None:
    svg = world_map_svg(
        {"HN": 1},
        title="<b>Where</b>",
        label=lambda code, count: f"<script>alert('{code}')</script>",
    )
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg
    drawn = paths_by_code(parse(svg))
    assert drawn["HN"].find(f"{SVG}title").text == "<script>alert('HN')</script>"  # type: ignore[union-attr]


def test_the_svg_is_accessible_xml_named_by_its_title() -> None:
    root = parse(world_map_svg({"HT": 2}, title="Where we work", label=plain_label, dom_id="plan-map"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "plan-map-title"
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == "plan-map-title" and title.text == "Where we work"


def test_the_svg_stays_small() -> None:
    counts = {shape.code: index for index, shape in enumerate(worldmap.shapes()) if shape.code}
    svg = world_map_svg(counts, title="Map", label=lambda code, count: f"{code} — {count} actions")
    assert len(svg.encode()) < 150_000


def test_palestine_gets_a_marker_when_counted() -> None:
    svg = world_map_svg({"PS": 3, "HN": 3}, title="Map", label=plain_label)
    markers = list(parse(svg).iter(f"{SVG}circle"))
    assert [marker.get("data-code") for marker in markers] == ["PS"]
    assert markers[0].get("class") == "map-marker map-5"
    assert markers[0].find(f"{SVG}title").text == "PS: 3"  # type: ignore[union-attr]


def test_palestine_gets_a_marker_even_without_a_shape() -> None:
    without_palestine = [shape for shape in worldmap.shapes() if shape.code != "PS"]
    svg = worldmap.render(without_palestine, {"PS": 1}, title="Map", label=plain_label)
    x, y = worldmap.project(35.2, 31.9)
    (marker,) = parse(svg).iter(f"{SVG}circle")
    assert (marker.get("cx"), marker.get("cy")) == (f"{x:.1f}", f"{y:.1f}")


def test_no_marker_is_drawn_for_an_uncounted_place() -> None:
    svg = world_map_svg({"HN": 3}, title="Map", label=plain_label)
    assert not list(parse(svg).iter(f"{SVG}circle"))


def test_the_projected_shapes_are_computed_once_per_process() -> None:
    assert worldmap.shapes() is worldmap.shapes()


def longest_step(path: str) -> float:
    steps = [float(number) for ring in path.split("l")[1:] for number in ring.split("z")[0].split()]
    return max(math.hypot(dx, dy) for dx, dy in zip(steps[::2], steps[1::2], strict=True))


@pytest.mark.parametrize("code", ["FJ", "RU"])
def test_a_country_across_the_antimeridian_is_cut_there(code: str) -> None:
    shape = next(shape for shape in worldmap.shapes() if shape.code == code)
    # Drawn whole, a ring from 180° to -180° would draw a line across the whole map.
    assert longest_step(shape.path) < 100


def test_antarctica_keeps_its_edge_along_the_bottom_of_the_map() -> None:
    antarctica = next(shape for shape in worldmap.shapes() if shape.code == "AQ")
    assert longest_step(antarctica.path) > 500  # the parallel at 84.7°S, from edge to edge


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, [("map-0", 0, 0)]),
        ({"HN": 1}, [("map-0", 0, 0), ("map-5", 1, 1)]),
        ({"HN": 3, "HT": 1}, [("map-0", 0, 0), ("map-2", 1, 1), ("map-4", 2, 2), ("map-5", 3, 3)]),
        (
            {"HN": 12},
            [
                ("map-0", 0, 0),
                ("map-1", 1, 2),
                ("map-2", 3, 4),
                ("map-3", 5, 7),
                ("map-4", 8, 9),
                ("map-5", 10, 12),
            ],
        ),
    ],
)
def test_the_legend_gives_the_bounds_of_each_class(counts: dict[str, int], expected: list) -> None:
    assert legend(counts) == expected


def test_every_count_falls_in_the_class_its_legend_says() -> None:
    for top in range(1, 40):
        for low_class, low, high in legend({"XX": top})[1:]:
            level = int(low_class.removeprefix("map-"))
            assert all(shade(count, top) == level for count in range(low, high + 1))


def test_the_darkest_class_passes_contrast_with_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert (1.05) / (luminance(worldmap.COLOURS[5]) + 0.05) >= 4.5
    assert (1.05) / (luminance(worldmap.COLOURS[4]) + 0.05) >= 4.5


# --- The plan's map page ---------------------------------------------------------------


def place(name: str, code: str = "", parent: Place | None = None) -> Place:
    kind = PlaceKind.COUNTRY if code else PlaceKind.SUBNATIONAL
    return Place.objects.create(kind=kind, iso_code=code, name_fr=name, name_en=name, parent=parent)


def link(on: Item, where: Place, status: str = LinkStatus.ACCEPTED) -> None:
    ItemLink.objects.create(item=on, place=where, status=status)


@pytest.fixture
def linked_plan() -> Plan:
    """A plan with an item in Honduras, one in Gaza and in Palestine, one proposed in Tunisia."""
    plan = make_plan()
    honduras, palestine, tunisia = place("Honduras", "HN"), place("Palestine", "PS"), place("Tunisie", "TN")
    gaza = place("Gaza", parent=palestine)
    first, second, third = plan.items.leaves().in_document_order()[:3]
    link(first, honduras)
    link(second, honduras)
    link(second, gaza)
    link(second, palestine)  # the same item in Gaza and in Palestine counts once
    link(third, place("Monastir", parent=tunisia), status=LinkStatus.PROPOSED)
    link(third, place("Aquin", parent=place("Haïti", "HT")), status=LinkStatus.REJECTED)
    other = make_plan(slug="autre-plan")
    link(other.items.leaves().first(), place("Soudan", "SD"))  # type: ignore[arg-type]
    return plan


@pytest.mark.django_db
def test_it_counts_distinct_items_with_an_accepted_place_in_each_country(
    linked_plan: Plan, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        counts = country_counts(linked_plan)
    assert counts == {"HN": 2, "PS": 1}


@pytest.mark.django_db
def test_a_member_sees_the_plan_map_with_its_table(
    linked_plan: Plan, member_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(5):  # session, user, plan, counts, countries
        response = member_client.get(reverse("directory:plan_map", args=[linked_plan.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    drawn = paths_by_code(parse(svg))
    assert drawn["HN"].get("class") == "map-5"
    assert drawn["TN"].get("class") == "map-0"
    assert drawn["SD"].get("class") == "map-0"
    assert [row.code for row in response.context["map_rows"]] == ["HN", "PS"]
    honduras = Place.objects.get(iso_code="HN")
    assert f'href="{honduras.get_absolute_url()}"' in page
    assert "<caption>" in page


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(linked_plan: Plan, client: Client) -> None:
    response = client.get(reverse("directory:plan_map", args=[linked_plan.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_map_of_a_missing_plan_is_not_found(member_client: Client) -> None:
    assert member_client.get(reverse("directory:plan_map", args=["nulle-part"])).status_code == 404


def test_the_table_escapes_the_names() -> None:
    rows = [{"name": "<i>Honduras</i>", "code": "HN", "count": 2, "url": "/repertoire/lieux/1/"}]
    html = render_to_string("directory/_world_map.html", {"map_svg": "", "map_rows": rows})
    assert "<i>" not in html
    assert "&lt;i&gt;Honduras&lt;/i&gt;" in html
