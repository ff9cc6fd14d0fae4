"""Markdown and plain-text outlines, read as written: codes, nesting, wrapped lines, bodies."""

import datetime
import re
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalon.plans.importers import ImportFailure, ParsedPlan, Source, outline, parse_source

from .paths import EXAMPLES

DINUM_FR = EXAMPLES / "dinum-plan-action-logiciels-libres.fr.md"
DINUM_EN = EXAMPLES / "dinum-plan-action-logiciels-libres.en.md"


def read(text: str, name: str = "plan.md") -> ParsedPlan:
    return parse_source(Source(name=name, data=dedent(text).lstrip("\n").encode()), "outline")


def tree(plan: ParsedPlan) -> list[tuple[int, str, str]]:
    """Return (depth, code, title) for every item in document order."""
    return [(depth, item.code, item.title) for depth, item in plan.walk()]


def shape(plan: ParsedPlan) -> list[list[int]]:
    """Return, for each top item, the number of children of each of its children."""
    return [[len(child.children) for child in item.children] for item in plan.items]


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def plan_words(plan: ParsedPlan) -> set[str]:
    found = words(plan.title) | words(plan.preamble) | words(" ".join(plan.levels))
    for _depth, item in plan.walk():
        found |= words(" ".join((item.code, item.label, item.title, item.body)))
    for anomaly in plan.anomalies:
        found |= words(anomaly.text)
    return found


# The two DINUM examples: the same plan in French and in English.


@pytest.mark.parametrize("path", [DINUM_FR, DINUM_EN])
def test_it_reads_the_dinum_plan_with_its_three_axes(path) -> None:
    plan = parse_source(Source.from_path(path))
    assert plan.format == "outline"
    assert [item.code for item in plan.items] == ["", "", ""]
    assert [[child.code for child in item.children] for item in plan.items] == [
        ["1.", "2.", "3.", "4."],
        ["1.", "2.", "3."],
        ["1.", "2.", "3."],
    ]


def test_both_dinum_versions_have_the_same_shape() -> None:
    french = parse_source(Source.from_path(DINUM_FR))
    english = parse_source(Source.from_path(DINUM_EN))
    assert shape(french) == shape(english) == [[0, 4, 0, 0], [0, 3, 0], [0, 0, 0]]
    assert [depth for depth, _item in french.walk()] == [depth for depth, _item in english.walk()]


def test_it_takes_the_dinum_title_from_the_front_matter_and_keeps_the_rest() -> None:
    plan = parse_source(Source.from_path(DINUM_FR))
    assert plan.title == "Plan d’action logiciels libres et communs numériques"
    assert plan.preamble.startswith("date: 2021-11-10\n\n*Autres versions")
    assert "[communs.numerique.gouv.fr](https://communs.numerique.gouv.fr" in plan.preamble
    assert plan.language == "fr"
    assert parse_source(Source.from_path(DINUM_EN)).language == "en"


def test_it_joins_hard_wrapped_lines_and_keeps_links_with_their_url() -> None:
    plan = parse_source(Source.from_path(DINUM_FR))
    first = plan.items[0].children[0]
    assert first.title == (
        "Référencer des solutions libres et open source (dans [le catalogue "
        "GouvTech](https://catalogue.numerique.gouv.fr))."
    )
    assert (first.line_start, first.line_end) == (40, 41)


def test_it_puts_sub_bullets_after_whitespace_only_lines_under_their_action() -> None:
    plan = parse_source(Source.from_path(DINUM_EN))
    action = plan.items[1].children[1]
    assert action.title == "Develop the code.gouv.fr platform:"
    assert [child.title[:20] for child in action.children] == [
        "Reference the codes ",
        "Promote source codes",
        "Highlight the admini",
    ]


def test_it_reads_every_word_of_the_dinum_plan() -> None:
    for path in (DINUM_FR, DINUM_EN):
        text = path.read_text(encoding="utf-8")
        plan = parse_source(Source.from_path(path))
        # Front-matter keys are syntax; their values are kept.
        assert words(text) - plan_words(plan) <= {"title"}


# Numbering styles


