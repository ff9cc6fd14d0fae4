"""Small readings shared by several importers."""

from __future__ import annotations

import datetime
import re

PERIOD = re.compile(r"\b((?:19|20)\d{2})\s*[-–—/à]\s*((?:19|20)\d{2})\b")
YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def period_from_text(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    """Return the period a title names ("2024-2025" → 1 Jan 2024 to 31 Dec 2025)."""
    match = PERIOD.search(text)
    if match:
        start, end = int(match[1]), int(match[2])
        if start <= end:
            return datetime.date(start, 1, 1), datetime.date(end, 12, 31)
    return None, None
