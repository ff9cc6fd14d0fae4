"""The catalogues: French complete, compiled files current, every string of the code in them.

Compiled .mo files are compared by content, never by date: a git checkout resets dates."""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from .paths import REPO

LOCALE = REPO / "jalon" / "locale"
LANGUAGES = ["fr", "en"]
FIX = "run `make messages`, fill the French msgstr, and commit the .po and .mo files"


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def read_po(path: Path) -> list[Entry]:
    """Return the live entries of a .po file, header left out, obsolete (#~) ones skipped."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = _parse_block(block.splitlines())
        if entry is not None and entry.msgid:
            entries.append(entry)
    return entries


def _parse_block(lines: list[str]) -> Entry | None:
    entry = Entry()
    strings: dict[str, str] = {}
    current = ""
    for line in lines:
        if line.startswith("#,") and "fuzzy" in line:
            entry.fuzzy = True
        elif line.startswith("#") or not line.strip():
            continue
        elif line.startswith('"'):
            strings[current] += ast.literal_eval(line)
        else:
            current, _space, literal = line.partition(" ")
            strings[current] = ast.literal_eval(literal)
    if "msgid" not in strings:
        return None
    entry.context = strings.get("msgctxt")
    entry.msgid = strings["msgid"]
    entry.msgstr = [value for name, value in strings.items() if name.startswith("msgstr")]
    return entry


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def test_every_french_string_is_translated() -> None:
    entries = read_po(po_path("fr"))
    assert len(entries) > 100
    empty = [entry.msgid for entry in entries if not all(entry.msgstr)]
    assert not empty, f"{len(empty)} French msgstr are empty ({FIX}): {empty}"


def test_no_french_translation_is_fuzzy() -> None:
    # A fuzzy entry is a guess by msgmerge: compiled catalogues ignore it, so the page
    # would silently show English.
    fuzzy = [entry.msgid for entry in read_po(po_path("fr")) if entry.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} French entries are marked fuzzy; check them and remove the flag: {fuzzy}"


def test_the_catalogue_headers_are_not_fuzzy_and_name_their_language() -> None:
    for language in LANGUAGES:
        header = po_path(language).read_text(encoding="utf-8").split("\n\n")[0]
        assert "#, fuzzy" not in header, f"the {language} header is still marked fuzzy"
        assert f'"Language: {language}\\n"' in header


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_compiled_catalogue_matches_its_po_file(language: str, tmp_path: Path) -> None:
    assert shutil.which("msgfmt"), "msgfmt is missing: install gettext (scripts/ensure-system-packages)"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", fresh, po_path(language)], check=True)
    committed = po_path(language).with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing; {FIX}"
    assert _messages(committed) == _messages(fresh), f"{committed} is older than its .po; {FIX}"


def _messages(mo: Path) -> dict[object, str]:
    # The catalogue as gettext reads it, so two msgfmt versions that lay the bytes out
    # differently still compare equal.
    with mo.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]


def test_the_french_catalogue_holds_every_string_of_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shutil.which("xgettext"), "xgettext is missing: install gettext (scripts/ensure-system-packages)"
    copy = tmp_path / "jalon"
    shutil.copytree(REPO / "jalon", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["fr"], no_obsolete=True, add_location="file", verbosity=0)
    wanted = {entry.key for entry in read_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")}
    present = {entry.key for entry in read_po(po_path("fr"))}
    missing, stale = sorted(wanted - present, key=str), sorted(present - wanted, key=str)
    assert not missing, f"strings missing from the French catalogue ({FIX}): {missing}"
    assert not stale, f"strings no longer in the code ({FIX}): {stale}"
