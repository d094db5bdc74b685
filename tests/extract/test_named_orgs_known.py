"""Well-known bodies that writers cite by name alone, and the verbs and asides of forecasts.

A known body needs no word of a body in its name ("Eurocontrol", "Carabineros",
"Opta"): the list of known sources says what it is, wherever it stands, also
where its shape alone would read as a plural noun or a person.  A body that
"expects" something is cited for a forecast, like one that predicts it; an aside
such as "for its part" or "in turn" between the body and its verb changes nothing.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import cited, found


@pytest.mark.parametrize(
    ("text", "name", "url"),
    [
        (
            "Carabineros put the crowd at 40,000, well below the 200,000 on the banners.",
            "Carabineros",
            "https://www.carabineros.cl/",
        ),
        (
            "Eurocontrol said in its winter outlook that delays would rise.",
            "Eurocontrol",
            "https://www.eurocontrol.int/",
        ),
        (
            "Figures from Bankrate show the average card rate at 20.4%.",
            "Bankrate",
            "https://www.bankrate.com/",
        ),
        (
            "According to FBref, the striker has the most progressive carries in the league.",
            "FBref",
            "https://fbref.com/",
        ),
        (
            "Opta data show he has scored 14 times in the league this season.",
            "Opta",
            "https://www.statsperform.com/opta/",
        ),
        (
            "The Japan International Cooperation Agency said the loan would come in tranches.",
            "Japan International Cooperation Agency",
            "https://www.jica.go.jp/english/",
        ),
        (
            "Fire counts rose 40%, according to Brazil's National Institute for Space Research.",
            "Brazil's National Institute for Space Research",
            "https://www.gov.br/inpe/",
        ),
    ],
)
def test_a_known_body_is_found_by_its_name_alone(text: str, name: str, url: str) -> None:
    assert cited(text) == {name: ("organisation", url)}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Analysts at Itaú BBA wrote that the real would weaken further.", "Itaú BBA"),
        ("MapBiomas Fogo estimated that 3.1 million hectares burned.", "MapBiomas Fogo"),
    ],
)
def test_a_known_bodys_unit_after_its_name_is_a_body(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("IATA expects traffic to pass its 2019 level by 2027.", "IATA"),
        ("The Bank of Korea expects inflation to ease to 2% next year.", "Bank of Korea"),
        ("Fitch Ratings is expecting further downgrades in the sector.", "Fitch Ratings"),
        ("Eurocontrol for its part has noted that delays are growing.", "Eurocontrol"),
        ("The Bank of Korea, for its part, expects inflation to ease.", "Bank of Korea"),
        ("The central bank in turn said the peg would hold.", None),
        ("Statistics Korea in turn reported a 0.7 fertility rate.", "Statistics Korea"),
    ],
)
def test_a_body_that_expects_or_speaks_after_an_aside(text: str, name: str | None) -> None:
    assert found(text) == ({name: "organisation"} if name else {})


@pytest.mark.parametrize(
    "text",
    [
        "His lawyers went to the Administrative Court, which is expected to rule in April.",
        "The Harbour Board is expected to approve the budget on Friday.",
        "Investors expect two cuts this year.",
        "I expect fares to rise again.",
    ],
)
def test_a_forecast_about_a_body_or_by_nobody_named_cites_none(text: str) -> None:
    assert found(text) == {}


# A poll made for a newspaper or a broadcaster is the pollster's: the outlet that
# commissioned it, between the verb and "by" or after the pollster with "for", is
# not read into the pollster's name.


@pytest.mark.parametrize(
    ("text", "pollster"),
    [
        (
            "In a poll conducted for NHK by the Kestrel Research Center, 41% agreed.",
            "Kestrel Research Center",
        ),
        (
            "In a poll conducted by the Kestrel Research Center for NHK, 41% agreed.",
            "Kestrel Research Center",
        ),
        (
            "A survey carried out for the Valdren Herald by Orran Polling found 41% support.",
            "Orran Polling",
        ),
        (
            "A poll done for the Tarnby Gazette by Kestrel Research found 41% support.",
            "Kestrel Research",
        ),
        (
            "A poll prepared for the Tarnby Gazette by Marlow Insights found 41% support.",
            "Marlow Insights",
        ),
    ],
)
def test_a_poll_for_an_outlet_is_the_pollsters(text: str, pollster: str) -> None:
    assert {n: t for n, t in found(text).items() if t == "organisation"} == {
        pollster: "organisation"
    }
