"""The tracking panel of an action: editing, the journal, attachments, milestones, history."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jalon.accounts.models import Role, User
from jalon.plans.models import Item, Plan
from jalon.tracking import services
from jalon.tracking.models import Attachment, Milestone, Status, Tracking

from .factories import anonymous, item_coded, person, queries_to_read, signed_in, tracking_form

pytestmark = pytest.mark.django_db


def test_a_coordinator_changes_status_and_progress_and_history_shows_it(
    plan: Plan, coordinator: User
) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    response = client.post(
        reverse("tracking:edit", args=[item.pk]), tracking_form(item, status="in_progress", progress=40)
    )
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    tracking = Tracking.objects.get(item=item)
    assert (tracking.status, tracking.progress) == (Status.IN_PROGRESS, 40)
    with translation.override("fr"):
        page = client.get(item.get_absolute_url(), headers={"accept-language": "fr"}).content.decode()
        before_and_after = f"<td>{Status.NOT_STARTED.label}</td><td>{Status.IN_PROGRESS.label}</td>"
    assert 'value="40"' in page
    history = page[page.index('id="historique"') :]
    assert "<td>Camille</td>" in history
    assert "<td>0</td><td>40</td>" in history
    assert before_and_after in history


def test_a_lead_edits_an_action_they_lead_but_not_another(plan: Plan, lead: User) -> None:
    mine, other = item_coded(plan, "1.1.2"), item_coded(plan, "1.1.1.")
    services.tracking_for(mine).leads.add(lead)
    client = signed_in(lead)
    assert (
        client.post(reverse("tracking:edit", args=[mine.pk]), tracking_form(mine, progress=10)).status_code
        == 302
    )
    assert (
        client.post(reverse("tracking:edit", args=[other.pk]), tracking_form(other, progress=10)).status_code
        == 403
    )
    assert Tracking.objects.get(item=mine).progress == 10
    assert Tracking.objects.get(item=other).progress == 0


def test_a_member_cannot_edit_and_anonymous_is_sent_to_login(plan: Plan, member_client: Client) -> None:
    item = item_coded(plan, "1.1.2")
    url = reverse("tracking:edit", args=[item.pk])
    assert member_client.post(url, tracking_form(item, progress=10)).status_code == 403
    visitor = anonymous().post(url, tracking_form(item, progress=10))
    assert visitor.status_code == 302
    assert reverse("accounts:login") in visitor["Location"]
    assert Tracking.objects.get(item=item).progress == 0


def test_a_second_form_from_the_same_version_is_refused(plan: Plan) -> None:
    item = item_coded(plan, "1.1.2")
    first, second = signed_in(person("a", Role.COORDINATOR)), signed_in(person("b", Role.COORDINATOR))
    stale = tracking_form(item)
    url = reverse("tracking:edit", args=[item.pk])
    assert first.post(url, {**stale, "progress": 30, "notes": "first"}).status_code == 302
    response = second.post(url, {**stale, "progress": 70, "notes": "second"})
    assert response.status_code == 409
    assert (
        "Someone else changed this action" in response.content.decode()
        or "Quelqu" in response.content.decode()
    )
    assert "first" in response.content.decode()
    tracking = Tracking.objects.get(item=item)
    assert (tracking.progress, tracking.notes) == (30, "first")


def test_an_update_with_a_status_moves_the_tracking(plan: Plan, coordinator: User) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    response = client.post(
        reverse("tracking:update_post", args=[item.pk]),
        {
            "date": "2025-01-15",
            "text": "Atelier tenu",
            "status": "delayed",
            "progress": "20",
            "link_url_1": "https://example.org/rapport",
            "link_label_1": "Rapport",
        },
    )
    assert response.status_code == 302
    tracking = Tracking.objects.get(item=item)
    assert (tracking.status, tracking.progress) == (Status.DELAYED, 20)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Atelier tenu" in page
    assert 'href="https://example.org/rapport"' in page


def test_markdown_in_the_journal_is_rendered_safely(plan: Plan, coordinator: User) -> None:
    item = item_coded(plan, "1.1.2")
    text = "**gras** <script>alert(1)</script> [piège](javascript:alert(1))"
    services.update_post(item=item, author=coordinator, text=text)
    page = signed_in(coordinator).get(item.get_absolute_url()).content.decode()
    assert "<strong>gras</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


@pytest.fixture
def small_attachments(settings: Any) -> None:
    settings.JALON_MAX_ATTACHMENT_BYTES = 1000


def post_file(client: Client, item: Item, upload: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("tracking:update_post", args=[item.pk]),
        {"date": "2025-01-15", "text": "Preuve", "files": upload},
    )


def test_an_attachment_is_stored_and_downloaded_by_a_member(
    plan: Plan, small_attachments: None, coordinator: User, member: User
) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    response = post_file(client, item, SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 bonjour"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    url = reverse("tracking:attachment", args=[attachment.pk])
    download = signed_in(member).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 bonjour"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert anonymous().get(url).status_code == 302
    assert client.get(reverse("tracking:attachment", args=[attachment.pk + 99])).status_code == 404


def test_an_executable_and_a_too_large_file_are_refused(
    plan: Plan, small_attachments: None, coordinator: User
) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    exe = post_file(client, item, SimpleUploadedFile("virus.exe", b"MZ"))
    assert exe.status_code == 400
    assert "virus.exe" in exe.content.decode()
    big = post_file(client, item, SimpleUploadedFile("gros.pdf", b"x" * 2000))
    assert big.status_code == 400
    assert "gros.pdf" in big.content.decode()
    assert not Attachment.objects.exists()
    assert not item.updates.exists()


def test_milestones_are_added_and_marked_by_editors_only(
    plan: Plan, coordinator: User, member_client: Client
) -> None:
    item = item_coded(plan, "1.1.2")
    client = signed_in(coordinator)
    response = client.post(
        reverse("tracking:milestone_add", args=[item.pk]),
        {"title": "Rapport remis", "due_date": "2025-03-01"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(item=item)
    assert milestone.due_date == datetime.date(2025, 3, 1)
    client.post(reverse("tracking:milestone_mark", args=[milestone.pk]), {"done": "1"})
    milestone.refresh_from_db()
    assert milestone.is_done
    assert (
        member_client.post(reverse("tracking:milestone_mark", args=[milestone.pk]), {"done": "0"}).status_code
        == 403
    )
    assert "Rapport remis" in client.get(item.get_absolute_url()).content.decode()


def test_a_parent_item_shows_the_rolled_up_progress(plan: Plan, coordinator: User) -> None:
    services.action_update(
        item=item_coded(plan, "1.1.2"), user=coordinator, expected_version=1, changes={"progress": 50}
    )
    page = signed_in(coordinator).get(item_coded(plan, "1.1").get_absolute_url()).content.decode()
    assert 'value="25"' in page


def test_the_item_page_reads_as_many_queries_for_30_updates_as_for_3(plan: Plan, coordinator: User) -> None:
    few, many = item_coded(plan, "1.1.2"), item_coded(plan, "1.1.1.")
    for item, count in ((few, 3), (many, 30)):
        for number in range(count):
            services.update_post(
                item=item,
                author=coordinator,
                text=f"Note {number}",
                progress=number,
                links=[services.LinkData(url="https://example.org")],
            )
    client = signed_in(coordinator)
    assert queries_to_read(client, many.get_absolute_url()) == queries_to_read(client, few.get_absolute_url())
