"""The author's own earlier instalments and pieces by number, day, part or year.

A show, newsletter or column points back at its own series by the instalment's number
("in episode 62 we said", "we covered this in #14"), its day ("on the March 3 show",
"our Tuesday issue"), its part ("we looked at this in part one") or a count ("a few
episodes ago"); the text's own parts, other people's shows and the text's running work
are none.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


def _self(text: str) -> list[str]:
    return [name for name, kind in found(text).items() if kind == "self"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the number before or after the author's verb, the time first or last
        ("Back in episode 22 we talked about why the sunshield took so long.", "episode 22"),
        ("Correction: in episode 62 we said the cap was 12.", "episode 62"),
        ("We first talked about the label's finances in episode 40.", "episode 40"),
        ("We covered this in #14, when the bill was first filed.", "#14"),
        ("I made the same point in No. 212 of this letter.", "No. 212"),
        # a day or a date instead of a number
        ("As we said on the March 3 show, the numbers were off.", "the March 3 show"),
        ("I explained the method in our Tuesday issue.", "our Tuesday issue"),
        ("I flagged the vote in last Tuesday's newsletter.", "last Tuesday's newsletter"),
        ("We mentioned it on Monday's show, briefly.", "Monday's show"),
        ("I linked the report in yesterday's newsletter.", "yesterday's newsletter"),
        ("In our 12 March newsletter I wrote that the rate would rise.", "our 12 March newsletter"),
        (
            "We first covered the strike in the May 2 edition of this newsletter.",
            "the May 2 edition",
        ),
        # a part of a series, in the past
        ("We looked at the history of the dam in part one.", "part one"),
        (
            "In the first part of this series I described how the fund began.",
            "the first part of this series",
        ),
    ],
)
def test_an_earlier_instalment_by_its_number_day_or_part(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("See episode 12 for more on the dam.", "episode 12"),
        ("Go back and listen to episode 17 if you missed it.", "episode 17"),
        ("New here? Check out ep. 9 first.", "ep. 9"),
    ],
)
def test_a_show_pointing_listeners_at_its_own_numbered_episode(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        # the text's own parts, and parts to come
        "In Part II we describe the data and the sample.",
        "In part three we will look at wages.",
        "Next week, in part two, I'll cover the landlords.",
        # someone else's show, edition or episode; a concert; a rank
        "I went to the March 3 show at the Apollo.",
        "I read it in the Sunday edition of The Times.",
        "See episode 4 of The Crown for the scene.",
        "We were ranked #1 in the region.",
        "In today's newsletter we look at the budget.",
        # the work's noun qualifying the text's own material
        "Our interview material strongly supports this.",
        "Our survey data cover 412 households.",
        "We mapped the fires in our study area by hand.",
        "Our research team visited eleven villages.",
        # a request, not a work
        "I asked the district for any study it relied on.",
        "We asked the ministry for every report it had.",
    ],
)
def test_what_is_no_earlier_instalment_or_work(text: str) -> None:
    assert _self(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the publication's own scoop, dated
        ("We broke the story in March.", "We broke the story in March"),
        (
            "I first broke the news of the sale in 2022, when the board met.",
            "I first broke the news of the sale in 2022",
        ),
        # the last time the author wrote about it
        ("When I last wrote about the port, in 2021, traffic was falling.", "When I last wrote"),
        ("When we last covered the strike, the union was split.", "When we last covered"),
        # a piece dated by its year
        ("I made this argument in a 2019 video.", "2019 video"),
        ("We did a 2021 episode on the dam.", "2021 episode"),
    ],
)
def test_a_scoop_the_last_time_or_a_years_piece(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "We broke the news to her last week.",
        "When I wrote to the council, they ignored me.",
        "When we last reported our results, revenue fell.",
        "The pipe broke in March and we fixed it.",
    ],
)
def test_breaking_telling_or_reporting_results_is_no_earlier_piece(text: str) -> None:
    assert _self(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("As we said a few episodes ago, the dam leaks.", "a few episodes ago"),
        ("This came up a couple of episodes back.", "a couple of episodes back"),
        ("I flagged this two newsletters ago.", "two newsletters ago"),
        ("A few issues ago I wrote about the levy.", "A few issues ago"),
    ],
)
def test_an_instalment_counted_back_from_this_one(text: str, name: str) -> None:
    assert _self(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Two years ago the show was cancelled.",
        "A few weeks ago the council met.",
        "Several issues remain unresolved.",
    ],
)
def test_a_time_ago_without_the_series_is_no_instalment(text: str) -> None:
    assert _self(text) == []
