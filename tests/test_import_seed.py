"""Alternatives' PLAN D'ACTION 2024-2025, read exactly as written."""

import re
from collections import Counter

import pytest

from jalon.plans.importers import ImportFailure, ParsedPlan, Source, parse_source
from jalon.plans.importers.seed import MARKUP

from .paths import SEED

# (depth, label written on the item, code as written, title) in document order.
EXPECTED = [
    (0, "Axe stratégique", "1", "Consolider notre action solidaire avec nos partenaires d'ici et d'ailleurs"),
    (
        1,
        "",
        "1.1",
        "Continuer de soutenir nos partenaires en Amérique centrale, en République démocratique du Congo, en Palestine et en Haïti",
    ),
    (
        2,
        "",
        "1.1.1.",
        "En collaboration avec la FOTSSIEH et les partenaires syndicats, renforcer l'autonomisation des travailleuses du secteur informel au Honduras.",
    ),
    (
        2,
        "",
        "1.1.2",
        "Travailler à la pérennisation du Centro de Atención Integral para las Mujeres Emprendedoras (CAIME), un centre établi à Pablo Sula qui promeut et protège les droits des travailleuses du secteur informel et fournit des soins et des services aux femmes et aux filles victimes de violence.",
    ),
    (
        2,
        "",
        "1.1.3",
        "Soutenir des associations de femmes et des coopératives qui travaillent auprès des femmes et des filles dans le Sud-Kivu en République démocratique du Congo.",
    ),
    (
        2,
        "",
        "1.1.4",
        "Appuyer les efforts de notre partenaire en Palestine, le Teacher Creativity Center, à garantir le droit à l'éducation des enfants palestiniens qui vivent à Gaza.",
    ),
    (
        2,
        "",
        "1.1.5",
        "Défendre, en collaboration avec le Forum tunisien des trois économiques et sociaux (FTDES) les droits des travailleuses du textile dans la région de Monastir en Tunisie.",
    ),
    (
        2,
        "",
        "1.1.6",
        "Soutenir le travail de notre partenaire en Haïti, l'ITECA, qui vise l'autonomisation économique et sociale de jeunes femmes haïtiennes de la commune d'Aquin dans les secteurs agricole et agroalimentaire.",
    ),
    (1, "", "1.2", "Renforcer notre appui aux luttes du Sud global"),
    (
        2,
        "",
        "1.2.1",
        "Explorer de nouvelles pistes pour appuyer le travail de nos partenaires dans le Sud global, en particulier dans les Amériques, en Haïti, au Soudan et en Afrique subsaharienne.",
    ),
    (
        1,
        "",
        "1.3",
        "Consolider nos alliances stratégiques et nos partenariats avec des mouvements, des groupes et des réseaux progressistes qui œuvrent pour la justice sociale et environnementale, les droits de la personne, la dignité humaine et la paix.",
    ),
    (
        2,
        "",
        "1.3.1",
        "Participer activement à des processus lancés par des réseaux de solidarité internationaux progressistes à l'échelle locale, régionale et internationale, dont les forums sociaux locaux, nationaux et internationaux.",
    ),
    (
        2,
        "",
        "1.3.2",
        "Poursuivre notre implication auprès de groupes, de coalitions et de mouvements au Québec et au Canada qui défendent la justice sociale et environnementale, les droits de la personne, la dignité humaine et la paix, en particulier l'Association québécoise des organismes de coopération internationale, la Concertation pour Haïti, le réseau québécois des groupes écologistes, la coalition pour la Justice et la paix en Palestine, la Coalition pour la souveraineté alimentaire et la Coalition Québec Urgence Palestine.",
    ),
    (
        2,
        "",
        "1.3.3",
        "Renforcer notre implication auprès du India Civil Watch International (ICWI) qui vise à contrer la montée du fascisme, l'ostracisation des minorités religieuses et la régression de la vie démocratique en Inde.",
    ),
    (
        2,
        "",
        "1.3.4",
        "Poursuivre notre collaboration avec l'Association du progrès pour les communications et le LabDelta pour continuer de faire avancer le plaidoyer sur les droits à l'information et renforcer les droits et les résistances sur les plateformes numériques au Québec, au Canada et ailleurs dans le monde.",
    ),
    (
        2,
        "",
        "1.3.5",
        "Contribuer aux réflexions visant sur le renforcement d'alliances progressistes pour la justice sociale et environnementale, les droits, la dignité humaine et la paix.",
    ),
    (
        1,
        "",
        "1.4",
        "Mobiliser la population au Québec et au Canada autour d'enjeux de justice sociale et environnementale, de droits de la personne, la dignité humaine et la paix (environnement et dérèglement climatique, occupation et génocide en Palestine, montée des droites xénophobes, droits des femmes et des communautés LGBTQ+, etc.).",
    ),
    (
        2,
        "",
        "1.4.1",
        "Mener un exercice de réflexion sur les stratégies et les outils de communication d'Alternatives.",
    ),
    (
        2,
        "",
        "1.4.2",
        "Développer l'édition en ligne du Journal des Alternatives, la version en anglais, Alternatives Journal, et le bulletin INSAF et le journal JdA plateforme altermondialiste.",
    ),
    (
        2,
        "",
        "1.4.4",
        "Mettre au point d'autres stratégies pour mobiliser la population au Québec, notamment les jeunes.",
    ),
    (2, "", "1.4.5", "Organiser des événements publics dans le cadre de la Grande transition."),
    (
        2,
        "",
        "1.4.4",
        "Relayer l'information de nos alliés sur des luttes et mobilisations autour des droits, de la justice sociale et environnementale, de la paix et de la dignité humaine.",
    ),
    (
        2,
        "",
        "1.4.5",
        "Participer au développement d'un front commun large pour contrer la montée de la droite néolibérale et xénophobe au Québec et au Canada.",
    ),
    (2, "", "1.4.6", "Mobiliser les associations étudiantes autour d'activités proposées par Alternatives."),
    (0, "Orientation stratégique", "2", "Renforcer la vie associative d'Alternatives"),
    (1, "", "2.1", "Élaborer la planification stratégique 2024-2027"),
    (
        2,
        "",
        "2.1.1",
        "Tenir des séances de remue-méninges avec les membres pour bien définir les priorités et les objectifs stratégiques pour le prochain plan stratégique.",
    ),
    (
        2,
        "",
        "2.1.2",
        "Mener des analyses et tenir des journées d'étude pour dresser un état de la conjoncture sociale et politique et orienter la planification.",
    ),
    (2, "", "2.1.3", "Définir des plans d'action."),
    (1, "", "2.2", "Multiplier les espaces d'implication et d'engagement pour les membres"),
    (
        2,
        "",
        "2.2.1",
        "Mettre au point des stratégies et des outils clairs et efficaces pour favoriser l'implication des membres dans la vie associative d'Alternatives autour d'enjeux importants.",
    ),
    (
        2,
        "",
        "2.2.2",
        "Tenir avec les membres et les partenaires, des rencontres de réflexion et d'analyse de la conjoncture et des enjeux régionaux, locaux et internationaux.",
    ),
    (2, "", "2.2.3", "Créer des espaces d'engagement pour les jeunes."),
    (2, "", "2.2.4", "Organiser les journées d'étude d'Alternatives."),
    (2, "", "2.2.5", "Organiser un événement pour célébrer le 30e anniversaire d'Alternatives."),
    (1, "", "2.3", "Évaluer les stratégies liées à la vie associative"),
    (
        2,
        "",
        "2.3.1",
        "Concevoir des outils et créer des espaces pour évaluer avec les membres l'efficacité et la pertinence des espaces d'implication et d'engagement (évaluation de satisfaction, rencontre avec les membres, etc.).",
    ),
    (0, "Objectif", "3", "Pérenniser le mouvement et créer une relève"),
    (1, "", "3.1", "Continuer à déployer les stages internationaux pour les jeunes."),
    (
        2,
        "",
        "3.1.1",
        "Poursuivre la mise en œuvre du Programme de stages internationaux pour la jeunesse (PSIJ).",
    ),
    (2, "", "3.1.2", "Proposer d'autres offres de stage en collaboration avec des universités."),
    (2, "", "3.1.3", "Créer de nouveaux espaces d'engagement pour les jeunes."),
    (2, "", "3.1.4", "Multiplier les opportunités de formation et d'emploi pour les jeunes."),
    (1, "", "3.2", "Diversifier les stratégies de financement d'Alternatives"),
    (2, "", "3.2.1", "Organiser une réflexion sur les stratégies de collecte de fonds."),
    (2, "", "3.2.2", "Promouvoir des programmes de dons mensuels pour les membres et les sympathisant·es."),
    (2, "", "3.2.3", "Poursuivre le travail de prospection auprès de bailleurs publics et privés."),
    (2, "", "3.2.4", "Élargir les contacts avec le milieu philanthropique."),
    (2, "", "3.2.4", "Lancer des campagnes de financement participatif en ligne (crowd funding)."),
    (
        1,
        "",
        "3.3",
        "Influencer les politiques en matière de solidarité internationale au Québec et au Canada",
    ),
    (2, "", "3.3.1", "Participer aux États généraux québécois de la solidarité internationale."),
    (
        2,
        "",
        "3.3.2",
        "Mobiliser les allié·es d'Alternatives pour contribuer aux réflexions et aux orientations des États généraux.",
    ),
    (2, "", "3.3.4", "Rédiger un mémoire ou des documents d'orientation pour présenter aux États généraux."),
    (
        2,
        "",
        "3.3.3",
        "Multiplier les rencontres avec différents représentant·es au gouvernement du Québec et du Canada.",
    ),
]


