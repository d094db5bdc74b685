"""Bodies named by description, and documents named by the body behind them.

Writers name a body by its part in the story ("the organisers said", "according to
the joint bookrunners", "their association said"), speak of its spokesperson ("a
spokesman for the city council said"), or let an adjective stand for the producer of
a document ("customs data showed", "a district memo sent to principals", "a
prefectural survey of 6,000 residents").  The source keeps the words of the text.
The same nouns as objects or topics are no source.  Every sentence here is written
for its category, in news, wire, opinion, transcript and non-native English.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

ORG = "organisation"


# --- a collective body as the one that says -------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The organisers said 40,000 runners had entered.", "organisers"),
        ("Turnout was 12,000, according to the organizers.", "organizers"),
        ("The race organisers have confirmed that the route will change.", "race organisers"),
        ("Demand was strong, the festival's organisers told reporters on Sunday.", None),
        (
            "The book was covered four times, according to a note from the joint "
            "bookrunners on Friday.",
            "joint bookrunners",
        ),
        ("The underwriters said the offer would close early.", "underwriters"),
        (
            "The deficit will reach 12 million euro, so the estimation of the administration.",
            "administration",
        ),
        ("Their association said in a statement that the cut was illegal.", "Their association"),
        ("Its union warned members that the talks had failed.", "Its union"),
        ("Organisers said 40,000 runners had entered.", "Organisers"),
        ("Marathon organisers have said the route will change.", "Marathon organisers"),
    ],
)
def test_a_collective_body_says(text: str, name: str | None) -> None:
    names = found(text)
    if name is None:  # "the festival's organisers" keeps the festival's possessive
        assert names == {"festival's organisers": ORG}
    else:
        assert names == {name: ORG}


def test_an_appositive_names_the_collective_body() -> None:
    text = "Police counted 8,000 marchers; the organisers, the Tarnby Tenants Forum, said 30,000."
    assert found(text).get("Tarnby Tenants Forum") == ORG
    assert "organisers" not in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The organisers' tent blew over in the night.",
        "Fans blamed the organisers for the long queues.",
        "The administration cut the school budget again.",
        "She thanked their association for its help.",
        "The district administration had posted a guard at the gate.",
        "Critics said the organisers had ignored the heat.",
        # the company's management is the company, which the text names
        "Management said on the investor call that margins would rise.",
    ],
)
def test_a_collective_body_as_object_or_topic_is_no_source(text: str) -> None:
    assert ORG not in found(text).values()


# --- a government by its tier, a body of its members, a town's hall, in every voice -------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The provincial government said on Monday that 40 homes were lost.", None),
        ("The regional government has estimated the damage at 3 million euro.", None),
        ("According to the state administration, 1,200 people were moved.", None),
        ("The teachers' union said the offer was too low.", "teachers' union"),
        ("The rice farmers' association warned that prices would fall.", None),
        ("According to the nurses' union, 400 posts are vacant.", "nurses' union"),
        ("A statement from the dockworkers' union said pay had fallen.", None),
        ("City hall said the road would reopen in May.", "City hall"),
        ("The town hall told us that 14 families had applied.", "town hall"),
        ("The figure was confirmed by the organisers.", "organisers"),
        ("Attendance was estimated by the organizers at 30,000.", "organizers"),
        ("The turnout, as reported by the organisers, was 30,000.", "organisers"),
    ],
)
def test_a_described_body_in_any_voice(text: str, name: str | None) -> None:
    expected = {
        "The provincial": "provincial government",
        "The regional": "regional government",
        "According to the state": "state administration",
        "The rice": "rice farmers' association",
        "A statement": "dockworkers' union",
    }
    if name is None:
        name = next(v for k, v in expected.items() if text.startswith(k))
    assert found(text) == {name: ORG}


@pytest.mark.parametrize(
    "text",
    [
        "The government said taxes would rise.",
        "The teachers' union was founded in 1921.",
        "The report said he was hired by the organisers.",
        "According to the organisers' figures, audiences rose.",
        "Protesters marched on city hall on Friday.",
        "The provincial government cut the school budget.",
    ],
)
def test_a_described_body_as_object_topic_or_owner_is_no_source(text: str) -> None:
    assert ORG not in found(text).values()


# --- the body a spokesperson speaks for ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A spokesperson for the governor's office said the bill was under review.", None),
        ("A spokesman for the city council said it would appeal.", "city council"),
        (
            "The road will reopen in May, said a spokeswoman for the regional transport authority.",
            "regional transport authority",
        ),
        ("A representative of the organisers told us the date would not move.", "organisers"),
    ],
)
def test_a_spokesperson_speaks_for_a_described_body(text: str, name: str | None) -> None:
    assert found(text) == {name or "governor's office": ORG}


def test_a_named_spokesperson_is_the_source_not_the_body() -> None:
    names = found("A spokeswoman for the port authority, Ingrid Salo, said 23 ships waited.")
    assert "port authority" not in names


# --- a document named by the body behind it -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Exports fell 9% in May, customs data showed on Tuesday.", "customs data"),
        ("Customs figures show imports of rice doubled.", "Customs figures"),
        ("Police figures suggest burglaries fell by a third.", "Police figures"),
        (
            "A district memo sent to principals in August recommends longer drills.",
            "district memo",
        ),
        (
            "A ministry notice dated 3 May told schools to close early.",
            "ministry notice",
        ),
        (
            "The governor gave consent after a prefectural survey of 6,000 residents.",
            "prefectural survey",
        ),
        ("Births fell to 900, according to the county's own vital statistics.", None),
        ("According to municipal records, 412 homes stood empty.", "municipal records"),
        ("The number is drawn from county records.", "county records"),
    ],
)
def test_a_document_named_by_its_producer_is_cited(text: str, name: str | None) -> None:
    assert found(text) == {name or "county's own vital statistics": ORG}


@pytest.mark.parametrize(
    "text",
    [
        "The district budget was cut again this year.",
        "Customs officers seized 40 kilos at the border.",
        "The clearest evidence comes from customs filings reviewed by the Harbour Post.",
        "Kessa shipped more salt than any port, according to customs records kept at the "
        "State Archives.",
        "The police data was lost in the move.",
        "He sent a district memo to every school.",
    ],
)
def test_a_producers_document_as_topic_is_no_described_body(text: str) -> None:
    names = found(text)
    assert not any(n.lower().startswith(("district", "customs", "police")) for n in names)


# --- a described body's own work --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "The Kumamoto prefectural government's business survey found that 46 suppliers "
            "had expanded.",
            "Kumamoto prefectural government",
        ),
        (
            "The Brazilian government's Amazon Fire Plan mentions degradation only once.",
            "Brazilian government",
        ),
        (
            "The Orran county health department's annual report counts 312 cases.",
            "Orran county health department",
        ),
        ("The Kenyan health ministry's latest bulletin lists 14 deaths.", None),
    ],
)
def test_a_described_bodys_work_names_it(text: str, name: str | None) -> None:
    assert found(text).get(name or "Kenyan health ministry") == ORG


@pytest.mark.parametrize(
    "text",
    [
        "The government's plan to cut taxes failed in the Senate.",
        "The federal government's emission estimates left out degradation.",
        "The Orran city council's budget cuts closed two libraries.",
    ],
)
def test_a_vague_or_policy_possessive_is_no_source(text: str) -> None:
    names = found(text)
    assert not any(n.endswith(("government", "council")) for n in names)


# --- a place's body as the one that says, an aside between -----------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Okuyama's town hall (the village was merged into Iinan in 2004) told me that 14 "
            "families had applied.",
            "Okuyama's town hall",
        ),
        ("Kenya's government said 12 people had died.", "Kenya's government"),
        ("Tarnby's city hall has confirmed the closure.", "Tarnby's city hall"),
    ],
)
def test_a_places_body_says(text: str, name: str) -> None:
    assert found(text) == {name: ORG}


def test_a_places_body_as_a_topic_is_no_source() -> None:
    assert ORG not in found("Okuyama's town hall was built in 1931.").values()


# --- a described body behind a titled work, a system, a commissioned poll --------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "According to the Housing Panel 2026 of the Valdren regional bank, rents rose.",
            "Valdren regional bank",
        ),
        (
            "The figure comes from Orran's national market information system (OMIS).",
            "Orran's national market information system",
        ),
        (
            "The numbers are drawn from the county health department.",
            "county health department",
        ),
    ],
)
def test_a_described_body_behind_a_work_or_a_figure(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


def test_a_description_without_a_place_keeps_its_acronym() -> None:
    assert found("According to the national statistics agency (ANSD), 40 people died.") == {
        "ANSD": ORG
    }


@pytest.mark.parametrize(
    "text",
    [
        "In a poll conducted for the Orran Post by the Valdren Research Center, 41% agreed.",
        "A survey carried out for Radio Orran by the Valdren Research Center found 52% support.",
    ],
)
def test_a_poll_made_for_an_outlet_is_the_pollsters(text: str) -> None:
    assert "Valdren Research Center" in found(text)


def test_a_system_that_is_only_a_topic_is_no_source() -> None:
    assert ORG not in found("The national market information system crashed in May.").values()


# --- the verb before the body ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The race had 2,000 entries, like said the organisers.", "organisers"),
        ("As estimated the administration, the deficit is 12 million.", "administration"),
        ("The route will change, said the race organisers on Monday.", "race organisers"),
        ("The offer is too low, said the teachers' union in a statement.", "teachers' union"),
        ("Rents will rise, warns the provincial government.", "provincial government"),
    ],
)
def test_a_described_body_after_its_verb(text: str, name: str) -> None:
    assert found(text) == {name: ORG}


@pytest.mark.parametrize(
    "text",
    [
        "He told the organisers.",
        "The mayor informed the administration on Monday.",
        "He said the organisers were late.",
    ],
)
def test_a_described_body_as_the_verbs_object_is_no_source(text: str) -> None:
    assert ORG not in found(text).values()


@pytest.mark.parametrize(
    "text",
    [
        "Water levels are watched by a prefectural panel after residents complained.",
        "The plan was dropped by a council committee because parents objected.",
        "A review began in a district office when tenants complained.",
    ],
)
def test_a_body_then_people_across_a_conjunction_is_no_unnamed_speaker(text: str) -> None:
    assert "anonymous" not in found(text).values()


def test_an_unnamed_speaker_with_a_place_is_still_one() -> None:
    assert found("One farmer in the delta told me the price was low.") == {
        "One farmer in the delta": "anonymous"
    }


# --- an administrative unit for its own office ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A memo from the district told principals to run drills.", "district"),
        ("The district said in a memo that drills would continue.", "district"),
        ("Data from the prefecture show the population fell.", "prefecture"),
        ("A letter from the county told residents to boil water.", "county"),
    ],
)
def test_an_administrative_unit_speaks_for_its_office(text: str, name: str) -> None:
    assert found(text) == {name: ORG}


@pytest.mark.parametrize(
    "text",
    [
        "She moved to the county in 2001.",
        "Most of the district's schools closed.",
        "The district has 40 schools.",
        "The province launched its seismic programme in 2004.",
    ],
)
def test_an_administrative_unit_as_place_or_actor_is_no_source(text: str) -> None:
    assert ORG not in found(text).values()
