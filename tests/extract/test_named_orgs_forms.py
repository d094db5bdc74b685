"""Bodies known by the shape of their name: a company's legal form, a head noun in
another language, a club at either end of its name; and adjectives of place that
are no body ("the Pittsburgh-based company").

Writers quote names in their own language ("the Samahan ng mga Guro", "Iwami
Kotsu", "Türk Tabipleri Birliği") and companies with their legal form ("Vossberg
GmbH", "Grupo Bimbo S.A.B. de C.V."); without those words the same names read as
a person's.  The bodies here are invented unless the category needs a real one.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Vossberg GmbH said it would cut 300 jobs at the plant.", "Vossberg GmbH"),
        ("According to Harlan Steel Co, orders fell by a third.", "Harlan Steel Co"),
        ("Marlow Tanner Plc said in a filing that profit halved.", "Marlow Tanner Plc"),
        ("Grupo Delmar S.A. said on Monday it would sell the unit.", "Grupo Delmar S.A."),
        ("Kestrel Pty said the mine would reopen in May.", "Kestrel Pty"),
        ("Sinar Makmur Tbk told the exchange that the deal had closed.", "Sinar Makmur Tbk"),
    ],
)
def test_a_companys_legal_form_makes_a_body(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The prefecture's bus operator, Iwami Kotsu, said ridership fell.", "Iwami Kotsu"),
        ("Analysts at İş Yatırım said the lira would weaken.", "İş Yatırım"),
        ("Türk Tabipleri Birliği said doctors were leaving.", "Türk Tabipleri Birliği"),
        ("According to Türkiye İş Bankası, card spending rose.", "Türkiye İş Bankası"),
        ("The Kilusan ng Magsasaka said the price was too low.", "Kilusan ng Magsasaka"),
        ("According to the Bharatiya Kisan Sangh, farmers lost a third.", "Bharatiya Kisan Sangh"),
        ("Stichting Waterland said in a statement that the dyke held.", "Stichting Waterland"),
        (
            "The Fiscalía Regional de Valparaíso said it had opened an inquiry.",
            "Fiscalía Regional de Valparaíso",
        ),
        ("The Secretaría de Salud said cases had doubled.", "Secretaría de Salud"),
        ("Verein Stadtbild Marbach said the hall must stay.", "Verein Stadtbild Marbach"),
    ],
)
def test_a_body_head_in_the_names_own_language(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I read the Harlow Zoo's 2004 statement on its elephants.", "Harlow Zoo"),
        ("The Kestrel Bay Aquarium said the tank would reopen.", "Kestrel Bay Aquarium"),
        (
            "The Orran Chamber of Commerce said in a statement that costs rose.",
            "Orran Chamber of Commerce",
        ),
        ("Marlow Holdings Limited said in a filing that profit halved.", "Marlow Holdings Limited"),
        (
            "The Landless Workers' Movement said 2,000 families had moved in.",
            "Landless Workers' Movement",
        ),
        (
            "According to the Tarnby Symphony Orchestra, ticket sales fell.",
            "Tarnby Symphony Orchestra",
        ),
    ],
)
def test_an_institutions_head_noun_makes_a_body(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Club Atlético Ribera said the stadium would hold 45,000.", "Club Atlético Ribera"),
        ("The Sierra Club said the permit was unlawful.", "Sierra Club"),
        ("According to the Marlow Rowing Club, the river was too high.", "Marlow Rowing Club"),
    ],
)
def test_a_club_at_either_end_of_its_name_is_a_body(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_a_club_inside_a_title_makes_no_body() -> None:
    text = "UEFA said in its European Club Finance Landscape report that debt rose."
    assert found(text) == {"UEFA": "organisation"}


@pytest.mark.parametrize(
    "text",
    [
        "The Pittsburgh-based company said in a statement that the mill was uncompetitive.",
        "The Dubai-listed developer said on Monday that sales had doubled.",
        "The Kremlin-backed group said it would appeal the ruling.",
        "The State-owned lender said it had no plans to raise rates.",
    ],
)
def test_an_adjective_of_place_or_owner_is_no_body(text: str) -> None:
    assert found(text) == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dom Helder Camara said the poor had waited long enough.", "Dom Helder Camara"),
        ("Ravi Mandal said the harvest was late.", "Ravi Mandal"),
        ("Coca-Cola said its sales rose in the quarter.", "Coca-Cola"),
    ],
)
def test_surnames_and_hyphenated_names_keep_their_type(text: str, name: str) -> None:
    assert name in found(text)
