"""The health check: 200 when this server can do its work, 503 with the reasons otherwise."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import health
from .pagecache import page_cache_exempt


@login_not_required
@never_cache
@page_cache_exempt
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    found = health()
    body = {
        "status": "ok" if found.ok else "failing",
        "database": found.database,
        "queue": {
            "waiting": found.waiting_tasks,
            "oldest_waiting_seconds": found.oldest_waiting_seconds,
            "worker_seen_at": found.worker_seen_at.isoformat() if found.worker_seen_at else None,
        },
        "problems": found.problems,
    }
    return JsonResponse(body, status=200 if found.ok else 503)
