"""The actions table: CSV and XLSX export, and the import back with a preview."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from jalon.accounts.models import Role, User
from jalon.directory.models import ItemLink, LinkStatus, Partner, Place, PlaceKind
from jalon.exchange.table import export_csv, export_xlsx
from jalon.exchange.table_import import table_preview
from jalon.plans.importers import ImportFailure, Source
from jalon.plans.models import Item, Plan
from jalon.results.models import BudgetLine
from jalon.tracking.models import PendingTableImport, Status, Tracking
from jalon.tracking.services import action_update
from tests.factories import anonymous, item, make_plan, person, signed_in, wide_tree

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def action(plan: Plan, code: str = "1.1.2") -> Item:
    return plan.items.get(code=code)


def workbook_of(plan: Plan) -> Any:
    return load_workbook(io.BytesIO(export_xlsx(plan, "en")))


def column(sheet: Any, header: str) -> int:
    return [cell.value for cell in sheet[1]].index(header) + 1


def row_of(sheet: Any, item: Item) -> int:
    ids = [cell.value for cell in sheet["A"]]
    return ids.index(item.pk) + 1


def edit(sheet: Any, item: Item, header: str, value: Any) -> None:
    sheet.cell(row=row_of(sheet, item), column=column(sheet, header)).value = value


def as_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_of(plan: Plan, data: bytes, name: str = "table.xlsx") -> Any:
    with translation.override("en"):
        return table_preview(plan, Source(name=name, data=data))


def errors_of(plan: Plan, header: str, value: Any, code: str = "1.1.2") -> list[str]:
    workbook = workbook_of(plan)
    edit(workbook.active, action(plan, code), header, value)
    return [str(error) for error in preview_of(plan, as_bytes(workbook)).errors]


# Export


def test_the_xlsx_export_has_one_row_per_item_in_document_order(plan: Plan) -> None:
    sheet = workbook_of(plan).active
    codes = [cell.value for cell in sheet["B"]][1:]
    assert codes == list(plan.items.in_document_order().values_list("code", flat=True))
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 60


def test_the_xlsx_export_writes_real_dates_numbers_and_a_status_drop_down(plan: Plan, lead: User) -> None:
    item_ = action(plan)
    tracking = Tracking.objects.create(
        item=item_, status=Status.IN_PROGRESS, progress=40, due_date=datetime.date(2025, 3, 31)
    )
    tracking.leads.set([lead])
    sheet = workbook_of(plan).active
    row = row_of(sheet, item_)
    assert sheet.cell(row, column(sheet, "Progress (%)")).value == 40
    assert sheet.cell(row, column(sheet, "Due date")).value == datetime.datetime(2025, 3, 31)
    assert sheet.cell(row, column(sheet, "Status")).value == "In progress"
    assert sheet.cell(row, column(sheet, "Leads")).value == "lea"
    (validation,) = sheet.data_validations.dataValidation
    assert "In progress" in validation.formula1 and validation.type == "list"


def test_the_export_names_partners_places_with_iso_codes_and_budget_per_currency(plan: Plan) -> None:
    item_ = action(plan)
    honduras = Place.objects.create(kind=PlaceKind.COUNTRY, iso_code="HN", name_fr="Honduras")
    partner = Partner.objects.create(name="Centre d'appui", acronym="CAIME")
    ItemLink.objects.create(item=item_, place=honduras, status=LinkStatus.ACCEPTED)
    ItemLink.objects.create(item=item_, partner=partner, status=LinkStatus.PROPOSED)
    BudgetLine.objects.create(item=item_, year=2024, planned=Decimal("12000"), spent=Decimal("500"))
    BudgetLine.objects.create(item=item_, year=2024, currency="USD", planned=Decimal("300"))
    sheet = workbook_of(plan).active
    row = row_of(sheet, item_)
    assert sheet.cell(row, column(sheet, "Places")).value == "Honduras (HN)"
    assert sheet.cell(row, column(sheet, "Partners")).value is None  # only accepted links
    assert sheet.cell(row, column(sheet, "Budget planned (CAD)")).value == 12000
    assert sheet.cell(row, column(sheet, "Budget spent (CAD)")).value == 500
    assert sheet.cell(row, column(sheet, "Budget planned (USD)")).value == 300


def test_the_csv_export_is_utf8_with_a_bom_and_commas(plan: Plan) -> None:
    data = export_csv(plan, "en")
    assert data.startswith(b"\xef\xbb\xbfId,Code,Level,Title,Status")
    assert "Amérique centrale".encode() in data


def test_the_csv_export_in_french_uses_semicolons_as_a_french_excel_expects(plan: Plan) -> None:
    data = export_csv(plan, "fr")
    assert data.startswith("\ufeffId;Code;Niveau;Titre;Statut;Avancement (%)".encode())
    edited = data.decode("utf-8-sig").replace(
        "Travailler à la pérennisation du CAIME.;Non commencée;0",
        "Travailler à la pérennisation du CAIME.;Terminée;100",
    )
    result = preview_of(plan, edited.encode(), name="table.csv")
    assert not result.errors
    assert [(change.item.code, change.after) for change in result.changes] == [
        ("1.1.2", "Done"),
        ("1.1.2", "100"),
    ]


def test_a_french_csv_an_earlier_version_wrote_with_commas_is_read(plan: Plan) -> None:
    data = export_csv(plan, "fr").decode("utf-8-sig").replace(";", ",")
    data = data.replace("CAIME.,Non commencée,0", "CAIME.,Terminée,100")
    result = preview_of(plan, data.encode("utf-8-sig"), name="table.csv")
    assert not result.errors
    assert [(change.column, change.after) for change in result.changes] == [
        ("Status", "Done"),
        ("Progress (%)", "100"),
    ]


def test_the_export_takes_a_constant_number_of_queries(
    plan: Plan, lead: User, django_assert_max_num_queries: Any
) -> None:
    for code in ("1.1.1.", "1.1.2"):
        Tracking.objects.create(item=action(plan, code)).leads.set([lead])
    with django_assert_max_num_queries(6):
        export_xlsx(plan, "en")


# Import: the preview


def test_an_edited_xlsx_previews_exactly_the_cells_changed(plan: Plan, lead: User) -> None:
    workbook = workbook_of(plan)
    edit(workbook.active, action(plan), "Progress (%)", 60)
    edit(workbook.active, action(plan), "Leads", "lea")
    edit(workbook.active, action(plan, "1.1.1."), "Status", "Delayed")
    edit(workbook.active, action(plan, "1.1.1."), "Title", "A title the import ignores")
    result = preview_of(plan, as_bytes(workbook))
    assert not result.errors and not result.conflicts
    changes = {(change.item.code, change.column, change.before, change.after) for change in result.changes}
    assert changes == {
        ("1.1.2", "Progress (%)", "0", "60"),
        ("1.1.2", "Status", "Not started", "In progress"),  # as action_update will save it
        ("1.1.2", "Leads", "—", "lea"),
        ("1.1.1.", "Status", "Not started", "Delayed"),
    }


def test_an_unchanged_table_changes_nothing(plan: Plan) -> None:
    result = preview_of(plan, export_xlsx(plan, "en"))
    assert result.rows == plan.items.count()
    assert result.changes == [] and result.errors == [] and not result.can_apply


def test_a_status_can_be_written_as_its_code_or_its_label_in_any_case(plan: Plan) -> None:
    for written in ("done", "DONE", "Done"):
        workbook = workbook_of(plan)
        edit(workbook.active, action(plan), "Status", written)
        (update,) = preview_of(plan, as_bytes(workbook)).updates
        assert update.changes == {"status": "done"}


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("Progress (%)", 140, "row 5, Progress (%): 140 is more than 100."),
        ("Progress (%)", -5, "row 5, Progress (%): -5 is less than 0."),
        ("Progress (%)", "beaucoup", "row 5, Progress (%): “beaucoup” is not a number."),
        ("Progress (%)", 12.5, "row 5, Progress (%): 12.5 is not a whole number."),
        ("Status", "Fini", "row 5, Status: “Fini” is not one of"),
        ("Priority", "urgent", "row 5, Priority: “urgent” is not one of"),
        ("Leads", "lea, nobody", "row 5, Leads: nobody has the username “nobody”."),
        ("Start date", "31/02/2024", "row 5, Start date: “31/02/2024” is not a date; write it YYYY-MM-DD."),
        ("Version", "abc", "row 5, Version: “abc” is not a version number"),
        ("Id", 999999, "row 5, Id: no item has the number 999999."),
        ("Id", "1" * 30, f"row 5, Id: no item has the number {'1' * 30}."),
        ("Id", "x1", "row 5, Id: “x1” is not an item number."),
    ],
)
def test_every_bad_value_is_reported_with_its_row_and_column(
    plan: Plan, lead: User, header: str, value: Any, message: str
) -> None:
    # Row 5 of the sheet: the header, then 1, 1.1, 1.1.1., 1.1.2.
    errors = errors_of(plan, header, value)
    assert len(errors) == 1 and errors[0].startswith(message)


def test_a_due_date_before_the_start_is_an_error(plan: Plan) -> None:
    workbook = workbook_of(plan)
    edit(workbook.active, action(plan), "Start date", datetime.date(2025, 5, 1))
    edit(workbook.active, action(plan), "Due date", datetime.date(2025, 1, 1))
    (error,) = preview_of(plan, as_bytes(workbook)).errors
    assert str(error) == "row 5, Due date: 2025-01-01 comes before the start date, 2025-05-01."


def test_an_id_of_another_plan_is_refused(plan: Plan) -> None:
    other = make_plan(title="Autre plan", slug="autre", items=[item("9", "Ailleurs")])
    errors = errors_of(plan, "Id", other.items.get().pk)
    assert errors == [f"row 5, Id: item {other.items.get().pk} belongs to another plan."]


def test_a_row_without_id_finds_its_item_by_a_code_used_once_only(plan: Plan) -> None:
    workbook = workbook_of(plan)
    sheet = workbook.active
    edit(sheet, action(plan), "Progress (%)", 30)
    edit(sheet, action(plan), "Id", None)
    repeated = plan.items.filter(code="1.4.4").first()
    assert repeated is not None
    edit(sheet, repeated, "Progress (%)", 30)
    edit(sheet, repeated, "Id", None)
    result = preview_of(plan, as_bytes(workbook))
    assert {change.item for change in result.changes} == {action(plan)}
    assert [str(error) for error in result.errors] == [
        "row 7, Code: 1.4.4 names more than one item; give the id."
    ]


def test_a_windows_1252_csv_with_semicolons_is_read(plan: Plan) -> None:
    data = export_csv(plan, "en").decode("utf-8-sig").replace(",", ";")
    data = data.replace(
        "Travailler à la pérennisation du CAIME.;Not started;0",
        "Travailler à la pérennisation du CAIME.;Done;100",
    )
    result = preview_of(plan, data.encode("cp1252"), name="table.csv")
    assert not result.errors
    assert [(change.column, change.after) for change in result.changes] == [
        ("Status", "Done"),
        ("Progress (%)", "100"),
    ]


def test_a_row_made_from_an_older_version_is_a_conflict(plan: Plan, coordinator: User) -> None:
    data = export_xlsx(plan, "en")
    tracking = Tracking.objects.create(item=action(plan))
    action_update(
        item=action(plan), user=coordinator, expected_version=tracking.version, changes={"progress": 10}
    )
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook.active, action(plan), "Progress (%)", 50)
    result = preview_of(plan, as_bytes(workbook))
    (conflict,) = result.conflicts
    assert (conflict.file_version, conflict.current_version) == (1, 2)
    # Only the cell edited in the spreadsheet is reported, not the status the other change moved.
    assert conflict.differences == [("Progress (%)", "50", "10")]
    assert not result.can_apply


def test_a_stale_row_left_untouched_is_no_conflict(plan: Plan, coordinator: User) -> None:
    data = export_xlsx(plan, "en")
    tracking = Tracking.objects.create(item=action(plan))
    action_update(
        item=action(plan), user=coordinator, expected_version=tracking.version, changes={"progress": 10}
    )
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook.active, action(plan, "1.1.1."), "Progress (%)", 20)
    result = preview_of(plan, as_bytes(workbook))
    assert result.conflicts == [] and result.can_apply
    assert {change.item.code for change in result.changes} == {"1.1.1."}


def test_a_file_that_is_not_an_actions_table_is_refused(plan: Plan, coordinator: User) -> None:
    client = signed_in(coordinator, language="en")
    upload = io.BytesIO(b"Titre,Statut\nUn,Deux\n")
    upload.name = "autre.csv"
    response = client.post(reverse("table:page", args=[plan.slug]), {"file": upload})
    assert response.status_code == 400
    assert "“Id” (or “Code”) and “Version”" in response.content.decode()
    assert not PendingTableImport.objects.exists()


# Import: the web pages


def upload(client: Client, plan: Plan, data: bytes, name: str = "table.xlsx") -> Any:
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("table:page", args=[plan.slug]), {"file": file})


def test_a_coordinator_uploads_previews_and_confirms_the_changes_with_history(
    plan: Plan, coordinator: User, lead: User, django_assert_max_num_queries: Any
) -> None:
    workbook = workbook_of(plan)
    edit(workbook.active, action(plan), "Progress (%)", 60)
    edit(workbook.active, action(plan), "Leads", "lea")
    client = signed_in(coordinator, language="en")
    response = upload(client, plan, as_bytes(workbook))
    assert response.status_code == 302
    with django_assert_max_num_queries(14):
        page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Progress (%)" in page.content.decode() and "Confirm the changes" in page.content.decode()
    pending = PendingTableImport.objects.get()
    done = client.post(reverse("table:confirm", args=[plan.slug, pending.pk]))
    assert done.status_code == 302
    tracking = Tracking.objects.get(item=action(plan))
    assert tracking.progress == 60 and tracking.status == Status.IN_PROGRESS
    assert list(tracking.leads.values_list("username", flat=True)) == ["lea"]
    assert tracking.history.first().history_user == coordinator
    assert not PendingTableImport.objects.exists()


def test_nothing_is_applied_while_an_error_remains(plan: Plan, coordinator: User) -> None:
    workbook = workbook_of(plan)
    edit(workbook.active, action(plan), "Progress (%)", 60)
    edit(workbook.active, action(plan, "1.1.1."), "Progress (%)", 160)
    client = signed_in(coordinator, language="en")
    page = client.get(upload(client, plan, as_bytes(workbook))["Location"])
    assert "row 4, Progress (%): 160 is more than 100." in page.content.decode()
    assert "Confirm the changes" not in page.content.decode()
    pending = PendingTableImport.objects.get()
    client.post(reverse("table:confirm", args=[plan.slug, pending.pk]))
    assert not Tracking.objects.exists()


def test_cancel_drops_the_upload_and_changes_nothing(plan: Plan, coordinator: User) -> None:
    workbook = workbook_of(plan)
    edit(workbook.active, action(plan), "Progress (%)", 60)
    client = signed_in(coordinator, language="en")
    upload(client, plan, as_bytes(workbook))
    pending = PendingTableImport.objects.get()
    response = client.post(reverse("table:cancel", args=[plan.slug, pending.pk]))
    assert response.status_code == 302
    assert not PendingTableImport.objects.exists() and not Tracking.objects.exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEAD])
def test_members_and_leads_download_the_table_but_cannot_upload(plan: Plan, role: str) -> None:
    client = signed_in(person("someone", role), language="en")
    page = client.get(reverse("table:page", args=[plan.slug]))
    assert page.status_code == 200 and "Read the file" not in page.content.decode()
    assert client.get(reverse("table:download", args=[plan.slug, "csv"])).status_code == 200
    assert upload(client, plan, export_xlsx(plan, "en")).status_code == 403


def test_a_lead_cannot_open_a_preview_or_confirm(plan: Plan, coordinator: User, lead: User) -> None:
    pending = PendingTableImport.objects.create(plan=plan, uploader=coordinator, file_name="t.xlsx", data=b"")
    client = signed_in(lead, language="en")
    assert client.get(reverse("table:preview", args=[plan.slug, pending.pk])).status_code == 403
    assert client.post(reverse("table:confirm", args=[plan.slug, pending.pk])).status_code == 403
    assert client.post(reverse("table:cancel", args=[plan.slug, pending.pk])).status_code == 403
    assert PendingTableImport.objects.exists()


def test_someone_elses_upload_is_not_found(plan: Plan, coordinator: User) -> None:
    pending = PendingTableImport.objects.create(plan=plan, uploader=coordinator, file_name="t.xlsx", data=b"")
    other = person("other", Role.COORDINATOR)
    client = signed_in(other, language="en")
    assert client.get(reverse("table:preview", args=[plan.slug, pending.pk])).status_code == 404
    assert client.post(reverse("table:confirm", args=[plan.slug, pending.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(plan: Plan) -> None:
    response = anonymous().get(reverse("table:download", args=[plan.slug, "xlsx"]))
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_the_download_is_an_xlsx_attachment(plan: Plan, member: User) -> None:
    client = signed_in(member, language="en")
    response = client.get(reverse("table:download", args=[plan.slug, "xlsx"]) + "?lang=en")
    assert response["Content-Disposition"] == 'attachment; filename="plan-actions.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "Id"
    assert client.get(reverse("table:download", args=[plan.slug, "pdf"])).status_code == 404


# Command line


def test_the_commands_export_then_dry_run_then_apply(plan: Plan, coordinator: User, tmp_path: Any) -> None:
    path = tmp_path / "actions.xlsx"
    call_command("actions", plan.slug, "--format", "xlsx", "--lang", "en", "-o", str(path))
    workbook = load_workbook(path)
    edit(workbook.active, action(plan), "Status", "Ongoing")
    workbook.save(path)
    out = io.StringIO()
    with translation.override("en"):
        call_command("actions_import", plan.slug, str(path), "--dry-run", stdout=out)
    assert "row 5, 1.1.2, Status: Not started → Ongoing" in out.getvalue()
    assert not Tracking.objects.exists()
    call_command("actions_import", plan.slug, str(path), "--user", "coord", stdout=io.StringIO())
    assert Tracking.objects.get().status == Status.ONGOING


def test_the_import_command_refuses_a_file_with_errors(plan: Plan, coordinator: User, tmp_path: Any) -> None:
    path = tmp_path / "actions.xlsx"
    workbook = workbook_of(plan)
    edit(workbook.active, action(plan), "Progress (%)", 140)
    workbook.save(path)
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("actions_import", plan.slug, str(path), "--user", "coord", stderr=io.StringIO())


def test_the_preview_shows_the_progress_a_done_status_brings(plan: Plan) -> None:
    workbook = workbook_of(plan)
    edit(workbook.active, action(plan), "Status", "Done")
    result = preview_of(plan, as_bytes(workbook))
    assert [(change.column, change.before, change.after) for change in result.changes] == [
        ("Status", "Not started", "Done"),
        ("Progress (%)", "0", "100"),
    ]


def test_a_csv_cell_that_looks_like_a_formula_is_written_as_text(plan: Plan) -> None:
    plan.items.filter(code="1.1.2").update(title='=HYPERLINK("http://x")')
    data = export_csv(plan, "en").decode("utf-8-sig")
    assert "'=HYPERLINK" in data
    assert preview_of(plan, data.encode(), name="table.csv").errors == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("table.xlsx", b"PK\x03\x04 not really a workbook"),
        ("table.csv", b"Id,Version\n" + b'"' + b"x" * 200_000 + b'",1\n'),
        ("table.csv", b""),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_plainly(plan: Plan, name: str, data: bytes) -> None:
    with pytest.raises(ImportFailure, match=name):
        preview_of(plan, data, name=name)


def count_preview_queries(plan: Plan, lead: User, coordinator: User) -> int:
    """Return the queries a preview takes when every row is stale and every action changes."""
    data = export_xlsx(plan, "en")
    for each in plan.items.all():
        tracking = Tracking.objects.create(item=each)
        action_update(item=each, user=coordinator, expected_version=tracking.version, changes={"progress": 5})
    workbook = load_workbook(io.BytesIO(data))
    for each in plan.items.all():
        edit(workbook.active, each, "Progress (%)", 50)
        edit(workbook.active, each, "Leads", "lea")
    edited = as_bytes(workbook)
    with CaptureQueriesContext(connection) as queries:
        result = preview_of(plan, edited)
    assert len(result.conflicts) == plan.items.count()
    return len(queries)


def test_the_preview_takes_as_many_queries_for_a_large_plan_as_for_a_small_one(
    plan: Plan, lead: User, coordinator: User
) -> None:
    large = make_plan(title="Grand plan", slug="grand", items=wide_tree(60))
    assert count_preview_queries(large, lead, coordinator) == count_preview_queries(plan, lead, coordinator)
