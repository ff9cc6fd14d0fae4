"""Loading a whole plan: the tree, then what each app's section of the file carries (links,
tracking, journal, results, budgets), in one transaction; and the upload that waits for a
coordinator's confirmation. The command line, the web import and the API call these, so
they can never load a file differently."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from jalon.accounts.models import User
from jalon.directory.services import links_propose
from jalon.plans.importers import ParsedItem, ParsedPlan, Source, detect_format
from jalon.plans.models import AnomalyKind, PendingImport, Plan
from jalon.plans.reporting import import_report
from jalon.plans.services import plan_import, unique_slug

from . import formats


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
    plan = plan_import(parsed=parsed, source_name=source_name, checksum=checksum, slug=slug, user=user)
    # Unknown people are never invented: what they recorded is left out and said so.
    left_out = [message for section in formats.SECTIONS for message in section.store(plan, parsed, user)]
    return plan, left_out


def pending_import_keep(*, user: User, source: Source, format: str, slug: str) -> PendingImport:
    """Read an upload through, or raise ImportFailure, and keep it for the preview."""
    format = format or detect_format(source)
    formats.parse(source, format)
    # Uploads left unconfirmed go when their owner uploads again, so they do not pile up.
    PendingImport.objects.filter(uploader=user).expired().delete()
    return PendingImport.objects.create(
        uploader=user,
        file_name=source.name,
        data=source.data,
        format=format,
        slug=slug,
        checksum=source.checksum,
    )


def pending_parse(pending: PendingImport) -> ParsedPlan:
    """Return the plan an upload holds, read again (the bytes wait, not a parsed copy)."""
    return formats.parse(Source(name=pending.file_name, data=bytes(pending.data)), pending.format)


@dataclass
class PreviewNode:
    """A parsed item with the level name a reader sees beside it in the tree."""

    item: ParsedItem
    level: str
    depth: int
    children: list[PreviewNode] = field(default_factory=list)

    def walk(self) -> list[PreviewNode]:
        return [self] + [node for child in self.children for node in child.walk()]


@dataclass
class ImportPreview:
    """What the page and the API show of an upload before it is confirmed."""

    pending: PendingImport
    parsed: ParsedPlan
    report: dict[str, object]
    tree: list[PreviewNode]
    earlier: Plan | None


def import_preview(pending: PendingImport) -> ImportPreview:
    """Return what confirming the upload would create, or raise ImportFailure."""
    parsed = pending_parse(pending)
    slug = unique_slug(pending.slug or parsed.title or pending.file_name)
    report = import_report(parsed, slug, dry_run=True)
    for anomaly in report["anomalies"]:
        anomaly["kind_label"] = _kind_label(anomaly["kind"])
    earlier = Plan.objects.filter(source_checksum=pending.checksum).order_by("created_at").first()
    return ImportPreview(pending, parsed, report, preview_tree(parsed), earlier)


def _kind_label(kind: str) -> str:
    return str(AnomalyKind(kind).label) if kind in AnomalyKind.values else ""


def preview_tree(parsed: ParsedPlan) -> list[PreviewNode]:
    def node(item: ParsedItem, depth: int) -> PreviewNode:
        level = item.label or (parsed.levels[depth] if depth < len(parsed.levels) else "")
        return PreviewNode(item, level, depth, [node(child, depth + 1) for child in item.children])

    return [node(root, 0) for root in parsed.items]


@dataclass(frozen=True)
class Loaded:
    plan: Plan
    left_out: list[str]
    proposed_links: int


@transaction.atomic
def pending_import_confirm(*, pending: PendingImport, user: User) -> Loaded:
    """Create the plan an upload holds, propose its links, and forget the upload: the
    confirm step of the web import and of the API, all or nothing."""
    plan, left_out = plan_load(
        parsed=pending_parse(pending),
        source_name=pending.file_name,
        checksum=pending.checksum,
        slug=pending.slug or None,
        user=user,
    )
    # What the items name is proposed at once; a coordinator accepts or rejects it.
    proposed = links_propose(plan=plan)
    pending.delete()
    return Loaded(plan, left_out, proposed)
