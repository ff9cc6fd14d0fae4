"""htmx partial updates on the action page: the edit panel and the journal.

Without the `HX-Request` header the same forms post and redirect (tested in
test_tracking_pages.py); with it, the answer is only the re-rendered partial."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jalon.accounts.models import Role, User
from jalon.plans.models import Plan
from jalon.tracking.models import Status, Tracking, Update

from .factories import anonymous, item_coded, person, signed_in, tracking_form

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_an_htmx_edit_answers_with_the_panel_only_and_announces_it(plan: Plan, coordinator: User) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    response = client.post(
        reverse("tracking:edit", args=[item.pk]),
        tracking_form(item, status="in_progress", progress=40),
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="section tracking"')
    assert 'id="tracking-panel"' in html
    assert "<html" not in html and 'id="journal-section"' not in html
    assert 'role="status"' in html
    assert Tracking.objects.get(item=item).status == Status.IN_PROGRESS
    assert 'value="40"' in html


def test_an_htmx_edit_with_an_error_answers_with_the_form_and_status_400(
    plan: Plan, coordinator: User
) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    response = client.post(
        reverse("tracking:edit", args=[item.pk]), tracking_form(item, progress=140), headers=HTMX
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#tracking-form"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "<html" not in html
    assert Tracking.objects.get(item=item).progress == 0


def test_an_htmx_edit_from_a_stale_version_answers_409_with_the_conflict(plan: Plan) -> None:
    item = item_coded(plan, "1.1.2")
    first, second = signed_in(person("a", Role.COORDINATOR)), signed_in(person("b", Role.COORDINATOR))
    stale = tracking_form(item)
    url = reverse("tracking:edit", args=[item.pk])
    assert first.post(url, {**stale, "progress": 30, "notes": "first"}, headers=HTMX).status_code == 200
    response = second.post(url, {**stale, "progress": 70, "notes": "second"}, headers=HTMX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#tracking-form"
    html = response.content.decode()
    assert 'role="alert"' in html and "first" in html and "<html" not in html
    assert Tracking.objects.get(item=item).progress == 30


def test_an_htmx_edit_is_refused_to_a_member(plan: Plan, member_client: Client) -> None:
    item = item_coded(plan, "1.1.2")
    url = reverse("tracking:edit", args=[item.pk])
    assert member_client.post(url, tracking_form(item, progress=10), headers=HTMX).status_code == 403


def test_an_htmx_update_answers_with_the_journal_and_a_cleared_form(plan: Plan, coordinator: User) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    response = client.post(
        reverse("tracking:update_post", args=[item.pk]),
        {"date": "2025-01-15", "text": "**Fait** au Honduras"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="section journal"')
    assert "<strong>Fait</strong> au Honduras" in html
    assert 'id="update-form"' in html
    assert "**Fait**" not in html  # the form is empty again
    assert 'role="status"' in html and "<html" not in html
    assert Update.objects.filter(item=item).count() == 1


def test_an_htmx_update_without_text_answers_with_the_form_and_status_400(
    plan: Plan, coordinator: User
) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    response = client.post(
        reverse("tracking:update_post", args=[item.pk]), {"date": "", "text": ""}, headers=HTMX
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#update-form"
    assert response.content.decode().lstrip().startswith("<form")
    assert not Update.objects.filter(item=item).exists()


def test_an_htmx_update_is_refused_to_someone_without_internal_access(plan: Plan) -> None:
    item = item_coded(plan, "1.1.2")
    visitor = anonymous().post(
        reverse("tracking:update_post", args=[item.pk]), {"date": "2025-01-15", "text": "x"}, headers=HTMX
    )
    assert visitor.status_code == 302
    assert not Update.objects.filter(item=item).exists()


def test_the_item_page_loads_htmx_from_our_own_host(plan: Plan, coordinator_client: Client) -> None:
    item = item_coded(plan, "1.1.2")
    page = coordinator_client.get(item.get_absolute_url()).content.decode()
    assert "vendor/htmx/htmx.min.js" in page and "defer" in page
    assert '"includeIndicatorStyles": false' in page
    assert 'hx-post="' in page and 'hx-encoding="multipart/form-data"' in page


def test_an_htmx_edit_reads_a_constant_number_of_queries(
    plan: Plan, django_assert_max_num_queries, coordinator: User
) -> None:  # type: ignore[no-untyped-def]
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    with django_assert_max_num_queries(40):
        client.post(reverse("tracking:edit", args=[item.pk]), tracking_form(item, progress=5), headers=HTMX)
