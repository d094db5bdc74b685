"""Named references to outlets in prose: newspapers, broadcasters, agencies, magazines.

The constructions that name an outlet as a source (told, said to, quoted by,
writing in, a piece about something in, reporting in, appearing on, picked up
by), the outlets of many countries and languages the list knows, a broadcaster's
regional service, a paper's edition and the head words papers are named by.  The
phrasings are written for these tests, in the registers citevault reads.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from tests.extract.named_helpers import found

# --- Prose: a piece, what it is about, then the periodical it ran in ---------------------


@pytest.mark.parametrize(
    ("text", "outlet", "work"),
    [
        (
            "There's a good analysis of how that worked in the Pharmaceutical Journal.",
            "Pharmaceutical Journal",
            "analysis",
        ),
        (
            "A series of articles on the ferry in the Seattle Times documented the complaints.",
            "Seattle Times",
            "series",
        ),
        (
            "An investigation into the contracts in Le Monde found more.",
            "Le Monde",
            "investigation",
        ),
        ("The review of the evidence in the Lancet was damning.", "Lancet", "review"),
    ],
)
def test_a_piece_about_something_in_an_outlet(text: str, outlet: str, work: str) -> None:
    cited = [c for c in find_named_references(text) if c.source_name == outlet]
    assert [(c.source_type, c.work_title) for c in cited] == [("outlet", work)]


@pytest.mark.parametrize(
    "text",
    [
        "A report on conditions in the Netherlands found more delays.",
        "An investigation into abuses in The Gambia was opened in May.",
        "The study of flooding in Harrowfield Valley took three years.",
    ],
)
def test_a_place_after_a_piece_is_not_an_outlet(text: str) -> None:
    assert "outlet" not in found(text).values()


def test_a_piece_about_a_body_keeps_the_body() -> None:
    text = "The chapter on Africa in the IPCC's Sixth Assessment Report is the one to read."
    assert found(text) == {"IPCC": "organisation"}


# --- Quoted or interviewed by an outlet, with an adverb between -------------------------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Another analyst, quoted anonymously by Le Monde, was less generous.", "Le Monde"),
        (
            "One banker, quoted at length by the Financial Times, called it a mistake.",
            "Financial Times",
        ),
        ("Speaking privately to Aftenposten, one official said the deal was dead.", "Aftenposten"),
        ("The mayor, interviewed separately by Die Zeit, said the opposite.", "Die Zeit"),
    ],
)
def test_quoted_or_interviewed_by_an_outlet(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


# --- Outlets of many countries and languages, by name after the usual triggers ----------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Transport Minister Kasper Holm told Børsen on Thursday that he expected bids.", "Børsen"),
        (
            "Its programme director told Heise in an interview that the money goes to upkeep.",
            "Heise",
        ),
        ('"My legs were saying no," she said to Taifa Leo after the race.', "Taifa Leo"),
        (
            "Another analyst, quoted anonymously by Retail Insider, was less generous.",
            "Retail Insider",
        ),
        ("The critic, writing in Klassekampen, called the album a landmark.", "Klassekampen"),
        ("According to Dagens Industri, the bank will cut 300 jobs.", "Dagens Industri"),
        ("The finance minister told Nairametrics the peg would not return.", "Nairametrics"),
        (
            "In an interview with Malayala Manorama, the actor denied the report.",
            "Malayala Manorama",
        ),
        ("The health secretary told The Philippine Star that stocks were low.", "Philippine Star"),
        ("Speaking to Gazeta.ru, the deputy said the law would pass.", "Gazeta.ru"),
        ("As Folha reported last week, the ministry had known for months.", "Folha"),
    ],
)
def test_an_outlet_the_list_knows_after_a_trigger(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    "text",
    [
        # a book whose title opens with a word an outlet's name folds to
        "Yunus argued in Banker to the Poor (1999) that small loans could lift borrowers.",
        # an outlet's name that is an ordinary word, opening a sentence
        "Billboard advertising along the motorway was banned in 2019.",
        "Deadline extensions were granted to 40 councils.",
        # a Malaysian state, not a Turkish paper
        "Floods hit Sabah and Sarawak after a week of rain.",
    ],
)
def test_ordinary_words_and_places_are_not_outlets(text: str) -> None:
    assert "outlet" not in found(text).values()


# --- A broadcaster's regional or named service, and a broadcaster glossed in English ----


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        (
            "The archive's director told NRK Buskerud that the recordings were withdrawn.",
            "NRK Buskerud",
        ),
        ("In an interview with CBC Manitoba, the minister said the plan was dead.", "CBC Manitoba"),
        ("The council leader told BBC Scotland the theatre would not reopen.", "BBC Scotland"),
        (
            "Speaking to BBC Radio Ulster, the chief constable defended the decision.",
            "BBC Radio Ulster",
        ),
        ("The minister told RTÉ Radio 1 that the plan was dead.", "RTÉ Radio 1"),
        ("The health secretary said to CNN Philippines that stocks were low.", "CNN Philippines"),
        ("According to SVT Nyheter, the bridge will stay closed until May.", "SVT Nyheter"),
    ],
)
def test_a_broadcasters_service_is_an_outlet(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("The BBC Trust said the complaint was upheld.", "BBC Trust", "organisation"),
        ("According to the Time Warner filing, revenue fell.", "Time Warner", "organisation"),
    ],
)
def test_a_body_named_after_an_outlet_is_not_its_service(text: str, name: str, kind: str) -> None:
    assert found(text).get(name) == kind


def test_a_number_after_an_outlets_name_is_no_service() -> None:
    assert found("Shares of Fortune 500 companies rose, according to Reuters.") == {
        "Reuters": "outlet"
    }


@pytest.mark.parametrize(
    "text",
    [
        "The archive director told NRK, the Norwegian Broadcasting Corporation, that the tapes "
        "were withdrawn. Later NRK reported that they were back.",
        "The Norwegian Broadcasting Corporation (NRK) reported that the tapes were withdrawn. "
        "NRK later said they were back.",
    ],
)
def test_a_broadcaster_and_its_english_name_are_one_source(text: str) -> None:
    outlets = [c for c in find_named_references(text) if c.source_type == "outlet"]
    assert [c.source_name in ("NRK", "Norwegian Broadcasting Corporation") for c in outlets] == [
        True
    ]


# --- Where an outlet carried the words: reporting in, appearing on, picked up by --------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Reporting in Klassekampen showed that the tapes had been sold.", "Klassekampen"),
        ("Coverage on CNN focused on the evacuation.", "CNN"),
        ("She made the case on a podcast on Radio France last week.", "Radio France"),
        ("He discussed the plan in a programme on NRK last week.", "NRK"),
        ("In a segment on CNN, the senator defended the bill.", "CNN"),
        ("Speaking on Newstalk, the minister denied the claim.", "Newstalk"),
        ("Appearing on Sky News, the minister denied the claim.", "Sky News"),
        ("In comments carried by Xinhua, the ministry said the talks went well.", "Xinhua"),
        ("The story was picked up by Aftenposten within the hour.", "Aftenposten"),
        ("The trial was covered extensively by Taifa Leo.", "Taifa Leo"),
        (
            "An interview aired by the Harbor City Gazette's video desk drew complaints.",
            "Harbor City Gazette",
        ),
    ],
)
def test_where_an_outlet_carried_the_words(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    "text",
    [
        "Damage covered by the Act is limited to the first year.",
        "Costs were carried by the Treasury until 2020.",
        "Our episode on Tuesday covered the vote.",
        # a show's own credit line is its publisher, not a source
        "Broadcast on Radio Sabarmati 91.4 FM, 22 November 2024.",
    ],
)
def test_those_words_before_no_outlet_name_none(text: str) -> None:
    assert "outlet" not in found(text).values()


def test_a_longer_trigger_at_the_same_word_wins() -> None:
    text = "A documentary on the Sahel drought by Al Jazeera followed three herders."
    assert found(text) == {"Al Jazeera": "outlet"}


# --- An edition after a known paper's name; two known outlets joined by "and" -----------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        (
            "Original article published in Le Progrès Lyon Métropole on 12 November.",
            "Le Progrès Lyon Métropole",
        ),
        ("The letter was reprinted in Le Monde Afrique.", "Le Monde Afrique"),
        ("Her column ran in The Globe and Mail for a decade.", "Globe and Mail"),
        ("The story ran in the New York Times Magazine in May.", "New York Times Magazine"),
    ],
)
def test_an_edition_of_a_known_outlet(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    ("text", "outlets"),
    [
        (
            "Reporting by the Press and Journal and BBC Alba helped us.",
            {"Press and Journal", "BBC Alba"},
        ),
        (
            "The story was picked up by the Globe and Mail and the Toronto Star.",
            {"Globe and Mail", "Toronto Star"},
        ),
        (
            "According to Reuters and the Associated Press, the talks failed.",
            {"Reuters", "Associated Press"},
        ),
    ],
)
def test_two_known_outlets_joined_by_and(text: str, outlets: set[str]) -> None:
    assert found(text) == dict.fromkeys(outlets, "outlet")


def test_one_journal_with_and_in_its_name_stays_one() -> None:
    assert found("A paper in Ecology and Society found the opposite.") == {
        "Ecology and Society": "outlet"
    }


def test_an_article_before_a_lead_word_does_not_stall_the_name() -> None:
    # "the" then "New": both words in front are dropped or kept, and the call returns
    from archive.extract.named.names import clean

    assert clean("the New York Times Magazine", 0)[0].endswith("York Times Magazine")


# --- A paper no list knows, by the head word of its name in its own language ------------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("The mayor told Bergens Nyheter that the budget was final.", "Bergens Nyheter"),
        (
            "In an interview with Kieler Nachrichten, the mayor defended the cuts.",
            "Kieler Nachrichten",
        ),
        ("According to Diario de Cádiz, the port will close in March.", "Diario de Cádiz"),
        (
            "The minister told Gazzetta di Parma that the plant would stay open.",
            "Gazzetta di Parma",
        ),
        ("Speaking to Harian Metro, the police chief urged calm.", "Harian Metro"),
        ("The coach told the Harbour Courant that the club would appeal.", "Harbour Courant"),
    ],
)
def test_a_papers_head_word_in_its_own_language(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


# --- A journalist with the paper they report for, where their reporting is cited --------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Helen Branswell at STAT has been great on this, we'll link her reporting.", "STAT"),
        (
            "Thanks to Maria Keane at the Irish Times for her reporting on the closure.",
            "Irish Times",
        ),
        ("We'll link the reporting of Helen Branswell at STAT.", "STAT"),
    ],
)
def test_a_journalists_paper_is_cited_beside_them(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # no reporting of theirs is cited
        ("Jane Doe, once a reporter at the Irish Times, now runs a bakery in Cork.", "Irish Times"),
        # a paper the list does not know may be an employer named in passing
        ("Our thanks to Maria Keane at the Harbour Gazette for her reporting.", "Harbour Gazette"),
        # a university is no paper
        (
            "Maria Keane of University College Dublin said the plan would fail.",
            "University College Dublin",
        ),
    ],
)
def test_an_affiliation_alone_cites_no_paper(text: str, absent: str) -> None:
    assert absent not in found(text)