@pytest.fixture(scope="module")
def seed() -> ParsedPlan:
    return parse_source(Source.from_path(SEED))


def test_it_detects_the_seed_format(seed: ParsedPlan) -> None:
    assert seed.format == "seed"


def test_it_reads_every_item_in_order_with_its_code_and_title(seed: ParsedPlan) -> None:
    found = [(depth, item.label, item.code, item.title) for depth, item in seed.walk()]
    assert found == EXPECTED


def test_it_finds_three_axes_ten_orientations_and_forty_one_actions(seed: ParsedPlan) -> None:
    assert Counter(depth for depth, _ in seed.walk()) == {0: 3, 1: 10, 2: 41}


def test_it_reads_the_title_period_and_the_level_names_of_the_header_row(seed: ParsedPlan) -> None:
    assert seed.title == "PLAN D'ACTION 2024-2025"
    assert (seed.period_start.isoformat(), seed.period_end.isoformat()) == ("2024-01-01", "2025-12-31")
    assert seed.levels == ["Axe stratégique", "Orientations", "Actions"]


def test_it_keeps_the_three_different_axis_labels_as_written(seed: ParsedPlan) -> None:
    assert [item.label for item in seed.items] == ["Axe stratégique", "Orientation stratégique", "Objectif"]


def test_it_joins_the_title_of_orientation_1_3_continued_on_a_later_line(seed: ParsedPlan) -> None:
    orientation = seed.items[0].children[2]
    assert orientation.code == "1.3"
    assert orientation.title.endswith(
        "des groupes et des réseaux progressistes qui œuvrent pour la "
        "justice sociale et environnementale, les droits de la personne, "
        "la dignité humaine et la paix."
    )
    assert (orientation.line_start, orientation.line_end) == (9, 11)


