"""The report page in a real browser: the form, the report shown inline, a file prepared
in the background and downloaded, with no accessibility violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from jalon.accounts.models import Role
from jalon.plans.models import Plan
from jalon.reports.model import default_range
from jalon.tracking.demo import demo_tracking_create

from .browsing import AXE, AXE_VIOLATIONS, PASSWORD, Visit
from .factories import person

pytestmark = pytest.mark.browser


def test_a_member_shows_the_english_report_inline_without_accessibility_violations(
    visit: Visit,
    seed_plan: Plan,
) -> None:
    person("lea", Role.LEAD)
    demo_tracking_create(seed_plan)
    person("martin", Role.MEMBER, password=PASSWORD)
    page = visit.sign_in("martin")
    page = visit.open(reverse("reports:page", args=[seed_plan.slug]))
    page.locator("#id_language").select_option("en")
    page.get_by_role("button", name="Produire le rapport").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Progress by axis")).to_be_visible()
    page.screenshot(path="/tmp/report-page.png", full_page=False)
    page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
    violations = page.evaluate(AXE_VIOLATIONS)
    assert not violations, "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in violations
    )


def test_a_member_asks_for_the_docx_watches_it_being_prepared_and_downloads_it(
    visit: Visit,
    seed_plan: Plan,
    settings: Any,
) -> None:
    # The job waits in the queue until a worker takes it, as on a real server.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    person("martin", Role.MEMBER, password=PASSWORD)
    page = visit.sign_in("martin")
    page = visit.open(reverse("reports:page", args=[seed_plan.slug]))
    page.locator("#id_format").select_option("docx")
    page.get_by_role("button", name="Produire le rapport").click()
    page.wait_for_load_state()
    jobs = page.locator("#report-jobs")
    expect(jobs).to_have_attribute("aria-live", "polite")
    expect(jobs.get_by_text("En attente")).to_be_visible()
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    # The list refreshes itself (htmx) until the file is ready, without reloading the page.
    link = jobs.locator("a[download]")
    expect(link).to_be_visible(timeout=60_000)
    expect(jobs.locator("[hx-trigger]")).to_have_count(0)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"bilan-{seed_plan.slug}-{seed_plan_range(seed_plan)}-fr.docx"
    page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
    violations = page.evaluate(AXE_VIOLATIONS)
    assert not violations, "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in violations
    )


def seed_plan_range(plan: Plan) -> str:
    start, end = default_range(plan)
    return f"{start.isoformat()}-{end.isoformat()}"
