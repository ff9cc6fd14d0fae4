"""Placeholder until this exporter lands."""

from ..models import Plan

FORMAT = "xlsx"
EXTENSION = "xlsx"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(plan: Plan) -> bytes:
    raise NotImplementedError
