"""Results in a real browser: a coordinator records an indicator value on an action and
finds it in the table and the chart; the section passes axe's accessibility checks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jalon.accounts.models import Role
from jalon.plans.models import Item, Plan
from jalon.results import services
from jalon.results.models import Indicator, Measure, ResultKind

from .browsing import AXE, AXE_VIOLATIONS, PASSWORD, Visit
from .factories import person

pytestmark = pytest.mark.browser


def women_trained(plan: Plan, measure: str = Measure.NUMBER) -> tuple[Item, Indicator]:
    action = plan.items.filter(code__in=["1.1.1", "1.1.1."]).order_by("path")[0]
    result = services.result_add(
        item=action, kind=ResultKind.OUTCOME, title="Les travailleuses défendent leurs droits"
    )
    indicator = services.indicator_add(
        result=result, title="Nombre de travailleuses formées", measure=measure, unit="travailleuses"
    )
    services.target_set(
        indicator=indicator,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        value=Decimal(150 if measure == Measure.NUMBER else 80),
    )
    return action, indicator


def test_a_coordinator_records_a_value_and_sees_it_in_the_table_and_the_chart(
    visit: Visit,
    seed_plan: Plan,
) -> None:
    action, indicator = women_trained(seed_plan)
    person("coord", Role.COORDINATOR, password=PASSWORD)
    page = visit.sign_in("coord")
    page = visit.open(action.get_absolute_url())
    section = page.locator(f"#indicator-{indicator.pk}").locator("xpath=..")
    expect(section.locator(".chart__actual-point")).to_have_count(0)

    section.locator(f"a[href='{reverse('results:value_record', args=[indicator.pk])}']").click()
    page.locator("#id_period_start").fill("2024-01-01")
    page.locator("#id_period_end").fill("2024-12-31")
    page.locator("#id_value").fill("162")
    page.locator("#id_comment").fill("Trois ateliers à San Pedro Sula")
    page.locator("form.form button[type=submit]").click()

    expect(page).to_have_url(visit.base_url + action.get_absolute_url() + "#resultats")
    section = page.locator(f"#indicator-{indicator.pk}").locator("xpath=..")
    row = section.locator("tr.indicator-table__value")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("162 travailleuses")
    expect(row).to_contain_text("Trois ateliers à San Pedro Sula")
    point = section.locator(".chart__actual-point")
    expect(point).to_have_count(1)
    expect(point).to_have_attribute("data-value", "162.00")

    page.evaluate(AXE.read_text())  # the page's own CSP refuses inline scripts
    violations = page.evaluate(AXE_VIOLATIONS)
    assert not violations, "\n".join(
        f"- {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations
    )


def test_a_wrong_percent_is_explained_beside_the_field(visit: Visit, seed_plan: Plan) -> None:
    action, indicator = women_trained(seed_plan, Measure.PERCENT)
    person("coord", Role.COORDINATOR, password=PASSWORD)
    page = visit.sign_in("coord")
    page = visit.open(reverse("results:value_record", args=[indicator.pk]))
    page.locator("#id_period_start").fill("2024-01-01")
    page.locator("#id_period_end").fill("2024-12-31")
    page.locator("#id_value").fill("140")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#id_value_error")).to_be_visible()
    # The refused form comes back with status 400, which the browser logs as an error.
    visit.errors.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")
    assert not indicator.values.exists()
