"""One module per output format, each exposing:

FORMAT: str, EXTENSION: str, CONTENT_TYPE: str
def export(plan: Plan) -> bytes
"""

from __future__ import annotations

from types import ModuleType

from . import csv_format, json_format, markdown, xlsx_format

EXPORTERS: dict[str, ModuleType] = {
    module.FORMAT: module for module in (json_format, csv_format, xlsx_format, markdown)
}