def test_it_keeps_codes_exactly_as_written() -> None:
    plan = read(
        """
        1. Un
        2) Deux
        3.1 Trois point un
        3.1.1. Trois point un point un
        (a) Lettre entre parenthèses
        """
    )
    assert [item.code for _depth, item in plan.walk()] == ["1.", "2)", "3.1", "3.1.1.", "(a)"]


def test_it_nests_dotted_codes_by_their_number_of_parts() -> None:
    plan = read(
        """
        1.1 Renforcer
        1.1.1 Recruter
        1.1.2 Former
        1.2 Clarifier
        2.1 Diversifier
        """
    )
    assert [(depth, item.code) for depth, item in plan.walk()] == [
        (0, "1.1"),
        (1, "1.1.1"),
        (1, "1.1.2"),
        (0, "1.2"),
        (0, "2.1"),
    ]


def test_it_nests_letters_then_numbers_then_bullets_in_plain_text() -> None:
    plan = read(
        """
        A. Axe un
        1. Action
        2. Action
        - détail
        B. Axe deux
        1. Action
        """,
        name="plan.txt",
    )
    assert [(depth, item.code, item.title) for depth, item in plan.walk()] == [
        (0, "A.", "Axe un"),
        (1, "1.", "Action"),
        (1, "2.", "Action"),
        (2, "", "détail"),
        (0, "B.", "Axe deux"),
        (1, "1.", "Action"),
    ]


def test_it_reads_roman_numerals_and_tells_them_from_letters() -> None:
    plan = read(
        """
        I. Premier
        A. sous
        B. sous
        C. sous
        II. Deuxième
        IV. Quatrième
        V. Cinquième
        """
    )
    assert [(depth, item.code) for depth, item in plan.walk()] == [
        (0, "I."),
        (1, "A."),
        (1, "B."),
        (1, "C."),
        (0, "II."),
        (0, "IV."),
        (0, "V."),
    ]


def test_it_reads_letter_codes_with_numbers() -> None:
    plan = read(
        """
        A. Gouvernance
        A.1 Conseil
        A.2 Comités
        B. Finances
        B.1 Dons
        """
    )
    assert [(depth, item.code) for depth, item in plan.walk()] == [
        (0, "A."),
        (1, "A.1"),
        (1, "A.2"),
        (0, "B."),
        (1, "B.1"),
    ]


def test_numbering_that_restarts_under_each_heading_is_not_a_duplicate() -> None:
    plan = read(
        """
        # Axe A

        1. Un
        2. Deux

        # Axe B

        1. Un
        2. Deux
        """
    )
    assert shape(plan) == [[0, 0], [0, 0]]
    assert not [anomaly for anomaly in plan.anomalies if anomaly.kind == "duplicate_code"]


def test_it_reports_a_repeated_code_and_keeps_both_items() -> None:
    plan = read(
        """
        1.4.4 Mettre au point
        1.4.5 Organiser
        1.4.4 Relayer
        """
    )
    assert [item.title for _depth, item in plan.walk()] == ["Mettre au point", "Organiser", "Relayer"]
    assert [anomaly.kind for anomaly in plan.anomalies].count("duplicate_code") == 1


# Level names written on items


def test_it_takes_level_names_written_on_items() -> None:
    plan = read(
        """
        Plan stratégique 2024-2027

        Axe 1 : Gouvernance
        Objectif 1.1 - Renforcer le conseil
        Objectif 1.2 - Clarifier les rôles
        Axe 2 : Finances
        Objectif 2.1 - Diversifier
        """,
        name="plan.txt",
    )
    assert plan.title == "Plan stratégique 2024-2027"
    assert plan.levels == ["Axe", "Objectif"]
    assert [(depth, item.label, item.code, item.title) for depth, item in plan.walk()] == [
        (0, "Axe", "1", "Gouvernance"),
        (1, "Objectif", "1.1", "Renforcer le conseil"),
        (1, "Objectif", "1.2", "Clarifier les rôles"),
        (0, "Axe", "2", "Finances"),
        (1, "Objectif", "2.1", "Diversifier"),
    ]


