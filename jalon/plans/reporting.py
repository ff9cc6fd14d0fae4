"""The import report as plain data, the same for the terminal, the JSON output and tests."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .importers.base import ParsedPlan
from .models import anomaly_message


def import_report(parsed: ParsedPlan, plan_reference: str | None, *, dry_run: bool) -> dict[str, Any]:
    by_depth = Counter(depth for depth, _item in parsed.walk())
    return {
        "plan": plan_reference,
        "title": parsed.title,
        "format": parsed.format,
        "period": _period(parsed),
        "dry_run": dry_run,
        "levels": [
            {"depth": depth, "name": _level(parsed, depth), "items": by_depth[depth]}
            for depth in sorted(by_depth)
        ],
        "items": sum(by_depth.values()),
        "anomalies": [
            {
                "kind": anomaly.kind,
                "code": anomaly.code,
                "line": anomaly.line,
                "message": anomaly_message(
                    anomaly.kind, {"code": anomaly.code, "line": anomaly.line, **anomaly.params}
                ),
                "text": anomaly.text,
            }
            for anomaly in parsed.anomalies
        ],
    }


def _period(parsed: ParsedPlan) -> dict[str, str] | None:
    if parsed.period_start and parsed.period_end:
        return {"start": parsed.period_start.isoformat(), "end": parsed.period_end.isoformat()}
    return None


def _level(parsed: ParsedPlan, depth: int) -> str:
    return parsed.levels[depth] if depth < len(parsed.levels) else ""
