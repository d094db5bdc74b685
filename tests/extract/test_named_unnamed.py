"""Unnamed sources and the author's own earlier work, by category of the language.

Each test writes its own sentences in the construction it covers, in several
phrasings (news, academic, show notes, transcripts, non-native English), with cases
that must stay silent beside the ones that must be found.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from tests.extract.named_helpers import found, only

# ---- unnamed sources ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Two people familiar with the matter said the deal could close next week.",
            "Two people familiar with the matter",
        ),
        (
            "The deal could close next week, according to people familiar with the talks.",
            "people familiar with the talks",
        ),
        (
            "A person with knowledge of the negotiations said the offer was withdrawn.",
            "A person with knowledge of the negotiations",
        ),
        ("Sources close to the minister said she would resign.", "Sources close to the minister"),
        (
            "A senior administration official told reporters the sanctions would stay.",
            "A senior administration official",
        ),
        ("Two diplomats said the vote had been delayed.", "Two diplomats"),
        ("An industry source said output would fall.", "An industry source"),
        ("Insiders say the board is split.", "Insiders"),
        ("According to people briefed on the plan, jobs will go.", "people briefed on the plan"),
        ("A government source told us the budget would slip.", "A government source"),
        (
            "One analyst, who declined to be identified, said the shares were overvalued.",
            "One analyst, who declined to be identified",
        ),
        (
            "The company is preparing a sale, people familiar with the matter said.",
            "people familiar with the matter",
        ),
        (
            "The plan was approved, a senior EU official said, speaking on condition of anonymity.",
            "a senior EU official",
        ),
        (
            "A Treasury official, who asked not to be named because the decision was not "
            "yet public, said the cap would rise.",
            "A Treasury official, who asked not to be named",
        ),
        ('"It is over," one minister told us.', "one minister"),
        (
            "Several people involved in the negotiations said the text was final.",
            "Several people involved in the negotiations",
        ),
        ("A source at the ministry confirmed the figures.", "A source at the ministry"),
        ("According to a source, the plant will close.", "a source"),
        ("The decision, sources said, was taken in May.", "sources"),
        ("One farmer in Tra Vinh told me the water was salty.", "One farmer in Tra Vinh"),
        ("Farmers I have spoken to say they were not opposed.", "Farmers I have spoken to"),
        ("An aide to the senator said the vote would be delayed.", "An aide to the senator"),
        ("The talks had stalled, said a senior Western diplomat.", "a senior Western diplomat"),
        (
            "A police officer at the scene, who did not give his name, said three people "
            "were hurt.",
            "A police officer at the scene, who did not give his name",
        ),
        ("One resident, who gave only her first name, said the water was brown.", "One resident"),
        (
            "A nurse who asked that her name not be used said the ward was full.",
            "A nurse who asked that her name not be used",
        ),
        (
            "The paper was told by a former employee that the machines were unsafe.",
            "a former employee",
        ),
        ("Some residents we interviewed said they would leave.", "Some residents we interviewed"),
    ],
)
def test_unnamed_sources_are_kept_as_anonymous(text: str, name: str) -> None:
    assert found(text) == {name: "anonymous"}


@pytest.mark.parametrize(
    "text",
    [
        "The energy sources said to be cheapest are solar and wind.",
        "He is familiar with the area and knows the farmers.",
        "A house close to the river was flooded.",
        "When a reporter writes that an official told the agency something, readers trust it.",
        "It did not give a cause for the collapse.",
        "The chart comes from a 2012 brochure by a boiler manufacturer.",
        "Keeping the record means archiving the sources of official reports.",
    ],
)
def test_descriptions_that_are_not_unnamed_sources(text: str) -> None:
    assert "anonymous" not in found(text).values()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("And the owners I talked to say feed costs have doubled.", "the owners I talked to"),
        ("But the traders we interviewed told us prices rose.", "the traders we interviewed"),
        ("So nurses I spoke with say the ward is short of staff.", "nurses I spoke with"),
        (
            "Parents we met at the gate complained that the bus is late.",
            "Parents we met at the gate",
        ),
        (
            "According to shopkeepers I talked to, rents have tripled.",
            "shopkeepers I talked to",
        ),
    ],
)
def test_a_group_the_author_spoke_to_is_a_source_when_it_says_something(
    text: str, name: str
) -> None:
    assert found(text) == {name: "anonymous"}


@pytest.mark.parametrize(
    "text",
    [
        # the author's rounds and the group's mood, not a cited claim
        "Teachers I spoke with are uneasy.",
        "The farmers I spoke to in the delta last month were not opposed to the barrage.",
        "It is the only day when the people I met at the market can come.",
        "And the owners I talked to are mostly young.",
        "Most of the voters we interviewed were undecided.",
    ],
)
def test_a_group_the_author_spoke_to_without_a_claim_is_narration(text: str) -> None:
    assert "anonymous" not in found(text).values()


@pytest.mark.parametrize(
    "text",
    [
        # a preposition or conjunction ends the noun phrase before the person's noun
        "Water levels are watched by a prefectural panel after residents complained.",
        "The plan went to a committee before voters said no in May.",
        "A deal was struck within a week as workers complained about pay.",
        # a document's noun after the person's noun: the person only qualifies it
        "Analysts at the bank wrote in a client note on Tuesday that output would fall.",
        "The figures come from a customer report on the outage.",
    ],
)
def test_the_noun_phrase_of_an_unnamed_source_ends_where_the_phrase_does(text: str) -> None:
    assert "anonymous" not in found(text).values()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A resident say the water is brown since March.", "A resident"),
        ("One farmer tell me the price is low this year.", "One farmer"),
        (
            "A senior prefectural official said the panel would meet.",
            "A senior prefectural official",
        ),
    ],
)
def test_a_described_speaker_with_a_bare_verb_of_saying(text: str, name: str) -> None:
    assert found(text) == {name: "anonymous"}


# ---- the author's own earlier work ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("In my previous video I showed how the press works.", "my previous video"),
        ("Our own analysis of the data found the same trend.", "Our own analysis"),
        ("We covered this in episode 41.", "episode 41"),
        ("I've written about this before (see Sunday links #97, on storage).", "Sunday links #97"),
        ("In my video from last year (vlog #31) I show the whole process.", "vlog #31"),
        (
            "Back in my [earlier post on drip timers](https://x.example/p), I was wrong.",
            "my earlier post",
        ),
        (
            "As this newsletter reported in March, the vote was delayed.",
            "As this newsletter reported",
        ),
        ("As we have reported, the mayor resigned.", "we have reported"),
        ("Regular readers will remember my 2021 piece on bus lanes.", "my 2021 piece"),
        ("If you missed it, check out my last video about the harvest.", "my last video"),
        ("We looked at this in our 2023 report on rents.", "our 2023 report"),
        ("As I argued in my column last month, the tax is a mistake.", "my column"),
        ("We have written about the dam before.", "We have written about the dam before"),
    ],
)
def test_the_authors_own_earlier_work_is_self(text: str, name: str) -> None:
    cited = only(text)
    assert cited.source_type == "self"
    assert name.lower() in (cited.source_name or "").lower()


@pytest.mark.parametrize(
    "text",
    [
        "In this episode 42 we talk about herring.",
        "We were ranked #1 in the region.",
        "As I said above, the numbers are small.",
        "As noted above, the sensors drift.",
    ],
)
def test_the_work_itself_or_the_same_text_is_no_earlier_work(text: str) -> None:
    assert "self" not in found(text).values()


def test_mentions_of_one_earlier_work_are_one_citation() -> None:
    text = (
        "In my last video I showed the mill. If you did not see my previous video, watch "
        "it first. In my video from last year (vlog #31) I show the bottling, and vlog #31 "
        "is still the most watched."
    )
    cited = [c for c in find_named_references(text) if c.source_type == "self"]
    assert sorted(len(c.mentions) for c in cited) == [2, 2]
    assert {c.source_name for c in cited} == {"my last video", "vlog #31"} or {
        c.source_name for c in cited
    } == {"my previous video", "vlog #31"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a clause without commas between the speaker and the verb
        (
            "An official who was in the room described the mood as grim.",
            "An official who was in the room",
        ),
        (
            "A member of the committee that viewed the film said two scenes were cut.",
            "A member of the committee that viewed the film",
        ),
        (
            "A resident who lives near the plant says the smell is worse at night.",
            "A resident who lives near the plant",
        ),
        # where the speaker is based, and the object of the marker up to the verb
        ("A diplomat based in Geneva said talks would resume.", "A diplomat based in Geneva"),
        (
            "A source with direct knowledge of the deal confirmed the price.",
            "A source with direct knowledge of the deal",
        ),
        # plain words for a person
        ("An elderly man told me he had never seen such floods.", "An elderly man"),
        (
            "A woman who sells vegetables at the market said prices had doubled.",
            "A woman who sells vegetables at the market",
        ),
        ("Two women in the queue said they had waited since dawn.", "Two women in the queue"),
    ],
)
def test_the_speakers_description_reaches_its_verb(text: str, name: str) -> None:
    assert found(text) == {name: "anonymous"}


@pytest.mark.parametrize(
    "text",
    [
        "A teacher who said he was tired left early.",
        "A worker who was injured in the blast was taken to hospital.",
        "A man was killed in the blast on Tuesday.",
        "The case was brought by a tenant who was evicted weeks after complaining about damp.",
    ],
)
def test_a_described_person_who_says_nothing_is_no_source(text: str) -> None:
    assert "anonymous" not in found(text).values()


def test_the_description_of_a_named_person_is_no_unnamed_source() -> None:
    text = (
        "The case was brought by Amira Doyle, a care worker from Luton who was served "
        "with a possession notice after she complained about damp."
    )
    assert "anonymous" not in found(text).values()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Someone close to the coach told us he would stay.", "Someone close to the coach"),
        (
            "Someone familiar with the plans said the sale was off.",
            "Someone familiar with the plans",
        ),
    ],
)
def test_someone_described_by_a_marker(text: str, name: str) -> None:
    assert found(text) == {name: "anonymous"}


@pytest.mark.parametrize(
    "text",
    [
        "Someone close to me died last year.",
        "A person close to the family lives next door.",
        "People familiar with the area know the road floods.",
    ],
)
def test_a_marker_without_a_verb_of_saying_cites_no_one(text: str) -> None:
    assert "anonymous" not in found(text).values()
