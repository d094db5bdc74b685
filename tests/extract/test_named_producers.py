"""Bodies named as producers outside the reporting-verb grammar.

Each sentence is written for its category (news, wire, academic, show notes,
non-native English) with invented bodies, so that a rule covers the shape of
the language rather than one document's wording.  Each category has names it
must find, with their type, and look-alikes that must not be taken for a body.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

ORG = "organisation"

# --- a body does something "in its report", "in a statement" ------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "The Orran Ferry Company apologised to passengers in a statement on Tuesday.",
            "Orran Ferry Company",
        ),
        (
            "Kestrel Logistics Group, a freight forwarder, advised clients in a note that "
            "delays would last a week.",
            "Kestrel Logistics Group",
        ),
        (
            "The Valdren Water Authority in its annual report put leakage at 21 per cent.",
            "Valdren Water Authority",
        ),
        (
            "The river flooded twice last winter, so the Tarnby Flood Agency in its bulletin "
            "of March.",
            "Tarnby Flood Agency",
        ),
        (
            "Insurer Harbor Mutual raised its loss estimate by a third in a filing with "
            "regulators.",
            "Harbor Mutual",
        ),
        (
            "The Orran Statistics Office uses the census as a frame in its labour force and "
            "household reports.",
            "Orran Statistics Office",
        ),
    ],
)
def test_a_body_that_acts_in_its_own_document_is_its_producer(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


@pytest.mark.parametrize(
    ("text", "not_org"),
    [
        ("Maria Lopez apologised to passengers in a statement on Tuesday.", "Maria Lopez"),
        ("In Valdren in a report last year, officials said the road was closed.", "Valdren"),
    ],
)
def test_a_person_or_a_place_before_in_a_statement_is_no_body(text: str, not_org: str) -> None:
    assert found(text).get(not_org) != ORG


# --- a stance, or a list the body keeps -------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "But the Orran Medicines Agency has been clear that the shortage will last.",
            "Orran Medicines Agency",
        ),
        (
            "The Harbor City Transit Authority has long been vocal about the fare cap.",
            "Harbor City Transit Authority",
        ),
        (
            "The Valdren Housing Institute has its own register of empty homes.",
            "Valdren Housing Institute",
        ),
        (
            "The Tarnby Seabird Trust, which counts nesting pairs every June, keeps its own "
            "database of colonies.",
            "Tarnby Seabird Trust",
        ),
    ],
)
def test_a_stance_or_a_kept_list_makes_a_body_a_source(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_a_person_with_a_stance_is_no_body() -> None:
    assert ORG not in found("Tom Hale has been clear that he will run again.").values()


# --- an owner's possessive with no article -----------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Statistics Orran's labour force survey puts unemployment at 6 per cent.",
            "Statistics Orran",
        ),
        ("Kelpmoor's own annual report puts the deficit at 4 million.", "Kelpmoor"),
        (
            "The episode draws on Valdren Rail Company's punctuality figures for 2024.",
            "Valdren Rail Company",
        ),
        (
            "The Orran Medicines Agency's shortages list had 90 products on it.",
            "Orran Medicines Agency",
        ),
    ],
)
def test_an_owner_without_an_article_owns_the_work(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_a_surname_possessive_without_own_is_no_body() -> None:
    assert found("Hansen's annual report was late again.").get("Hansen") != ORG


# --- whose, the decision of, an analysis of … by --------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "We met the volunteers of the Orran Seabird Trust, whose annual census found "
            "fewer puffins.",
            "Orran Seabird Trust",
        ),
        (
            "Residents welcomed the decision of the Valdren Planning Commission to refuse "
            "the tower.",
            "Valdren Planning Commission",
        ),
        (
            "Rents rose 9 per cent, according to an analysis of tax records by the Harbor "
            "City Policy Institute.",
            "Harbor City Policy Institute",
        ),
    ],
)
def test_a_body_that_owns_decides_or_analyses(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_a_persons_decision_is_no_body() -> None:
    assert ORG not in found("The decision of Maria Lopez to resign surprised the board.").values()


# --- a government body named by its portfolio -------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The health ministry said on Monday that 12 people had died.", "health ministry"),
        (
            "The rules, which the competition watchdog confirmed last week, apply from May.",
            "competition watchdog",
        ),
        ("Exports fell, but the trade department said the dip was seasonal.", "trade department"),
    ],
)
def test_a_portfolio_body_as_subject_is_a_source(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


@pytest.mark.parametrize(
    "text",
    [
        "The same ministry said nothing about the delay.",
        "He walked to the justice ministry and said hello to the guards.",
        "The new agency will open in May.",
    ],
)
def test_a_vague_or_a_place_portfolio_is_no_source(text: str) -> None:
    assert found(text) == {}


# --- a body named by what it does, and a body's data by its head word ----------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Twelve boats capsized, so the organisers in their statement of Sunday.", "organisers"),
        (
            "The administration in its statement to the council proposes a sale of shares.",
            "administration",
        ),
    ],
)
def test_a_body_named_by_what_it_does_acts_in_its_statement(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_the_organisers_without_a_document_are_no_source() -> None:
    assert found("The organisers moved the start to six in the morning.") == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Nickel on the Orran Metals Exchange fell 3% in early trading, according to "
            "exchange data.",
            "Orran Metals Exchange",
        ),
        (
            "Deposits at the Valdren Cooperative Bank rose for a fifth month, according to "
            "bank figures.",
            "Valdren Cooperative Bank",
        ),
    ],
)
def test_data_named_by_the_head_word_of_a_body_named_before(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_data_named_by_a_word_no_body_before_carries_is_no_source() -> None:
    assert found("Shares in Orran Steel fell 4%, according to exchange data.") == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The governor's office said on Friday that the bridge would reopen.", "governor's office"),
        (
            "The mayor's office called the audit a smear in a statement on its website.",
            "mayor's office",
        ),
        (
            "Fees rose, but the prime minister's office confirmed the cap would stay.",
            "prime minister's office",
        ),
    ],
)
def test_the_office_of_a_post_speaks_for_it(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_the_office_of_a_post_as_a_place_is_no_source() -> None:
    assert found("Contracts went to firms close to people in the mayor's office.") == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Polling by the Valdren Policy Institute had support at 61 per cent.",
            "Valdren Policy Institute",
        ),
        ("Fieldwork by the Orran Survey Centre ran from 3 to 9 May.", "Orran Survey Centre"),
        (
            "Listings fell 3%, according to data from the rental platform FlatFinder.",
            "FlatFinder",
        ),
        (
            "Output rose 4%, according to figures from the state miner Kelvora.",
            "Kelvora",
        ),
    ],
)
def test_research_by_its_activity_and_a_described_producer(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_polling_of_people_is_no_body() -> None:
    assert found("Polling by phone had support at 61 per cent.") == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Land fraud was among the most common complaints received by the Orran Land "
            "Commission, the paper reported.",
            "Orran Land Commission",
        ),
        (
            "Applications lodged with the Valdren Patent Office rose by a tenth last year.",
            "Valdren Patent Office",
        ),
    ],
)
def test_the_body_that_keeps_a_record_of_what_it_received(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_a_letter_received_by_a_person_is_no_body() -> None:
    assert ORG not in found("Complaints received by Maria Lopez were passed on.").values()
