"""A world map of countries shaded by a count, drawn on the server as SVG.

No JavaScript and no network: the shapes are Natural Earth's 1:110m countries from the
world-atlas package, shipped in jalon/data/world-atlas (see its NOTICE.md), so the same
SVG serves a web page, an offline install and, later, a PDF report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TOPOJSON = Path(__file__).resolve().parent.parent / "data" / "world-atlas" / "countries-110m.json"

WIDTH = 960.0
CLASSES = 5
# Colours of map-0..map-5, repeated in jalon.css. "None" is a neutral grey; the shaded
# classes are blues ending on the site's dark accent, so the lightest still differs from
# grey by its hue and the darkest carries white text (about 10:1).
COLOURS = ("#dfe3e8", "#a9cce3", "#6fa8d0", "#3b82b8", "#0b5688", "#083f63")
# Points closer than this (in pixels of the 960-wide map) to the simplified line are
# dropped: the 110m data has detail that no one sees at this size, and the SVG stays small.
TOLERANCE = 0.6
# Places that are too small to see (or missing) at 1:110m, drawn as a circle when counted.
# Palestine: at this scale the West Bank is a few pixels and Gaza has no shape at all,
# yet the seed plan works in Gaza; the marker sits at its centroid.
MARKERS: dict[str, tuple[float, float]] = {"PS": (35.2, 31.9)}
MARKER_RADIUS = 4.0
MIN_VISIBLE = 6.0  # pixels: a shape whose box is smaller than this also gets its marker

Point = tuple[float, float]


@dataclass(frozen=True)
class Shape:
    """One country's projected outline; code is "" for the few shapes without an ISO code."""

    code: str
    name: str
    path: str
    size: float  # the diagonal of its bounding box, in pixels


# --- TopoJSON -------------------------------------------------------------------------


