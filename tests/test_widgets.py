"""The quick select widgets write the same markup as Django's own, escaped the same way."""

from __future__ import annotations

import re

from django import forms

from jalon.lib.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [
    ("", "—"),
    ("1", "Québec"),
    ("Régions", [("2", "<script>alert(1)</script>"), ("3", 'Sud "global" & co')]),
]


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_a_quick_select_writes_what_djangos_select_writes() -> None:
    attrs = {"id": "id_place", "required": True, "aria-describedby": "aide", "disabled": False}
    quick = QuickSelect(choices=CHOICES).render("place", "2", attrs=attrs)
    django = forms.Select(choices=CHOICES).render("place", "2", attrs=attrs)
    assert squeezed(quick) == squeezed(django)
    assert "&lt;script&gt;" in quick and "<script>" not in quick
    assert '<option value="2" selected>' in quick


def test_a_quick_multiple_select_marks_every_chosen_option() -> None:
    quick = QuickSelectMultiple(choices=CHOICES).render("team", ["1", "3"], attrs={"id": "id_team"})
    django = forms.SelectMultiple(choices=CHOICES).render("team", ["1", "3"], attrs={"id": "id_team"})
    assert squeezed(quick) == squeezed(django)
    assert quick.count(" selected>") == 2
