"""Read IATI codelists shipped in the repository (jalon/data/iati, see its NOTICE.md)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

CODELISTS = Path(__file__).resolve().parent.parent / "data" / "iati" / "codelists" / "xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Code:
    code: str
    name_en: str
    name_fr: str = ""
    withdrawn: bool = False

    def name(self, language: str | None = None) -> str:
        """Return the name in that language (the interface's by default), English when untranslated."""
        language = (language or get_language() or "fr")[:2]
        return (self.name_fr if language == "fr" else "") or self.name_en


def _narratives(element: ET.Element | None, default_language: str) -> dict[str, str]:
    if element is None:
        return {}
    return {
        narrative.get(XML_LANG, default_language): (narrative.text or "").strip()
        for narrative in element.findall("narrative")
    }


@cache
def codelist(name: str) -> tuple[Code, ...]:
    """Return the codes of an IATI codelist file, in the file's order."""
    root = ET.parse(CODELISTS / f"{name}.xml").getroot()
    default_language = root.get(XML_LANG, "en")
    codes = []
    for item in root.iter("codelist-item"):
        names = _narratives(item.find("name"), default_language)
        codes.append(
            Code(
                code=(item.findtext("code") or "").strip(),
                name_en=names.get("en", ""),
                name_fr=names.get("fr", ""),
                withdrawn=item.get("status") == "withdrawn",
            )
        )
    return tuple(codes)


def organisation_types() -> tuple[Code, ...]:
    return codelist("OrganisationType")


def organisation_type_choices() -> list[tuple[str, str]]:
    """Return the choices of a partner's type in the interface language (a callable: per request)."""
    return [("", "—")] + [(code.code, code.name()) for code in organisation_types() if not code.withdrawn]


def organisation_type_name(code: str) -> str:
    return next((item.name() for item in organisation_types() if item.code == code), code)
