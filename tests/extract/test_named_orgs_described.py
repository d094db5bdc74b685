"""Bodies described in lower case or by their place, and known bodies' descriptions.

Every sentence here is written for its category (news, academic, show notes,
transcripts, non-native English), with invented bodies where the category
does not need a known one, so that a rule covers the category rather than a
document's wording.  Each category has names it must find, with their exact
type, and names that look alike and must not be taken for a body.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from tests.extract.named_helpers import cited, found

# --- bodies described in lower case where they are cited -----------------------


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("According with the statistics of the city police, accidents doubled.", "city police"),
        (
            "According to the Norwegian statistics office, 60% of homes use one.",
            "Norwegian statistics office",
        ),
        ("Data from the county health department show 40 new cases.", "county health department"),
        (
            "The readings were collected by the national weather service at the airport.",
            "national weather service",
        ),
        (
            "A cable from the US embassy in Moscow, dated 12 July, reported a poor harvest.",
            "US embassy in Moscow",
        ),
        (
            "The figures, published by the state audit office, cover five years.",
            "state audit office",
        ),
        (
            "The cuts are listed in the report of the city police budget committee.",
            "city police budget committee",
        ),
        (
            "The report of the regional water authority found the dam unsafe.",
            "regional water authority",
        ),
        (
            "per the statistics of the national tax agency, it is the most common refund.",
            "national tax agency",
        ),
    ],
)
def test_a_lower_case_body_is_cited_as_a_producer(text: str, body: str) -> None:
    assert found(text) == {body: "organisation"}


@pytest.mark.parametrize(
    ("text", "acronym"),
    [
        (
            "We use the panel collected by the national statistics agency (ANSD), waves 2011-2018.",
            "ANSD",
        ),
        (
            "Most figures come from a study by the Ivorian cocoa research centre (CNRA) in Divo.",
            "CNRA",
        ),
        ("According to the federal audit office (BRH), the project ran over budget.", "BRH"),
    ],
)
def test_an_acronym_after_a_described_body_is_its_name(text: str, acronym: str) -> None:
    assert found(text) == {acronym: "organisation"}


@pytest.mark.parametrize(
    "text",
    [
        # No citing context: the body is a place, an addressee or the news itself.
        "A residents' association brought a complaint before the city ombudsman last year.",
        "Protesters marched to the US embassy in Moscow on Sunday.",
        "The mayor wants to merge the city police with the county sheriff.",
        # Pointing back, or too vague to name one body.
        "According to the same department, the figure rose.",
        "According to the relevant authority, the permit is valid.",
        # The head noun only qualifies the noun after it.
        "According to the council's annual library statistics return, visits rose.",
        "The statistics of the city police budget show a rise in overtime.",
    ],
)
def test_a_lower_case_body_outside_a_citing_context_is_no_source(text: str) -> None:
    assert found(text) == {}


# --- descriptions that news writing uses for one known body ---------------------


@pytest.mark.parametrize(
    ("text", "name", "url"),
    [
        (
            "Output dropped 0.7% from October, the EU statistics office said.",
            "EU statistics office",
            "https://ec.europa.eu/eurostat",
        ),
        (
            "The UN nuclear watchdog said in a report that enrichment had resumed.",
            "UN nuclear watchdog",
            "https://www.iaea.org/",
        ),
        (
            "The U.N. health agency warned on Friday that cases were rising.",
            "U.N. health agency",
            "https://www.who.int/",
        ),
        (
            "According to Japan's central bank, wages rose at the fastest pace in decades.",
            "Japan's central bank",
            "https://www.boj.or.jp/",
        ),
        (
            "Data from the German statistics office show exports fell for a third month.",
            "German statistics office",
            "https://www.destatis.de/",
        ),
    ],
)
def test_a_known_bodys_description_finds_the_body(text: str, name: str, url: str) -> None:
    assert cited(text) == {name: ("organisation", url)}


def test_the_description_and_the_title_are_one_source() -> None:
    text = "Orders fell, Eurostat said. Output dropped too, the EU statistics office said."
    refs = find_named_references(text)
    assert len(refs) == 1
    assert refs[0].candidate_url == "https://ec.europa.eu/eurostat"
    assert len(refs[0].mentions or []) == 2


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Data from the Turkish central bank show reserves fell.", "Turkish central bank"),
        (
            "Figures from Tarnby's housing department show 300 empty flats.",
            "Tarnby's housing department",
        ),
    ],
)
def test_a_place_names_the_body_it_owns(text: str, body: str) -> None:
    assert found(text) == {body: "organisation"}


def test_the_central_bank_alone_points_back_and_names_none() -> None:
    assert found("According to the central bank, wages rose.") == {}


# --- a body described by its place, as the subject of a reporting verb -----------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Indonesia's disaster agency said 20 people died.", "Indonesia's disaster agency"),
        ("Kenyan police said 12 people died in the crash.", "Kenyan police"),
        ("The Nigerian army said it had killed 30 militants.", "Nigerian army"),
        ("Tarnby's housing department reported 300 empty flats.", "Tarnby's housing department"),
        (
            "Orran's state audit office has warned that the scheme is late.",
            "Orran's state audit office",
        ),
    ],
)
def test_a_place_and_its_lower_case_body_speak(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan police arrested 12 people after the match.",  # an act, not a statement
        "Indonesia's disaster season began early this year, residents said.",
    ],
)
def test_a_place_subject_without_a_body_and_its_statement_is_no_source(text: str) -> None:
    assert "Kenyan police" not in found(text)
    assert not any(name.startswith("Indonesia") for name in found(text))


def test_a_bodys_possessive_before_its_unit_keeps_the_body() -> None:
    text = "The World Bank's transport unit estimated the cost at $2bn."
    assert found(text) == {"World Bank": "organisation"}


# --- a body named again by its noun and one word of its name ----------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Talks with the Carrigmore Port Company broke down on Monday. The port company"
            " said in a statement that it had offered 9%.",
            "Carrigmore Port Company",
        ),
        (
            "The Orran Development Fund was set up in 2019. The development fund said it had"
            " lent 4 million.",
            "Orran Development Fund",
        ),
        (
            "Pay at the Valdren Health Department froze in May. The health department said"
            " cases fell.",
            "Valdren Health Department",
        ),
    ],
)
def test_the_noun_and_a_word_of_the_name_point_back_to_the_body(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_a_qualifier_that_is_no_word_of_the_name_points_back_to_nothing() -> None:
    text = (
        "Talks with the Carrigmore Port Company broke down on Monday. The state company"
        " said in a statement that it had offered 9%."
    )
    assert found(text) == {}
