"""Plausible results, indicators and budgets for a few actions of the demo plan: written in
French with English titles, the same on every run, created through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from jalon.accounts.models import Role, User
from jalon.directory.models import Partner
from jalon.plans.models import Item, Plan

from . import services
from .models import Frequency, Indicator, Measure, Result, ResultKind

D = datetime.date
YEAR_2024 = (D(2024, 1, 1), D(2024, 12, 31))
YEAR_2025 = (D(2025, 1, 1), D(2025, 12, 31))

# (action code, result, [(indicator, targets, values)]); a value is (start, end, number,
# text, extra fields such as a disaggregation).
RESULTS: list[tuple[str, dict[str, Any], list[tuple[dict[str, Any], list[Any], list[Any]]]]] = [
    (
        "1.1.1",
        {
            "kind": ResultKind.OUTCOME,
            "title": "Les travailleuses du secteur informel au Honduras connaissent et défendent "
            "mieux leurs droits",
            "title_en": "Informal sector women workers in Honduras know and defend their rights better",
        },
        [
            (
                {
                    "title": "Nombre de travailleuses formées sur leurs droits (cumulatif)",
                    "title_en": "Number of women workers trained on their rights (cumulative)",
                    "measure": Measure.NUMBER,
                    "unit": "travailleuses",
                    "baseline_value": Decimal(0),
                    "baseline_date": D(2024, 1, 1),
                    "data_source": "Listes de présence des ateliers de la FOTSSIEH",
                    "collection_method": "Compilation semestrielle des listes de présence",
                    "frequency": Frequency.HALF_YEARLY,
                },
                [(*YEAR_2024, Decimal(150)), (*YEAR_2025, Decimal(300))],
                [
                    (D(2024, 1, 1), D(2024, 6, 30), Decimal(70), "", {}),
                    (D(2024, 7, 1), D(2024, 12, 31), Decimal(162), "", {}),
                    (D(2024, 7, 1), D(2024, 12, 31), Decimal(97), "", {"age_group": "18-35"}),
                    (D(2024, 7, 1), D(2024, 12, 31), Decimal(65), "", {"age_group": "36 et plus"}),
                    (D(2025, 1, 1), D(2025, 6, 30), Decimal(231), "", {}),
                    (D(2025, 7, 1), D(2025, 12, 31), Decimal(305), "", {}),
                ],
            ),
            (
                {
                    "title": "Ateliers de formation tenus avec les syndicats partenaires",
                    "title_en": "Training workshops held with partner unions",
                    "measure": Measure.NUMBER,
                    "unit": "ateliers",
                    "data_source": "Rapports d'activité de la FOTSSIEH",
                    "frequency": Frequency.YEARLY,
                },
                [(*YEAR_2024, Decimal(6)), (*YEAR_2025, Decimal(8))],
                [(*YEAR_2024, Decimal(7), "", {}), (*YEAR_2025, Decimal(8), "", {})],
            ),
        ],
    ),
    (
        "2.1.1",
        {
            "kind": ResultKind.OUTCOME,
            "title": "Les membres se reconnaissent dans les priorités du plan stratégique 2024-2027",
            "title_en": "Members recognise themselves in the priorities of the 2024-2027 strategic plan",
        },
        [
            (
                {
                    "title": "Part des membres satisfaits de la démarche de consultation",
                    "title_en": "Share of members satisfied with the consultation process",
                    "measure": Measure.PERCENT,
                    "baseline_value": Decimal(62),
                    "baseline_date": D(2024, 1, 1),
                    "baseline_comment": "Sondage auprès des membres de 2023",
                    "data_source": "Sondage de satisfaction des membres",
                    "collection_method": "Questionnaire en ligne après chaque séance",
                    "frequency": Frequency.YEARLY,
                },
                [(*YEAR_2024, Decimal(70)), (*YEAR_2025, Decimal(80))],
                [(*YEAR_2024, Decimal(74), "", {}), (*YEAR_2025, Decimal("81.5"), "", {})],
            ),
            (
                {
                    "title": "Appréciation des membres sur les séances de remue-méninges",
                    "title_en": "Members' appreciation of the brainstorming sessions",
                    "measure": Measure.QUALITATIVE,
                    "data_source": "Bilans des séances",
                    "frequency": Frequency.YEARLY,
                },
                [],
                [
                    (
                        *YEAR_2024,
                        None,
                        "Les membres apprécient le format en petits groupes ; plusieurs demandent "
                        "plus de temps pour les enjeux internationaux.",
                        {},
                    )
                ],
            ),
        ],
    ),
    (
        "2.1.2",
        {
            "kind": ResultKind.OUTPUT,
            "title": "Le plan stratégique 2024-2027 est adopté",
            "title_en": "The 2024-2027 strategic plan is adopted",
        },
        [
            (
                {
                    "title": "Plan stratégique adopté par l'assemblée générale",
                    "title_en": "Strategic plan adopted by the general assembly",
                    "measure": Measure.YES_NO,
                    "data_source": "Procès-verbal de l'assemblée générale",
                    "frequency": Frequency.YEARLY,
                },
                [(*YEAR_2024, Decimal(1))],
                [(*YEAR_2024, Decimal(1), "", {"comment": "Adopté à l'assemblée générale de juin 2024."})],
            ),
        ],
    ),
]

# (action code, year, planned, spent, currency, funder's acronym or "" for own funds)
BUDGET = [
    ("1.1.1", 2024, "45000", "43120.50", "CAD", "AMC"),
    ("1.1.1", 2025, "48000", "31500", "CAD", "AMC"),
    ("1.1.1", 2025, "10000", "8000", "USD", ""),
    ("1.1.2", 2024, "30000", "29000", "CAD", "AMC"),
    ("1.1.2", 2025, "30000", "12000", "CAD", ""),
    ("2.1.1", 2024, "5000", "4800", "CAD", ""),
    ("3.1.1", 2024, "120000", "118000", "CAD", ""),
    ("3.1.1", 2025, "125000", "90000", "CAD", ""),
]


def _action(plan: Plan, code: str) -> Item | None:
    # The seed writes some codes with a final dot ("1.1.1."): accept both.
    return plan.items.filter(code__in=[code, f"{code}."]).order_by("path").first()


@transaction.atomic
def results_create(plan: Plan) -> int:
    """Add the demo results and budgets to the plan unless it has some; return how many results."""
    if Result.objects.filter(item__plan=plan).exists():
        return 0
    recorder = User.objects.filter(role__in=[Role.COORDINATOR, Role.ADMIN]).order_by("username").first()
    created = 0
    for code, result_fields, indicators in RESULTS:
        item = _action(plan, code)
        if item is None:
            continue
        result = services.result_add(item=item, **result_fields)
        created += 1
        for fields, targets, values in indicators:
            indicator = services.indicator_add(result=result, **fields)
            _targets_and_values(indicator, targets, values if recorder else [], recorder)
    for code, year, planned, spent, currency, acronym in BUDGET:
        item = _action(plan, code)
        # The funder exists when the demo directory was loaded first, as `jalon demo` does.
        funder = Partner.objects.funders().filter(acronym=acronym).first() if acronym else None
        if item is not None:
            services.budget_line_set(
                item=item,
                year=year,
                planned=Decimal(planned),
                spent=Decimal(spent),
                currency=currency,
                funder=funder,
            )
    return created


def _targets_and_values(
    indicator: Indicator, targets: list[Any], values: list[Any], user: User | None
) -> None:
    for start, end, value in targets:
        services.target_set(indicator=indicator, period_start=start, period_end=end, value=value)
    for start, end, number, text, extra in values:
        services.value_record(
            indicator=indicator,
            user=user,  # type: ignore[arg-type]
            period_start=start,
            period_end=end,
            value=number,
            text=text,
            **extra,
        )
