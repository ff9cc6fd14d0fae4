"""The tracking part of Jalon's JSON (docs/json-format.md): each item's tracking fields,
milestones and journal, written with the plan, checked when a document is read and stored
again after an import (SECTION, which the whole-plan exchange hands to the tree's reader
and writer).

People are named by username. On import a username this server does not know is left
out and reported, never invented: a lead or team member is dropped, and an update whose
author is unknown is left out whole (an update needs its author)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.plans.document import DocumentSection, SectionValues
from jalon.plans.importers import json_checks as check
from jalon.plans.importers.base import ParsedItem, ParsedPlan
from jalon.plans.models import Item, Plan

from .models import Milestone, Priority, Status, Tracking, Update, UpdateLink

# By item id: the item's "tracking", "milestones" and "updates", only those it has.
ItemSections = dict[int, dict[str, Any]]


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def plan_tracking(plan: Plan) -> ItemSections:
    """Return each item's tracking, milestones and updates, in a constant number of queries."""
    sections: ItemSections = defaultdict(dict)
    trackings = Tracking.objects.filter(item__plan=plan).prefetch_related("leads", "team").order_by("pk")
    for tracking in trackings:
        sections[tracking.item_id]["tracking"] = _tracking(tracking)
    for milestone in Milestone.objects.filter(item__plan=plan).order_by("due_date", "pk"):
        sections[milestone.item_id].setdefault("milestones", []).append(
            {
                "title": milestone.title,
                "due_date": _date(milestone.due_date),
                "done_on": _date(milestone.done_on),
            }
        )
    updates = (
        Update.objects.filter(item__plan=plan)
        .select_related("author")
        .prefetch_related("links", "attachments")
        .order_by("date", "pk")
    )
    for update in updates:
        sections[update.item_id].setdefault("updates", []).append(_update(update))
    return dict(sections)


def _tracking(tracking: Tracking) -> dict[str, Any]:
    return {
        "status": tracking.status,
        "progress": tracking.progress,
        "priority": tracking.priority,
        "start_date": _date(tracking.start_date),
        "due_date": _date(tracking.due_date),
        "notes": tracking.notes,
        "leads": sorted(person.username for person in tracking.leads.all()),
        "team": sorted(person.username for person in tracking.team.all()),
    }


def _update(update: Update) -> dict[str, Any]:
    return {
        "date": update.date.isoformat(),
        "author": update.author.username,
        "text": update.text,
        "status": update.status,
        "progress": update.progress,
        "public": update.public,
        "links": [{"url": link.url, "label": link.label} for link in update.links.all()],
        # Files stay on the server they were attached on: the document names them only.
        "attachments": [attachment.name for attachment in update.attachments.all()],
    }


# Import


def usernames_in(parsed: ParsedPlan) -> set[str]:
    """Return every username the parsed plan's tracking and results name."""
    names: set[str] = set()
    for _depth, item in parsed.walk():
        tracking = item.extra.get("tracking") or {}
        names.update(tracking.get("leads", []), tracking.get("team", []))
        names.update(update["author"] for update in item.extra.get("updates", []))
        for result in item.extra.get("results", []):
            for indicator in result["indicators"]:
                names.update(value["recorded_by"] for value in indicator["values"])
                names.add(indicator["responsible"] or "")
    names.discard("")
    return names


def unknown_people_message(unknown: set[str]) -> list[str]:
    if not unknown:
        return []
    return [
        _("These usernames are not known here and were left out: %(names)s.")
        % {"names": ", ".join(sorted(unknown))}
    ]


@transaction.atomic
def tracking_import(*, plan: Plan, parsed: ParsedPlan) -> list[str]:
    """Store the tracking, milestones and updates a parsed plan carries (Jalon's JSON).

    Called right after plan_import in the same transaction; like the import itself it
    writes no history. Returns what was left out, in plain words."""
    users = {user.username: user for user in User.objects.filter(username__in=usernames_in(parsed))}
    pairs = list(zip((item for _depth, item in parsed.walk()), plan.items.in_document_order(), strict=True))
    left_out: list[str] = []
    _trackings(pairs, users)
    Milestone.objects.bulk_create(
        Milestone(item=item, **milestone)
        for parsed_item, item in pairs
        for milestone in parsed_item.extra.get("milestones", [])
    )
    left_out += _updates(pairs, users)
    unknown = usernames_in(parsed) - set(users)
    return unknown_people_message(unknown) + left_out


