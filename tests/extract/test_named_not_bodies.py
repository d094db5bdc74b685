"""Names that look like a body's and are not one, and bodies' names that look odd.

Each sentence is written for its category (news, wire, academic, press releases,
non-native English) with invented bodies: an adjective or a bare noun opening a
sentence, a post and its field, a post before its holder, a state, a name run
across a blank line, a year cut short; and, the other way, a known body's
national branch and a name in Tagalog.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

ORG = "organisation"


# --- a known body's branch, names in another language -----------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("According to Oxfam Kenya, food prices doubled.", "Oxfam Kenya"),
        (
            "Amnesty International Nigeria said the arrests were arbitrary.",
            "Amnesty International Nigeria",
        ),
        (
            "According to the Kapisanan ng mga Magsasaka, farm-gate prices fell.",
            "Kapisanan ng mga Magsasaka",
        ),
    ],
)
def test_a_branch_or_a_tagalog_name_is_a_body(text: str, name: str) -> None:
    assert found(text).get(name) == ORG


# --- what is no body ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Administrative records show that waits grew in every region.",
        "Regional data suggest a smaller fall.",
        "Small-scale growers said the price was too low.",
        "Historical figures show the same pattern.",
    ],
)
def test_an_adjective_opening_a_sentence_is_no_name(text: str) -> None:
    assert ORG not in found(text).values()


def test_a_lone_body_noun_opening_a_sentence_is_no_name() -> None:
    names = found("Project files were obtained from the Orran State Archive under the FOI law.")
    assert "Project" not in names


def test_a_post_before_a_person_makes_a_person() -> None:
    names = found("Mining Minister Ada Obi told reporters that output would recover.")
    assert not any(kind == ORG and "Minister" in n for n, kind in names.items())
    assert names.get("Ada Obi") == "person"


def test_no_name_runs_across_a_blank_line() -> None:
    text = (
        "By Ada Obi, Economics Editor\n\n"
        "When the Orran Central Bank moved the rate, the Orran Treasury said in a statement "
        "that it agreed."
    )
    assert all("\n" not in n for n in found(text))


def test_a_year_inside_a_name_is_kept_whole_or_left_out() -> None:
    names = found("According to the Orran Housing Panel 2026 of the Valdren Bank, rents rose.")
    assert not any(n.endswith(("202", "20", "2")) for n in names)


@pytest.mark.parametrize(
    "country", ["Democratic Republic of the Congo", "Czech Republic", "Kingdom of Bahrain"]
)
def test_a_state_is_no_body(country: str) -> None:
    text = f"Most new residents came from the {country}, according to the Orran Census Office."
    assert found(text) == {"Orran Census Office": ORG}


def test_a_body_of_a_republic_is_a_body() -> None:
    text = "According to the Central Bank of the Republic of Orran, reserves fell."
    assert found(text) == {"Central Bank of the Republic of Orran": ORG}


@pytest.mark.parametrize(
    "text",
    [
        "**By Ada Obi, Economics Editor**\n\nWhen the Orran Central Bank moved the rate last "
        "week, it gave no reason. In a circular, the bank said it would let the market decide.",
        "ORRAN POST, Business Desk\n\nThe Orran Central Bank moved the rate last week. The "
        "bank said it would let the market decide.",
    ],
)
def test_a_body_named_back_to_stops_at_a_blank_line(text: str) -> None:
    assert found(text) == {"Orran Central Bank": ORG}


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Ana Ruiz, Vice-President Research, pointed to the new laboratory.",
        "Tom Hale, Director Policy, said the plan was sound.",
    ],
)
def test_a_post_and_its_field_are_no_body(text: str) -> None:
    assert ORG not in found(text).values()


def test_an_owners_monitor_is_the_owners_work() -> None:
    text = "Sport Orran's Active Lives Monitor recorded chess among the fastest-growing sports."
    names = found(text)
    assert "Active Lives Monitor" not in names


# --- a description that only introduces a name, a body that only acts on a document ---


@pytest.mark.parametrize(
    ("text", "name", "description"),
    [
        (
            "Prices rose 4.6%, according to the statistics institute ORSTAT.",
            "ORSTAT",
            "statistics institute",
        ),
        (
            "A report by the citizen watchdog Valdren Watch shows trust at 23%.",
            "Valdren Watch",
            "citizen watchdog",
        ),
        (
            "Data from the national weather service Meteo Orran show the wettest May on record.",
            "Meteo Orran",
            "national weather service",
        ),
    ],
)
def test_a_description_before_a_name_is_not_a_second_source(
    text: str, name: str, description: str
) -> None:
    names = found(text)
    assert name in names
    assert description not in names


@pytest.mark.parametrize(
    "text",
    [
        "Work starts in May, subject to the approval of the impact report by the provincial "
        "mining authority.",
        "The adoption of the annual report by the district council took ten minutes.",
        "It awaits ratification of the treaty text by the national assembly.",
        "The approval of the race report by the organisers took a day.",
    ],
)
def test_a_body_acting_on_a_document_is_not_its_producer(text: str) -> None:
    assert ORG not in found(text).values()


def test_a_date_after_a_described_body_is_no_name() -> None:
    assert found("According to the health ministry Monday, 40 people died.") == {
        "health ministry": ORG
    }
