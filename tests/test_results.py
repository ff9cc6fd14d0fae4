"""Results, indicators, targets, values and budgets: rules, late indicators, rollups, pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jalon.accounts.models import Role, User
from jalon.plans.models import Item, Plan
from jalon.results import services
from jalon.results.budget import item_budget, plan_budget
from jalon.results.demo import results_create
from jalon.results.models import (
    Frequency,
    Indicator,
    IndicatorStatus,
    IndicatorValue,
    Measure,
    Result,
    ResultKind,
)
from jalon.tracking.services import tracking_for

from .factories import anonymous, person, signed_in

pytestmark = pytest.mark.django_db

D = datetime.date


def action(plan: Plan, code: str) -> Item:
    return plan.items.filter(code__in=[code, f"{code}."]).order_by("path")[0]


def an_indicator(
    plan: Plan, measure: str = Measure.NUMBER, code: str = "1.1.1", **fields: object
) -> Indicator:
    result = services.result_add(item=action(plan, code), kind=ResultKind.OUTCOME, title="Les femmes")
    fields.setdefault("title", "Nombre de travailleuses formées")
    return services.indicator_add(result=result, measure=measure, **fields)  # type: ignore[arg-type]


def record(
    indicator: Indicator, user: User, value: object = None, text: str = "", **fields: object
) -> IndicatorValue:
    fields.setdefault("period_start", D(2024, 1, 1))
    fields.setdefault("period_end", D(2024, 12, 31))
    return services.value_record(indicator=indicator, user=user, value=value, text=text, **fields)  # type: ignore[arg-type]


def error_fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


# Validation -------------------------------------------------------------------------


def test_it_refuses_a_percent_above_100(plan: Plan, coordinator: User) -> None:
    indicator = an_indicator(plan, Measure.PERCENT)
    with pytest.raises(ValidationError) as error:
        record(indicator, coordinator, Decimal(101))
    assert error_fields(error) == {"value"}
    assert record(indicator, coordinator, Decimal(100)).value == 100


@translation.override("en")
def test_it_refuses_a_negative_percent(plan: Plan, coordinator: User) -> None:
    with pytest.raises(ValidationError, match="0 and 100"):
        record(an_indicator(plan, Measure.PERCENT), coordinator, Decimal(-1))


def test_it_accepts_only_0_or_1_for_yes_no(plan: Plan, coordinator: User) -> None:
    indicator = an_indicator(plan, Measure.YES_NO)
    with pytest.raises(ValidationError) as error:
        record(indicator, coordinator, Decimal(2))
    assert error_fields(error) == {"value"}
    assert record(indicator, coordinator, Decimal(1)).value == 1


def test_it_requires_a_number_for_a_number_indicator(plan: Plan, coordinator: User) -> None:
    with pytest.raises(ValidationError) as error:
        record(an_indicator(plan), coordinator, None, text="beaucoup")
    assert error_fields(error) == {"value"}


def test_it_requires_a_text_for_a_qualitative_indicator(plan: Plan, coordinator: User) -> None:
    indicator = an_indicator(plan, Measure.QUALITATIVE)
    with pytest.raises(ValidationError) as error:
        record(indicator, coordinator, Decimal(3), text="  ")
    assert error_fields(error) == {"text"}
    assert record(indicator, coordinator, Decimal(3), text="Très apprécié").value is None


def test_it_accepts_only_web_addresses_as_evidence(plan: Plan, coordinator: User) -> None:
    indicator = an_indicator(plan)
    with pytest.raises(ValidationError) as error:
        record(indicator, coordinator, Decimal(3), evidence="javascript:alert(1)")
    assert error_fields(error) == {"evidence"}
    assert record(indicator, coordinator, Decimal(3), evidence="https://alternatives.ca/rapport").evidence


def test_it_refuses_a_period_that_ends_before_it_starts(plan: Plan, coordinator: User) -> None:
    indicator = an_indicator(plan)
    with pytest.raises(ValidationError) as error:
        record(indicator, coordinator, Decimal(3), period_start=D(2024, 6, 1), period_end=D(2024, 5, 31))
    assert error_fields(error) == {"period_end"}
    with pytest.raises(ValidationError) as error:
        services.target_set(
            indicator=indicator, period_start=D(2025, 1, 1), period_end=D(2024, 1, 1), value=Decimal(1)
        )
    assert error_fields(error) == {"period_end"}


def test_it_checks_targets_and_baselines_against_the_measure(plan: Plan) -> None:
    indicator = an_indicator(plan, Measure.PERCENT)
    with pytest.raises(ValidationError) as error:
        services.target_set(
            indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 12, 31), value=Decimal(120)
        )
    assert error_fields(error) == {"value"}
    with pytest.raises(ValidationError) as error:
        services.indicator_edit(indicator=indicator, changes={"baseline_value": Decimal(150)})
    assert error_fields(error) == {"baseline_value"}


def test_a_target_for_the_same_period_replaces_the_previous_one(plan: Plan) -> None:
    indicator = an_indicator(plan)
    for value in (Decimal(10), Decimal(12)):
        services.target_set(
            indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 12, 31), value=value
        )
    assert [target.value for target in indicator.targets.all()] == [12]


def test_it_maps_kinds_and_measures_to_iati_codes(plan: Plan) -> None:
    indicator = an_indicator(plan, Measure.PERCENT)
    assert indicator.result.iati_code == "2"
    assert indicator.iati_measure == "2"
    assert Indicator(measure=Measure.NUMBER).iati_measure == "1"
    assert Indicator(measure=Measure.YES_NO).iati_measure == "3"
    assert Indicator(measure=Measure.QUALITATIVE).iati_measure == "5"
    assert Result(kind=ResultKind.OUTPUT).iati_code == "1"


def test_history_keeps_every_change_of_an_indicator(plan: Plan) -> None:
    indicator = an_indicator(plan)
    services.indicator_edit(indicator=indicator, changes={"unit": "personnes"})
    assert indicator.history.count() == 2  # type: ignore[attr-defined]


# Late indicators --------------------------------------------------------------------


def scheduled(indicator: Indicator) -> Indicator:
    return Indicator.objects.with_schedule().get(pk=indicator.pk)


def yearly_with_2024_target(plan: Plan) -> Indicator:
    indicator = an_indicator(plan, frequency=Frequency.YEARLY)
    services.target_set(
        indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 12, 31), value=Decimal(5)
    )
    return indicator


def test_an_indicator_without_the_last_due_value_is_late(plan: Plan) -> None:
    indicator = scheduled(yearly_with_2024_target(plan))
    assert indicator.is_late(D(2025, 2, 15))
    assert indicator.status(D(2025, 2, 15)) == IndicatorStatus.LATE


def test_the_value_of_a_period_is_not_late_during_30_days_of_grace(plan: Plan) -> None:
    indicator = scheduled(yearly_with_2024_target(plan))
    assert not indicator.is_late(D(2025, 1, 30))
    assert indicator.is_late(D(2025, 1, 31))


def test_a_value_for_the_last_due_period_clears_the_late_flag(plan: Plan, coordinator: User) -> None:
    indicator = yearly_with_2024_target(plan)
    record(indicator, coordinator, Decimal(4))
    assert not scheduled(indicator).is_late(D(2025, 12, 1))
    # A year later, 2025 is due in turn.
    assert scheduled(indicator).is_late(D(2026, 2, 1))


def test_a_quarterly_indicator_counts_its_periods_from_the_baseline_date(
    plan: Plan, coordinator: User
) -> None:
    indicator = an_indicator(plan, frequency=Frequency.QUARTERLY, baseline_date=D(2024, 1, 1))
    record(indicator, coordinator, Decimal(1), period_start=D(2024, 1, 1), period_end=D(2024, 3, 31))
    assert not scheduled(indicator).is_late(D(2024, 7, 30))  # Q2 ended 30 days ago: still in grace
    assert scheduled(indicator).is_late(D(2024, 7, 31))
    assert scheduled(indicator).status(D(2024, 7, 31)) == IndicatorStatus.NO_TARGET


def test_the_value_form_proposes_the_period_after_the_last_value(plan: Plan, coordinator: User) -> None:
    indicator = yearly_with_2024_target(plan)
    assert scheduled(indicator).next_period() == (D(2024, 1, 1), D(2024, 12, 31))
    record(indicator, coordinator, Decimal(4))
    assert scheduled(indicator).next_period() == (D(2025, 1, 1), D(2025, 12, 31))
    page = signed_in(coordinator).get(reverse("results:value_record", args=[indicator.pk]))
    assert 'value="2025-01-01"' in page.content.decode()
    assert scheduled(an_indicator(plan, code="1.1.2")).next_period() is None


def test_an_indicator_without_target_or_baseline_is_never_late(plan: Plan) -> None:
    assert not scheduled(an_indicator(plan)).is_late(D(2030, 1, 1))


# Budgets ----------------------------------------------------------------------------


def test_budgets_roll_up_by_currency_to_orientations_axes_and_the_plan(plan: Plan) -> None:
    first, second, other = action(plan, "1.1.1"), action(plan, "1.1.2"), action(plan, "1.4.4")
    services.budget_line_set(item=first, year=2024, planned=Decimal(100), spent=Decimal(50))
    services.budget_line_set(item=first, year=2025, planned=Decimal(200), spent=Decimal(0))
    services.budget_line_set(item=second, year=2024, planned=Decimal(300), spent=Decimal(150), currency="usd")
    services.budget_line_set(item=other, year=2024, planned=Decimal(10), spent=Decimal(10))
    by_path, totals = plan_budget(plan)
    orientation = first.parent
    assert orientation is not None and orientation.parent is not None
    axis = orientation.parent
    assert [(a.currency, a.planned, a.spent) for a in by_path[orientation.path]] == [
        ("CAD", 300, 50),
        ("USD", 300, 150),
    ]
    assert [(a.currency, a.planned) for a in by_path[axis.path]] == [("CAD", 310), ("USD", 300)]
    assert [(a.currency, a.planned, a.percent_spent) for a in totals] == [("CAD", 310, 19), ("USD", 300, 50)]
    by_year, item_totals = item_budget(orientation)
    assert [(a.year, a.currency, a.planned) for a in by_year] == [
        (2024, "CAD", 100),
        (2024, "USD", 300),
        (2025, "CAD", 200),
    ]
    assert [(a.currency, a.planned) for a in item_totals] == [("CAD", 300), ("USD", 300)]


def test_a_budget_line_for_the_same_year_and_currency_is_replaced(plan: Plan) -> None:
    item = action(plan, "1.1.1")
    services.budget_line_set(item=item, year=2024, planned=Decimal(100), spent=Decimal(0))
    services.budget_line_set(item=item, year=2024, planned=Decimal(120), spent=Decimal(30))
    assert [(line.planned, line.spent) for line in item.budget_lines.all()] == [(120, 30)]  # type: ignore[attr-defined]


def test_it_refuses_an_unknown_currency_and_a_negative_amount(plan: Plan) -> None:
    item = action(plan, "1.1.1")
    with pytest.raises(ValidationError) as error:
        services.budget_line_set(item=item, year=2024, planned=Decimal(1), spent=Decimal(0), currency="XYZ")
    assert error_fields(error) == {"currency"}
    with pytest.raises(ValidationError) as error:
        services.budget_line_set(item=item, year=2024, planned=Decimal(-1), spent=Decimal(0))
    assert error_fields(error) == {"planned"}


# Pages ------------------------------------------------------------------------------


def make_lead(plan: Plan, code: str) -> User:
    lead = person("lead", Role.LEAD)
    tracking_for(action(plan, code)).leads.add(lead)
    return lead


def with_values(plan: Plan, user: User) -> Indicator:
    indicator = an_indicator(plan, Measure.PERCENT, title="Part des membres satisfaites")
    services.target_set(
        indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 12, 31), value=Decimal(70)
    )
    record(indicator, user, Decimal(74))
    return indicator


def test_a_member_reads_results_but_sees_no_edit_links(
    plan: Plan, coordinator: User, member_client: Client
) -> None:
    indicator = with_values(plan, coordinator)
    page = member_client.get(action(plan, "1.1.1").get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Part des membres satisfaites" in html
    assert 'role="img"' in html
    assert "74 %" in html
    assert reverse("results:value_record", args=[indicator.pk]) not in html


def test_members_and_leads_of_other_actions_are_refused_every_form(
    plan: Plan, coordinator: User, member: User
) -> None:
    indicator = with_values(plan, coordinator)
    make_lead(plan, "1.1.2")
    item = action(plan, "1.1.1")
    urls = [
        reverse("results:result_add", args=[item.pk]),
        reverse("results:indicator_add", args=[indicator.result_id]),
        reverse("results:indicator_edit", args=[indicator.pk]),
        reverse("results:target_set", args=[indicator.pk]),
        reverse("results:value_record", args=[indicator.pk]),
        reverse("results:budget_line_set", args=[item.pk]),
    ]
    for user in (member, User.objects.get(username="lead")):
        client = signed_in(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code == 403, url
    assert reverse("accounts:login") in anonymous().get(urls[0])["Location"]
    assert IndicatorValue.objects.count() == 1


def test_a_lead_records_a_value_on_their_action(plan: Plan, coordinator: User) -> None:
    indicator = with_values(plan, coordinator)
    lead = make_lead(plan, "1.1.1")
    client = signed_in(lead)
    url = reverse("results:value_record", args=[indicator.pk])
    assert client.get(url).status_code == 200
    data = {
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "value": "82",
        "sex": "female",
        "age_group": "18-35",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("#resultats")
    saved = indicator.values.get(period_end=D(2025, 12, 31))
    assert (saved.value, saved.sex, saved.age_group, saved.recorded_by) == (82, "female", "18-35", lead)


def test_the_value_form_shows_each_error_beside_its_field(plan: Plan, coordinator: User) -> None:
    indicator = with_values(plan, coordinator)
    url = reverse("results:value_record", args=[indicator.pk])
    response = signed_in(coordinator).post(
        url, {"period_start": "2025-02-01", "period_end": "2025-01-01", "value": "140"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_value_error"' in html
    assert 'id="id_period_end_error"' in html
    assert indicator.values.count() == 1


def test_a_coordinator_adds_a_result_an_indicator_and_a_target_through_the_forms(
    plan: Plan, coordinator: User
) -> None:
    client = signed_in(coordinator)
    item = action(plan, "1.1.2")
    assert (
        client.post(
            reverse("results:result_add", args=[item.pk]), {"kind": "output", "title": "Centre pérennisé"}
        ).status_code
        == 302
    )
    result = Result.objects.get(item=item)
    indicator_data = {
        "title": "Financement assuré",
        "measure": "yes_no",
        "frequency": "yearly",
        "ascending": "on",
    }
    assert client.post(reverse("results:indicator_add", args=[result.pk]), indicator_data).status_code == 302
    indicator = result.indicators.get()  # type: ignore[attr-defined]
    target = {"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "1"}
    assert client.post(reverse("results:target_set", args=[indicator.pk]), target).status_code == 302
    bad = client.post(reverse("results:target_set", args=[indicator.pk]), {**target, "value": "3"})
    assert bad.status_code == 400
    edit = {**indicator_data, "unit": "", "title": "Financement du CAIME assuré"}
    assert client.post(reverse("results:indicator_edit", args=[indicator.pk]), edit).status_code == 302
    indicator.refresh_from_db()
    assert indicator.title == "Financement du CAIME assuré"
    budget = {"year": "2025", "planned": "1000", "spent": "250", "currency": "eur"}
    assert client.post(reverse("results:budget_line_set", args=[item.pk]), budget).status_code == 302
    assert item.budget_lines.get().currency == "EUR"  # type: ignore[attr-defined]
    bad_budget = client.post(
        reverse("results:budget_line_set", args=[item.pk]), {**budget, "currency": "ZZZ"}
    )
    assert bad_budget.status_code == 400
    assert 'id="id_currency_error"' in bad_budget.content.decode()


def test_text_from_users_is_escaped_on_the_item_page_and_in_the_chart(plan: Plan, coordinator: User) -> None:
    indicator = an_indicator(plan, title="<script>alert(1)</script>")
    record(indicator, coordinator, Decimal(3))
    html = signed_in(coordinator).get(action(plan, "1.1.1").get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def add_many(plan: Plan, user: User, count: int) -> None:
    for number in range(count):
        indicator = an_indicator(plan, title=f"Indicateur {number}")
        services.target_set(
            indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 12, 31), value=Decimal(5)
        )
        record(indicator, user, Decimal(number))


def test_the_item_page_reads_a_constant_number_of_queries(
    plan: Plan, coordinator: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(coordinator)
    url = action(plan, "1.1.1").get_absolute_url()
    add_many(plan, coordinator, 1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add_many(plan, coordinator, 6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_plan_indicators_page_lists_statuses_in_constant_queries(
    plan: Plan, coordinator: User, django_assert_max_num_queries, member_client: Client
) -> None:  # type: ignore[no-untyped-def]
    add_many(plan, coordinator, 2)
    an_indicator(plan, title="Sans cible")
    url = reverse("results:plan_indicators", args=[plan.slug])
    with django_assert_max_num_queries(12):
        page = member_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Sans cible" in html
    assert html.count("indicator-status--no_target") == 1
    assert html.count("indicator-status--on_track") + html.count("indicator-status--late") == 2
    add_many(plan, coordinator, 8)
    with django_assert_max_num_queries(12):
        assert member_client.get(url).status_code == 200


def test_the_plan_budget_page_shows_each_currency_apart(
    plan: Plan, coordinator: User, member_client: Client
) -> None:
    services.budget_line_set(item=action(plan, "1.1.1"), year=2024, planned=Decimal(1000), spent=Decimal(500))
    services.budget_line_set(
        item=action(plan, "1.1.2"), year=2024, planned=Decimal(2000), spent=Decimal(0), currency="USD"
    )
    page = member_client.get(reverse("results:plan_budget", args=[plan.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "USD" in html and "CAD" in html
    assert "3000" not in html.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    assert (
        reverse("accounts:login")
        in anonymous().get(reverse("results:plan_budget", args=[plan.slug]))["Location"]
    )


def test_the_demo_adds_results_and_budgets_once(plan: Plan, coordinator: User) -> None:
    assert results_create(plan) >= 1
    assert results_create(plan) == 0
    assert IndicatorValue.objects.filter(indicator__result__item__code__startswith="1.1.1").exists()
    assert action(plan, "1.1.1").budget_lines.filter(currency="CAD").count() == 2  # type: ignore[attr-defined]


def test_an_english_reader_gets_english_titles_numbers_and_dates(
    plan: Plan, coordinator: User, settings
) -> None:  # type: ignore[no-untyped-def]
    indicator = an_indicator(plan, title="Travailleuses formées", title_en="Women trained", unit="people")
    record(indicator, coordinator, Decimal("1620.5"))
    client = signed_in(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(action(plan, "1.1.1").get_absolute_url()).content.decode()
    assert "Results and indicators" in html
    assert ">Women trained<" in html
    assert "1,620.50 people" in html
    assert "12/31/2024" in html
