"""One module per source format, each exposing the same small interface:

    FORMAT: str                       the name given to --format
    def sniff(source) -> bool         does the content look like this format?
    def parse(source) -> ParsedPlan   read the whole file, or raise ImportFailure

Formats are tried in the order of DETECTION_ORDER; the extension only breaks ties."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from . import checks, docx, json_format, outline, seed, tabular
from .base import Anomaly, ImportFailure, ParsedItem, ParsedPlan
from .source import Source

if TYPE_CHECKING:
    from ..document import DocumentSection

__all__ = ["Anomaly", "ImportFailure", "ParsedItem", "ParsedPlan", "Source", "parse_source"]

IMPORTERS: dict[str, ModuleType] = {
    json_format.FORMAT: json_format,
    docx.FORMAT: docx,
    tabular.XLSX_FORMAT: tabular,
    tabular.CSV_FORMAT: tabular,
    seed.FORMAT: seed,
    outline.FORMAT: outline,
}
FORMATS = list(IMPORTERS)


def detect_format(source: Source) -> str:
    """Return the format whose content the source looks like, the outline by default."""
    for name in (json_format.FORMAT, docx.FORMAT, tabular.XLSX_FORMAT):
        if IMPORTERS[name].sniff(source, name):
            return name
    if source.extension in ("docx", "xlsx", "xls", "doc", "odt", "ods", "pdf"):
        raise source.fail(
            _("this .%(ext)s file is damaged, truncated or of a kind Jalon does not read.")
            % {"ext": source.extension}
        )
    # A Markdown file is an outline, even when a body holds a small table with tabs.
    if source.extension in ("md", "markdown") or source.text.lstrip().startswith("---\n"):
        return outline.FORMAT
    for name in (tabular.CSV_FORMAT, seed.FORMAT):
        if IMPORTERS[name].sniff(source, name):
            return name
    return outline.FORMAT


def parse_source(
    source: Source, format: str | None = None, *, sections: Sequence[DocumentSection] = ()
) -> ParsedPlan:
    """Parse a source in the named format, or the detected one, and report its anomalies.

    Jalon's own JSON also carries what the apps built on plans know of each item; the
    sections given read those parts (see plans/document.py), the other formats have none."""
    if format is None:
        format = detect_format(source)
    if format not in IMPORTERS:
        raise source.fail(
            _("unknown format “%(format)s”; choose one of %(formats)s.")
            % {"format": format, "formats": ", ".join(FORMATS)}
        )
    if format == json_format.FORMAT:
        parsed = json_format.parse(source, format, sections)
    else:
        parsed = IMPORTERS[format].parse(source, format)
    if not parsed.items:
        raise source.fail(_("no plan item could be found in this file."))
    if getattr(IMPORTERS[format], "RUN_CHECKS", True):
        checks.report_code_anomalies(parsed)
    return parsed
