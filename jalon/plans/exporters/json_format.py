"""Placeholder until this exporter lands."""

from ..models import Plan

FORMAT = "json"
EXTENSION = "json"
CONTENT_TYPE = "application/json"


def export(plan: Plan) -> bytes:
    raise NotImplementedError
