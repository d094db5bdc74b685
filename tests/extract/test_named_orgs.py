"""What an organisation's name is and what it is not, by category of English.

Every sentence here is written for its category (news, academic, show notes,
transcripts, non-native English), with invented bodies where the category
does not need a known one, so that a rule covers the category rather than a
document's wording.  Each category has names it must find, with their exact
type, and names that look alike and must not be taken for a body.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
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


# --- bodies described in lower case where they are cited -----------------------


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("According with the statistics of the city police, accidents doubled.", "city police"),
        (
            "According to the Norwegian statistics office, 60% of homes use one.",
            "Norwegian statistics office",
        ),
        ("Data from the county health department show 40 new cases.", "county health department"),
        (
            "The readings were collected by the national weather service at the airport.",
            "national weather service",
        ),
        (
            "A cable from the US embassy in Moscow, dated 12 July, reported a poor harvest.",
            "US embassy in Moscow",
        ),
        (
            "The figures, published by the state audit office, cover five years.",
            "state audit office",
        ),
        (
            "The cuts are listed in the report of the city police budget committee.",
            "city police budget committee",
        ),
        (
            "The report of the regional water authority found the dam unsafe.",
            "regional water authority",
        ),
        (
            "per the statistics of the national tax agency, it is the most common refund.",
            "national tax agency",
        ),
    ],
)
def test_a_lower_case_body_is_cited_as_a_producer(text: str, body: str) -> None:
    assert found(text) == {body: "organisation"}


@pytest.mark.parametrize(
    ("text", "acronym"),
    [
        (
            "We use the panel collected by the national statistics agency (ANSD), waves 2011-2018.",
            "ANSD",
        ),
        (
            "Most figures come from a study by the Ivorian cocoa research centre (CNRA) in Divo.",
            "CNRA",
        ),
        ("According to the federal audit office (BRH), the project ran over budget.", "BRH"),
    ],
)
def test_an_acronym_after_a_described_body_is_its_name(text: str, acronym: str) -> None:
    assert found(text) == {acronym: "organisation"}


@pytest.mark.parametrize(
    "text",
    [
        # No citing context: the body is a place, an addressee or the news itself.
        "A residents' association brought a complaint before the city ombudsman last year.",
        "Protesters marched to the US embassy in Moscow on Sunday.",
        "The mayor wants to merge the city police with the county sheriff.",
        # Pointing back, or too vague to name one body.
        "According to the same department, the figure rose.",
        "According to the relevant authority, the permit is valid.",
        # The head noun only qualifies the noun after it.
        "According to the council's annual library statistics return, visits rose.",
        "The statistics of the city police budget show a rise in overtime.",
    ],
)
def test_a_lower_case_body_outside_a_citing_context_is_no_source(text: str) -> None:
    assert found(text) == {}


# --- descriptions that news writing uses for one known body ---------------------


def cited(text: str) -> dict[str, tuple[str, str | None]]:
    return {
        c.source_name or "": (c.source_type or "", c.candidate_url)
        for c in find_named_references(text)
    }


@pytest.mark.parametrize(
    ("text", "name", "url"),
    [
        (
            "Output dropped 0.7% from October, the EU statistics office said.",
            "EU statistics office",
            "https://ec.europa.eu/eurostat",
        ),
        (
            "The UN nuclear watchdog said in a report that enrichment had resumed.",
            "UN nuclear watchdog",
            "https://www.iaea.org/",
        ),
        (
            "The U.N. health agency warned on Friday that cases were rising.",
            "U.N. health agency",
            "https://www.who.int/",
        ),
        (
            "According to Japan's central bank, wages rose at the fastest pace in decades.",
            "Japan's central bank",
            "https://www.boj.or.jp/",
        ),
        (
            "Data from the German statistics office show exports fell for a third month.",
            "German statistics office",
            "https://www.destatis.de/",
        ),
    ],
)
def test_a_known_bodys_description_finds_the_body(text: str, name: str, url: str) -> None:
    assert cited(text) == {name: ("organisation", url)}


def test_the_description_and_the_title_are_one_source() -> None:
    text = "Orders fell, Eurostat said. Output dropped too, the EU statistics office said."
    refs = find_named_references(text)
    assert len(refs) == 1
    assert refs[0].candidate_url == "https://ec.europa.eu/eurostat"
    assert len(refs[0].mentions or []) == 2


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Data from the Turkish central bank show reserves fell.", "Turkish central bank"),
        (
            "Figures from Tarnby's housing department show 300 empty flats.",
            "Tarnby's housing department",
        ),
    ],
)
def test_a_place_names_the_body_it_owns(text: str, body: str) -> None:
    assert found(text) == {body: "organisation"}


def test_the_central_bank_alone_points_back_and_names_none() -> None:
    assert found("According to the central bank, wages rose.") == {}


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


# --- a body described by its place, as the subject of a reporting verb -----------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Indonesia's disaster agency said 20 people died.", "Indonesia's disaster agency"),
        ("Kenyan police said 12 people died in the crash.", "Kenyan police"),
        ("The Nigerian army said it had killed 30 militants.", "Nigerian army"),
        ("Tarnby's housing department reported 300 empty flats.", "Tarnby's housing department"),
        (
            "Orran's state audit office has warned that the scheme is late.",
            "Orran's state audit office",
        ),
    ],
)
def test_a_place_and_its_lower_case_body_speak(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan police arrested 12 people after the match.",  # an act, not a statement
        "Indonesia's disaster season began early this year, residents said.",
    ],
)
def test_a_place_subject_without_a_body_and_its_statement_is_no_source(text: str) -> None:
    assert "Kenyan police" not in found(text)
    assert not any(name.startswith("Indonesia") for name in found(text))


def test_a_bodys_possessive_before_its_unit_keeps_the_body() -> None:
    text = "The World Bank's transport unit estimated the cost at $2bn."
    assert found(text) == {"World Bank": "organisation"}


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
