"""Jalon's JSON carries a plan's accepted links and the directory entries they name."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from jalon.accounts.models import User
from jalon.directory.demo import directory_create
from jalon.directory.exchange import plan_links
from jalon.directory.models import ItemLink, LinkStatus, Partner, Place, PlaceKind, Theme
from jalon.directory.services import link_decide, links_decide_all, links_import, links_propose
from jalon.exchange import formats
from jalon.plans.importers import ImportFailure, Source
from jalon.plans.models import PendingImport, Plan
from jalon.plans.services import plan_import

from .factories import import_seed, item, make_plan, signed_in
from .paths import SEED
from .test_json_format import SCHEMA, schema_errors

pytestmark = pytest.mark.django_db


def seed_with_links() -> Plan:
    directory_create()
    plan = import_seed()
    links_propose(plan=plan)
    # One proposal rejected: the export carries accepted links only.
    link_decide(
        link=ItemLink.objects.of_plan(plan).get(item__code="1.1.5", place__iso_code="TN"),
        user=None,
        accept=False,
    )
    links_decide_all(plan=plan, user=None, accept=True)
    return plan


def described_links(plan: Plan) -> set[tuple[str, str, str, str]]:
    """Return each accepted link as the item's path, the kind, a lasting name and the evidence."""
    links = ItemLink.objects.of_plan(plan).accepted().select_related("item", "partner", "place", "theme")
    return {(link.item.path, link.kind, lasting_name(link), link.evidence) for link in links}


def lasting_name(link: ItemLink) -> str:
    if link.partner:
        country = link.partner.country.iso_code if link.partner.country else ""
        return f"{link.partner.name}/{link.partner.acronym}/{country}"
    if link.place:
        parent = link.place.parent.name_fr if link.place.parent else ""
        return f"{link.place.iso_code}/{link.place.name_fr}/{link.place.kind}/{parent}"
    assert link.theme is not None
    return f"{link.theme.slug}/{link.theme.name_fr}/{','.join(link.theme.keywords)}"


def import_json(data: bytes) -> Plan:
    parsed = formats.parse(Source("plan.json", data))
    plan = plan_import(parsed=parsed, source_name="plan.json")
    links_import(plan=plan, parsed=parsed)
    return plan


def test_the_export_lists_each_items_partners_places_with_iso_codes_and_themes() -> None:
    document = json.loads(formats.export(seed_with_links(), "json"))
    assert list(document)[list(document).index("items") - 1] == "directory"
    item_115 = document["items"][0]["children"][0]["children"][4]
    assert item_115["code"] == "1.1.5"
    links = item_115["links"]
    assert [link["name"] for link in links["partners"]] == [
        "Forum tunisien des droits économiques et sociaux (FTDES)"
    ]
    assert {link["iso_code"] for link in links["places"]} == {""}  # Monastir; Tunisia was rejected
    refs = {entry["ref"]: entry for entry in document["directory"]["places"]}
    monastir = refs[links["places"][0]["ref"]]
    assert refs[monastir["parent"]]["iso_code"] == "TN"  # the country a place sits in travels with it
    assert "Droits des femmes" in [link["name"] for link in links["themes"]]


def test_a_plan_moves_whole_to_a_server_without_its_directory() -> None:
    plan = seed_with_links()
    before = described_links(plan)
    data = formats.export(plan, "json")
    plan.delete()
    for model in (Partner, Place, Theme):
        model.objects.all().delete()
    again = import_json(data)
    assert described_links(again) == before
    assert len(before) > 80
    assert set(ItemLink.objects.values_list("status", flat=True)) == {LinkStatus.ACCEPTED}
    # Only what the links name came along, not the whole world.
    assert Place.objects.count() < 30


def test_importing_matches_the_directory_already_there() -> None:
    plan = seed_with_links()
    counts = (Partner.objects.count(), Place.objects.count(), Theme.objects.count())
    again = import_json(formats.export(plan, "json"))
    assert (Partner.objects.count(), Place.objects.count(), Theme.objects.count()) == counts
    assert described_links(again) == described_links(plan)


