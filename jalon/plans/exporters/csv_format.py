"""Placeholder until this exporter lands."""

from ..models import Plan

FORMAT = "csv"
EXTENSION = "csv"
CONTENT_TYPE = "text/csv"


def export(plan: Plan) -> bytes:
    raise NotImplementedError