def _trackings(pairs: list[tuple[ParsedItem, Item]], users: dict[str, User]) -> None:
    rows = [
        (Tracking(item=item, **_fields(parsed_item.extra["tracking"])), parsed_item.extra["tracking"])
        for parsed_item, item in pairs
        if parsed_item.extra.get("tracking")
    ]
    Tracking.objects.bulk_create([tracking for tracking, _data in rows])
    for name in ("leads", "team"):
        through = getattr(Tracking, name).through
        through.objects.bulk_create(
            through(tracking_id=tracking.pk, user_id=users[username].pk)
            for tracking, data in rows
            for username in data[name]
            if username in users
        )


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in ("leads", "team")}


def _updates(pairs: list[tuple[ParsedItem, Item]], users: dict[str, User]) -> list[str]:
    left_out: list[str] = []
    kept: list[tuple[Update, dict[str, Any]]] = []
    for parsed_item, item in pairs:
        for data in parsed_item.extra.get("updates", []):
            author = users.get(data["author"])
            if author is None:
                left_out.append(
                    _(
                        "The update of %(date)s on %(code)s was left out: "
                        "its author %(name)s is not known here."
                    )
                    % {"date": data["date"], "code": item.code or item.title[:40], "name": data["author"]}
                )
                continue
            fields = {key: data[key] for key in ("date", "text", "status", "progress", "public")}
            kept.append((Update(item=item, author=author, **fields), data))
    Update.objects.bulk_create([update for update, _data in kept])
    UpdateLink.objects.bulk_create(
        UpdateLink(update=update, **link) for update, data in kept for link in data["links"]
    )
    attachments = sum(len(data["attachments"]) for _update, data in kept)
    if attachments:
        left_out.append(
            _("%(count)s attachments are named in the file but not carried by it; they were left out.")
            % {"count": attachments}
        )
    return left_out


# Reading: each item's sections checked, every refusal naming its place.

TRACKING_KEYS = ("status", "progress", "priority", "start_date", "due_date", "notes", "leads", "team")
MILESTONE_KEYS = ("title", "due_date", "done_on")
UPDATE_KEYS = ("date", "author", "text", "status", "progress", "public", "links", "attachments")
LINK_KEYS = ("url", "label")


def read_tracking(value: Any, path: str) -> dict[str, Any]:
    data = check.object_of(value, path, TRACKING_KEYS)
    return {
        "status": check.choice(data, "status", path, Status.values, Status.NOT_STARTED.value),
        "progress": check.percent(data, "progress", path, nullable=False),
        "priority": check.choice(data, "priority", path, Priority.values, Priority.NORMAL.value),
        "start_date": check.date(data, "start_date", path),
        "due_date": check.date(data, "due_date", path),
        "notes": check.text(data, "notes", path, default=""),
        "leads": check.names(data, "leads", path),
        "team": check.names(data, "team", path),
    }


def read_milestones(value: Any, path: str) -> list[dict[str, Any]]:
    found = []
    for index, entry in enumerate(check.list_of(value, path)):
        here = f"{path}[{index}]"
        data = check.object_of(entry, here, MILESTONE_KEYS)
        found.append(
            {
                "title": check.text(data, "title", here, limit=300),
                "due_date": check.date(data, "due_date", here),
                "done_on": check.date(data, "done_on", here),
            }
        )
    return found


def read_updates(value: Any, path: str) -> list[dict[str, Any]]:
    found = []
    for index, entry in enumerate(check.list_of(value, path)):
        here = f"{path}[{index}]"
        data = check.object_of(entry, here, UPDATE_KEYS)
        found.append(
            {
                "date": check.date(data, "date", here, required=True),
                "author": check.text(data, "author", here),
                "text": check.text(data, "text", here),
                "status": check.choice(data, "status", here, ["", *Status.values], ""),
                "progress": check.percent(data, "progress", here, nullable=True),
                "public": check.field(data, "public", here, bool, default=False),
                "links": [
                    _read_link(link, f"{here}.links[{number}]")
                    for number, link in enumerate(check.field(data, "links", here, list, default=[]))
                ],
                "attachments": check.names(data, "attachments", here),
            }
        )
    return found


def _read_link(value: Any, path: str) -> dict[str, str]:
    data = check.object_of(value, path, LINK_KEYS)
    url = check.text(data, "url", path, limit=1000)
    if not url.lower().startswith(("https://", "http://")):
        raise check.Invalid(path, _("“%(url)s” is not a web address.") % {"url": url})
    return {"url": url, "label": check.text(data, "label", path, default="", limit=300)}


def _write(plan: Plan) -> SectionValues:
    return SectionValues(items=plan_tracking(plan))


def _store(plan: Plan, parsed: ParsedPlan, user: User | None) -> list[str]:
    return tracking_import(plan=plan, parsed=parsed)


SECTION = DocumentSection(
    item_keys=("tracking", "milestones", "updates"),
    item_readers={"tracking": read_tracking, "milestones": read_milestones, "updates": read_updates},
    write=_write,
    store=_store,
)
