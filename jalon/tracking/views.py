"""The tracking panel of an action: edit, journal, milestones, attachments, history.

Every write is a POST that redirects back to the item page (Post/Redirect/Get); a form
with errors is shown again on its own page with the errors next to the fields. When htmx
sends the edit or update form (`HX-Request` header), the answer is the re-rendered partial
instead: the same templates the item page includes, so both paths show the same HTML."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jalon.accounts.permissions import can_read_internal
from jalon.plans.models import Item
from jalon.tracking.permissions import can_edit_action, can_post_update

from . import services
from .forms import MilestoneForm, TrackingForm, UpdateForm
from .history import item_history
from .markdown import render_markdown
from .models import Attachment, Milestone, Tracking, Update
from .rollups import item_rollup


def tracking_context(request: HttpRequest, item: Item) -> dict[str, Any]:
    """Return what the item page needs to show the tracking panel, journal and history."""
    if not can_read_internal(request.user):
        return {}
    if item.children.exists():
        # An axis or orientation is not tracked, but its title and text have a history too.
        return {"tracking_rollup": item_rollup(item), "history": item_history(item)}
    tracking = _tracking_with_people(item)
    context: dict[str, Any] = {
        "tracking": tracking,
        "milestones": list(item.milestones.all()),
        "updates": journal(item),
        "history": item_history(item),
        "can_edit_action": can_edit_action(request.user, item),
        "can_post_update": can_post_update(request.user, item),
    }
    if context["can_edit_action"]:
        context["tracking_form"] = TrackingForm.for_tracking(tracking)
        context["milestone_form"] = MilestoneForm()
    if context["can_post_update"]:
        context["update_form"] = UpdateForm(initial={"date": timezone.localdate()})
    return context


def _tracking_with_people(item: Item) -> Tracking:
    tracking = Tracking.objects.filter(item=item).prefetch_related("leads", "team").first()
    return tracking or Tracking(item=item)


def journal(item: Item) -> list[Update]:
    """Return the item's updates newest first, with their text rendered, links and files."""
    updates = list(
        item.updates.newest_first()
        .select_related("author")
        .prefetch_related("links", Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    for update in updates:
        update.text_html = render_markdown(update.text)  # type: ignore[attr-defined]
    return updates


def _item_for(request: HttpRequest, pk: int, allowed: Any) -> Item:
    item = get_object_or_404(Item.objects.select_related("plan"), pk=pk)
    if not allowed(request.user, item):
        raise PermissionDenied
    return item


def _back(item: Item) -> HttpResponseRedirect:
    return HttpResponseRedirect(item.get_absolute_url())


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, can_edit_action)
    form = TrackingForm(request.POST, auto_id="edit_%s")
    if not form.is_valid():
        return _form_answer(request, item, "tracking/edit.html", form, status=400)
    try:
        services.action_update(
            item=item,
            user=request.user,  # type: ignore[arg-type]
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            leads=form.cleaned_data["leads"],
            team=form.cleaned_data["team"],
        )
    except services.EditConflict as conflict:
        # Carry the current version so that saving again is a deliberate overwrite.
        data = request.POST.copy()
        data["version"] = str(conflict.current.version)
        form = TrackingForm(data, auto_id="edit_%s")
        current = _tracking_with_people(item)
        return _form_answer(request, item, "tracking/edit.html", form, status=409, current=current)
    except ValidationError as error:
        form.add_error(None, error)
        return _form_answer(request, item, "tracking/edit.html", form, status=400)
    if _is_htmx(request):
        context = {"item": item, "plan": item.plan, "tracking_saved": True, **tracking_context(request, item)}
        return render(request, "tracking/_panel.html", context)
    return _back(item)


@login_required
@require_POST
def update_post(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, can_post_update)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return _form_answer(request, item, "tracking/update_form.html", form, status=400)
    try:
        services.update_post(
            item=item,
            author=request.user,  # type: ignore[arg-type]
            text=form.cleaned_data["text"],
            date=form.cleaned_data["date"],
            status=form.cleaned_data["status"],
            progress=form.cleaned_data["progress"],
            public=form.cleaned_data["public"],
            links=form.links(),
            files=request.FILES.getlist("files"),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _form_answer(request, item, "tracking/update_form.html", form, status=400)
    if _is_htmx(request):
        context = {"item": item, "plan": item.plan, "update_posted": True, **tracking_context(request, item)}
        return render(request, "tracking/_journal.html", context)
    return _back(item)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, can_edit_action)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        return _form_page(request, item, "tracking/milestone_form.html", form, status=400)
    services.milestone_add(
        item=item,
        user=request.user,  # type: ignore[arg-type]
        title=form.cleaned_data["title"],
        due_date=form.cleaned_data["due_date"],
    )
    return _back(item)


@login_required
@require_POST
def milestone_mark(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("item__plan"), pk=pk)
    if not can_edit_action(request.user, milestone.item):
        raise PermissionDenied
    done_on = timezone.localdate() if request.POST.get("done") == "1" else None
    services.milestone_mark(milestone=milestone, user=request.user, done_on=done_on)  # type: ignore[arg-type]
    return _back(milestone.item)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    if not can_read_internal(request.user):
        raise PermissionDenied
    found = get_object_or_404(Attachment, pk=pk)
    # Served as a download, never rendered: an uploaded file must not run in our origin.
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# The htmx partial answering a form with errors, and the element it replaces.
_FORM_PARTIALS = {
    "tracking/edit.html": ("tracking/_edit_form.html", "#tracking-form"),
    "tracking/update_form.html": ("tracking/_update_form.html", "#update-form"),
}


def _form_answer(
    request: HttpRequest, item: Item, template: str, form: Any, *, status: int, current: Any = None
) -> HttpResponse:
    """Show a form with its errors: the whole page, or only the form in place for htmx."""
    if not _is_htmx(request):
        return _form_page(request, item, template, form, status=status, current=current)
    partial, target = _FORM_PARTIALS[template]
    context = {"item": item, "plan": item.plan, "form": form, "current": current}
    response = render(request, partial, context, status=status)
    # The form targets the panel or journal on success; on error only the form is replaced.
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "outerHTML"
    return response


def _form_page(
    request: HttpRequest, item: Item, template: str, form: Any, *, status: int, current: Any = None
) -> HttpResponse:
    context = {"item": item, "plan": item.plan, "form": form, "current": current}
    return render(request, template, context, status=status)