def test_it_puts_action_2_1_3_with_an_empty_first_column_under_2_1(seed: ParsedPlan) -> None:
    orientation = seed.items[1].children[0]
    assert [child.code for child in orientation.children] == ["2.1.1", "2.1.2", "2.1.3"]


def test_it_keeps_duplicate_and_out_of_order_codes_as_written(seed: ParsedPlan) -> None:
    codes_1_4 = [child.code for child in seed.items[0].children[3].children]
    assert codes_1_4 == ["1.4.1", "1.4.2", "1.4.4", "1.4.5", "1.4.4", "1.4.5", "1.4.6"]
    assert [child.code for child in seed.items[2].children[2].children] == [
        "3.3.1",
        "3.3.2",
        "3.3.4",
        "3.3.3",
    ]


def test_it_reports_every_oddity_of_the_seed(seed: ParsedPlan) -> None:
    found = {(anomaly.kind, anomaly.code, anomaly.line) for anomaly in seed.anomalies}
    assert found == {
        ("markup", "", 7),
        ("joined_text", "1.3", 11),
        ("duplicate_code", "1.4.4", 12),
        ("out_of_order", "1.4.4", 12),
        ("duplicate_code", "1.4.5", 12),
        ("missing_code", "1.4.3", 12),
        ("level_label", "2", 13),
        ("attached_text", "2.1", 16),
        ("level_label", "3", 19),
        ("duplicate_code", "3.2.4", 21),
        ("out_of_order", "3.3.3", 22),
    }


def test_no_paragraph_mark_reaches_an_item(seed: ParsedPlan) -> None:
    assert not any("<p>" in item.title or "</p>" in item.title for _, item in seed.walk())


def test_every_word_of_the_source_is_in_the_plan_or_the_report(seed: ParsedPlan) -> None:
    source = MARKUP.sub(" ", SEED.read_text(encoding="utf-8"))
    assert Counter(words(source)) - Counter(words(kept_text(seed))) == Counter()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-16-le", "utf-8-sig"])
def test_it_reads_the_seed_saved_in_other_encodings(seed: ParsedPlan, encoding: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    again = parse_source(Source(name="plan.txt", data=text.encode(encoding)))
    assert [(d, i.code, i.title) for d, i in again.walk()] == [(d, i.code, i.title) for d, i in seed.walk()]


def test_it_refuses_a_file_cut_in_the_middle_of_a_character() -> None:
    data = SEED.read_bytes()
    cut = data.index("é".encode()) + 1
    with pytest.raises(ImportFailure, match="plan.txt.*(truncated|tronqué)"):
        parse_source(Source(name="plan.txt", data=data[:cut]))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def kept_text(plan: ParsedPlan) -> str:
    """Return every piece of text the plan keeps, for checking that no word was lost."""
    parts = [plan.title, plan.preamble, *plan.levels]
    parts += [f"{item.label} {item.code} {item.title} {item.body}" for _, item in plan.walk()]
    parts += [anomaly.text for anomaly in plan.anomalies]
    return "\n".join(parts)
