"""People as sources: titles kept out of the name, pronouns and second mentions, orders
and marks of non-native prose (a post and an employer, a post alone, a surname:
test_named_people.py).

Each test writes its own sentences in the construction it covers, in several
phrasings, with cases that must stay silent beside the ones that must be found.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from tests.extract.named_helpers import found, only

# ---- titles in many languages are not part of the name ----------------------------------


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("Cllr Tom Brannigan told the Echo that the scheme would pay.", "Tom Brannigan", "Cllr"),
        ('"It is too late," Frau Anna Becker told us.', "Anna Becker", "Frau"),
        (
            "Mining Minister Aurelio Fuentes told reporters prices would recover.",
            "Aurelio Fuentes",
            "Mining Minister",
        ),
        ("Alhaji Musa Bello said prices at the market had doubled.", "Musa Bello", "Alhaji"),
        ("Engr Musa Bello said the bridge was safe.", "Musa Bello", "Engr"),
        ('"We will appeal," said Hon. Musa Bello.', "Musa Bello", "Hon."),
        ("The Rev. Musa Bello said the church would open its hall.", "Musa Bello", "Rev."),
        (
            "Economist Ryota Kubo argued in a 2026 paper that the deal would not spread.",
            "Ryota Kubo",
            "Economist",
        ),
        ("Historian Ana Ruiz wrote that the mill closed in 1911.", "Ana Ruiz", "Historian"),
        (
            "International Master Ciarán Boland said the opening was sound.",
            "Ciarán Boland",
            "International Master",
        ),
        ("Ing. Carlos Medina, a hydrologist, said the dam was safe.", "Carlos Medina", "Ing"),
        ("Shri Ramesh Kumar told reporters that the canal would open.", "Ramesh Kumar", "Shri"),
        # "Sri" is a given name as often as an honorific: "Sri Mulyani Indrawati"
        ('"The well is dry," Ibu Sri Wahyuni told us.', "Sri Wahyuni", "Ibu"),
    ],
)
def test_titles_before_the_name_are_the_role(text: str, name: str, title: str) -> None:
    cited = {c.source_name: c for c in find_named_references(text)}
    assert cited[name].source_type == "person"
    assert (cited[name].speaker_role or "").startswith(title.rstrip("."))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Economist Intelligence Unit said growth fell.", "Economist Intelligence Unit"),
        ("Economist Impact said in a report that growth would slow.", "Economist Impact"),
    ],
)
def test_a_bodys_name_opening_with_a_role_stays_the_body(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


# ---- a pronoun stands for a person, not for the place or body just named ----------------


@pytest.mark.parametrize(
    "middle",
    [
        "arrived from El Geneina with her five children",
        "walked in from Port Sudan last week",
        "works by the rules of World Athletics",
    ],
)
def test_a_pronoun_skips_the_place_or_body_after_a_preposition(middle: str) -> None:
    text = (
        f'Hawa Adam Ishag, 34 years, {middle}. "We eat one time in the day," she explained to us.'
    )
    assert found(text) == {"Hawa Adam Ishag": "person"}


def test_a_pronoun_reaches_a_person_through_their_given_name() -> None:
    text = (
        "Its sole maintainer, Oskar Lindqvist, archived the repository in May. The fork has "
        "grown since then and counts many contributors from many countries, most of them "
        "volunteers who fix bugs in their spare time and review each other's patches. "
        "Many of them had never written to the project before and most will never meet. "
        "This morning Oskar handed commit access to the fork. He says he will stay on as "
        "a reviewer."
    )
    assert found(text) == {"Oskar Lindqvist": "person"}


def test_like_inverts_as_as_does_in_non_native_prose() -> None:
    text = (
        'Like said to us Mr. Pierre-Olivier Sanou, head of the WFP sub-office in Abeche: "We '
        'have the trucks, we have the people."'
    )
    cited = only(text)
    assert (cited.source_name, cited.source_type) == ("Pierre-Olivier Sanou", "person")


# ---- quoted through an outlet, a view without a verb, a second verb of the subject ------


@pytest.mark.parametrize(
    "text",
    [
        "Its chair, Lars Winther, was quoted by Politiken as saying the union was ignored.",
        "Chief executive Lars Winther was quoted by the daily Politiken as saying it was too late.",
        "Lars Winther has been quoted as saying the strike would go ahead.",
        "Lars Winther was cited in a trade weekly as warning that jobs would go.",
    ],
)
def test_a_person_quoted_through_an_outlet_is_cited(text: str) -> None:
    assert found(text).get("Lars Winther") == "person"


def test_being_quoted_needs_a_person_named() -> None:
    names = found("The figure was quoted by Politiken as saying more than it did.")
    assert "person" not in names.values()


@pytest.mark.parametrize(
    "view",
    [
        "According to his words, the start time was chosen with the county.",
        "In his view, the start time was chosen with the county.",
        "In his own estimate, the start time cost the race a thousand runners.",
        "The start time, in his opinion, was chosen with the county.",
    ],
)
def test_a_view_given_without_a_verb_is_the_persons(view: str) -> None:
    text = f"The race director, Mr. Philip Rotich, defended the organisation. {view}"
    assert found(text) == {"Philip Rotich": "person"}


def test_a_view_skips_a_title_owned_by_a_body() -> None:
    text = (
        "The relief committee put Sudan first on its Emergency Watchlist this year, but "
        "this attention did not become money, in her opinion."
    )
    assert "person" not in found(text).values()


@pytest.mark.parametrize(
    "text",
    [
        "The economist Prof. Dr. Lena Hartwig from the University of Regensburg holds a sale "
        'possible, but warns: "The city loses a part of the profit every year."',
        "Lena Hartwig backs the plan and adds that the council must move fast.",
        "Lena Hartwig, who studied the sales, agreed with the mayor but cautioned that the "
        "profit would fall.",
    ],
)
def test_a_second_verb_of_the_sentences_subject_cites_the_person(text: str) -> None:
    assert found(text).get("Lena Hartwig") == "person"


@pytest.mark.parametrize(
    "text",
    [
        "The council backs the plan and adds that it must move fast.",
        "Paris hosted the talks but said little.",
        "The sale of shares in Regensburg is possible, but warns the council of a loss.",
    ],
)
def test_a_second_verb_without_a_person_cites_no_one(text: str) -> None:
    assert "person" not in found(text).values()


# ---- a work of a person named by one word or by a pronoun -------------------------------


@pytest.mark.parametrize(
    ("second", "work"),
    [
        ("Oskar's last comment before archiving is worth quoting in full.", "comment"),
        ("Lindqvist's open letter to the sponsors was blunt.", "letter"),
        ("We reprint Oskar's statement below.", "statement"),
        ("As of today Oskar has left, according to a note he pinned to the README.", "note"),
        ("In a letter she sent to staff, the maintainer said sorry.", "letter"),
        ("In an email he wrote on Sunday, Oskar said he was tired.", "email"),
    ],
)
def test_a_work_of_a_person_named_in_full_before(second: str, work: str) -> None:
    text = f"Its sole maintainer, Oskar Lindqvist, archived the repository in May. {second}"
    cited = only(text)
    assert (cited.source_name, cited.source_type, cited.work_title) == (
        "Oskar Lindqvist",
        "person",
        work,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Oskar's last comment before archiving is worth quoting in full.",
        "The repository was archived. Lindqvist's open letter to the sponsors was blunt.",
        "Paris's statement on the deal was short.",
    ],
)
def test_a_work_of_one_never_named_in_full_cites_no_one(text: str) -> None:
    assert "person" not in found(text).values()


# ---- particles inside a name; a titled surname; a post closed by a comma ----------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dr. Jan de Vries of Utrecht University said the dikes hold.", "Jan de Vries"),
        ("Jan van der Berg, a hydrologist, says the dikes hold.", "Jan van der Berg"),
        ('"It is over," said Jan van der Berg.', "Jan van der Berg"),
        ("Prof. Ana de la Cruz from the University of Manila said rates rise.", "Ana de la Cruz"),
        ("Sen. Maria van Buren said the bill fails.", "Maria van Buren"),
        ("Ludwig von Stein, a historian, told us the archive was lost.", "Ludwig von Stein"),
    ],
)
def test_a_particle_is_one_word_of_a_persons_name(text: str, name: str) -> None:
    assert found(text).get(name) == "person"


@pytest.mark.parametrize(
    "second",
    [
        'Mrs Wrona says: "The mayor built monuments."',
        "According to Ms Wrona, the airport will never pay.",
        "Dr. Wrona told to journalists that the airport will never pay.",
    ],
)
def test_a_titled_surname_is_the_person_named_in_full_before(second: str) -> None:
    text = f"The independent candidate Agnes Wrona leads the poll. {second}"
    assert found(text) == {"Agnes Wrona": "person"}


def test_a_titled_surname_never_named_in_full_is_kept_as_written() -> None:
    assert found("According to Ms Wrona, the airport will never pay.") == {"Wrona": "person"}


@pytest.mark.parametrize(
    "text",
    [
        'Said the mayor, Tomasz Gorecki: "The airport will pay."',
        '"The airport will pay," said the mayor, Tomasz Gorecki.',
        '"The airport will pay," explained the deputy mayor, Tomasz Gorecki.',
    ],
)
def test_a_post_closed_by_a_comma_before_the_inverted_speaker(text: str) -> None:
    cited = only(text)
    assert (cited.source_name, cited.source_type) == ("Tomasz Gorecki", "person")
    assert cited.speaker_role in ("mayor", "deputy mayor")


# ---- more orders of non-native prose: brackets, the perfect, "so", "in the words of" ----


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Kofi Mensah [spokesman, Ghana Cocoa Board] said the harvest is poor.", "spokesman"),
        ("Kofi Mensah (Ghana Cocoa Board) told to us that the harvest is poor.", "Ghana"),
        ("Kofi Mensah, spokesman, Ghana Cocoa Board, said the harvest is poor.", "spokesman"),
        ("The harvest is poor, has declared Kofi Mensah, spokesman of the board.", "spokesman"),
        ("As told to us Kofi Mensah, spokesman of the board, the harvest is poor.", "spokesman"),
        ('"The harvest is poor," so the chairman Kofi Mensah.', "chairman"),
        ("The harvest is poor, so Kofi Mensah in his statement on Monday.", None),
        ("In the words of Kofi Mensah, the harvest is poor.", None),
        ("In the words of the chairman, Kofi Mensah, the harvest is poor.", None),
    ],
)
def test_orders_and_marks_of_non_native_attribution(text: str, role: str | None) -> None:
    cited = only(text)
    assert (cited.source_name, cited.source_type) == ("Kofi Mensah", "person")
    if role is not None:
        assert (cited.speaker_role or "").startswith(role)


def test_so_after_a_quote_resolves_a_post_to_its_holder() -> None:
    text = (
        "The draft came from the city treasurer Dr. Ulrike Brenner on Tuesday. "
        '"We have a structural problem," so the treasurer.'
    )
    assert found(text) == {"Ulrike Brenner": "person"}


@pytest.mark.parametrize(
    "text",
    [
        "It rained for a week, so the minister resigned.",
        "The board said it told Kofi Mensah the news.",
        "The harvest is poor, so Mensah will sell the farm.",
        "He chose his words of thanks carefully.",
    ],
)
def test_consequence_and_telling_are_no_attribution(text: str) -> None:
    assert "person" not in found(text).values()


# ---- a pronoun stands for a person its gender fits ------------------------------------


def _resumed_by_pronoun(text: str) -> list[str]:
    """Who the sentence quoted with "he said"/"she said"/"he told" is credited to."""
    return [
        c.source_name or ""
        for c in find_named_references(text)
        for m in c.mentions
        if any(p in m["context"] for p in (" she said", " he said", " he told"))
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Judge Nomvula Khumalo said in her judgment that Bheki Zungu had steered the "
            'contract to his brother-in-law. The state had proved its case "well beyond '
            'reasonable doubt", she said.',
            "Nomvula Khumalo",
        ),
        (
            "Tomas Berg met Ana Ruiz on Monday, and Berg said his union would strike. "
            '"We will appeal," she said.',
            "Ana Ruiz",
        ),
        (
            'Mr. Tomas Berg chaired the session with Ana Ruiz. "We will appeal," she said.',
            "Ana Ruiz",
        ),
        (
            "Ana Ruiz said her office had asked Tomas Berg to resign. "
            '"It was time," he told reporters.',
            "Tomas Berg",
        ),
    ],
)
def test_a_pronoun_skips_a_name_the_text_gives_the_other_gender(text: str, name: str) -> None:
    assert _resumed_by_pronoun(text) == [name]


def test_a_pronoun_without_gendered_words_takes_the_nearest_person() -> None:
    text = 'Ana Ruiz met Tomas Berg on Monday. "We will appeal," he said.'
    assert _resumed_by_pronoun(text) == ["Tomas Berg"]


@pytest.mark.parametrize(
    "place",
    ["worked with camels in Dubai", "grew up near Lagos", "drove a taxi across Kumasi"],
)
def test_a_pronoun_skips_a_place_that_opens_a_bodys_name(place: str) -> None:
    # the place word also opens a body's name earlier in the text: it is still a place
    first = place.split()[-1]
    text = (
        f"The {first} Racing Club publishes the race card. I asked one of the trainers, a man "
        f'named Babiker Osman who {place} for 22 years, about the robots. "They do not care," '
        "he told me."
    )
    names = found(text)
    assert names.get("Babiker Osman") == "person", names
    assert f"{first} Racing" not in names
