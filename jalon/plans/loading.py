"""Loading a parsed plan whole: the plan and its items, then whatever Jalon's JSON carries
about them (links, tracking, journal, results, budgets), in one transaction. The command
line and the web import both call it, so the two can never load a file differently."""

from __future__ import annotations

from django.db import transaction

from jalon.accounts.models import User

from .importers.base import ParsedPlan
from .models import Plan
from .services import plan_import


@transaction.atomic
def plan_load(
    *,
    parsed: ParsedPlan,
    source_name: str,
    checksum: str,
    slug: str | None = None,
    user: User | None = None,
) -> tuple[Plan, list[str]]:
    """Create the plan with everything the file carries; return it with what was left out."""
    # The other apps build on plans; importing them here keeps plans free of them at load.
    from jalon.directory.services import links_import
    from jalon.results.exchange import results_import
    from jalon.tracking.exchange import tracking_import

    plan = plan_import(parsed=parsed, source_name=source_name, checksum=checksum, slug=slug, user=user)
    links_import(plan=plan, parsed=parsed, user=user)
    # Unknown people are never invented: what they recorded is left out and said so.
    left_out = tracking_import(plan=plan, parsed=parsed) + results_import(plan=plan, parsed=parsed)
    return plan, left_out
