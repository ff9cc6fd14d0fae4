"""Placeholder until this format's importer lands."""

from .base import ParsedPlan
from .source import Source

FORMAT = "docx"


def sniff(source: Source, format: str) -> bool:
    return False


def parse(source: Source, format: str) -> ParsedPlan:
    raise source.fail("format not available yet")