def _decode_arcs(topology: dict) -> list[list[Point]]:
    """Return the arcs in longitude/latitude: each is delta-encoded in quantised integers."""
    transform = topology["transform"]
    (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
    arcs = []
    for encoded in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in encoded:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(indexes: Iterable[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """Join a ring's arcs; a negative index ~i means arc i reversed. Shared ends count once."""
    points: list[Point] = []
    for index in indexes:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def _alpha_2(numeric: str | None) -> str:
    # Ids are ISO 3166-1 numeric codes as strings ("004"). Kosovo, Northern Cyprus and
    # Somaliland have none: they are drawn as land that no count can shade.
    if not numeric:
        return ""
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_2 if country else ""


# --- Projection and simplification ----------------------------------------------------

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX = 2 * math.sqrt(3) * math.pi / (3 * _A1)
_THETA_MAX = math.asin(_M)
_Y_MAX = _A4 * _THETA_MAX**9 + _A3 * _THETA_MAX**7 + _A2 * _THETA_MAX**3 + _A1 * _THETA_MAX
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round(2 * _Y_MAX * SCALE, 1)


def project(longitude: float, latitude: float) -> Point:
    """Return the Equal Earth projection (Šavrič, Patterson, Jenny 2018) in SVG pixels."""
    theta = math.asin(_M * math.sin(math.radians(latitude)))
    lam = math.radians(longitude)
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * lam
        * math.cos(theta)
        / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    )
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return (WIDTH / 2 + x * SCALE, HEIGHT / 2 - y * SCALE)


def _distance_to_segment(point: Point, start: Point, end: Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _kept(points: Sequence[Point], forced: set[int], tolerance: float) -> list[bool]:
    """Return which points the Douglas-Peucker simplification keeps (both ends and forced ones)."""
    keep = [index in forced for index in range(len(points))]
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = first, 0.0
        for index in range(first + 1, last):
            # A forced point always splits the line, so it stays whatever its distance.
            here = (
                math.inf if keep[index] else _distance_to_segment(points[index], points[first], points[last])
            )
            if here > distance:
                farthest, distance = index, here
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return keep


def _jumps(points: Sequence[Point]) -> list[int]:
    """Return where a line leaps across the antimeridian (from 180° to -180° or back)."""
    return [index for index in range(len(points) - 1) if abs(points[index][0] - points[index + 1][0]) > 180]


def simplify(arc: Sequence[Point], tolerance: float = TOLERANCE) -> list[Point]:
    """Return an arc (longitude, latitude) without the points no one would see on the map.

    Simplifying each arc, not each country, keeps a shared border identical on both sides;
    the two ends of a leap across the antimeridian stay, so the leap can be cut later.
    """
    forced = {index + step for index in _jumps(arc) for step in (0, 1)}
    keep = _kept([project(*point) for point in arc], forced, tolerance)
    return [point for point, kept in zip(arc, keep, strict=True) if kept]


def _split_at_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """Return a ring that crosses 180° (Fiji, Chukotka) as its eastern and western parts.

    A ring with a single leap goes round the pole instead (Antarctica): its leap follows
    the edge of the map, where it belongs, so it stays whole.
    """
    if len(_jumps(ring)) < 2:
        return [ring]
    east = [point for point in ring if point[0] >= 0]
    west = [point for point in ring if point[0] < 0]
    return [part for part in (east, west) if part]


def _path_data(rings: Iterable[Sequence[Point]]) -> str:
    """Return SVG path data: rounded to 0.1 px, then relative moves, which are shorter."""
    parts = []
    for ring in rings:
        tenths = [(round(x * 10), round(y * 10)) for x, y in ring]
        steps = [(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in zip(tenths, tenths[1:], strict=False)]
        steps = [step for step in steps if step != (0, 0)]
        if len(steps) < 3:  # a sliver: an island smaller than the tolerance
            continue
        moves = " ".join(f"{_tenths(dx)} {_tenths(dy)}" for dx, dy in steps)
        parts.append(f"M{_tenths(tenths[0][0])} {_tenths(tenths[0][1])}l{moves}z")
    return "".join(parts)


def _tenths(value: int) -> str:
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


def _diagonal(rings: Sequence[Sequence[Point]]) -> float:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return math.hypot(max(xs) - min(xs), max(ys) - min(ys)) if xs else 0.0


@cache
def shapes() -> tuple[Shape, ...]:
    """Return every country's projected and simplified outline, computed once per process."""
    topology = json.loads(TOPOJSON.read_text(encoding="utf-8"))
    arcs = [simplify(arc) for arc in _decode_arcs(topology)]
    result = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings = [
            [project(*point) for point in part]
            for polygon in _polygons(geometry)
            for ring in polygon
            for part in _split_at_antimeridian(_ring(ring, arcs))
        ]
        result.append(
            Shape(
                code=_alpha_2(geometry.get("id")),
                name=geometry.get("properties", {}).get("name", ""),
                path=_path_data(rings),
                size=_diagonal(rings),
            )
        )
    return tuple(result)


# --- Shading and drawing ---------------------------------------------------------------


def shade(count: int, top: int) -> int:
    """Return the class 0..5 of a count: 0 for none, then five equal steps up to the largest."""
    if count <= 0 or top <= 0:
        return 0
    return min(CLASSES, -(-CLASSES * count // top))


def legend(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """Return (css class, lowest, highest count) for "none" and each class that can occur."""
    top = max(counts.values(), default=0)
    rows = [("map-0", 0, 0)]
    for level in range(1, CLASSES + 1):
        low, high = (level - 1) * top // CLASSES + 1, level * top // CLASSES
        if low <= high:
            rows.append((f"map-{level}", low, high))
    return rows


def _country(shape: Shape, count: int, top: int, label: Callable[[str, int], str]) -> str:
    level = shade(count, top) if shape.code else 0
    title = f"<title>{escape(label(shape.code, count))}</title>" if shape.code else ""
    code = f' data-code="{shape.code}"' if shape.code else ""
    return f'<path class="map-{level}" fill="{COLOURS[level]}"{code} d="{shape.path}">{title}</path>'


def _marker(code: str, count: int, top: int, label: Callable[[str, int], str]) -> str:
    x, y = project(*MARKERS[code])
    level = max(shade(count, top), 1)
    return (
        f'<circle class="map-marker map-{level}" fill="{COLOURS[level]}" stroke="#1b2430" stroke-width="1"'
        f' data-code="{code}" cx="{x:.1f}" cy="{y:.1f}" r="{MARKER_RADIUS}">'
        f"<title>{escape(label(code, count))}</title></circle>"
    )


def _markers(
    drawn: Sequence[Shape], counts: dict[str, int], top: int, label: Callable[[str, int], str]
) -> str:
    visible = {shape.code for shape in drawn if shape.size >= MIN_VISIBLE}
    return "".join(
        _marker(code, counts[code], top, label)
        for code in MARKERS
        if counts.get(code, 0) > 0 and code not in visible
    )


@cache
def _sphere() -> str:
    """Return the outline of the whole Earth on the map: the two edge meridians."""
    east = [project(180, latitude) for latitude in range(-90, 91, 5)]
    west = [project(-180, latitude) for latitude in range(90, -91, -5)]
    return _path_data([east + west])


def _legend_keys(counts: dict[str, int]) -> str:
    # Numbers only, so the map needs no translation of its own; the table says the rest.
    keys = []
    for row, (css, low, high) in enumerate(legend(counts)):
        y = HEIGHT - 18 * (len(legend(counts)) - row)
        text = str(low) if low == high else f"{low}–{high}"
        colour = COLOURS[int(css.removeprefix("map-"))]
        keys.append(
            f'<rect class="{css}" fill="{colour}" stroke="#4b5563" stroke-width="0.5" x="8" y="{y:.1f}"'
            f' width="14" height="14"/>'
            f'<text x="28" y="{y + 11:.1f}" fill="#1b2430" font-size="12">{text}</text>'
        )
    return f'<g class="map-legend" aria-hidden="true">{"".join(keys)}</g>'


def render(
    drawn: Sequence[Shape],
    counts: dict[str, int],
    *,
    title: str,
    label: Callable[[str, int], str],
    dom_id: str = "world-map",
) -> SafeString:
    """Return the SVG of the given shapes; world_map_svg passes the world's."""
    top = max(counts.values(), default=0)
    countries = "".join(_country(shape, counts.get(shape.code, 0), top, label) for shape in drawn)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map" role="img"'
        f' aria-labelledby="{escape(dom_id)}-title" viewBox="0 0 {WIDTH:g} {HEIGHT:g}">'
        f'<title id="{escape(dom_id)}-title">{escape(title)}</title>'
        f'<path class="map-sphere" fill="#f5f6f8" stroke="#d8dde4" d="{_sphere()}"/>'
        f'<g stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">{countries}</g>'
        f"{_markers(drawn, counts, top, label)}{_legend_keys(counts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every piece of text above went through escape()


def world_map_svg(
    counts: dict[str, int],
    *,
    title: str,
    label: Callable[[str, int], str],
    dom_id: str = "world-map",
) -> SafeString:
    """Return an accessible SVG world map with each country shaded by its count (alpha-2 keys).

    label(code, count) gives each country's tooltip, e.g. "Honduras: 3 actions".
    """
    return render(shapes(), counts, title=title, label=label, dom_id=dom_id)
