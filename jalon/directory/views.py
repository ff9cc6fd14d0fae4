"""The directory pages: lists of partners, places and themes, a page for each, their forms.

Everyone signed in reads them; coordinators and administrators create and edit (a form
with errors comes back with status 400). Each page reads a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jalon.accounts.permissions import can_edit_directory, can_read_internal
from jalon.plans.models import Item, Plan

from . import overview, services
from .codelists import organisation_type_name
from .forms import CountryForm, PartnerForm, PlaceForm, ThemeForm
from .maps import country_counts, map_rows, plan_map_svg
from .models import ItemLink, ItemLinkQuerySet, Partner, Place, PlaceKind, Theme


def _check_read(request: HttpRequest) -> None:
    if not can_read_internal(request.user):
        raise PermissionDenied


def _check_edit(request: HttpRequest) -> None:
    if not can_edit_directory(request.user):
        raise PermissionDenied


@require_safe
def index(request: HttpRequest, tab: str = "partners") -> HttpResponse:
    _check_read(request)
    every_country = request.GET.get("pays") == "tous"
    context = {
        "tab": tab,
        "rows": _rows(tab, every_country=every_country),
        "every_country": every_country,
        "can_edit": can_edit_directory(request.user),
        "countries_missing": tab == "places" and not Place.objects.countries().exists(),
    }
    return render(request, f"directory/index_{tab}.html", context)


@require_POST
def countries_add(request: HttpRequest) -> HttpResponse:
    """Add the countries missing from the directory (a new server has none until detection runs)."""
    _check_edit(request)
    added = services.countries_load()
    messages.success(
        request, ngettext("%(count)s country added.", "%(count)s countries added.", added) % {"count": added}
    )
    return HttpResponseRedirect(reverse("directory:places"))


def _rows(tab: str, *, every_country: bool) -> QuerySet[Any]:
    if tab == "places":
        return overview.places(every_country=every_country)
    return overview.themes() if tab == "themes" else overview.partners()


def _detail(
    request: HttpRequest, template: str, target: Model, links: ItemLinkQuerySet, **extra: Any
) -> HttpResponse:
    _check_read(request)
    context = {
        "target": target,
        "linked": overview.linked_items(links),
        "can_edit": can_edit_directory(request.user),
        **extra,
    }
    return render(request, template, context)


@require_safe
def partner(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Partner.objects.select_related("country"), pk=pk)
    extra = {"organisation_type": organisation_type_name(found.organisation_type)}
    return _detail(request, "directory/partner.html", found, found.item_links.all(), **extra)


@require_safe
def place(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Place.objects.select_related("parent"), pk=pk)
    extra = {"children": list(found.children.all()), "partners": list(found.partners.all())}
    return _detail(request, "directory/place.html", found, ItemLink.objects.in_place(found), **extra)


@require_safe
def theme(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Theme, pk=pk)
    return _detail(request, "directory/theme.html", found, found.item_links.all())


def _form_view(request: HttpRequest, form_class: type[ModelForm], instance: Model | None) -> HttpResponse:
    """Show the form, or save it and go to the saved entry's page (Post/Redirect/Get)."""
    _check_edit(request)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            saved = form.save()
            return HttpResponseRedirect(saved.get_absolute_url())  # type: ignore[attr-defined]
        status = 400
    else:
        status = 200
    context = {"form": form, "instance": instance, "kind": form._meta.model._meta.model_name}
    return render(request, "directory/form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    return _form_view(request, PartnerForm, None)


@require_http_methods(["GET", "HEAD", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_view(request, PartnerForm, get_object_or_404(Partner, pk=pk))


@require_http_methods(["GET", "HEAD", "POST"])
def place_create(request: HttpRequest) -> HttpResponse:
    return _form_view(request, PlaceForm, None)


@require_http_methods(["GET", "HEAD", "POST"])
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Place, pk=pk)
    return _form_view(request, CountryForm if found.kind == PlaceKind.COUNTRY else PlaceForm, found)


@require_http_methods(["GET", "HEAD", "POST"])
def theme_create(request: HttpRequest) -> HttpResponse:
    return _form_view(request, ThemeForm, None)


@require_http_methods(["GET", "HEAD", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_view(request, ThemeForm, get_object_or_404(Theme, pk=pk))


def directory_context(request: HttpRequest, item: Item) -> dict[str, Any]:
    """Return what the item page needs to show the item's accepted partners, places and themes."""
    if not can_read_internal(request.user):
        return {}
    return {"directory_links": overview.item_links(item)}


@require_safe
def plan_map(request: HttpRequest, slug: str) -> HttpResponse:
    if not can_read_internal(request.user):
        raise PermissionDenied
    plan = get_object_or_404(Plan.objects.with_anomaly_count(), slug=slug)
    counts = country_counts(plan)
    rows = map_rows(counts)
    svg = plan_map_svg(counts, rows)
    return render(request, "directory/plan_map.html", {"plan": plan, "map_svg": svg, "map_rows": rows})
