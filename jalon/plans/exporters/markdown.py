"""Placeholder until this exporter lands."""

from ..models import Plan

FORMAT = "md"
EXTENSION = "md"
CONTENT_TYPE = "text/markdown"


def export(plan: Plan) -> bytes:
    raise NotImplementedError
