"""One citation per source: a name is not cut inside itself, and its short forms join it.

The phrasings here are written for these tests, in the range writers use them; each
asserts the exact names and types reported, so a cut or a lost merge shows.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from archive.extract.named.mention import Mention
from archive.extract.named.merge import merge
from tests.extract.named_helpers import found

# A name joined by "and" is one body when the "and" joins the fields it deals in
# ("Power and Water", "Health, Labour and Welfare") rather than two bodies.
ONE_BODY = [
    (
        "The Northern Power and Water Utilities Company said in a statement on Monday "
        "that tariffs would rise.",
        "Northern Power and Water Utilities Company",
    ),
    (
        "The Eastern Power and Water Company projects that demand will grow by 6 per cent a year.",
        "Eastern Power and Water Company",
    ),
    (
        "The Ministry of Mines and Energy said output had fallen for a third month.",
        "Ministry of Mines and Energy",
    ),
    (
        "The Institute for Fiscal and Social Research estimated that the cap would cost "
        "about 2 billion a year.",
        "Institute for Fiscal and Social Research",
    ),
    (
        "The Department of Rural Development and Land Reform said it had received the application.",
        "Department of Rural Development and Land Reform",
    ),
    (
        "According to the Bureau of Labour and Welfare Statistics, unemployment rose.",
        "Bureau of Labour and Welfare Statistics",
    ),
]


@pytest.mark.parametrize(("text", "name"), ONE_BODY)
def test_a_name_whose_and_joins_fields_of_one_body_is_one_source(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


# Two bodies, each saying what kind of body it is, stay two sources.
TWO_BODIES = [
    (
        "Harrowfield Borough Council and Kelby Housing Association said on Tuesday that "
        "repairs would start in May.",
        {
            "Harrowfield Borough Council": "organisation",
            "Kelby Housing Association": "organisation",
        },
    ),
    (
        "A report by the Tarnby Water Authority and the Orran Energy Agency found the "
        "pipes were older than recorded.",
        {"Tarnby Water Authority": "organisation", "Orran Energy Agency": "organisation"},
    ),
]


@pytest.mark.parametrize(("text", "names"), TWO_BODIES)
def test_two_bodies_joined_by_and_stay_two_sources(text: str, names: dict[str, str]) -> None:
    assert found(text) == names


# A body cited as an author in citation form keeps all its words: the author pattern
# reads a person's name, at most three words, and the body's name is longer.
BODY_AUTHORS = [
    (
        "Federal Maritime Safety Board (2022). Annual report, p. 14.",
        "Federal Maritime Safety Board",
    ),
    (
        "As the Korea Fair Trade Commission (2023) noted, most contracts were oral.",
        "Korea Fair Trade Commission",
    ),
    (
        "See Instituto Nacional de Salud Pública (2021) for the survey tables.",
        "Instituto Nacional de Salud Pública",
    ),
    ("United Kingdom Hydrographic Office (2019), pp. 30–41.", "United Kingdom Hydrographic Office"),
]


@pytest.mark.parametrize(("text", "name"), BODY_AUTHORS)
def test_a_body_as_author_keeps_its_whole_name(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_a_body_cited_in_prose_and_as_author_is_one_citation() -> None:
    text = (
        "The National Agency for Coastal Safety published its review in March.\n\n"
        "The review found that half the buoys were out of place (National Agency for "
        "Coastal Safety, 2024).\n\n"
        "References\n\n"
        "National Agency for Coastal Safety (2024). Buoyage review. Harbour City.\n"
    )
    assert found(text) == {"National Agency for Coastal Safety": "organisation"}


def test_people_and_titles_before_a_year_are_not_read_as_bodies() -> None:
    # people in citation form stay people's work; a body's titled work is not the body
    assert found("Rafael Ortiz (2010) argued that ports matter.") == {"Rafael Ortiz": "work"}
    person = found("Ana Lucía Pérez Soto (2018) mapped the wells.")
    assert list(person) == ["Ana Lucía Pérez Soto"]
    assert person["Ana Lucía Pérez Soto"] in ("person", "work")
    assert "Banker to the Poor" not in found("Yunus, in Banker to the Poor (1999), argued.")
    titled = found("WHO Global Air Quality Guidelines (2021) set the limit at 5 µg/m³.")
    assert "WHO Global Air Quality Guidelines" not in titled


# A body's name may list the fields after its "of" with commas and a last "and": the
# comma is inside the name ("Ministry of Health, Labour and Welfare"), not between
# two sources.
FIELDS_AFTER_OF = [
    (
        "The Ministry of Agriculture, Forestry and Fisheries said on Friday that the ban "
        "would be lifted.",
        "Ministry of Agriculture, Forestry and Fisheries",
    ),
    (
        "The Department of Transport, Tourism and Sport told lawmakers that the plan was costed.",
        "Department of Transport, Tourism and Sport",
    ),
    (
        "The Ministry of Finance, Planning and Economic Development said revenue fell.",
        "Ministry of Finance, Planning and Economic Development",
    ),
]


@pytest.mark.parametrize(("text", "name"), FIELDS_AFTER_OF)
def test_fields_listed_after_of_stay_in_the_body_name(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_bodies_listed_with_commas_stay_separate() -> None:
    text = (
        "The Bank of Valdren, the Finance Ministry and the Port Authority said in a joint "
        "note that rates would hold."
    )
    assert found(text) == {
        "Bank of Valdren": "organisation",
        "Finance Ministry": "organisation",
        "Port Authority": "organisation",
    }


# An abbreviation is reported under the full name: defined in the text ("X (ABC)", "(ABC,
# 2017)" after the name), or spelled by the initials of a name the text writes out.
ABBREVIATED = [
    (
        "The Halvern Association of Ferries and Harbours inspected the pier in 2023, its "
        "report said. The HAFH's latest survey found that repairs were overdue.",
        "Halvern Association of Ferries and Harbours",
    ),
    (
        "The Coastal Power and Water Supply Company says demand will grow by 6% a year. "
        "Without new capacity, CPWS says, a shortfall will come by 2028.",
        "Coastal Power and Water Supply Company",
    ),
    (
        "Ratings follow the guidelines of Surveyors and Planners Nova Scotia (SPNS, 2019), "
        "which assign each site a category.\n\nReferences\n\nSPNS (2019). Site guidelines.",
        "Surveyors and Planners Nova Scotia",
    ),
    (
        "According to the General Directorate of Rural Waterworks (KSİ), output rose. The "
        "KSİ said in its yearly bulletin that growth slowed.",
        "General Directorate of Rural Waterworks",
    ),
]


@pytest.mark.parametrize(("text", "name"), ABBREVIATED)
def test_an_abbreviation_is_cited_under_its_full_name(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_an_abbreviation_that_spells_no_name_or_two_stays_as_written() -> None:
    # no name of the text has these initials
    assert found("The KTDA said in a statement that prices rose.") == {"KTDA": "organisation"}
    # two names do: the text does not say which
    two = (
        "The Northern Rail Board and the National Roads Bureau met on Monday. The NRB said "
        "in a statement that fares would rise."
    )
    assert "NRB" in found(two)


def test_a_citation_in_author_form_is_not_spelled_out_by_another_name() -> None:
    # "(Eurostat, 2020)" after a council's name: not its abbreviation
    text = "The Kelbridge City Council said rents rose by a third (Eurostat, 2020)."
    assert "Kelbridge City Council" in found(text)
    assert "Eurostat" in found(text)


def _mention(text: str, name: str, work: str | None, after: int = 0) -> Mention:
    at = text.index(name, after)
    return Mention("named.document", name, at, at + len(name), "org", work, sentence=(0, len(text)))


@pytest.mark.parametrize(
    ("first", "second", "title"),
    [
        ("2021 guideline", "Urban Air Quality Guidelines", "Urban Air Quality Guidelines"),
        ("Annual Water Report", "report", "Annual Water Report"),
        ("survey", "Household Survey 2024", "Household Survey 2024"),
    ],
)
def test_a_work_named_by_its_noun_alone_joins_the_same_work_named_in_full(
    first: str, second: str, title: str
) -> None:
    text = "Ostland Health Agency said so. Later the Ostland Health Agency said it again."
    mentions = [
        _mention(text, "Ostland Health Agency", first),
        _mention(text, "Ostland Health Agency", second, after=10),
    ]
    [cited] = merge(text, mentions)
    assert cited.work_title == title
    assert len(cited.mentions) == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("discharge data", "monthly waiting list figures"),
        ("statement", "report"),
        ("2022 progress report", "assessment"),
    ],
)
def test_two_works_of_one_source_stay_two_citations(first: str, second: str) -> None:
    text = "Ostland Health Agency said so. Later the Ostland Health Agency said it again."
    mentions = [
        _mention(text, "Ostland Health Agency", first),
        _mention(text, "Ostland Health Agency", second, after=10),
    ]
    assert [c.work_title for c in merge(text, mentions)] == [first, second]


def test_a_reference_entry_joins_its_work_cited_by_authors_in_the_text() -> None:
    text = (
        "Okafor and Lind (2019), in Harbour Money, describe port fees as a hidden tax. "
        "As Okafor and Lind anticipated, the fees rose again.\n\n"
        "References\n\n"
        "Okafor, M. T., and Lind, J. (2019). Harbour Money: Ports and Their Fees. Kelby "
        "University Press.\n"
    )
    cited = [c for c in find_named_references(text) if "Okafor" in (c.source_name or "")]
    assert [c.source_name for c in cited] == ["Okafor and Lind"]
    assert cited[0].source_type == "work"
    assert cited[0].work_title == "Harbour Money: Ports and Their Fees"
    assert len(cited[0].mentions) == 3


# The journal a paper appeared in, named right after the paper, is its container.
PAPERS_IN_JOURNALS = [
    (
        "A 2021 paper by Tomas Berg and Lena Holt in the journal Coastal Dynamics found "
        "that dunes recovered within a decade.",
        "Coastal Dynamics",
    ),
    (
        "Ingrid Sola, a geographer at Kelby University, argued in a 2023 study in the "
        "Journal of Harbour Planning that quays outlast their cranes.",
        "Journal of Harbour Planning",
    ),
]


@pytest.mark.parametrize(("text", "journal"), PAPERS_IN_JOURNALS)
def test_the_journal_of_a_paper_is_its_container_not_a_second_source(
    text: str, journal: str
) -> None:
    cited = find_named_references(text)
    assert journal not in {c.source_name for c in cited}
    assert journal in {c.container for c in cited}


def test_an_outlet_that_carries_a_statement_stays_a_source() -> None:
    text = (
        "Mara Quist, the port's director, said in a statement in the Kelby Courier that "
        "fees would rise."
    )
    assert "Kelby Courier" in found(text)


@pytest.mark.parametrize(
    "cited_as",
    ["A 2018 study by Maren Eskola and Tuomas Virta", "Eskola and colleagues, in a 2018 study,"],
)
def test_a_reference_entry_joins_the_work_its_authors_are_named_for_in_full(
    cited_as: str,
) -> None:
    text = (
        f"{cited_as} found that the ferry lines lost riders after 2010.[3]\n\n"
        "References\n\n"
        'Eskola, Maren; Virta, Tuomas (2018). "Ferry ridership in the archipelago". '
        "Journal of Island Transport. 4 (1): 12–30.\n"
    )
    cited = [c for c in find_named_references(text) if "Eskola" in (c.source_name or "")]
    assert len(cited) == 1
    assert cited[0].work_title == "Ferry ridership in the archipelago"


def _org(text: str, name: str, after: int = 0) -> Mention:
    at = text.index(name, after)
    return Mention("named.speech-verb", name, at, at + len(name), "org", sentence=(0, len(text)))


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("Office of the Harbour Auditor General of Kelby", "Harbour Auditor General"),
        ("Fisheries Board of Orran", "Fisheries Board"),
        (
            "Statistics Unit of the Tarnby Regional Water Authority",
            "Tarnby Regional Water Authority",
        ),
    ],
)
def test_a_body_named_by_part_of_its_name_is_one_source(full: str, short: str) -> None:
    text = f"The {full} said so. Later the {short} said it again."
    [cited] = merge(text, [_org(text, full), _org(text, short, after=len(full) + 8)])
    assert cited.source_name == full
    assert len(cited.mentions) == 2


@pytest.mark.parametrize(
    ("full", "short"),
    [
        # a body and the commission, club or union named after it are two bodies
        ("Cascade State Lottery Commission", "Cascade State Lottery"),
        ("Orran Dockers Union", "Orran Dockers"),
    ],
)
def test_a_body_and_one_named_after_it_stay_two_sources(full: str, short: str) -> None:
    text = f"The {full} said so. Later the {short} said it again."
    cited = merge(text, [_org(text, full), _org(text, short, after=len(full) + 8)])
    assert [c.source_name for c in cited] == [full, short]


def test_a_part_of_two_body_names_joins_neither() -> None:
    text = (
        "The Audit Board of Kelby said so, and the Audit Board of Orran agreed. Later the "
        "Audit Board said it again."
    )
    mentions = [
        _org(text, "Audit Board of Kelby"),
        _org(text, "Audit Board of Orran"),
        _org(text, "Audit Board", after=text.index("Later")),
    ]
    assert len(merge(text, mentions)) == 3
