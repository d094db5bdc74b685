"""What an organisation's name is, by its shape, by category of English.

Every sentence here is written for its category (news, academic, show notes,
transcripts, non-native English), with invented bodies where the category
does not need a known one, so that a rule covers the category rather than a
document's wording.  Each category has names it must find, with their exact
type, and names that look alike and must not be taken for a body.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import cited, found

# --- "X of Y" names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Estimates by the National Observatory of Athens show the rain fell short.",
            "National Observatory of Athens",
        ),
        (
            "Data from the Central Bank of West African States show remittances rose.",
            "Central Bank of West African States",
        ),
        (
            "According to the Federal Office of Meteorology of Valdren, it was the hottest June.",
            "Federal Office of Meteorology of Valdren",
        ),
        (
            "The Institute of Chartered Accountants of Orran said the rules were unclear.",
            "Institute of Chartered Accountants of Orran",
        ),
    ],
)
def test_a_body_head_carries_its_of_chain(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_a_known_part_of_a_known_parent_is_the_part() -> None:
    text = "According to the Economic Research Service of the USDA, the programme cost $300m."
    assert cited(text) == {
        "Economic Research Service of the USDA": ("organisation", "https://www.ers.usda.gov/")
    }


@pytest.mark.parametrize(
    "text",
    [
        "Estimates by the Valdren Grain Board, published in a 1974 report, put it at $3m.",
        "According to figures from the Valdren Port Authority, released on Monday, traffic fell.",
        "Figures from the Orran Statistics Office, published last week, show a fall.",
    ],
)
def test_a_participle_of_when_it_came_out_leaves_the_producer(text: str) -> None:
    assert list(found(text).values()) == ["organisation"]


def test_a_work_with_its_producer_after_it_is_not_the_source() -> None:
    text = "We used the Kestrel Reef Index, maintained by the Orran Marine Institute."
    assert found(text) == {"Orran Marine Institute": "organisation"}


@pytest.mark.parametrize(
    "name",
    [
        "Department of Foreign Affairs",
        "Institute of Economic Affairs",
        "Ministry of Internal Affairs and Communications",
    ],
)
def test_a_body_head_before_of_outweighs_a_journal_word_after_it(name: str) -> None:
    assert found(f"The {name} said in a statement that talks had resumed.") == {
        name: "organisation"
    }


def test_a_journal_head_before_of_stays_an_outlet() -> None:
    text = "A paper in the Review of Economic Affairs found that rents rose."
    assert found(text) == {"Review of Economic Affairs": "outlet"}


# --- a possessive before a body's name or before its data product --------------


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        (
            "Counts come from the Orran Bird Trust's Wetland Bird Survey, which covers 90 sites.",
            "Orran Bird Trust",
        ),
        (
            "The Valdren Statistics Office's Opinion and Lifestyle Survey puts the share at 7%.",
            "Valdren Statistics Office",
        ),
        (
            "According to the Tarnby Institute's Housing Affordability Index, rents rose 9%.",
            "Tarnby Institute",
        ),
        (
            "Margins stayed below 1%, according to Redwater Advisory's Hospital Flash Report.",
            "Redwater Advisory",
        ),
        (
            "According to the Harbour Trust's Annual Review, visitor numbers fell.",
            "Harbour Trust",
        ),
        (
            "The Kestrel Group's Quarterly Outlook said demand would slow.",
            "Kestrel Group",
        ),
        ("According to Harlow Industries' Annual Review, sales fell.", "Harlow Industries"),
        ("Marlow Logistics' Riyadh listing plan says 30% will be sold.", "Marlow Logistics"),
    ],
)
def test_a_data_product_after_a_possessive_cites_its_owner(text: str, owner: str) -> None:
    assert found(text) == {owner: "organisation"}


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "The OSCE's Office for Democratic Institutions and Human Rights said it was free.",
            "Office for Democratic Institutions and Human Rights",
        ),
        (
            "According to the UN's World Food Programme, 2 million people need aid.",
            "World Food Programme",
        ),
        ("Analysts at Brazil's Itaú BBA wrote that the real would weaken.", "Itaú BBA"),
        ("Economists at Germany's Ifo Institute said morale improved.", "Ifo Institute"),
        (
            "According to Japan's Nomura Research Institute, spending rose.",
            "Nomura Research Institute",
        ),
        ("Analysts at Valdren's Orsa BKT said the bond sale would be covered.", "Orsa BKT"),
    ],
)
def test_a_body_after_a_possessive_is_the_source(text: str, body: str) -> None:
    assert found(text) == {body: "organisation"}


# --- abbreviations in brackets, either way ---------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "We use the Central Bank of West African States (BCEAO) balance-of-payments series.",
            "Central Bank of West African States",
        ),
        (
            "The chart uses the Orran Fisheries Agency (OFA) catch statistics for 2023.",
            "Orran Fisheries Agency",
        ),
        (
            "Most of it rests on the Valdren Housing Institute (VHI) annual survey.",
            "Valdren Housing Institute",
        ),
    ],
)
def test_a_name_with_its_acronym_in_brackets_holds_the_document(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "It come from the researchers of CNRA (the national centre of agronomic research).",
            "CNRA",
        ),
        ("The economists of Tarnby Savings Bank expect two cuts this year.", "Tarnby Savings Bank"),
        ("According to the analysts of Orran Capital, the deal is too expensive.", "Orran Capital"),
    ],
)
def test_the_staff_of_a_body_with_of_cite_the_body(text: str, name: str) -> None:
    # Non-native English puts "of" where "at" is usual: "the researchers of CNRA".
    assert found(text) == {name: "organisation"}


def test_staff_of_a_time_or_a_field_is_no_body() -> None:
    assert found("Scientists of the 19th century thought otherwise.") == {}
    assert found("The experts of the field disagree about it.") == {}


# --- names with figures ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "The pilot was run by the campaign group 4 Day Week Global with two universities.",
            "4 Day Week Global",
        ),
        (
            "According to the research group 1000 Genomes Project, such variants are common.",
            "1000 Genomes Project",
        ),
        (
            "A survey by the charity 24 Hour Helpline Orran found most calls came at night.",
            "24 Hour Helpline Orran",
        ),
    ],
)
def test_a_described_body_whose_name_opens_with_a_figure(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_a_figure_after_a_description_without_a_name_is_no_body() -> None:
    assert found("A report by the group 2,000 people found nothing.") == {}
    assert found("The firm 3 times raised its prices, the regulator said.") == {}


def test_a_lower_case_body_keeps_its_verb_across_a_long_aside() -> None:
    text = (
        "The county's own planning department, in a letter to residents sent in May and "
        "posted on its noticeboard, warned that the road would close."
    )
    assert found(text) == {"planning department": "organisation"}
    text = "The city's budget office, a small team on the fourth floor of the town hall, moved."
    assert found(text) == {}


# --- government departments in every word order, and names in other languages ----


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Orran Finance Ministry said the deficit would narrow.", "Orran Finance Ministry"),
        (
            "According to the Ministry of Finance of Orran, the deficit narrowed.",
            "Ministry of Finance of Orran",
        ),
        (
            "The Valdren Department of the Interior said the lease was cancelled.",
            "Valdren Department of the Interior",
        ),
        (
            "Data from the Valdren Labour Department show hiring slowed.",
            "Valdren Labour Department",
        ),
        (
            "A spokesperson for the Orran Home Office said the rules would change.",
            "Orran Home Office",
        ),
        (
            "The Tarnby Fire and Rescue Service said three homes burned.",
            "Tarnby Fire and Rescue Service",
        ),
    ],
)
def test_a_government_department_in_any_word_order(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "According to the Istituto Superiore di Sanità, cases rose.",
            "Istituto Superiore di Sanità",
        ),
        (
            "The Deutsches Institut für Wirtschaftsforschung said growth would stall.",
            "Deutsches Institut für Wirtschaftsforschung",
        ),
        ("According to Banco do Brasil, lending rose.", "Banco do Brasil"),
        ("According to the Banco de la República, inflation eased.", "Banco de la República"),
        (
            "The Centraal Bureau voor de Statistiek said prices rose.",
            "Centraal Bureau voor de Statistiek",
        ),
    ],
)
def test_a_name_in_its_own_language_keeps_its_small_words(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Data from the Orran Institute of Marine Research show cod stocks fell.",
            "Orran Institute of Marine Research",
        ),
        ("Figures from the Valdren Health Agency show a rise in cases.", "Valdren Health Agency"),
    ],
)
def test_show_after_data_from_a_body_is_the_verb(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_a_show_after_a_name_told_something_is_still_an_outlet() -> None:
    assert found("She told the Kai Morrow show that she had quit.") == {"Kai Morrow": "outlet"}


# --- plural possessives and trade nouns inside names ------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "According to the Valdren Farmers' Union, yields fell by a fifth.",
            "Valdren Farmers' Union",
        ),
        ("According to Women's Aid, calls to its helpline rose by a third.", "Women's Aid"),
        ("The Orran Children's Society said the plan failed children.", "Orran Children's Society"),
        (
            "A survey by the Tarnby Nurses' Association found most wards understaffed.",
            "Tarnby Nurses' Association",
        ),
    ],
)
def test_a_plural_possessive_inside_a_name_is_part_of_it(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_a_singular_possessive_still_names_the_owner() -> None:
    text = "The Valdren Post's report said the union had 4,000 members."
    assert found(text) == {"Valdren Post": "outlet"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Orran Ports said traffic fell by 4% in March.", "Orran Ports"),
        ("Valdren Water said the reservoir was at 40% of capacity.", "Valdren Water"),
        ("According to Orran Rail, 40 trains were cancelled.", "Orran Rail"),
        ("Tarnby Steel said it would cut 300 jobs.", "Tarnby Steel"),
        ("Kestrel Logistics said deliveries would resume on Monday.", "Kestrel Logistics"),
    ],
)
def test_a_trade_noun_makes_two_capitalised_words_a_company(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_two_capitalised_words_without_one_stay_a_person() -> None:
    assert found("Orran Hale said traffic fell by 4% in March.") == {"Orran Hale": "person"}


# --- an acronym first, its name in brackets ---------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("OFA (the Orran Fisheries Agency) said cod stocks fell.", "Orran Fisheries Agency"),
        (
            "In Senegal, the ANSD (Agence Nationale de la Statistique et de la Démographie) "
            "reports that 40% of households receive transfers.",
            "Agence Nationale de la Statistique et de la Démographie",
        ),
        (
            "VHI (Valdren Housing Institute) has warned that rents will rise.",
            "Valdren Housing Institute",
        ),
    ],
)
def test_an_acronym_with_its_name_in_brackets_speaks(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_an_acronym_of_a_thing_with_its_words_in_brackets_is_no_body() -> None:
    assert found("The GDP (Gross Domestic Product) rose by 2%.") == {}
    assert found("Its HDI (Human Development Index) fell, the report says.") == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "According to the Instituto Nacional de Estadística de Orran, prices rose.",
            "Instituto Nacional de Estadística de Orran",
        ),
        ("The Ministério da Saúde said cases fell.", "Ministério da Saúde"),
        ("The Agence Régionale de Santé said hospitals were full.", "Agence Régionale de Santé"),
    ],
)
def test_a_body_head_in_another_language_makes_a_body(text: str, name: str) -> None:
    assert found(text).get(name) == "organisation"
