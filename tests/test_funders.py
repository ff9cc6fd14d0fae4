"""Budgets by funder: a budget line names the partner that funds it, or none for the
organisation's own funds, and the plan's budget page adds them up per funder."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from jalon.directory.models import Partner
from jalon.plans.models import Plan
from jalon.results.budget import funder_budget
from jalon.results.services import budget_line_set

from .factories import make_plan

pytestmark = pytest.mark.django_db


def test_the_plan_budget_adds_up_each_funder_separately_and_own_funds_last(
    plan: Plan, member_client: Client
) -> None:
    amc = Partner.objects.create(name="Affaires mondiales Canada", acronym="AMC", is_funder=True)
    first, second = plan.items.filter(depth=2).order_by("path")[:2]
    budget_line_set(item=first, year=2024, planned=Decimal(100), spent=Decimal(50), funder=amc)
    budget_line_set(item=second, year=2024, planned=Decimal(300), spent=Decimal(0), funder=amc)
    budget_line_set(item=second, year=2024, planned=Decimal(40), spent=Decimal(40))
    rows = [(row.funder, row.currency, row.planned, row.spent) for row in funder_budget(plan)]
    assert rows == [(amc, "CAD", Decimal(400), Decimal(50)), (None, "CAD", Decimal(40), Decimal(40))]
    page = member_client.get(f"/plans/{plan.slug}/budget/").content.decode()
    assert "Affaires mondiales Canada (AMC)" in page, page[page.find("<main") :][:3000]
    assert "Fonds propres" in page


def test_a_partner_that_is_not_a_funder_cannot_fund_a_budget_line() -> None:
    plan = make_plan()
    partner = Partner.objects.create(name="FOTSSIEH")
    with pytest.raises(ValidationError) as refusal:
        budget_line_set(
            item=plan.items.first(), year=2024, planned=Decimal(1), spent=Decimal(0), funder=partner
        )
    assert "funder" in refusal.value.message_dict
