"""Loading a parsed plan whole: the plan and its items, then whatever Jalon's JSON carries
about them (links, tracking, journal, results, budgets), in one transaction. The command
line, the web import and the API call it, so they can never load a file differently."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jalon.accounts.models import User

from .importers import Source, parse_source
from .importers.base import ParsedPlan
from .models import PendingImport, Plan
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


@dataclass(frozen=True)
class Loaded:
    plan: Plan
    left_out: list[str]
    proposed_links: int


@transaction.atomic
def pending_import_confirm(*, pending: PendingImport, user: User) -> Loaded:
    """Create the plan an upload holds, propose its links, and forget the upload: the
    confirm step of the web import and of the API, all or nothing."""
    from jalon.directory.services import links_propose

    parsed = parse_source(Source(name=pending.file_name, data=bytes(pending.data)), pending.format)
    plan, left_out = plan_load(
        parsed=parsed,
        source_name=pending.file_name,
        checksum=pending.checksum,
        slug=pending.slug or None,
        user=user,
    )
    # What the items name is proposed at once; a coordinator accepts or rejects it.
    proposed = links_propose(plan=plan)
    pending.delete()
    return Loaded(plan, left_out, proposed)
