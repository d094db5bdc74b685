"""Outlets the prose describes as outlets, and outlets doing what only outlets do.

A noun beside the name says it is a publication ("the newsletter X", "X magazine",
"local broadcaster X"); a word of attribution beside it says it is cited.  Coverage
verbs ("covered", "aired"), "said to X" in translated English, an outlet's piece after
its possessive, and the "with information from" credit line of Spanish and Portuguese
desks.  The phrasings are written for these tests, in the registers citevault reads;
the outlet names are invented unless the test is about a known one.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Local broadcaster TVK showed footage of boats torn from their moorings.", "TVK"),
        ("Public broadcaster Radio Varna has reported three deaths.", "Radio Varna"),
        (
            "According to a count by the newsletter Pulsar360, the bill has 171 signatures.",
            "Pulsar360",
        ),
        ("The figures were first published by the news site Ventana Sur.", "Ventana Sur"),
        (
            "He said in an interview with the Brazilian daily Folha Ribeira that he would run.",
            "Folha Ribeira",
        ),
        (
            "She told the investigative website Kestrel Files that the audit was buried.",
            "Kestrel Files",
        ),
        (
            'In the fan forum "La Grada Digital" a user wrote that the stadium is home.',
            "La Grada Digital",
        ),
        ("The mayor spoke to the weekly Orran Voice on Friday.", "Orran Voice"),
    ],
)
def test_a_noun_before_the_name_makes_it_an_outlet(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Tembo magazine reported in September that the consortium wanted more support.", "Tembo"),
        ("The Kalimera newspaper has reported that talks stalled.", "Kalimera"),
        ("Sinar daily quoted a ministry official as saying the plan was delayed.", "Sinar"),
        ("Nuevo Dia newspaper, citing two officials, said the vote would be delayed.", "Nuevo Dia"),
        ("According to Pravo newspaper, the tender was cancelled.", "Pravo"),
    ],
)
def test_a_noun_after_the_name_makes_it_an_outlet(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    "text",
    [
        # a description with no attribution: a mention, not a citation
        "She worked for the newspaper Korvin Post for a decade.",
        "The daily Lamego Herald was founded in 1921 by a printer.",
        # an agreement, a stake, a sale: prepositions that cite only after speech
        "The race signed a broadcasting agreement with the public broadcaster VRN.",
        "The family sold its stake in the newspaper Varna Courier last year.",
        # a website "on" which something is sold or posted is a platform
        "The tickets went on sale on the website Ticketo on Monday.",
        # ownership is no citation
        "The channel was owned by the broadcaster Tele5 until 2019.",
        # "daily" and "weekly" are adjectives too: the name qualifies the noun after it
        "He said in the daily Kremlin briefing that talks were over.",
        "She told the weekly Cabinet meeting that the budget was late.",
        "The figures come from the weekly Pulse survey, which shows prices rising.",
        "Netflix's weekly Top 10 list put the series first, the platform said.",
    ],
)
def test_a_described_outlet_without_attribution_is_not_cited(text: str) -> None:
    assert "outlet" not in found(text).values()


def test_a_bodys_newspaper_is_the_paper_named_after_it() -> None:
    text = "The Workers' Party newspaper Nodong Post reported that the harvest failed."
    names = found(text)
    assert names.get("Nodong Post") == "outlet"
    assert "Workers' Party" not in names


@pytest.mark.parametrize(
    ("text", "outlets"),
    [
        (
            "*Anime News Network* and *Variety* covered the dispute.",
            {"Anime News Network", "Variety"},
        ),
        ("The Guardian and Le Monde covered the trial.", {"Guardian", "Le Monde"}),
        ("Al Jazeera aired the footage on Sunday night.", {"Al Jazeera"}),
        ("The Times of India carried the interview in full.", {"Times of India"}),
    ],
)
def test_outlets_before_a_verb_of_coverage(text: str, outlets: set[str]) -> None:
    names = found(text)
    assert {n for n in outlets if names.get(n) == "outlet"} == outlets


@pytest.mark.parametrize(
    "text",
    [
        "A poll by Ifop for the Journal du Dimanche covered 1,000 voters.",
        "Insurance covered the costs, and Harrow Council aired its concerns.",
        "Mariner Shipping carried the cargo to Valdren.",
    ],
)
def test_a_verb_of_coverage_after_a_body_cites_no_outlet(text: str) -> None:
    assert "Ifop for the Journal du Dimanche" not in found(text)
    assert "outlet" not in {t for n, t in found(text).items() if n != "Journal du Dimanche"}


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("The engineer evaluated to Anadolu Agency that the flights fill a gap.", "Anadolu Agency"),
        (
            "The coach commented to the Buenos Aires Herald that he would stay.",
            "Buenos Aires Herald",
        ),
        ("In statements to Reuters, the minister denied the report.", "Reuters"),
        (
            "The club president has declared to Kolkata Times that works start in May.",
            "Kolkata Times",
        ),
    ],
)
def test_a_reporting_verb_to_an_outlet(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    "text",
    [
        "The committee reported to Parliament that the plan was late.",
        # a place, or the page's own paper, whose masthead the text no longer holds
        "She explained to La Serena that the rules had changed.",
        "The changes are due to Reuters Holdings' restructuring.",
    ],
)
def test_to_a_name_that_is_no_plain_outlet_cites_none(text: str) -> None:
    assert "outlet" not in found(text).values()


@pytest.mark.parametrize(
    ("text", "outlet", "piece"),
    [
        ("Emre reads out L'Équipe's version, which says Lille held out.", "L'Équipe", "version"),
        (
            "The Guardian's reporting showed the contracts were never tendered.",
            "Guardian",
            "reporting",
        ),
        ("Al Jazeera's footage shows the bridge collapsing.", "Al Jazeera", "footage"),
        ("By the Financial Times' count, 14 banks are exposed.", "Financial Times", "count"),
    ],
)
def test_an_outlets_piece_after_its_possessive(text: str, outlet: str, piece: str) -> None:
    cited = {c.source_name: (c.source_type, c.work_title) for c in _refs(text)}
    assert cited.get(outlet) == ("outlet", piece)


def test_a_possessive_of_a_body_before_a_piece_noun_is_no_outlet() -> None:
    assert "outlet" not in found("Acme Mining's version of events was disputed.").values()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "With information of Olé, La Capital and the club's communiqué.",
            {"Olé": "outlet", "La Capital": "outlet"},
        ),
        ("With files from The Canadian Press.", {"Canadian Press": "outlet"}),
        (
            "With inputs from PTI and the Ministry of Health.",
            {"PTI": "outlet", "Ministry of Health": "organisation"},
        ),
    ],
)
def test_a_credit_line_of_material(text: str, expected: dict[str, str]) -> None:
    assert found(text) == expected


def test_a_credit_of_people_is_not_a_credit_of_material() -> None:
    assert found("With thanks to Ana Ruiz and Tom Bell for their help.") == {}


def _refs(text: str) -> list:  # type: ignore[type-arg]
    from archive.extract.named import find_named_references

    return find_named_references(text)


@pytest.mark.parametrize(
    ("text", "outlet", "place"),
    [
        ("Japan's Nikkei reported that the plant would close.", "Nikkei", "Japan"),
        ("Qatar's Al Jazeera said the talks had failed.", "Al Jazeera", "Qatar"),
        (
            "It follows reports in the Taipei Times and Hong Kong's South China Morning Post.",
            "South China Morning Post",
            "Hong Kong",
        ),
    ],
)
def test_a_places_possessive_before_a_known_outlet(text: str, outlet: str, place: str) -> None:
    names = found(text)
    assert names.get(outlet) == "outlet"
    assert place not in names


def test_a_title_that_is_an_ordinary_word_keeps_its_owner() -> None:
    # "Outlook" is a magazine's name too; here it is the operator's daily forecast
    names = found("Source: California Independent System Operator, Today's Outlook")
    assert "outlet" not in names.values()
