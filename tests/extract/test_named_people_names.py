"""What a person's name is made of: capitals beyond Latin-1, lineage words, honorifics
written after the name, a surname that is also a title.

Each test writes its own sentences in the construction it covers, with cases that must
stay silent beside the ones that must be found.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found, only

# ---- capitals beyond Latin-1 open names and employers -----------------------------------


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "The analyst Burcu Şahin from İş Yatırım wrote in a note that the plan is bold.",
            "Burcu Şahin",
            "İş Yatırım",
        ),
        ("Łukasz Żak, a lawyer in Gdańsk, said the ruling was clear.", "Łukasz Żak", "lawyer"),
        (
            '"The dam is safe," said Đặng Văn Minh, an engineer at the utility.',
            "Đặng Văn Minh",
            None,
        ),
        ("Ștefan Țurcanu, a farmer near Iași, told us the rain came late.", "Ștefan Țurcanu", None),
        ("Şule Yılmaz of Özyeğin University said exports would slow.", "Şule Yılmaz", None),
    ],
)
def test_a_name_may_open_with_any_latin_capital(text: str, name: str, role: str | None) -> None:
    cited = only(text)
    assert (cited.source_name, cited.source_type) == (name, "person")
    if role is not None:
        assert role in (cited.speaker_role or "")


def test_a_lower_case_word_with_a_diacritic_opens_no_name() -> None:
    assert found("şahin said the plan was bold, and the board agreed.") == {}


# ---- lineage words, honorifics after the name, a surname that is also a title ---------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Khalid bin Salman Al-Harthy, a trader in Muscat, told us prices doubled.",
            "Khalid bin Salman Al-Harthy",
        ),
        ('"We lost the season," said Siti binti Abdullah, a farmer.', "Siti binti Abdullah"),
        ("Ahmed ibn Rashid told reporters the plant would open.", "Ahmed ibn Rashid"),
        ("Sato-san told me the boats were old.", "Sato-san"),
        ('"The boats are old," said Tanaka-sensei.', "Tanaka-sensei"),
        ("Kim-ssi told us the market had moved.", "Kim-ssi"),
    ],
)
def test_lineage_words_and_honorifics_belong_to_the_name(text: str, name: str) -> None:
    assert found(f"The port reopened on Monday. {text}") == {name: "person"}


def test_a_hyphenated_given_name_is_no_honorific() -> None:
    # Korean given names are hyphenated ("Min-ji"): only the honorifics are read as such
    assert found("The port reopened on Monday. Seo-san Park is a fishing village.") == {}


@pytest.mark.parametrize("surname", ["Sen", "King", "Bishop", "Major", "Judge"])
def test_a_surname_that_is_also_a_title_is_an_author_before_a_year(surname: str) -> None:
    text = f"Most studies examine producers. {surname} (1981) argues that famines follow prices."
    assert found(text) == {surname: "work"}
