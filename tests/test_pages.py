"""The plan pages: the list of plans, a plan's tree, an item, the import report, exports,
as a signed-in member reads them (who may see what is tested in test_access.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from jalon.accounts.models import User
from jalon.plans.exporters import EXPORTERS
from jalon.plans.models import AnomalyKind, Plan

from .factories import (
    ACTION,
    AXIS,
    anomaly,
    item,
    item_coded,
    make_plan,
    queries_to_read,
    small_tree,
    wide_tree,
)

pytestmark = pytest.mark.django_db

PAGES = ["home", "detail", "item", "anomalies"]


def url_of(page: str, plan: Plan) -> str:
    if page == "home":
        return reverse("plans:home")
    if page == "item":
        return reverse("plans:item", args=[plan.slug, plan.items.in_document_order().first().pk])
    return reverse(f"plans:{page}", args=[plan.slug])


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def text_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def switch_language(client: Client, language: str, back_to: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": back_to})
    assert response.status_code == 302 and response["Location"] == back_to


# Every page, in both languages


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_french_by_default_with_one_h1(
    member_client: Client, plan: Plan, page: str
) -> None:
    html = text_of(member_client, url_of(page, plan))
    assert '<html lang="fr">' in html
    assert h1_count(html) == 1
    assert "Plans d'action" in html and "Aller au contenu principal" in html


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_english_after_the_language_switch(
    member_client: Client, plan: Plan, page: str
) -> None:
    url = url_of(page, plan)
    switch_language(member_client, "en", back_to=url)
    html = text_of(member_client, url)
    assert '<html lang="en">' in html
    assert h1_count(html) == 1
    assert "Action plans" in html and "Skip to main content" in html
    assert "Plans d'action" not in html


def test_the_language_switch_posts_with_its_csrf_token_and_returns_to_the_same_page(
    plan: Plan, member: User
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    url = url_of("detail", plan)
    html = text_of(client, url)
    form = re.search(r'<form class="language-switch" action="([^"]+)" method="post".*?</form>', html, re.S)
    assert form and form[1] == reverse("set_language")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form[0])[1]
    assert f'name="next" value="{url}"' in form[0]
    response = client.post(form[1], {"csrfmiddlewaretoken": token, "language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies["django_language"].value == "en"
    html = text_of(client, url)
    assert '<html lang="en">' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    client.post(form[1], {"csrfmiddlewaretoken": token, "language": "fr", "next": url})
    assert '<html lang="fr">' in text_of(client, url)


def test_the_language_switch_is_labelled_and_offers_the_other_language(member_client: Client) -> None:
    html = text_of(member_client, reverse("plans:home"))
    assert 'aria-label="Langue de l\'interface"' in html
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in html
    assert 'value="fr"' not in html


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_the_landmarks_and_loads_nothing_from_another_host(
    member_client: Client, plan: Plan, page: str
) -> None:
    html = text_of(member_client, url_of(page, plan))
    for landmark in ("<header", "<nav", '<main id="contenu"', "<footer"):
        assert landmark in html
    assert '<a class="skip-link" href="#contenu">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "style=" not in html and "<style" not in html


# The list of plans


def test_home_explains_how_to_import_a_plan_when_there_is_none(member_client: Client) -> None:
    html = text_of(member_client, reverse("plans:home"))
    assert "Aucun plan pour l'instant." in html
    assert "<code>jalon import FICHIER</code>" in html


def test_home_lists_each_plan_with_its_period_status_and_counts(member_client: Client) -> None:
    import datetime

    plan = make_plan(
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        anomalies=[anomaly(AnomalyKind.NO_CODE, line=4), anomaly(AnomalyKind.NO_CODE, line=5)],
    )
    html = text_of(member_client, reverse("plans:home"))
    assert f'href="{plan.get_absolute_url()}"' in html and "Plan d&#x27;action 2024-2025" in html
    assert "2024-2025" in html and "Brouillon" in html
    assert "<dd>7</dd>" in html
    assert f'<a href="{reverse("plans:anomalies", args=[plan.slug])}">2 anomalies</a>' in html
    assert 'aria-current="page"' in html


# A plan's tree


def test_the_plan_page_shows_its_title_period_status_levels_and_source(member_client: Client) -> None:
    import datetime

    plan = make_plan(period_start=datetime.date(2024, 4, 1), period_end=datetime.date(2025, 3, 31))
    html = text_of(member_client, plan.get_absolute_url())
    assert '<h1 lang="fr">Plan d&#x27;action 2024-2025</h1>' in html
    assert "<dd>2024-2025</dd>" in html and "Brouillon" in html
    assert "<li>Axe stratégique</li><li>Orientation</li><li>Action</li>" in html
    assert "plan-action-2024-2025.txt" in html


def test_the_tree_shows_codes_exactly_as_written(member_client: Client, plan: Plan) -> None:
    html = text_of(member_client, plan.get_absolute_url())
    assert '<span class="code">1.1.1.</span>' in html
    assert html.count('<span class="code">1.4.4</span>') == 2


def test_the_tree_folds_without_javascript_and_links_each_item(member_client: Client, plan: Plan) -> None:
    html = text_of(member_client, plan.get_absolute_url())
    branches = plan.items.filter(children__isnull=False).distinct().count()
    assert html.count("<details open>") == html.count("<summary>") == branches == 3
    for each in plan.items.all():
        assert f'href="{reverse("plans:item", args=[plan.slug, each.pk])}"' in html
    # The expand and collapse buttons only appear once the script has run.
    assert 'data-tree-tools="plan-tree" hidden' in html
    assert 'src="/static/jalon/tree.js" defer' in html


def test_the_tree_shows_each_items_level_label(member_client: Client, plan: Plan) -> None:
    html = text_of(member_client, plan.get_absolute_url())
    assert html.count(f'<span class="level" lang="fr">{AXIS}</span>') == 1
    assert html.count(f'<span class="level" lang="fr">{ACTION}</span>') == 4


def test_the_plan_page_counts_anomalies_and_links_to_the_report(member_client: Client) -> None:
    tree = small_tree()
    plan = make_plan(
        items=tree, anomalies=[anomaly(AnomalyKind.DUPLICATE_CODE, tree[0].children[1].children[1])]
    )
    html = text_of(member_client, plan.get_absolute_url())
    report = reverse("plans:anomalies", args=[plan.slug])
    assert "L'importation a relevé 1 anomalie dans la source" in html
    assert f'<a href="{report}">Lire le rapport d\'importation</a>' in html
    flagged = plan.items.filter(code="1.4.4").in_document_order().last()
    assert f'<a class="flag" href="{flagged.get_absolute_url()}#anomalies">1 anomalie</a>' in html


def test_the_plan_page_links_to_every_export(member_client: Client, plan: Plan) -> None:
    html = text_of(member_client, plan.get_absolute_url())
    for format in EXPORTERS:
        assert f'href="{reverse("exchange:export", args=[plan.slug, format])}" download' in html


# An item


def test_the_item_page_shows_its_breadcrumbs_level_code_and_title(member_client: Client, plan: Plan) -> None:
    action = item_coded(plan, "1.1.1.")
    html = text_of(member_client, action.get_absolute_url())
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S)[0]
    assert crumbs.index(escape(plan.title)) < crumbs.index(">1</span>") < crumbs.index(">1.1</span>")
    assert f'<a href="{action.get_absolute_url()}" aria-current="page">1.1.1.</a>' in crumbs
    assert f'<span class="level" lang="fr">{ACTION}</span><span class="code">1.1.1.</span>' in html
    assert f'<h1 class="item-title" lang="fr">{escape(action.title)}</h1>' in html


def test_the_item_page_lists_the_items_under_it(member_client: Client, plan: Plan) -> None:
    orientation = item_coded(plan, "1.4")
    html = text_of(member_client, orientation.get_absolute_url())
    assert "Sous-éléments" in html
    for child in orientation.children.all():
        assert f'href="{child.get_absolute_url()}"' in html


def test_the_item_page_keeps_the_line_breaks_of_its_body(member_client: Client) -> None:
    plan = make_plan(items=[item("1", "Axe", body="Première ligne\nDeuxième ligne")])
    html = text_of(member_client, plan.items.get().get_absolute_url())
    assert "Première ligne<br>Deuxième ligne" in html


def test_the_item_page_names_the_source_lines(member_client: Client) -> None:
    plan = make_plan(
        items=[item("1", "Axe", line_start=7, line_end=12), item("2", "Autre axe", line_start=14)]
    )
    first, second = plan.items.in_document_order()
    assert 'Lignes 7 à 12 de <code class="filename">plan-action-2024-2025.txt</code>' in text_of(
        member_client, first.get_absolute_url()
    )
    assert 'Ligne 14 de <code class="filename">plan-action-2024-2025.txt</code>' in text_of(
        member_client, second.get_absolute_url()
    )


def test_the_item_page_shows_the_anomalies_attached_to_it(member_client: Client) -> None:
    tree = small_tree()
    duplicate = tree[0].children[1].children[1]
    plan = make_plan(
        items=tree, anomalies=[anomaly(AnomalyKind.DUPLICATE_CODE, duplicate, params={"first_line": 8})]
    )
    target = plan.items.filter(code="1.4.4").in_document_order().last()
    html = text_of(member_client, target.get_absolute_url())
    assert "Code en double" in html
    assert "Le code 1.4.4 apparaît plus d&#x27;une fois (d&#x27;abord à la ligne 8)" in html
    other = plan.items.filter(code="1.4.4").in_document_order().first()
    assert "Code en double" not in text_of(member_client, other.get_absolute_url())


def test_the_item_page_shows_the_english_title_first_to_english_readers(member_client: Client) -> None:
    plan = make_plan(items=[item("1", "Consolider notre action", title_en="Strengthen our action")])
    url = plan.items.get().get_absolute_url()
    html = text_of(member_client, url)
    assert '<h1 class="item-title" lang="fr">Consolider notre action</h1>' in html
    assert '<span lang="en">Strengthen our action</span>' in html
    switch_language(member_client, "en", back_to=url)
    html = text_of(member_client, url)
    assert '<h1 class="item-title" lang="en">Strengthen our action</h1>' in html
    assert '<span lang="fr">Consolider notre action</span>' in html


def test_the_tree_shows_the_english_title_to_english_readers_only(member_client: Client) -> None:
    plan = make_plan(items=[item("1", "Consolider notre action", title_en="Strengthen our action")])
    url = plan.get_absolute_url()
    assert 'lang="fr">Consolider notre action</a>' in text_of(member_client, url)
    switch_language(member_client, "en", back_to=url)
    html = text_of(member_client, url)
    assert 'lang="en">Strengthen our action</a>' in html
    assert "Consolider notre action</a>" not in html


def test_an_item_without_english_title_shows_its_own_title_to_english_readers(
    member_client: Client, plan: Plan
) -> None:
    url = item_coded(plan, "1.1").get_absolute_url()
    switch_language(member_client, "en", back_to=url)
    assert '<h1 class="item-title" lang="fr">Continuer de soutenir' in text_of(member_client, url)


# The import report


def test_the_report_lists_anomalies_by_line_with_their_source_text_and_items(member_client: Client) -> None:
    tree = small_tree()
    duplicate = tree[0].children[1].children[1]
    plan = make_plan(
        items=tree,
        anomalies=[
            anomaly(AnomalyKind.UNPLACED_TEXT, text="Texte orphelin"),
            anomaly(
                AnomalyKind.DUPLICATE_CODE,
                duplicate,
                line=12,
                params={"first_line": 11},
                text="1.4.4 Relayer",
            ),
            anomaly(AnomalyKind.MARKUP, line=3, params={"marks": "<p>"}),
        ],
    )
    html = text_of(member_client, reverse("plans:anomalies", args=[plan.slug]))
    rows = re.findall(r'<tr id="anomalie-\d+">(.*?)</tr>', html, re.S)
    assert [re.search(r'report__line">([^<]*)<', row)[1] for row in rows] == ["3", "12", "—"]
    assert "Des balises de mise en forme (&lt;p&gt;) ont été retirées du texte." in rows[0]
    target = plan.items.filter(code="1.4.4").in_document_order().last()
    assert f'href="{target.get_absolute_url()}"' in rows[1] and "Code en double" in rows[1]
    assert '<span class="verbatim" lang="fr">Texte orphelin</span>' in rows[2]
    assert "Rien n'a été renuméroté, fusionné ni supprimé" in html


def test_the_report_reads_in_english_after_the_switch(member_client: Client) -> None:
    plan = make_plan(anomalies=[anomaly(AnomalyKind.NO_CODE, line=4, text="Sans code")])
    url = reverse("plans:anomalies", args=[plan.slug])
    switch_language(member_client, "en", back_to=url)
    html = text_of(member_client, url)
    assert "Item without a code" in html and "This item has no code." in html
    assert "Sans code" in html  # the source's words stay as written


def test_the_report_says_so_when_there_is_no_anomaly(member_client: Client, plan: Plan) -> None:
    html = text_of(member_client, reverse("plans:anomalies", args=[plan.slug]))
    assert "Aucune anomalie\u00a0: la source a été lue sans rien d'inhabituel à signaler." in html


# Escaping: every word that came from a file is text, never markup

HOSTILE = "<script>alert(1)</script>"
MARKUP_IN_THE_SOURCE = [
    "<script>",
    "<p>1.1",
    "<b>1",
    "<img",
    "<i>Axe",
    "<u>Action",
    "<em>plan",
    "<marquee",
    "<s>x",
]


@pytest.fixture
def hostile_plan() -> Plan:
    child = item("1.1", HOSTILE, body=f"{HOSTILE}\n<img src=x onerror=alert(2)>")
    root = item("<b>1</b>", "<p>1.1 x</p>", child)
    label = anomaly(
        AnomalyKind.LEVEL_LABEL, root, text=HOSTILE, params={"label": "<s>x</s>", "expected": "y"}
    )
    return make_plan(
        title=f"Plan {HOSTILE}",
        items=[root],
        levels=["<i>Axe</i>", "<u>Action</u>"],
        source_name="<em>plan</em>.txt",
        organisation="<marquee>Org</marquee>",
        anomalies=[label],
    )


@pytest.mark.parametrize("page", [*PAGES, "child"])
def test_text_from_the_source_is_escaped_on_every_page(
    member_client: Client, hostile_plan: Plan, page: str
) -> None:
    if page == "child":
        url = hostile_plan.items.get(depth=1).get_absolute_url()
    else:
        url = url_of(page, hostile_plan)
    html = text_of(member_client, url)
    for markup in MARKUP_IN_THE_SOURCE:
        assert markup not in html, f"{markup} rendered as markup on {url}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_escaped_title_shows_as_the_text_it_is(member_client: Client, hostile_plan: Plan) -> None:
    html = text_of(member_client, hostile_plan.get_absolute_url())
    assert "&lt;p&gt;1.1 x&lt;/p&gt;" in html
    assert '<span class="code">&lt;b&gt;1&lt;/b&gt;</span>' in html


# Not found


def test_unknown_plans_and_items_are_not_found(member_client: Client, plan: Plan) -> None:
    first = plan.items.in_document_order().first()
    for url in (
        reverse("plans:detail", args=["nope"]),
        reverse("plans:anomalies", args=["nope"]),
        reverse("plans:item", args=[plan.slug, 999999]),
        reverse("plans:item", args=["nope", first.pk]),
        reverse("exchange:export", args=["nope", "json"]),
    ):
        assert member_client.get(url).status_code == 404, url


def test_an_item_of_another_plan_is_not_found(member_client: Client, plan: Plan) -> None:
    other = make_plan(title="Autre plan")
    foreign = other.items.in_document_order().first()
    assert member_client.get(reverse("plans:item", args=[plan.slug, foreign.pk])).status_code == 404
    assert member_client.get(reverse("plans:item", args=[other.slug, foreign.pk])).status_code == 200


def test_an_unknown_export_format_is_not_found(member_client: Client, plan: Plan) -> None:
    assert member_client.get(reverse("exchange:export", args=[plan.slug, "pdf"])).status_code == 404
    assert member_client.get(f"/plans/{plan.slug}/export.").status_code == 404


def test_pages_refuse_writes(member_client: Client, plan: Plan) -> None:
    assert member_client.post(plan.get_absolute_url()).status_code == 405


# Exports


@pytest.mark.parametrize("format", sorted(EXPORTERS))
def test_each_export_is_an_attachment_with_its_content_type(
    member_client: Client, plan: Plan, format: str
) -> None:
    exporter = EXPORTERS[format]
    try:
        exporter.export(plan)
    except NotImplementedError:
        pytest.skip(f"the {format} exporter has not landed yet (it raises NotImplementedError)")
    response = member_client.get(reverse("exchange:export", args=[plan.slug, format]))
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == exporter.CONTENT_TYPE.split(";")[0]
    assert response["Content-Disposition"] == f'attachment; filename="{plan.slug}.{exporter.EXTENSION}"'
    assert response.content


def test_text_exports_say_they_are_utf8(member_client: Client, plan: Plan) -> None:
    text_formats = [name for name, module in EXPORTERS.items() if module.CONTENT_TYPE.startswith("text/")]
    for format in text_formats:
        try:
            response = member_client.get(reverse("exchange:export", args=[plan.slug, format]))
        except NotImplementedError:
            continue
        assert response["Content-Type"].endswith("charset=utf-8")


# Queries do not grow with the plan


def plan_of(size: int, slug: str) -> Plan:
    roots = wide_tree(size)
    problems = [anomaly(AnomalyKind.NO_CODE, each) for root in roots for _depth, each in root.walk()]
    return make_plan(title=slug, slug=slug, items=roots, anomalies=problems)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_takes_as_many_queries_for_500_items_as_for_5(member_client: Client, page: str) -> None:
    small, large = plan_of(5, "petit"), plan_of(500, "grand")
    assert large.items.count() == 500 and large.anomalies.count() == 500
    small_url, large_url = url_of(page, small), url_of(page, large)
    if page == "item":  # the first orientation: ten actions under it in the large plan
        small_url = small.items.get(code="1.1").get_absolute_url()
        large_url = large.items.get(code="1.1").get_absolute_url()
    queries_to_read(member_client, small_url)  # the first request of a session may warm caches
    # A signed-in page reads the session and the user, then the rollups of the subtree;
    # the item page also reads its directory links (1) and its results and budget (3).
    # The item page's history reads four tables, whatever the size of the plan.
    assert queries_to_read(member_client, large_url) == queries_to_read(member_client, small_url) <= 16


@pytest.mark.django_db
def test_french_is_spoken_even_to_a_browser_set_to_english(member_client: Client) -> None:
    response = member_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_the_chosen_language_is_remembered_over_the_browsers(member_client: Client) -> None:
    member_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = member_client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="en"' in response.content.decode()
