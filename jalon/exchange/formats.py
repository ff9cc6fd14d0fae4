"""Whole plans in and out: the tree's formats (`jalon.plans.importers` and `exporters`),
with Jalon's JSON carrying every app's part of each item.

Every way in (the web import, the API, `jalon import`, the demo) reads a file through
`parse`, and every way out writes one through `export`, so that no door reads or writes a
plan differently."""

from __future__ import annotations

from typing import Any

from jalon.directory.exchange import SECTION as DIRECTORY
from jalon.plans.exporters import EXPORTERS, json_format
from jalon.plans.importers import ParsedPlan, Source, parse_source
from jalon.plans.models import Plan
from jalon.results.exchange import SECTION as RESULTS
from jalon.tracking.exchange import SECTION as TRACKING

# In the order they are written: an item's links, then its tracking, then its results.
SECTIONS = (DIRECTORY, TRACKING, RESULTS)


def parse(source: Source, format: str | None = None) -> ParsedPlan:
    """Return the plan a file holds, in the named format or the detected one."""
    return parse_source(source, format, sections=SECTIONS)


def export(plan: Plan, format: str) -> bytes:
    """Return the plan written in one of EXPORTERS' formats."""
    if format == json_format.FORMAT:
        return json_format.export(plan, SECTIONS)
    return bytes(EXPORTERS[format].export(plan))


def document(plan: Plan) -> dict[str, Any]:
    """Return the plan as Jalon's JSON document, before it is written out as text."""
    return json_format.plan_document(plan, SECTIONS)
