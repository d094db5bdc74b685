"""Names that look like an organisation's and are not one, by category of English.

Every sentence here is written for its category (news, academic, show notes,
transcripts, non-native English), with invented bodies where the category
does not need a known one, so that a rule covers the category rather than a
document's wording.  Each category has names it must find, with their exact
type, and names that look alike and must not be taken for a body.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

# --- what is not a body -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Reuters reported that floods in the Indian state of Assam had killed 12.", "Reuters"),
        ("The canal chief Amr Saleh told Egyptian television that revenue halved.", "Amr Saleh"),
        ("Kenyan officials said, according to Reuters, that the road was closed.", "Reuters"),
        ("According to Brazilian press reports cited by AFP, the dam held.", "AFP"),
        ("Nigerian media reported the fire first, the BBC said.", "BBC"),
    ],
)
def test_a_nationality_adjective_is_no_body(text: str, kept: str) -> None:
    names = found(text)
    assert kept in names
    assert not {"Indian", "Egyptian", "Kenyan", "Brazilian", "Nigerian"} & names.keys()


@pytest.mark.parametrize(
    "place",
    [
        "Cape of Good Hope",
        "Port of Valmere",
        "Gulf of Aden",
        "Strait of Hormuz",
        "Isle of Man",
        "Red Sea",
        "Mekong River",
        "Suez Canal",
    ],
)
def test_a_place_noun_heading_a_name_makes_a_place(place: str) -> None:
    text = f"Insurers cited the risk near the {place}, according to the {place}."
    assert place not in found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ruth Lake, who chairs the harbour board, said the dredging would wait.", "Ruth Lake"),
        ("The delay was unavoidable, said Marcus Hill.", "Marcus Hill"),
        ("According to Dana Rivers, the figures were revised twice.", "Dana Rivers"),
    ],
)
def test_a_place_noun_last_without_the_can_be_a_surname(text: str, name: str) -> None:
    assert found(text) == {name: "person"}


def test_a_place_noun_with_a_body_word_is_a_body() -> None:
    text = "According to the Port of Valmere Authority, traffic fell by a fifth."
    assert found(text) == {"Port of Valmere Authority": "organisation"}
    text = "The Suez Canal Authority said transits had halved since December."
    assert found(text) == {"Suez Canal Authority": "organisation"}


@pytest.mark.parametrize(
    ("text", "person", "post"),
    [
        (
            "Isla Brennan, Chief Executive of Libraries Forward, said the cuts were deep.",
            "Isla Brennan",
            "Chief Executive",
        ),
        (
            "Councillor Ruth Amadi, Cabinet Member for Housing and Planning, said: the plan works.",
            "Ruth Amadi",
            "Cabinet Member for Housing and Planning",
        ),
        (
            "Dr Omar Haddad, Chief Medical Officer for the region, warned that beds were full.",
            "Omar Haddad",
            "Chief Medical Officer",
        ),
    ],
)
def test_a_bare_post_beside_its_holder_is_a_role_not_a_body(
    text: str, person: str, post: str
) -> None:
    names = found(text)
    assert names.get(person) == "person"
    assert not any(post in name for name in names if name != person)


def test_the_post_with_its_article_still_speaks() -> None:
    # "the Energy Secretary told MPs": the one holder of an office is the source.
    names = found("The Energy Secretary told the House of Commons that the auction failed.")
    assert "Energy Secretary" in names


def test_a_post_followed_by_its_holder_keeps_the_holder() -> None:
    names = found("Secretary of Agriculture Clarence Palmby said the sales were routine.")
    assert any("Clarence Palmby" in name for name in names)


@pytest.mark.parametrize(
    ("text", "wanted", "glued"),
    [
        (
            "A memorandum from Peter Flanigan to the President, written days later, warned of it.",
            "Peter Flanigan",
            "Peter Flanigan to the President",
        ),
        (
            "A letter from Lena Ortiz to the Board, dated 3 May, said the audit was late.",
            "Lena Ortiz",
            "Lena Ortiz to the Board",
        ),
    ],
)
def test_to_the_between_names_joins_two(text: str, wanted: str, glued: str) -> None:
    names = found(text)
    assert wanted in names
    assert glued not in names


def test_a_body_named_with_to_and_a_verb_is_one_name() -> None:
    text = "The Committee to Protect Journalists said three reporters were held."
    assert found(text) == {"Committee to Protect Journalists": "organisation"}


@pytest.mark.parametrize(
    "text",
    [
        "The figures are in report B-176943, according to B-176943.",
        "The sale was criticised in the audit, as reported by HR-45210.",
    ],
)
def test_a_document_number_is_no_source(text: str) -> None:
    assert not {"B-176943", "HR-45210"} & found(text).keys()


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        ("Referrals rose, according to GP records analysed by the Nuffield Trust.", "GP"),
        ("A CPI release from the Valdren Statistics Office showed prices up.", "CPI"),
        ("The IPCA index rose 4.2%, the Valdren Statistics Office said.", "IPCA"),
        ("The RPI measure, which the Valdren Statistics Office still reports, rose.", "RPI"),
        (
            "A 2021 PhD thesis at Tarnby University found it, according to the PhD registry.",
            "PhD",
        ),
    ],
)
def test_the_acronym_of_a_thing_is_no_body(text: str, thing: str) -> None:
    names = found(text)
    assert thing not in names
    assert any(t == "organisation" for t in names.values())


# --- laws and agreements are documents, not bodies --------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "According to the Inflation Reduction Act, credits apply, the Orran Tax Office said.",
            "Orran Tax Office",
        ),
        (
            "The Paris Agreement says warming must stay below 2C, the Valdren Climate Council said",
            "Valdren Climate Council",
        ),
        (
            "Under the Orran Data Protection Directive, as reported by the Orran Post, fines rose.",
            "Orran Post",
        ),
    ],
)
def test_a_law_or_an_agreement_is_no_body(text: str, kept: str) -> None:
    names = found(text)
    assert kept in names
    assert not any(n.endswith(("Act", "Agreement", "Directive")) for n in names)


def test_a_body_named_after_an_act_is_still_a_body() -> None:
    assert found("The Act Now Coalition said it would sue.") == {
        "Act Now Coalition": "organisation"
    }
