"""The annual progress report: one model of the plan, rendered as HTML, PDF and DOCX."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from jalon.accounts.models import User
from jalon.plans.models import Item, Plan
from jalon.reports.model import Report, ReportError, build_report
from jalon.reports.render_docx import render_docx
from jalon.reports.render_html import render_html
from jalon.reports.render_pdf import StaticOnlyFetcher, render_pdf
from jalon.tracking.demo import demo_tracking_create
from jalon.tracking.models import Update

from .factories import add_results, import_seed, report_seed

pytestmark = pytest.mark.django_db

RANGE: dict[str, Any] = {"date_from": datetime.date(2024, 1, 1), "date_to": datetime.date(2025, 12, 31)}


@pytest.fixture
def seed(lead: User) -> Plan:
    return report_seed(lead)


@pytest.fixture
def action_codes(seed: Plan) -> list[str]:
    return [item.code for item in seed.items.leaves().in_document_order()]


@pytest.fixture
def report(seed: Plan) -> Report:
    return build_report(seed, language="fr", **RANGE)


def test_the_model_of_the_demo_data_holds_every_action_code(report: Report, action_codes: list[str]) -> None:
    assert report.action_codes == action_codes
    assert report.summary.actions == len(action_codes)
    assert sum(status.count for status in report.summary.statuses) == len(action_codes)
    assert [axis.code for axis in report.summary.by_axis] == [s.code for s in report.sections if s.depth == 0]


def test_the_model_gives_budget_indicators_and_partners_in_the_report_language(report: Report) -> None:
    assert [(b.currency, b.planned, b.spent) for b in report.summary.budget] == [
        ("CAD", "12\u202f500,50 CAD", "9\u202f000 CAD")
    ] or report.summary.budget[0].planned.replace("\xa0", "\u202f") == "12\u202f500,50 CAD"
    first = next(section for section in report.sections if section.is_action)
    assert first.partners == ["Fondation <Solidarité>"]
    assert [(i.title, i.target, i.actual) for i in first.indicators] == [
        ("Femmes formées", "120 femmes", "95 femmes")
    ]
    assert "2024" in report.cover.date_from and "janvier" in report.cover.date_from


def test_the_english_report_has_english_headings_and_titles(seed: Plan) -> None:
    report = build_report(seed, language="en", **RANGE)
    html = render_html(report)
    assert 'lang="en"' in html
    assert "Summary" in html and "Progress by axis" in html and "Annual progress report" in html
    assert "Jan. 1, 2024" in html
    first = next(section for section in report.sections if section.is_action)
    assert first.indicators[0].title == "Women trained"
    document = Document(io.BytesIO(render_docx(report)))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert {"Summary", "Progress by axis", "Actions by status", "Budget"} <= set(headings)


def test_the_date_range_filters_updates(seed: Plan) -> None:
    dates = sorted(Update.objects.filter(item__plan=seed).values_list("date", flat=True))
    middle = dates[len(dates) // 2]
    early = build_report(seed, date_from=dates[0], date_to=middle)
    counted = sum(len(section.updates) for section in early.sections)
    assert counted == sum(1 for day in dates if day <= middle)
    assert 0 < counted < len(dates)
    none = build_report(seed, date_from=datetime.date(2030, 1, 1), date_to=datetime.date(2030, 12, 31))
    assert not any(section.updates for section in none.sections)


def test_it_refuses_a_range_that_ends_before_it_starts(seed: Plan) -> None:
    with pytest.raises(ReportError):
        build_report(seed, date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2024, 1, 1))


def test_the_html_report_escapes_text_from_the_plan(seed: Plan, lead: User) -> None:
    item = seed.items.leaves().in_document_order().first()
    assert item is not None
    Item.objects.filter(pk=item.pk).update(title="<script>alert('titre')</script>")
    Update.objects.create(
        item=item, author=lead, date=datetime.date(2024, 6, 1), text="**Gras** <img src=x onerror=alert(1)>"
    )
    html = render_html(build_report(seed, **RANGE))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<img src=x" not in html
    assert "<strong>Gras</strong>" in html
    assert "Fondation &lt;Solidarité&gt;" in html


def test_the_pdf_is_paginated_with_every_action_code_and_page_numbers(
    report: Report, action_codes: list[str]
) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    assert 5 <= len(reader.pages) <= 60
    text = "\n".join(page.extract_text() for page in reader.pages)
    for code in action_codes:
        assert code in text
    first_page = reader.pages[0].extract_text()
    assert re.search(r"\b1 / \d+", first_page)
    assert report.cover.plan_title in reader.pages[2].extract_text()  # the running header


def test_the_pdf_fetches_nothing_but_our_static_files() -> None:
    fetcher = StaticOnlyFetcher()
    assert b"@page" in fetcher.fetch("https://jalon.invalid/static/jalon/report.css").read()
    for url in (
        "https://example.org/static/jalon/report.css",
        "file:///etc/passwd",
        "https://jalon.invalid/static/../settings.py",
        "https://jalon.invalid/media/attachments/1/secret.pdf",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_docx_opens_and_holds_every_action_code(report: Report, action_codes: list[str]) -> None:
    document = Document(io.BytesIO(render_docx(report)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for code in action_codes:
        assert code in text
    assert "Femmes formées" in text and "120 femmes" in cells
    assert any(p.style is not None and p.style.name == "Heading 1" for p in document.paragraphs)
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_building_the_model_costs_the_same_queries_for_a_plan_twice_as_large(seed: Plan, lead: User) -> None:
    double = import_seed(slug="double", times=2)
    demo_tracking_create(double)
    add_results(double, lead)
    assert double.items.count() == 2 * seed.items.count()
    counts = []
    for plan in (seed, double):
        with CaptureQueriesContext(connection) as queries:
            build_report(plan, **RANGE)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 20


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_the_command_writes_each_format(seed: Plan, tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"bilan.{fmt}"
    errors = io.StringIO()
    call_command(
        "report",
        seed.slug,
        "--format",
        fmt,
        "--lang",
        "en",
        "-o",
        str(output),
        stdout=io.StringIO(),
        stderr=errors,
    )
    assert output.stat().st_size > 1000
    bar = errors.getvalue()
    total = 4 + (3 if fmt == "docx" else 1) + 1  # the model, each axis or the whole, the file
    assert f"] 1/{total} " in bar and f"] {total}/{total} " in bar
    if fmt == "html":
        assert "Progress by axis" in output.read_text()


@translation.override("en")
def test_the_command_says_why_it_refuses(seed: Plan, tmp_path: Path) -> None:
    out = str(tmp_path / "bilan.pdf")
    with pytest.raises(CommandError, match="No plan is called"):
        call_command("report", "nowhere", "-o", out)
    with pytest.raises(CommandError, match="start of the range comes after its end"):
        call_command("report", seed.slug, "--from", "2025-06-01", "--to", "2025-01-01", "-o", out)
    with pytest.raises(CommandError, match="folder does not exist"):
        call_command("report", seed.slug, "-o", str(tmp_path / "missing" / "bilan.pdf"))
    (tmp_path / "a-folder").mkdir()
    with pytest.raises(CommandError, match="Cannot write .*a-folder: permission denied or not a file"):
        call_command("report", seed.slug, "--format", "html", "-o", str(tmp_path / "a-folder"))
    with pytest.raises(CommandError, match="2025-13-01"):
        call_command("report", seed.slug, "--from", "2025-13-01", "-o", out)


def test_the_page_is_refused_to_anonymous_visitors(client: Client, seed: Plan) -> None:
    url = reverse("reports:page", args=[seed.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert "/comptes/" in response["Location"]
    assert client.get(url, {"format": "pdf"}).status_code == 302


def test_the_page_shows_the_html_report_to_a_member(
    member_client: Client, seed: Plan, action_codes: list[str], django_assert_max_num_queries
) -> None:
    url = reverse("reports:page", args=[seed.slug])
    form = member_client.get(url)
    assert form.status_code == 200
    assert b'name="date_from"' in form.content
    with django_assert_max_num_queries(25):
        response = member_client.get(
            url, {"date_from": "2024-01-01", "date_to": "2025-12-31", "language": "en", "format": "html"}
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Progress by axis" in page
    for code in action_codes:
        assert code in page


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_page_prepares_the_pdf_and_the_docx_as_files_instead_of_answering_them(
    member_client: Client, seed: Plan, fmt: str, settings
) -> None:
    # The file is prepared by a job and downloaded from the list (test_report_jobs.py).
    url = reverse("reports:page", args=[seed.slug])
    asked = {"date_from": "2024-01-01", "date_to": "2025-12-31", "language": "fr", "format": fmt}
    shown = member_client.get(url, asked)
    assert shown.status_code == 200 and "text/html" in shown["Content-Type"]
    response = member_client.post(url, asked)
    assert response.status_code == 303
    assert seed.report_jobs.get().file.name.endswith(f"bilan-{seed.slug}-2024-01-01-2025-12-31-fr.{fmt}")


def test_the_page_says_when_the_range_is_backwards(member_client: Client, seed: Plan) -> None:
    response = member_client.get(
        reverse("reports:page", args=[seed.slug]),
        {"date_from": "2025-01-01", "date_to": "2024-01-01", "language": "fr", "format": "pdf"},
    )
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


def test_the_plan_tabs_link_to_the_report(member_client: Client, seed: Plan) -> None:
    response = member_client.get(reverse("plans:detail", args=[seed.slug]))
    assert reverse("reports:page", args=[seed.slug]).encode() in response.content
