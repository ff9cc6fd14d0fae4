"""The world's countries, with their ISO 3166-1 codes and French and English names, from pycountry."""

from __future__ import annotations

import gettext
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import pycountry


@dataclass(frozen=True)
class Country:
    iso_code: str
    name_en: str
    name_fr: str
    other_names: list[str] = field(default_factory=list)


@cache
def _french() -> gettext.NullTranslations:
    # pycountry ships the iso-codes project's translations; no hand-typed list to keep up.
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))


def _spellings(record: object) -> list[str]:
    """Return every name pycountry knows for a country, in English then in French."""
    english = [getattr(record, key, "") for key in ("common_name", "name", "official_name")]
    french = [_french().gettext(name) for name in english if name]
    return _unique(english + french)


# Words of a state's form. "Palestine, State of" is also simply "Palestine", but
# "Christmas, Île" is not "Christmas", nor "Salomon, Îles" "Salomon".
STATE_WORDS = ("state", "republic", "federation", "kingdom", "province", "état", "république", "fédération")


def _before_comma(names: list[str]) -> list[str]:
    # Kept only where no other country shares the short form (see countries()):
    # "Congo, The Democratic Republic of the" and "Congo" do.
    shorts = []
    for name in names:
        head, _comma, tail = name.partition(",")
        if tail and any(word in tail.casefold() for word in STATE_WORDS):
            shorts.append(head.strip())
    return shorts


def _readable(name: str) -> str:
    """Return a catalogue name in reading order ("Palestine, État de" → "État de Palestine")."""
    if name.count(",") != 1:
        return name
    head, tail = (part.strip() for part in name.split(","))
    tail = tail.removeprefix("The ").removeprefix("the ")
    joiner = "" if tail.endswith("'") else " "
    return f"{tail[:1].upper()}{tail[1:]}{joiner}{head}"


@cache
def countries() -> list[Country]:
    """Return all countries, sorted by code."""
    records = sorted(pycountry.countries, key=lambda record: record.alpha_2)
    spellings = {record.alpha_2: _spellings(record) for record in records}
    shorts = {code: _before_comma(names) for code, names in spellings.items()}
    taken = Counter(name for code in spellings for name in {*spellings[code], *shorts[code]})
    result = []
    for record in records:
        code = record.alpha_2
        catalogue_name = getattr(record, "common_name", "") or record.name
        name_en = _readable(catalogue_name)
        name_fr = _readable(_french().gettext(catalogue_name))
        extra = [short for short in shorts[code] if taken[short] == 1]
        others = [name for name in _unique(spellings[code] + extra) if name not in (name_en, name_fr)]
        result.append(Country(iso_code=code, name_en=name_en, name_fr=name_fr, other_names=others))
    return result
