"""The Markdown export, read back by the outline importer into the same plan, item for item."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalon.plans.exporters import markdown
from jalon.plans.importers import ParsedItem, ParsedPlan, Source, parse_source
from jalon.plans.models import Plan
from jalon.plans.services import plan_import

from .paths import EXAMPLES, SEED

pytestmark = pytest.mark.django_db

DINUM = [
    EXAMPLES / "dinum-plan-action-logiciels-libres.fr.md",
    EXAMPLES / "dinum-plan-action-logiciels-libres.en.md",
]


def imported(source: Source, format: str | None = None) -> Plan:
    parsed = parse_source(source, format)
    return plan_import(parsed=parsed, source_name=source.name, checksum=source.checksum)


def stored(parsed: ParsedPlan) -> Plan:
    return plan_import(parsed=parsed, source_name="generated", checksum="")


def exported_and_read_back(plan: Plan, format: str | None = None) -> Plan:
    return imported(Source(name="x.md", data=markdown.export(plan)), format)


def items(plan: Plan) -> list[tuple[str, str, str, str, str, int]]:
    return [
        (item.code, item.label, item.title, item.title_en, item.body, item.depth)
        for item in plan.items.in_document_order()
    ]


def plan_fields(plan: Plan) -> tuple:
    return (plan.title, plan.period_start, plan.period_end, plan.language, plan.levels, plan.preamble)


def assert_same_plan(again: Plan, plan: Plan) -> None:
    assert items(again) == items(plan)
    assert plan_fields(again) == plan_fields(plan)


@pytest.mark.parametrize("path", DINUM, ids=["fr", "en"])
def test_the_dinum_plan_reads_back_the_same(path) -> None:
    plan = imported(Source.from_path(path))
    assert_same_plan(exported_and_read_back(plan), plan)


def test_the_seed_plan_reads_back_the_same() -> None:
    plan = imported(Source.from_path(SEED))
    assert plan.items.count() > 50
    again = exported_and_read_back(plan)
    assert again.source_format == "outline"
    assert_same_plan(again, plan)


def test_it_writes_headings_for_upper_levels_and_a_list_for_the_last() -> None:
    plan = imported(Source.from_path(SEED))
    text = markdown.export(plan).decode()
    assert text.startswith('---\ntitle: "PLAN D\'ACTION 2024-2025"\nperiod: 2024-2025\nlanguage: fr\n')
    assert "\n# Axe stratégique 1 : Consolider notre action solidaire" in text
    assert "\n## 1.1 Continuer de soutenir nos partenaires" in text
    assert "\n- 1.1.1. En collaboration avec la FOTSSIEH" in text


def test_it_writes_english_titles_and_a_period_that_is_not_whole_years() -> None:
    parsed = ParsedPlan(
        title="Plan 2024",
        format="json",
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        items=[ParsedItem(code="1", title="Axe", title_en="Axis", children=[ParsedItem("1.1", "Action")])],
    )
    plan = stored(parsed)
    assert_same_plan(exported_and_read_back(plan), plan)


# A deep tree full of traps

TRICKY_TITLES = [
    "1. ressemble à un code",
    "# ressemble à un titre",
    "- ressemble à une puce",
    "Axe 3 : ressemble à un libellé",
    "finit par des dièses ##",
    'contient {code="x"} au milieu',
    'finit par {code="x"}',
    "deux\nlignes",
    "*emphase*, `code`, [lien](https://exemple.org) et <br> écrit",
    "barre \\ oblique \\# et \\",
    "\\1. échappé",
    "---",
    "===",
    "```",
    "1.1",
    "",
    "12 Majuscule après un nombre",
    "Tab\tinterne et  espaces  doubles",
]
TRICKY_CODES = [
    "1",
    "1.",
    "1.1",
    "1.1.",
    "A",
    "A.",
    "A.1",
    "IV.",
    "(a)",
    "a)",
    "A-3",
    "x y",
    "1.4.4",
    "1.4.4",
    "",
]
TRICKY_BODIES = [
    "",
    "Premier paragraphe.\n\nSecond paragraphe\navec - un tiret",
    "- ligne en puce\n1. ligne numérotée\n# ligne titre\n---\n===\n```\ncode\n```\n"
    "\\barre\n    quatre espaces\n\ttabulation",
    "Deux lignes vides\n\n\npuis la suite",
    "Axe 1 : libellé dans le texte\n2 Nombre puis majuscule",
]


def tricky_tree(depth: int, counter: list[int], max_depth: int) -> list[ParsedItem]:
    """Return a few items per level, cycling through the traps, down to max_depth."""
    nodes = []
    for _sibling in range(3 if depth < 2 else 2):
        number = counter[0] = counter[0] + 1
        item = ParsedItem(
            code=TRICKY_CODES[number % len(TRICKY_CODES)],
            title=TRICKY_TITLES[number % len(TRICKY_TITLES)],
            label=["", "Axe", "Orientation stratégique", ""][number % 4],
            body=TRICKY_BODIES[number % len(TRICKY_BODIES)],
            title_en="English" if number % 7 == 0 else "",
        )
        if depth + 1 < max_depth and number % 5 != 4:
            item.children = tricky_tree(depth + 1, counter, max_depth)
        nodes.append(item)
    return nodes


@pytest.mark.parametrize("max_depth", [1, 5, 8])
def test_a_deep_tree_of_tricky_items_reads_back_the_same(max_depth: int) -> None:
    parsed = ParsedPlan(
        title="Plan « piégé » 2024-2027 # ---",
        format="json",
        language="fr",
        levels=["Axe", "Orientation", "Objectif", "Action", "Tâche"],
        preamble="Intro.\n\n# pas un titre\n1. pas un item\n\\\n---",
        items=tricky_tree(0, [0], max_depth),
    )
    plan = stored(parsed)
    assert max(depth for *_fields, depth in items(plan)) == max_depth - 1
    assert_same_plan(exported_and_read_back(plan), plan)


def test_a_plan_without_period_does_not_gain_one_from_its_title() -> None:
    plan = stored(ParsedPlan(title="Plan 2024-2025", format="json", items=[ParsedItem("1", "Un")]))
    again = exported_and_read_back(plan)
    assert (again.period_start, again.period_end) == (None, None)


# Any tree

LINE = st.text(st.sampled_from(list('ab Z19#.-*+•:(){}"\\`=<>_é\t')), max_size=12)


def _title(text: str) -> str:
    return text.strip()


def _body(lines: list[str]) -> str:
    return "\n".join(line.rstrip() if line.strip() else "" for line in lines).strip("\n")


ITEM_FIELDS = st.fixed_dictionaries(
    {
        "code": st.sampled_from(TRICKY_CODES[:-2] + [""]) | LINE.map(str.strip),
        "label": st.sampled_from(["", "Axe", "Objectif spécifique"]),
        "title": st.lists(LINE, max_size=2).map("\n".join).map(_title),
        "body": st.lists(LINE, max_size=4).map(_body),
    }
)
TREES = st.recursive(
    st.builds(lambda fields: [ParsedItem(**fields)], ITEM_FIELDS),
    lambda children: st.lists(
        st.tuples(ITEM_FIELDS, children).map(lambda pair: ParsedItem(**pair[0], children=pair[1])),
        min_size=1,
        max_size=3,
    ),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TREES, st.lists(LINE, max_size=3).map(_body))
def test_any_tree_reads_back_the_same(roots: list[ParsedItem], preamble: str) -> None:
    plan = stored(ParsedPlan(title="Plan", format="json", items=roots, preamble=preamble))
    assert_same_plan(exported_and_read_back(plan), plan)


def test_an_export_whose_bodies_hold_tabs_is_still_read_as_an_outline() -> None:
    body = "Année\t2024\nBudget\t5000 $"  # a small table pasted from a spreadsheet
    plan = stored(ParsedPlan(title="Plan", format="json", items=[ParsedItem("1", "Un", body=body)]))
    assert exported_and_read_back(plan).source_format == "outline"