def test_a_level_renamed_on_the_way_stays_at_its_level() -> None:
    plan = read(
        """
        Axe stratégique 1 : Consolider
        1.1 Continuer
        Orientation stratégique 2 : Renforcer
        2.1 Élaborer
        Objectif 3 : Pérenniser
        3.1 Continuer
        """,
        name="plan.txt",
    )
    assert [(depth, item.code) for depth, item in plan.walk()] == [
        (0, "1"),
        (1, "1.1"),
        (0, "2"),
        (1, "2.1"),
        (0, "3"),
        (1, "3.1"),
    ]
    assert {anomaly.kind for anomaly in plan.anomalies} == {"level_label"}


# Headings, bullets, indentation


def test_a_single_top_heading_is_the_plan_title() -> None:
    plan = read(
        """
        # Plan d'action 2024-2025

        Adopté par le conseil.

        ## Axe un
        - Action
        ## Axe deux
        - Action
        """
    )
    assert plan.title == "Plan d'action 2024-2025"
    assert plan.period_start == datetime.date(2024, 1, 1)
    assert plan.period_end == datetime.date(2025, 12, 31)
    assert plan.preamble == "Adopté par le conseil."
    assert [(depth, item.title) for depth, item in plan.walk()] == [
        (0, "Axe un"),
        (1, "Action"),
        (0, "Axe deux"),
        (1, "Action"),
    ]


def test_several_top_headings_are_items_and_the_file_name_is_the_title() -> None:
    plan = read("# Un\n- a\n# Deux\n- b\n", name="mon-plan.md")
    assert plan.title == "mon-plan"
    assert [item.title for item in plan.items] == ["Un", "Deux"]


def test_it_reads_underlined_headings() -> None:
    plan = read(
        """
        Plan d'action
        =============

        Axe un
        ------

        - Action
        """
    )
    assert plan.title == "Plan d'action"
    assert tree(plan) == [(0, "", "Axe un"), (1, "", "Action")]


def test_it_nests_bullets_by_indentation_with_any_bullet_sign() -> None:
    plan = read(
        """
        - un
          * un.a
            + un.a.i
          * un.b
        • deux
        \t– deux.a
        """
    )
    assert [(depth, item.title) for depth, item in plan.walk()] == [
        (0, "un"),
        (1, "un.a"),
        (2, "un.a.i"),
        (1, "un.b"),
        (0, "deux"),
        (1, "deux.a"),
    ]


def test_it_puts_an_indented_paragraph_after_a_blank_line_in_the_item_body() -> None:
    plan = read(
        """
        1. Soutenir nos partenaires
           au Honduras.

           Avec la FOTSSIEH.

           Et les syndicats.
        2. Renforcer
        """
    )
    first = plan.items[0]
    assert first.title == "Soutenir nos partenaires au Honduras."
    assert first.body == "Avec la FOTSSIEH.\n\nEt les syndicats."
    assert (first.line_start, first.line_end) == (1, 6)


def test_a_paragraph_under_a_heading_is_its_body() -> None:
    plan = read("# Axe\n\nCet axe porte sur la vie associative.\n\n- Action\n# Autre\n- b\n")
    assert plan.items[0].body == "Cet axe porte sur la vie associative."


def test_a_paragraph_that_fits_nowhere_is_attached_to_the_item_above_and_reported() -> None:
    plan = read("1. Un\n2. Deux\n\nUne note.\n")
    assert plan.items[1].body == "Une note."
    attached = [anomaly for anomaly in plan.anomalies if anomaly.kind == "attached_text"]
    assert [(anomaly.line, anomaly.text, anomaly.code) for anomaly in attached] == [(4, "Une note.", "2.")]


def test_a_wrapped_line_starting_with_a_number_continues_the_title() -> None:
    plan = read("1. Publié le 27 avril\n   27. Voilà la suite\n2. Deux\n")
    assert plan.items[0].title == "Publié le 27 avril 27. Voilà la suite"


def test_it_keeps_fenced_blocks_as_text() -> None:
    plan = read("- Action\n\n  ```\n  # pas un titre\n\n  1. pas un item\n  ```\n- Autre\n")
    assert plan.items[0].body == "```\n# pas un titre\n\n1. pas un item\n```"
    assert len(plan.items) == 2


