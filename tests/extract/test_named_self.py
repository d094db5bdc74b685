"""The author's own earlier work named by its time and place, not by a title.

Columnists, reporters, hosts and press offices point back at what they published or
said before in the words of the sentence: "I wrote in this space two years ago", "we
reported already in September", "when we spoke last February".  The entry keeps those
words, with the time that dates them.  A first-person verb with no place, time or guest
cites nothing: "I wrote to the council", "we spoke to residents".
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


def _self(text: str) -> list[str]:
    return [name for name, kind in found(text).items() if kind == "self"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # where it was published, then when
        (
            "I wrote in this space two years ago that the paper was in trouble.",
            "I wrote in this space two years ago",
        ),
        (
            "I wrote in these pages last year that the ban would be popular.",
            "I wrote in these pages last year",
        ),
        (
            "I had predicted in these pages in 2019 that the scheme would fail.",
            "I had predicted in these pages in 2019",
        ),
        ("As I argued here in May, the plan has a hole in it.", "As I argued here in May"),
        ("I argued here two weeks ago that the plan was doomed.", "I argued here two weeks ago"),
        (
            "As we argued in this newsletter in January, one devaluation is a policy.",
            "As we argued in this newsletter in January",
        ),
        (
            "I wrote in this very column in 2022 that the tax would fail.",
            "I wrote in this very column in 2022",
        ),
        # when, then where
        (
            "I argued two years ago in this column that the proof had shifted.",
            "I argued two years ago in this column",
        ),
        # adverbs before and after the verb, as non-native English places them
        (
            "We reported already in September about the falling tax income.",
            "We reported already in September",
        ),
        (
            "We already reported in March that the hospital was short of nurses.",
            "We already reported in March",
        ),
        (
            "We first reported on the contract in 2023, when the tender closed.",
            "We first reported on the contract in 2023",
        ),
        (
            "I wrote about this pattern back in January, after the anniversary.",
            "I wrote about this pattern back in January",
        ),
        ("We covered it in 2021, when the plant opened.", "We covered it in 2021"),
        # "as" and "like", active and perfect
        (
            "As we reported in October, the legislature built in a review.",
            "As we reported in October",
        ),
        (
            "As we have reported before, the mine has no water licence.",
            "As we have reported before",
        ),
        # "a review" is a word of the sentence, not the work the author points back at
        ("As we reported, the legislature also built in a review of the wage.", "As we reported"),
        ("Like I told you last week, the vote is not safe.", "Like I told you last week"),
    ],
)
def test_the_author_points_back_by_place_and_time(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Back in 2019 I wrote that the bridge would need replacing.", "Back in 2019 I wrote"),
        ("Last year I argued that the bridge would need replacing.", "Last year I argued"),
        ("Two years ago we wrote that the scheme was doomed.", "Two years ago we wrote"),
        ("In May we reported that the pier was unsafe.", "In May we reported"),
        (
            "We have reported extensively on this since 2021.",
            "We have reported extensively on this since 2021",
        ),
        ("How we wrote already two weeks ago, the plant closes.", "we wrote already two weeks ago"),
        (
            "We informed already in March about the closure of the plant.",
            "We informed already in March",
        ),
    ],
)
def test_the_time_first_and_the_ways_non_native_english_orders_it(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "As announced in our release of 14 January, the prize fund has grown.",
            "As announced in our release of 14 January",
        ),
        (
            "Like we have written in our reportage of last December, many hope to return.",
            "Like we have written in our reportage of last December",
        ),
        ("In our previous release, we announced the shortlist.", "our previous release"),
        ("Our statement of 3 March still stands.", "Our statement of 3 March"),
        ("This is something we flagged in our March newsletter.", "our March newsletter"),
        ("See our explainer from March for the background.", "our explainer from March"),
        (
            "Listeners may remember our conversation in 2021 about the dam.",
            "our conversation in 2021",
        ),
        ("Like we told in our last program, the plant closes.", "our last program"),
    ],
)
def test_a_dated_earlier_piece_is_the_authors_own(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "When we spoke last February, you said the virus would keep coming back.",
            "When we spoke last February",
        ),
        (
            "We spoke in 2022, yes, on this programme, about trial fatigue.",
            "We spoke in 2022, yes, on this programme",
        ),
        (
            "The last time we had you on, you were worried about the harvest.",
            "The last time we had you on",
        ),
        (
            "Last time we had you on the show, you were worried about the harvest.",
            "Last time we had you on the show",
        ),
        (
            "When you were last on the show, you said prices would fall.",
            "When you were last on the show",
        ),
        (
            "When you were here in 2023, you told us prices would fall.",
            "When you were here in 2023",
        ),
        ("When we last spoke, you were still at the ministry.", "When we last spoke"),
        (
            "You told this programme in 2023 that the plant would close.",
            "You told this programme in 2023",
        ),
        ("You told us last year that the plant would close.", "You told us last year"),
        ("We talked about this on the show in April.", "We talked about this on the show in April"),
        (
            "We discussed it on air last spring with the minister.",
            "We discussed it on air last spring",
        ),
        (
            "We had the minister on this programme last September, and he told us the "
            "shortages were easing.",
            "on this programme last September",
        ),
    ],
)
def test_an_earlier_conversation_with_the_guest_is_the_programmes_own(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("This column has long argued that rents are too high.", "This column has long argued"),
        (
            "This newsletter has repeatedly warned about the debt.",
            "This newsletter has repeatedly warned",
        ),
        (
            "As this paper revealed in 2021, the contract was never tendered.",
            "As this paper revealed in 2021",
        ),
        (
            "This newspaper reported in 2022 that the contract was never tendered.",
            "This newspaper reported in 2022",
        ),
        (
            "As previously reported by this newspaper, the minister owns shares.",
            "As previously reported by this newspaper",
        ),
        ("As reported here in May, the board met in secret.", "As reported here in May"),
    ],
)
def test_the_publication_pointing_back_at_itself(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("In an earlier episode we went through the history of the dam.", "In an earlier episode"),
        ("In a previous post I explained how the sensors work.", "In a previous post"),
        ("Last week's newsletter covered the strike.", "Last week's newsletter"),
        ("In the previous episode we talked about the dam.", "In the previous episode"),
        ("Like I said in the last video, the batteries are fine.", "in the last video"),
        ("Listeners can find that episode, number 64, in our archive.", "episode, number 64"),
    ],
)
def test_an_earlier_instalment_of_the_series(text: str, name: str) -> None:
    assert _self(text) == [name]


def test_a_work_named_beside_its_time_is_one_citation() -> None:
    text = "As I wrote last year in my post about Lisbon, the bureaucracy is slow."
    assert _self(text) == ["my post"]
    text = "This post is the long version of a thread I posted in July."
    assert _self(text) == ["thread I posted in July"]


@pytest.mark.parametrize(
    "text",
    [
        # first-person narration that cites nothing
        "I wrote to the council in March to complain.",
        "I wrote to the council last year about the potholes.",
        "We spoke to residents last week about the flooding.",
        "I reported the pothole to the council two weeks ago.",
        "I reported it to police last year.",
        "We announced the winners of the 2025 prize on 3 March.",
        "We reported record revenue in June.",
        "We met in 2019 at a conference in Lisbon.",
        "When we met the minister last year, he refused to comment.",
        "We talked last week and she said the deal was off.",
        "I argued with my brother last year about the tax.",
        "We first met her in 2015, when she was a nurse.",
        "In the past, we wrote letters to the editor.",
        "In March we announced a partnership with a recycling firm.",
        "In 2019 we reported a loss of 3 million euros.",
        "We have lived here since 2019.",
        "Since 2019 we have written to the council every year.",
        "Thanks to everyone who commented on the last post.",
        # a place, not a publication
        "In this space last year there was a car park.",
        "We opened our shop in this space in 2021.",
        "When you were here in Nairobi, did you visit the market?",
        # the text itself, or a place inside it
        "This paper argues that the tax is regressive.",
        "This paper has shown that waiting times rose.",
        "As noted above, the sensors drift.",
        "As noted here, the sensors drift.",
        "As I said earlier, the numbers are small.",
        "In a previous chapter I described the mill.",
        "We did ask the agency for an interview for this episode; it did not respond.",
        # the first person of someone quoted: their words, not the author's earlier work
        '"As I argued last year, the tax is wrong," the minister said.',
        '"We reported in March that revenue fell," the chief executive said.',
        "“In my previous video I showed the mill,” she said.",
        # someone else's series, and plain words that are also work nouns
        "In an earlier episode of Succession, Kendall betrays his father.",
        "In the last episode of the series, the detective retires.",
        '"Even the pluckers I hired have gone to look for casual work in town," he said.',
        "We are in the top third of universities for research funding per student.",
    ],
)
def test_first_person_narration_cites_no_earlier_work(text: str) -> None:
    assert _self(text) == []
