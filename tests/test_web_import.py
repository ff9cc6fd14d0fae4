"""Importing a plan from the web: upload, preview from the parsed file, confirm or cancel."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jalon.accounts.models import Role, User
from jalon.plans.models import Anomaly, Item, PendingImport, Plan

from .factories import anonymous, person, signed_in
from .paths import SEED

pytestmark = pytest.mark.django_db


def upload(client: Client, name: str, data: bytes, **fields: str) -> object:
    return client.post(reverse("exchange:import"), {"file": SimpleUploadedFile(name, data), **fields})


def upload_seed(client: Client, **fields: str) -> PendingImport:
    response = upload(client, SEED.name, SEED.read_bytes(), **fields)
    pending = PendingImport.objects.get()
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse("exchange:import_preview", args=[pending.pk])  # type: ignore[index]
    return pending


def test_a_coordinator_sees_the_import_form(editor: Client) -> None:
    page = editor.get(reverse("exchange:import")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="file"' in page and 'name="format"' in page and 'name="slug"' in page


def test_the_home_page_links_to_the_import_for_coordinators_only(editor: Client) -> None:
    link = f'href="{reverse("exchange:import")}"'
    assert link in editor.get(reverse("plans:home")).content.decode()
    member = signed_in(person("membre", Role.MEMBER), language="en")
    assert link not in member.get(reverse("plans:home")).content.decode()


def test_the_preview_of_the_seed_shows_its_levels_counts_tree_and_anomalies(
    editor: Client,
) -> None:
    pending = upload_seed(editor)
    response = editor.get(pending.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "PLAN D&#x27;ACTION 2024-2025" in page or "Plan d&#x27;action 2024-2025" in page
    assert "2024-2025" in page
    assert "<code>/plans/plan-d-action-2024-2025/</code>" in page
    levels = page[page.index('id="niveaux"') : page.index('id="decision"')]
    assert "<td>Axe stratégique</td><td>3</td>" in levels.replace('<td lang="fr">', "<td>")
    assert "<td>10</td>" in levels and "<td>41</td>" in levels
    assert "11 anomalies" in page
    assert "Code 1.4.4 appears more than once" in page
    tree = page[page.index('id="arborescence"') :]
    assert tree.count('class="tree__row"') == 54
    assert "Travailler à la pérennisation du Centro de Atención Integral" in tree


def test_the_preview_creates_no_plan_until_it_is_confirmed(editor: Client) -> None:
    pending = upload_seed(editor)
    editor.get(pending.get_absolute_url())
    assert (Plan.objects.count(), Item.objects.count(), Anomaly.objects.count()) == (0, 0, 0)


def test_confirming_creates_the_plan_and_forgets_the_upload(coordinator: User, editor: Client) -> None:
    pending = upload_seed(editor, slug="alternatives")
    response = editor.post(reverse("exchange:import_confirm", args=[pending.pk]))
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url() == "/plans/alternatives/"
    assert (plan.items.count(), plan.anomalies.count()) == (54, 11)
    assert (plan.source_name, plan.created_by) == (SEED.name, coordinator)
    assert not PendingImport.objects.exists()
    page = editor.get(response["Location"]).content.decode()
    assert "was imported" in page


def test_confirming_proposes_the_countries_the_plan_names(editor: Client) -> None:
    from jalon.directory.models import ItemLink

    pending = upload_seed(editor)
    response = editor.post(reverse("exchange:import_confirm", args=[pending.pk]), follow=True)
    proposed = ItemLink.objects.proposed().filter(place__iso_code__in=["HN", "HT", "SD"])
    assert {link.place.iso_code for link in proposed.select_related("place")} == {"HN", "HT", "SD"}
    assert "links to partners, places and themes are proposed" in response.content.decode()


def test_cancelling_leaves_nothing_behind(editor: Client) -> None:
    pending = upload_seed(editor)
    response = editor.post(reverse("exchange:import_cancel", args=[pending.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:home")
    assert not PendingImport.objects.exists() and not Plan.objects.exists() and not Item.objects.exists()
    assert "nothing was created" in editor.get(reverse("plans:home")).content.decode()


def test_the_preview_warns_when_the_same_file_was_already_imported(editor: Client) -> None:
    first = upload_seed(editor)
    editor.post(reverse("exchange:import_confirm", args=[first.pk]))
    again = upload_seed(editor)
    page = editor.get(again.get_absolute_url()).content.decode()
    assert "This very file was already imported" in page
    assert f'href="{Plan.objects.get().get_absolute_url()}"' in page


def test_the_format_is_detected_unless_one_is_chosen(editor: Client) -> None:
    assert upload_seed(editor).format == "seed"
    PendingImport.objects.all().delete()
    assert upload_seed(editor, format="outline").format == "outline"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("vide.txt", b"", "the file is empty"),
        ("binaire.txt", bytes(range(256)) * 4, "looks like a binary file"),
        ("coupe.txt", "1.1 Élaborer la planification".encode()[:-3] + b"\xc3", "seems truncated"),
        ("abime.docx", b"PK\x03\x04\x14\x00\x00\x00", "damaged"),
    ],
)
def test_a_bad_file_is_refused_by_name_and_changes_nothing(
    editor: Client, name: str, data: bytes, words: str
) -> None:
    response = upload(editor, name, data)
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert name in page and words in page
    assert 'class="field__error"' in page
    assert not PendingImport.objects.exists() and not Plan.objects.exists()


def test_a_file_with_an_unreadable_byte_names_its_line(editor: Client) -> None:
    data = "Axe 1\n".encode("utf-16-le") + b"\x00\xd8" + "\n".encode("utf-16-le")
    page = upload(editor, "mal.txt", b"\xff\xfe" + data).content.decode()  # type: ignore[attr-defined]
    assert "mal.txt, line 2" in page
    assert not PendingImport.objects.exists()


def test_a_file_larger_than_the_limit_is_refused(editor: Client, settings: object) -> None:
    settings.JALON_MAX_IMPORT_BYTES = 1000  # type: ignore[attr-defined]
    response = upload(editor, "long.txt", b"Axe 1\n" * 500)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "long.txt is larger than" in response.content.decode()  # type: ignore[attr-defined]
    assert not PendingImport.objects.exists()


def test_a_slug_already_taken_is_refused(editor: Client) -> None:
    first = upload_seed(editor, slug="alternatives")
    editor.post(reverse("exchange:import_confirm", args=[first.pk]))
    response = upload(editor, SEED.name, SEED.read_bytes(), slug="alternatives")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "already uses this identifier" in response.content.decode()  # type: ignore[attr-defined]


def test_another_coordinator_can_neither_see_nor_confirm_my_upload(editor: Client) -> None:
    pending = upload_seed(editor)
    other = signed_in(person("autre", Role.COORDINATOR), language="en")
    assert other.get(pending.get_absolute_url()).status_code == 404
    assert other.post(reverse("exchange:import_confirm", args=[pending.pk])).status_code == 404
    assert other.post(reverse("exchange:import_cancel", args=[pending.pk])).status_code == 404
    assert PendingImport.objects.exists() and not Plan.objects.exists()


def test_an_administrator_may_look_at_anyones_upload(editor: Client) -> None:
    pending = upload_seed(editor)
    admin = signed_in(person("admin", Role.ADMIN), language="en")
    assert admin.get(pending.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEAD])
def test_members_and_leads_are_refused_every_import_page(editor: Client, role: str) -> None:
    pending = upload_seed(editor)
    client = signed_in(person("quelquun", role), language="en")
    assert client.get(reverse("exchange:import")).status_code == 403
    assert upload(client, SEED.name, SEED.read_bytes()).status_code == 403  # type: ignore[attr-defined]
    assert client.get(pending.get_absolute_url()).status_code == 403
    assert client.post(reverse("exchange:import_confirm", args=[pending.pk])).status_code == 403
    assert client.post(reverse("exchange:import_cancel", args=[pending.pk])).status_code == 403
    assert PendingImport.objects.count() == 1 and not Plan.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(editor: Client) -> None:
    pending = upload_seed(editor)
    visitor = anonymous(language="en")
    for response in (
        visitor.get(reverse("exchange:import")),
        visitor.get(pending.get_absolute_url()),
        visitor.post(reverse("exchange:import_confirm", args=[pending.pk])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not Plan.objects.exists()


def test_an_upload_older_than_a_day_shows_as_expired_and_cannot_be_confirmed(
    editor: Client,
) -> None:
    pending = upload_seed(editor)
    PendingImport.objects.filter(pk=pending.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    page = editor.get(pending.get_absolute_url()).content.decode()
    assert "can no longer be imported" in page
    assert reverse("exchange:import_confirm", args=[pending.pk]) not in page
    editor.post(reverse("exchange:import_confirm", args=[pending.pk]))
    assert not Plan.objects.exists()


def test_my_expired_uploads_are_dropped_when_i_upload_again(editor: Client) -> None:
    old = upload_seed(editor)
    PendingImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    upload(editor, SEED.name, SEED.read_bytes())
    assert not PendingImport.objects.filter(pk=old.pk).exists() and PendingImport.objects.count() == 1


def test_text_from_the_file_is_escaped_in_the_preview(editor: Client) -> None:
    upload(editor, "x.md", b"# Plan <script>alert(1)</script>\n\n## 1. Axe <b>gras</b>\n")
    page = editor.get(PendingImport.objects.get().get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>gras</b>" not in page
    assert "Plan &lt;script&gt;alert(1)&lt;/script&gt;" in page and "Axe &lt;b&gt;gras&lt;/b&gt;" in page


def test_the_preview_reads_a_fixed_number_of_queries(
    editor: Client, django_assert_max_num_queries: object
) -> None:
    pending = upload_seed(editor)
    # Session, user, the pending row and the earlier-import check, whatever the file's size.
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        assert editor.get(pending.get_absolute_url()).status_code == 200


def test_the_import_pages_have_one_h1(editor: Client) -> None:
    pending = upload_seed(editor)
    for address in (reverse("exchange:import"), pending.get_absolute_url()):
        html = editor.get(address).content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, address