def test_exporting_again_after_the_round_trip_gives_the_same_links() -> None:
    plan = seed_with_links()
    first = json.loads(formats.export(plan, "json"))
    again = json.loads(formats.export(import_json(formats.export(plan, "json")), "json"))

    def without_refs(document: dict[str, Any]) -> str:
        text = json.dumps(document["items"], ensure_ascii=False)
        for entries in document["directory"].values():
            for entry in entries:
                lasting = entry.get("iso_code") or entry.get("slug") or entry.get("name") or entry["name_fr"]
                text = text.replace(f'"{entry["ref"]}"', json.dumps(lasting, ensure_ascii=False))
        return text

    assert without_refs(again) == without_refs(first)


def test_a_plan_without_links_exports_no_directory() -> None:
    document = json.loads(formats.export(make_plan(), "json"))
    assert "directory" not in document
    assert all("links" not in item for item in document["items"])


def test_the_import_command_brings_the_links(tmp_path: Path) -> None:
    plan = seed_with_links()
    path = tmp_path / "plan.json"
    path.write_bytes(formats.export(plan, "json"))
    call_command("import", str(path), "--slug", "copie", "--again", stdout=StringIO())
    assert described_links(Plan.objects.get(slug="copie")) == described_links(plan)


def broken_document(kind: str, link: dict[str, Any]) -> bytes:
    """Return an export whose one item links to Honduras, that link replaced by the one given."""
    plan = make_plan(items=[item("1", "Au Honduras")])
    honduras = Place.objects.create(kind=PlaceKind.COUNTRY, iso_code="HN", name_fr="Honduras")
    ItemLink.objects.create(item=plan.items.get(), place=honduras, status=LinkStatus.ACCEPTED)
    document = json.loads(formats.export(plan, "json"))
    document["items"][0]["links"] = {
        kind: [{key: value.replace("HONDURAS", f"place-{honduras.pk}") for key, value in link.items()}]
    }
    return json.dumps(document).encode()


@translation.override("en")
def test_it_refuses_a_link_to_an_entry_the_directory_lacks() -> None:
    with pytest.raises(ImportFailure, match=r"items\[0\]\.links\.places\[0\].*“place-999” names no entry"):
        formats.parse(Source("plan.json", broken_document("places", {"ref": "place-999"})))


@translation.override("en")
def test_it_refuses_a_link_of_the_wrong_kind() -> None:
    with pytest.raises(ImportFailure, match="names no entry"):
        formats.parse(Source("plan.json", broken_document("partners", {"ref": "HONDURAS"})))


def test_it_refuses_an_unknown_field_in_a_link() -> None:
    data = broken_document("places", {"ref": "HONDURAS", "colour": "red"})
    with pytest.raises(ImportFailure, match="colour"):
        formats.parse(Source("plan.json", data))


def test_the_export_with_links_matches_the_published_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    exported = json.loads(formats.export(seed_with_links(), "json"))
    assert list(schema_errors(exported, schema, schema)) == []
    exported["items"][0]["children"][0]["links"] = {"places": [{"ref": "x", "colour": "red"}]}
    assert list(schema_errors(exported, schema, schema))


def test_the_web_import_brings_the_links_with_the_plan(coordinator: User) -> None:
    plan = seed_with_links()
    before = described_links(plan)
    data = formats.export(plan, "json")
    plan.delete()
    client = signed_in(coordinator)
    client.post(reverse("exchange:import"), {"file": SimpleUploadedFile("plan.json", data), "slug": "copie"})
    pending = PendingImport.objects.get()
    client.post(reverse("exchange:import_confirm", args=[pending.pk]))
    again = Plan.objects.get(slug="copie")
    assert described_links(again) == before
    assert ItemLink.objects.of_plan(again).filter(decided_by=coordinator).count() == len(before)


def test_the_import_command_can_detect_links_right_away(tmp_path: Path) -> None:
    directory_create()
    call_command("import", str(SEED), "--detect", stdout=StringIO())
    assert ItemLink.objects.proposed().count() > 40


def test_the_directory_part_of_the_export_reads_a_few_queries_whatever_the_links(
    django_assert_max_num_queries: Any,
) -> None:
    plan = seed_with_links()
    # One for the links, one per level of places above those linked (region, country).
    with django_assert_max_num_queries(3):
        plan_links(plan)
