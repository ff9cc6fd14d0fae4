"""Is an IATI file valid? Against the 2.03 activity schema (XSD) and, for every code
it carries, against the codelist that code comes from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from jalon.directory.codelists import codelist

DATA = Path(__file__).resolve().parent.parent / "data" / "iati"

# Which attribute of which element takes its value from which codelist. Sector and
# region codes are checked only under the vocabularies whose lists we ship (1: DAC).
CODED_ATTRIBUTES: list[tuple[str, str, str]] = [
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("reporting-org", "type", "OrganisationType"),
    ("recipient-country", "code", "Country"),
    ("recipient-region", "code", "Region"),
    ("recipient-region", "vocabulary", "RegionVocabulary"),
    ("sector", "code", "Sector"),
    ("sector", "vocabulary", "SectorVocabulary"),
    ("description", "type", "DescriptionType"),
    ("budget", "type", "BudgetType"),
    ("budget", "status", "BudgetStatus"),
    ("value", "currency", "Currency"),
    ("iati-activity", "default-currency", "Currency"),
    ("result", "type", "ResultType"),
    ("indicator", "measure", "IndicatorMeasure"),
    ("iati-activities", "version", "Version"),
]


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@cache
def activity_schema() -> etree.XMLSchema:
    # Parsed from disk: the schema imports iati-common.xsd and xml.xsd beside it, and the
    # parser is told never to fetch anything from the network.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(DATA / "iati-activities-schema.xsd"), parser))


@cache
def codes(name: str) -> frozenset[str]:
    return frozenset(code.code for code in codelist(name) if not code.withdrawn)


def problems(document: bytes) -> list[Problem]:
    """Return what makes the document invalid IATI 2.03, in document order; [] if valid."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as error:
        return [Problem(error.lineno or 0, str(error))]
    schema = activity_schema()
    found = (
        [Problem(error.line, error.message) for error in schema.error_log]
        if not schema.validate(root)
        else []
    )
    found.extend(_code_problems(root))
    return sorted(found, key=lambda problem: problem.line)


def _code_problems(root: etree._Element) -> list[Problem]:
    found = []
    for element_name, attribute, list_name in CODED_ATTRIBUTES:
        for element in root.iter(element_name):
            value = element.get(attribute)
            if value is None or (attribute == "code" and not _checked_vocabulary(element)):
                continue
            if value not in codes(list_name):
                message = f"{element_name}/@{attribute} “{value}” is not in the {list_name} codelist"
                found.append(Problem(element.sourceline or 0, message))
    return found


def _checked_vocabulary(element: etree._Element) -> bool:
    # The default vocabulary of sectors and regions is 1 (OECD DAC), whose lists we ship.
    if element.tag in ("sector", "recipient-region"):
        return element.get("vocabulary", "1") == "1"
    return True
