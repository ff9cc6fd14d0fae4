"""Files through the API: a plan imported with a preview then confirmed, the exports (Jalon's
formats, IATI, the annual report), the actions table sent back edited, and the anomaly
report, each with the rights of its web page."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from docx import Document
from openpyxl import Workbook, load_workbook

from jalon.accounts.models import Role, User
from jalon.api.models import Scope
from jalon.iati.validation import problems
from jalon.plans.models import AnomalyKind, Item, PendingImport, Plan
from jalon.reports.models import ReportJob
from jalon.tracking.models import PendingTableImport, Tracking
from jalon.tracking.services import action_update

from .api_client import Api, error_code
from .factories import anomaly, demo_seed, item, make_plan, person
from .paths import EXAMPLES, SEED

pytestmark = pytest.mark.django_db


def action(plan: Plan, code: str = "1.1.2") -> Item:
    return plan.items.get(code=code)


def upload(api: Api, path: str, name: str, data: bytes, **fields: str) -> Any:
    body = {"file": SimpleUploadedFile(name, data), **fields}
    return api.post(path, body)


def seed_upload(api: Api, **fields: str) -> Any:
    return upload(api, "/imports", SEED.name, SEED.read_bytes(), **fields)


def pending_seed(coordinator: User) -> int:
    response = seed_upload(Api(coordinator, Scope.WRITE))
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


# Plan import


def test_a_coordinator_previews_the_seed_and_nothing_is_created_yet(coordinator: User) -> None:
    response = seed_upload(Api(coordinator, Scope.WRITE))
    assert response.status_code == 201, response.content
    preview = response.json()
    assert preview["format"] == "seed" and preview["plan"] == "plan-d-action-2024-2025"
    assert preview["period"] == {"start": "2024-01-01", "end": "2025-12-31"} or preview["period"] is None
    assert [(level["name"], level["items"]) for level in preview["levels"]][0] == ("Axe stratégique", 3)
    assert [level["items"] for level in preview["levels"]] == [3, 10, 41]
    assert preview["items"] == 54 and len(preview["tree"]) == 54 and len(preview["anomalies"]) == 11
    assert any(row["title"].startswith("Travailler à la pérennisation") for row in preview["tree"])
    assert PendingImport.objects.get().pk == preview["id"]
    assert not Plan.objects.exists() and not Item.objects.exists()


@translation.override("en")
def test_the_preview_is_shown_again_in_plain_words(coordinator: User) -> None:
    pk = pending_seed(coordinator)
    preview = Api(coordinator, language="en").get(f"/imports/{pk}").json()
    assert any("Code 1.4.4 appears more than once" in found["message"] for found in preview["anomalies"])
    assert {found["kind_label"] for found in preview["anomalies"]} >= {"Duplicate code"}
    assert preview["already_imported_as"] is None and not preview["expired"]


def test_confirming_creates_the_whole_plan_and_proposes_its_links(coordinator: User) -> None:
    api = Api(coordinator, Scope.WRITE)
    pk = seed_upload(api, slug="alternatives").json()["id"]
    response = api.post(f"/imports/{pk}/confirm")
    assert response.status_code == 201, response.content
    done = response.json()
    plan = Plan.objects.get()
    assert done["plan"]["slug"] == plan.slug == "alternatives" and done["plan"]["item_count"] == 54
    assert (plan.items.count(), plan.anomalies.count(), plan.created_by) == (54, 11, coordinator)
    assert (
        done["proposed_links"] == plan.items.model.objects.filter(directory_links__isnull=False).count() > 0
    )
    assert not PendingImport.objects.exists()
    again = seed_upload(api).json()
    assert again["already_imported_as"] == "alternatives"


def test_the_markdown_outline_of_another_plan_imports_too(coordinator: User) -> None:
    api = Api(coordinator, Scope.WRITE)
    source = EXAMPLES / "dinum-plan-action-logiciels-libres.fr.md"
    preview = upload(api, "/imports", source.name, source.read_bytes()).json()
    assert preview["format"] == "outline" and preview["items"] > 0
    assert api.post(f"/imports/{preview['id']}/confirm").status_code == 201
    assert Plan.objects.get().items.count() == preview["items"]


@translation.override("en")
def test_a_file_with_an_unreadable_byte_is_refused_by_name_and_line_and_nothing_is_kept(
    coordinator: User,
) -> None:
    data = b"\xff\xfe" + "Axe 1\n".encode("utf-16-le") + b"\x00\xd8" + "\n".encode("utf-16-le")
    response = upload(Api(coordinator, Scope.WRITE, language="en"), "/imports", "mal.txt", data)
    assert response.status_code == 422 and error_code(response) == "unreadable_file"
    assert "mal.txt, line 2" in response.json()["error"]["message"]
    assert not PendingImport.objects.exists() and not Plan.objects.exists()


@translation.override("en")
@pytest.mark.parametrize(
    ("name", "data", "words"),
    [("vide.txt", b"", "the file is empty"), ("abime.docx", b"PK\x03\x04\x14\x00\x00\x00", "damaged")],
)
def test_a_broken_file_is_refused_by_name(coordinator: User, name: str, data: bytes, words: str) -> None:
    response = upload(Api(coordinator, Scope.WRITE, language="en"), "/imports", name, data)
    assert response.status_code == 422 and error_code(response) == "unreadable_file"
    assert name in response.json()["error"]["message"] and words in response.json()["error"]["message"]
    assert not PendingImport.objects.exists()


def test_an_upload_is_refused_in_the_language_its_owner_chose() -> None:
    owner = person("coord", Role.COORDINATOR, language="en")
    response = upload(Api(owner, Scope.WRITE), "/imports", "vide.txt", b"")
    assert "the file is empty" in response.json()["error"]["message"]


def test_a_file_larger_than_the_web_limit_is_refused(coordinator: User, settings: Any) -> None:
    settings.JALON_MAX_IMPORT_BYTES = 1000
    response = upload(Api(coordinator, Scope.WRITE), "/imports", "long.txt", b"Axe 1\n" * 500)
    assert response.status_code == 422 and "file" in response.json()["error"]["details"]
    assert not PendingImport.objects.exists()


def test_a_taken_identifier_an_unknown_format_or_no_file_is_refused(coordinator: User, plan: Plan) -> None:
    api = Api(coordinator, Scope.WRITE)
    assert "slug" in seed_upload(api, slug="plan").json()["error"]["details"]
    assert "format" in seed_upload(api, format="pdf").json()["error"]["details"]
    missing = api.post("/imports", {"slug": "x"})
    assert missing.status_code == 422 and error_code(missing) == "invalid"
    assert not PendingImport.objects.exists()


def test_a_nul_character_in_a_field_is_refused_though_files_may_hold_them(coordinator: User) -> None:
    refused = seed_upload(Api(coordinator, Scope.WRITE), slug="a\x00b")
    assert refused.status_code == 422 and error_code(refused) == "invalid"
    assert not PendingImport.objects.exists()


def test_cancelling_an_import_leaves_nothing_behind(coordinator: User) -> None:
    pk = pending_seed(coordinator)
    assert Api(coordinator, Scope.WRITE).delete(f"/imports/{pk}").status_code == 204
    assert not PendingImport.objects.exists() and not Plan.objects.exists()


def test_an_upload_older_than_a_day_cannot_be_confirmed(coordinator: User) -> None:
    pk = pending_seed(coordinator)
    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    response = Api(coordinator, Scope.WRITE).post(f"/imports/{pk}/confirm")
    assert response.status_code == 409 and error_code(response) == "expired"
    assert not Plan.objects.exists()


def test_a_read_only_token_cannot_upload_confirm_or_cancel_an_import(coordinator: User) -> None:
    pk = pending_seed(coordinator)
    reading = Api(coordinator, Scope.READ)
    assert reading.get(f"/imports/{pk}").status_code == 200
    for response in (
        seed_upload(reading),
        reading.post(f"/imports/{pk}/confirm"),
        reading.delete(f"/imports/{pk}"),
    ):
        assert response.status_code == 403 and error_code(response) == "read_only_token"
    assert PendingImport.objects.count() == 1 and not Plan.objects.exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEAD])
def test_members_and_leads_are_refused_every_import_operation(coordinator: User, role: str) -> None:
    pk = pending_seed(coordinator)
    api = Api(person("someone", role), Scope.WRITE)
    for response in (
        seed_upload(api),
        api.get(f"/imports/{pk}"),
        api.post(f"/imports/{pk}/confirm"),
        api.delete(f"/imports/{pk}"),
    ):
        assert response.status_code == 403 and error_code(response) == "forbidden"
    assert PendingImport.objects.count() == 1 and not Plan.objects.exists()


def test_another_coordinators_upload_is_not_found_but_an_administrator_sees_it(coordinator: User) -> None:
    pk = pending_seed(coordinator)
    other = Api(person("autre", Role.COORDINATOR), Scope.WRITE)
    assert other.get(f"/imports/{pk}").status_code == 404
    assert other.post(f"/imports/{pk}/confirm").status_code == 404
    assert Api(person("admin", Role.ADMIN)).get(f"/imports/{pk}").status_code == 200


def test_without_a_token_the_import_operations_answer_401(coordinator: User) -> None:
    pk = pending_seed(coordinator)
    anonymous = Api(None)
    for response in (
        seed_upload(anonymous),
        anonymous.get(f"/imports/{pk}"),
        anonymous.post(f"/imports/{pk}/confirm"),
        anonymous.delete(f"/imports/{pk}"),
    ):
        assert response.status_code == 401 and error_code(response) == "unauthenticated"
    assert PendingImport.objects.count() == 1


# Exports


def test_a_member_exports_the_plan_in_every_format(plan: Plan) -> None:
    api = Api(person("martin"))
    exported = {name: api.get("/plans/plan/export", format=name) for name in ("json", "csv", "xlsx", "md")}
    assert all(response.status_code == 200 for response in exported.values())
    assert exported["xlsx"]["Content-Disposition"] == 'attachment; filename="plan.xlsx"'
    assert json.loads(exported["json"].content)
    assert "1.1.2" in exported["csv"].content.decode("utf-8-sig")
    rows = list(load_workbook(io.BytesIO(exported["xlsx"].content)).active.values)
    assert any("1.1.2" in row for row in rows)
    assert "Travailler à la pérennisation du CAIME." in exported["md"].content.decode()


def test_an_unknown_format_a_missing_plan_or_no_token_is_refused(plan: Plan) -> None:
    api = Api(person("martin"))
    assert error_code(api.get("/plans/plan/export", format="pdf")) == "invalid"
    assert api.get("/plans/nope/export").status_code == 404
    assert Api(None).get("/plans/plan/export").status_code == 401


@pytest.fixture
def seeded() -> Plan:
    return demo_seed()


@pytest.mark.parametrize(("level", "count"), [("action", 41), ("orientation", 10)])
def test_the_iati_file_is_valid_at_either_level(seeded: Plan, settings: Any, level: str, count: int) -> None:
    settings.JALON_IATI_ORGANISATION_REF = "CA-CRA_ACC-123"
    response = Api(person("martin")).get(f"/plans/{seeded.slug}/iati", level=level)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert problems(response.content) == []
    assert response.content.count(b"<iati-activity ") == count


@translation.override("en")
def test_an_invalid_iati_file_is_refused_with_its_reasons(seeded: Plan, settings: Any) -> None:
    from jalon.results.models import Result, ResultKind

    settings.JALON_IATI_ORGANISATION_REF = "CA-CRA_ACC-123"
    Result.objects.create(item=action(seeded, "2.1.1"), kind=ResultKind.OUTPUT, title="Sondage réalisé")
    response = Api(person("martin"), language="en").get(f"/plans/{seeded.slug}/iati")
    assert response.status_code == 409 and error_code(response) == "iati_invalid"
    assert any("Sondage réalisé" in reason for reason in response.json()["error"]["details"])
    settings.JALON_IATI_ORGANISATION_REF = ""
    unset = Api(person("max")).get(f"/plans/{seeded.slug}/iati")
    assert unset.status_code == 409 and "JALON_IATI_ORGANISATION_REF" in unset.json()["error"]["details"]


def test_the_annual_report_as_pdf_holds_an_action_code(plan: Plan) -> None:
    from pypdf import PdfReader

    response = Api(person("martin")).get("/plans/plan/report", format="pdf", lang="en")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('-en.pdf"')
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "1.1.2" in text


def test_the_annual_report_opens_as_docx_and_html(plan: Plan) -> None:
    from docx import Document

    api = Api(person("martin"))
    response = api.get("/plans/plan/report", format="docx", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200, response.content
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "1.1.2" in " ".join([paragraph.text for paragraph in document.paragraphs] + cells)
    html = api.get("/plans/plan/report")
    assert html["Content-Type"].startswith("text/html") and "1.1.2" in html.content.decode()


def test_a_report_that_ends_before_it_starts_is_refused(plan: Plan) -> None:
    response = Api(person("martin")).get("/plans/plan/report", **{"from": "2025-01-01", "to": "2024-01-01"})
    assert response.status_code == 422 and "date_to" in response.json()["error"]["details"]
    assert Api(None).get("/plans/plan/report").status_code == 401


# The actions table


def edited_table(api: Api, plan: Plan, changes: dict[str, dict[str, Any]]) -> bytes:
    """Return the table as the API exports it, with cells changed by item code and header."""
    workbook = load_workbook(
        io.BytesIO(api.get(f"/plans/{plan.slug}/actions-table", format="xlsx", lang="en").content)
    )
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    ids = [cell.value for cell in sheet["A"]]
    for code, cells in changes.items():
        for header, value in cells.items():
            sheet.cell(
                row=ids.index(action(plan, code).pk) + 1, column=headers.index(header) + 1
            ).value = value
    return as_bytes(workbook)


def as_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_upload(api: Api, plan: Plan, data: bytes, name: str = "table.xlsx") -> Any:
    return upload(api, f"/plans/{plan.slug}/table-imports", name, data)


@translation.override("en")
def test_a_coordinator_uploads_an_edited_table_sees_each_change_and_confirms_it(
    plan: Plan, coordinator: User
) -> None:
    api = Api(coordinator, Scope.WRITE, language="en")
    response = table_upload(api, plan, edited_table(api, plan, {"1.1.2": {"Progress (%)": 60}}))
    assert response.status_code == 201, response.content
    preview = response.json()
    assert preview["can_apply"] and preview["errors"] == [] and preview["conflicts"] == []
    assert [(c["code"], c["column"], c["before"], c["after"]) for c in preview["changes"]] == [
        ("1.1.2", "Status", "Not started", "In progress"),
        ("1.1.2", "Progress (%)", "0", "60"),
    ]
    assert api.get(f"/table-imports/{preview['id']}").json()["changes"] == preview["changes"]
    applied = api.post(f"/table-imports/{preview['id']}/confirm")
    assert applied.status_code == 200 and applied.json() == {"updated": 1}
    assert Tracking.objects.get(item=action(plan)).progress == 60
    assert not PendingTableImport.objects.exists()


@translation.override("en")
def test_a_table_with_an_error_is_never_applied(plan: Plan, coordinator: User) -> None:
    api = Api(coordinator, Scope.WRITE, language="en")
    data = edited_table(api, plan, {"1.1.2": {"Progress (%)": 60}, "1.1.1.": {"Progress (%)": 160}})
    preview = table_upload(api, plan, data).json()
    assert preview["errors"] == [{"row": 4, "column": "Progress (%)", "message": "160 is more than 100."}]
    refused = api.post(f"/table-imports/{preview['id']}/confirm")
    assert refused.status_code == 422 and error_code(refused) == "table_not_applicable"
    assert not Tracking.objects.exists() and PendingTableImport.objects.exists()


def test_a_table_made_from_an_older_version_is_refused_with_409(plan: Plan, coordinator: User) -> None:
    api = Api(coordinator, Scope.WRITE)
    data = edited_table(api, plan, {"1.1.2": {"Progress (%)": 50}})
    tracking = Tracking.objects.create(item=action(plan))
    action_update(
        item=action(plan), user=coordinator, expected_version=tracking.version, changes={"progress": 10}
    )
    preview = table_upload(api, plan, data).json()
    assert preview["conflicts"][0]["file_version"] == 1 and not preview["can_apply"]
    refused = api.post(f"/table-imports/{preview['id']}/confirm")
    assert refused.status_code == 409 and error_code(refused) == "conflict"
    assert Tracking.objects.get().progress == 10


@translation.override("en")
def test_a_file_that_is_not_an_actions_table_is_refused_and_not_kept(plan: Plan, coordinator: User) -> None:
    response = table_upload(
        Api(coordinator, Scope.WRITE, language="en"), plan, b"Titre,Statut\nUn,Deux\n", "autre.csv"
    )
    assert response.status_code == 422 and error_code(response) == "unreadable_file"
    assert "“Id” (or “Code”) and “Version”" in response.json()["error"]["message"]
    assert not PendingTableImport.objects.exists()


def test_the_csv_table_goes_back_unchanged_and_is_cancelled(plan: Plan, coordinator: User) -> None:
    api = Api(coordinator, Scope.WRITE)
    csv = api.get("/plans/plan/actions-table", format="csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    preview = table_upload(api, plan, csv.content, "plan-actions.csv").json()
    assert preview["changes"] == [] and not preview["can_apply"]
    assert error_code(api.post(f"/table-imports/{preview['id']}/confirm")) == "table_not_applicable"
    assert api.delete(f"/table-imports/{preview['id']}").status_code == 204
    assert not PendingTableImport.objects.exists() and not Tracking.objects.exists()


def test_a_read_only_token_cannot_upload_confirm_or_cancel_a_table(plan: Plan, coordinator: User) -> None:
    writing = Api(coordinator, Scope.WRITE)
    pk = table_upload(writing, plan, edited_table(writing, plan, {"1.1.2": {"Progress (%)": 60}})).json()[
        "id"
    ]
    reading = Api(coordinator, Scope.READ)
    assert reading.get(f"/table-imports/{pk}").status_code == 200
    for response in (
        table_upload(reading, plan, b"x"),
        reading.post(f"/table-imports/{pk}/confirm"),
        reading.delete(f"/table-imports/{pk}"),
    ):
        assert response.status_code == 403 and error_code(response) == "read_only_token"
    assert not Tracking.objects.exists() and PendingTableImport.objects.count() == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEAD])
def test_members_and_leads_download_the_table_but_cannot_send_it_back(plan: Plan, role: str) -> None:
    api = Api(person("someone", role), Scope.WRITE)
    assert api.get("/plans/plan/actions-table").status_code == 200
    response = table_upload(api, plan, edited_table(api, plan, {"1.1.2": {"Progress (%)": 60}}))
    assert response.status_code == 403 and error_code(response) == "forbidden"
    assert not PendingTableImport.objects.exists()


def test_someone_elses_table_upload_is_not_found_and_no_token_is_401(plan: Plan, coordinator: User) -> None:
    writing = Api(coordinator, Scope.WRITE)
    pk = table_upload(writing, plan, edited_table(writing, plan, {"1.1.2": {"Progress (%)": 60}})).json()[
        "id"
    ]
    other = Api(person("autre", Role.COORDINATOR), Scope.WRITE)
    assert other.get(f"/table-imports/{pk}").status_code == 404
    assert other.post(f"/table-imports/{pk}/confirm").status_code == 404
    anonymous = Api(None)
    assert table_upload(anonymous, plan, b"x").status_code == 401
    assert anonymous.post(f"/table-imports/{pk}/confirm").status_code == 401
    assert Api(None).get("/plans/plan/actions-table").status_code == 401
    assert not Tracking.objects.exists()


# Reports prepared in the background


def test_a_member_asks_for_a_docx_report_follows_it_and_downloads_it(
    plan: Plan, reports_at_once: None
) -> None:
    api = Api(person("martin"))  # a read-only token: producing a report only reads the plan
    asked = api.send(
        "post", "/plans/plan/report-jobs", {"format": "docx", "lang": "en", "from": "2024-01-01"}
    )
    assert asked.status_code == 202, asked.content
    job = asked.json()
    assert job["state"] == "done" and job["progress"] == 100 and job["asked_by"] == "martin"
    assert job["date_from"] == "2024-01-01" and job["language"] == "en" and not job["interrupted"]
    assert api.get(f"/report-jobs/{job['id']}").json() == job
    assert [listed["id"] for listed in api.get("/plans/plan/report-jobs").json()] == [job["id"]]
    download = api.client.get(job["download"], headers=api.headers)
    assert download.status_code == 200 and download.content.startswith(b"PK")
    assert "attachment" in download["Content-Disposition"] and ".docx" in download["Content-Disposition"]
    assert "1.1.2" in "".join(
        paragraph.text for paragraph in Document(io.BytesIO(download.content)).paragraphs
    )


def test_a_report_still_being_prepared_cannot_be_downloaded_yet(plan: Plan, settings: Any) -> None:
    # A queue that keeps the task without running it: no worker has taken the job yet.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    api = Api(person("martin"))
    job = api.send("post", "/plans/plan/report-jobs", {"format": "pdf"}).json()
    assert job["state"] == "queued" and job["download"] is None
    refused = api.get(f"/report-jobs/{job['id']}/file")
    assert refused.status_code == 409 and error_code(refused) == "not_ready"


def test_report_jobs_are_refused_without_a_token_or_with_a_wrong_format(plan: Plan) -> None:
    assert Api(None).send("post", "/plans/plan/report-jobs", {"format": "pdf"}).status_code == 401
    assert Api(None).get("/report-jobs/1").status_code == 401
    refused = Api(person("martin")).send("post", "/plans/plan/report-jobs", {"format": "odt"})
    assert refused.status_code == 422 and error_code(refused) == "invalid"
    reversed_range = {"format": "pdf", "from": "2025-12-31", "to": "2024-01-01"}
    refused = Api(person("lucie")).send("post", "/plans/plan/report-jobs", reversed_range)
    assert refused.status_code == 422 and "date_to" in refused.json()["error"]["details"]
    assert not ReportJob.objects.exists()
    assert Api(person("louise")).get("/report-jobs/999").status_code == 404


# The anomaly report


@translation.override("en")
def test_a_member_reads_the_anomalies_in_the_order_of_the_source() -> None:
    first, second = item("1.1", "Un"), item("1.1", "Deux")
    make_plan(
        slug="plan",
        items=[item("1", "Axe", first, second)],
        anomalies=[anomaly(AnomalyKind.DUPLICATE_CODE, second), anomaly(AnomalyKind.MISSING_CODE, line=1)],
    )
    api = Api(person("martin"), language="en")
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/plans/plan/anomalies")
    assert response.status_code == 200
    found = response.json()["items"]
    assert [row["line"] for row in found] == [1, 5]
    assert found[1]["item_code"] == "1.1" and found[1]["kind_label"] == "Duplicate code"
    assert found[0]["item_id"] is None and found[1]["message"]
    assert len(queries) <= 5
    assert Api(None).get("/plans/plan/anomalies").status_code == 401
    assert api.get("/plans/nope/anomalies").status_code == 404