def test_a_backslash_makes_a_line_text() -> None:
    plan = read("# Axe\n\n\\1. pas un item\n\\- pas une puce\n\n- Action\n# B\n- c\n")
    assert plan.items[0].body == "1. pas un item\n- pas une puce"


def test_an_attribute_block_gives_the_code_and_label_exactly() -> None:
    plan = read('## 1. Titre <br> suite {code="A-3 " label="Axe"}\n- x\n## y\n- z\n')
    first = plan.items[0]
    assert (first.code, first.label, first.title) == ("A-3 ", "Axe", "1. Titre \n suite")


def test_front_matter_gives_period_language_and_levels() -> None:
    plan = read(
        """
        ---
        title: "Plan \\u00e0 jour"
        period: 2024-2027
        language: en
        levels: ["Axe", "Action"]
        author: Marie
        ---
        # Axe 1 : Un
        - Action
        """
    )
    assert plan.title == "Plan à jour"
    assert (plan.period_start, plan.period_end) == (datetime.date(2024, 1, 1), datetime.date(2027, 12, 31))
    assert plan.language == "en"
    assert plan.levels == ["Axe", "Action"]
    assert plan.preamble == "author: Marie"


def test_it_reads_plain_text_without_any_markdown() -> None:
    plan = read(
        """
        PLAN D'ACTION 2024-2025
        Alternatives, Montréal

        1 Consolider notre action solidaire
        1.1 Continuer de soutenir nos partenaires
        en Amérique centrale et en Haïti
        1.1.1. Renforcer l'autonomisation des travailleuses
        1.1.2 Pérenniser le CAIME
        2 Renforcer la vie associative
        """,
        name="plan.txt",
    )
    assert plan.title == "PLAN D'ACTION 2024-2025"
    assert plan.preamble == "Alternatives, Montréal"
    assert tree(plan) == [
        (0, "1", "Consolider notre action solidaire"),
        (1, "1.1", "Continuer de soutenir nos partenaires en Amérique centrale et en Haïti"),
        (2, "1.1.1.", "Renforcer l'autonomisation des travailleuses"),
        (2, "1.1.2", "Pérenniser le CAIME"),
        (0, "2", "Renforcer la vie associative"),
    ]


def test_a_number_starting_a_sentence_is_not_a_code() -> None:
    plan = read("1. Mobiliser\n   12 organisations ont signé\n\n   3 reprises au moins.\n")
    assert tree(plan) == [(0, "1.", "Mobiliser 12 organisations ont signé")]
    assert plan.items[0].body == "3 reprises au moins."


def test_it_refuses_a_file_without_any_item_by_name() -> None:
    with pytest.raises(ImportFailure, match="notes.md"):
        read("Just a paragraph\nof prose.\n", name="notes.md")


def test_it_refuses_nesting_deeper_than_the_database_holds() -> None:
    text = "".join(" " * depth + "- x\n" for depth in range(outline.MAX_DEPTH + 1))
    with pytest.raises(ImportFailure, match=r"deep\.md, (line|ligne) 52"):
        read(text, name="deep.md")


def test_it_sniffs_markdown_and_text_files_and_outlines() -> None:
    assert outline.sniff(Source("plan.md", b"anything"), "outline")
    assert outline.sniff(Source("plan", b"# Un\n1. deux\n"), "outline")
    assert not outline.sniff(Source("plan", b"just prose"), "outline")


# Nothing is lost


SOURCE_ALPHABET = st.sampled_from(list("abcXYZ019 \t\n#.-*+•:()IVé_") + ["\n\n", "  ", "1. ", "- ", "# "])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(SOURCE_ALPHABET, max_size=80).map("".join)))
def test_every_word_of_any_text_ends_up_in_the_plan(text: str) -> None:
    source = Source(name="fuzz.md", data=text.encode())
    try:
        plan = outline.parse(source, "outline")
    except ImportFailure:
        return
    # The decoded text, not the string: bytes with zeros in them may read as UTF-16.
    assert words(source.text) <= plan_words(plan) | words(plan.language)
