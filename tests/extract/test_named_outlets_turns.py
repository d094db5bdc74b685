"""Outlets cited in a transcript's speaker turns ("HOST: The Times reported …").

A label in capitals and a colon opens each turn of an interview or a radio
transcript; the host cites outlets there as much as the guest does.  A line that
only credits the host ("Host: Jane Doe") names no source either way.  The phrasings
are written for these tests.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("HOST: The Guardian reported last week that the deal had collapsed.", "Guardian"),
        ("Host: Reuters says the contract went to a consortium. Is that right?", "Reuters"),
        ("INTERVIEWER: According to Al Jazeera, talks resumed on Monday.", "Al Jazeera"),
        (
            "Interviewer: You told the Financial Times in March that prices would fall.",
            "Financial Times",
        ),
    ],
)
def test_a_host_turn_cites_outlets(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    "text",
    [
        "Host: Maya Lawati\nProducer: Sam Reed\n",
        "INTERVIEWER: Good morning and welcome back to the programme.",
    ],
)
def test_a_host_credit_or_greeting_names_no_source(text: str) -> None:
    assert found(text) == {}


# --- An outlet's owner or backer before its name describes it -----------------------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Saudi-owned Al Arabiya reported 40 dead.", "Al Arabiya"),
        ("State-run Xinhua news agency said 40 were dead.", "Xinhua"),
        ("Kremlin-backed RT reported that the talks failed.", "RT"),
        ("Qatar-based Al Jazeera said the talks failed.", "Al Jazeera"),
        ("Pro-Kremlin Izvestia claimed the protest was funded abroad.", "Izvestia"),
        ("Broadcaster RTVE said 40 were dead.", "RTVE"),
        ("Newspaper Kathimerini reported that talks stalled.", "Kathimerini"),
    ],
)
def test_an_owner_or_a_description_before_the_name_is_not_part_of_it(
    text: str, outlet: str
) -> None:
    assert found(text) == {outlet: "outlet"}


# --- A newsroom's own idioms -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("The plan is dead, the Hindustan Times has learnt.", "Hindustan Times"),
        ("The Times of India has learned that the tender was cancelled.", "Times of India"),
        ("Prices rose 4% in March (Reuters).", "Reuters"),
        ("The plant will close next year (Nikkei, 3 March).", "Nikkei"),
    ],
)
def test_a_newsrooms_idiom_cites_it(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    "text",
    [
        "LONDON, Nov 18 (Reuters) - Copper prices sank to their lowest in 14 months.",
        "The Pulse survey (Nature) is weekly.",  # an ordinary word that is a title too
        "Agence Harbour (AH) said the plan was dead.",  # an abbreviation after a name
    ],
)
def test_brackets_that_credit_no_outlet(text: str) -> None:
    names = found(text)
    assert "Reuters" not in names and "Nature" not in names and "AH" not in names


# --- A periodical's name opening with its article ---------------------------------------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("La Voz del Sur reported that the dam had failed.", "La Voz del Sur"),
        ("The mayor told La Voz del Sur that the dam had failed.", "La Voz del Sur"),
        ("In an interview with Le Petit Quotidien, she denied it.", "Le Petit Quotidien"),
        ("Il Giornale di Vicenza wrote that the plant would close.", "Il Giornale di Vicenza"),
        (
            "The club's president declared to El Diario de Tarnby that works start in May.",
            "El Diario de Tarnby",
        ),
    ],
)
def test_a_name_opening_with_a_foreign_article_is_a_periodical(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Le Pen said the vote was rigged.", "Le Pen"),
        ("Marine Le Pen said the vote was rigged.", "Marine Le Pen"),
        ("Bruno Le Maire told reporters the deficit would narrow.", "Bruno Le Maire"),
    ],
)
def test_a_surname_with_an_article_stays_a_person(text: str, person: str) -> None:
    assert found(text).get(person) == "person"
