"""People as sources, by category of the language (unnamed sources and the author's own
work: test_named_unnamed.py).

Each test writes its own sentences in the construction it covers, in several
phrasings (news, academic, show notes, transcripts, non-native English), with cases
that must stay silent beside the ones that must be found.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from tests.extract.named_helpers import found, only

# ---- a person with a post and an employer: one source naming both -------------------


@pytest.mark.parametrize(
    ("text", "role"),
    [
        (
            "Ilona Varga, chief economist at Brenner Capital, said the cut was premature.",
            "chief economist at Brenner Capital",
        ),
        (
            '"The cut came too late," said Ilona Varga, chief economist at Brenner Capital.',
            "chief economist at Brenner Capital",
        ),
        ('"The cut came too late," said Ilona Varga of Brenner Capital.', "Brenner Capital"),
        (
            "According to Ilona Varga, a spokesperson for the Brenner Water Board, the pipes "
            "are old.",
            "spokesperson for the Brenner Water Board",
        ),
        ("According to Ilona Varga, a researcher, the plan failed.", "researcher"),
        (
            "Brenner Capital's head of research, Ilona Varga, told clients the cut was late.",
            "head of research, Brenner Capital",
        ),
        (
            "Ilona Varga, who leads the Brenner Water Board, wrote that the pipes were old.",
            "who leads the Brenner Water Board",
        ),
        (
            '"The model was wrong," argued Ilona Varga, an economist at the Delft Institute.',
            "economist at the Delft Institute",
        ),
        (
            "As Ilona McDowell, an astronomer at the Kessel Observatory, points out, the "
            "debris count is rising.",
            "astronomer at the Kessel Observatory",
        ),
        (
            "The mayor of Tarnby, Ilona Varga, said the council was not consulted.",
            "mayor of Tarnby",
        ),
        (
            "Ilona Varga, 54, a retired teacher, said the bus had not come for weeks.",
            "retired teacher",
        ),
        ("Ilona Varga (Tarnby Tenants Union) says rents doubled.", "Tarnby Tenants Union"),
        (
            "The researcher Ilona Varga from the University of Porto explained me that the "
            "river is dying.",
            "University of Porto",
        ),
        ('"Nobody listens," lamented Ilona Varga, a nurse in Kumasi.', "nurse in Kumasi"),
        (
            "Ilona Varga, head of the nurses' union, has repeatedly warned about staffing.",
            "head of the nurses' union",
        ),
        (
            "Rents doubled, according to Ilona Varga, who chairs the Tarnby Tenants Union.",
            "who chairs the Tarnby Tenants Union",
        ),
    ],
)
def test_a_person_and_their_employer_are_one_source(text: str, role: str) -> None:
    cited = only(text)
    assert cited.source_type == "person"
    assert cited.source_name in ("Ilona Varga", "Ilona McDowell")
    assert cited.speaker_role == role


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Dr Amara Osei told the committee the ward was full.", "Amara Osei", "Dr"),
        ("Prof. Lukas Brandt warned that the glacier would vanish.", "Lukas Brandt", "Prof."),
        ("Senator Ruth Caldera said the bill would pass.", "Ruth Caldera", "Senator"),
        ("Deputy Minister Jean Morel said the tax would stay.", "Jean Morel", "Deputy Minister"),
        ("The minister Karim Benali said on Monday the metro would run.", "Karim Benali", None),
    ],
)
def test_a_title_before_the_name_is_the_role(text: str, name: str, role: str | None) -> None:
    cited = only(text)
    assert (cited.source_name, cited.source_type) == (name, "person")
    assert role is None or cited.speaker_role == role


# ---- orders of other languages --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Said to the journalists the minister Karim Benali that the metro will run.",
        "Explains Karim Benali, delegate of the drivers' union, that the metro will run.",
        'For Karim Benali, delegate of the drivers\' union, "the raise is not a raise".',
        '"We have no water," says Karim Benali, farmer in Lleida.',
        "Especially Dr. Karim Benali who explained us very patiently everything.",
    ],
)
def test_non_native_orders_name_the_person(text: str) -> None:
    assert found(text) == {"Karim Benali": "person"}


# ---- named by the post alone, or again by a pronoun -------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The governor said the plan was final.", "the governor"),
        (
            "NHS England's chief information officer told the committee the breach was contained.",
            "NHS England's chief information officer",
        ),
        (
            "The city's chief planner said the tower would not be approved.",
            "the city's chief planner",
        ),
        ("The president told reporters he was pleased.", "the president"),
        (
            "The head of the central bank said rates would stay high.",
            "the head of the central bank",
        ),
        ("The minister told Parliament that the bill would pass.", "the minister"),
        ("The minister wrote on Twitter that the talks were over.", "the minister"),
    ],
)
def test_a_post_without_a_name_is_kept_in_the_texts_words(text: str, name: str) -> None:
    assert found(text) == {name: "person"}


def test_a_post_is_resolved_to_the_person_the_text_gave_it_before() -> None:
    text = (
        "Governor Ruth Lake visited the dam on Monday. The engineers showed her the cracks. "
        "The governor said the plan was final."
    )
    cited = only(text)
    assert (cited.source_name, cited.source_type) == ("Ruth Lake", "person")
    assert len(cited.mentions) == 1  # "Governor Ruth Lake visited" cites nothing by itself


@pytest.mark.parametrize(
    "first",
    [
        "Jean Morel, the finance minister, visited the port.",
        "The finance minister, Jean Morel, visited the port.",
        "Finance Minister Jean Morel visited the port.",
    ],
)
def test_the_holder_stands_by_the_post(first: str) -> None:
    assert found(first + " The minister said the deficit would fall.") == {"Jean Morel": "person"}


def test_a_name_further_from_the_post_is_someone_elses() -> None:
    text = "The minister met Anna Berg on Monday. The minister said the deficit would fall."
    assert found(text) == {"the minister": "person"}


def test_a_pronoun_resumes_the_person_named_just_before() -> None:
    text = (
        "I asked about this my friend Marc Soler, he is engineer in a water company, and he "
        "told me that the pipes were designed for another climate."
    )
    assert found(text) == {"Marc Soler": "person"}
    text = "Marc Soler said the strike was over. He added that talks would resume."
    cited = only(text)
    assert (cited.source_name, len(cited.mentions)) == ("Marc Soler", 2)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("There was good reporting by a journalist called Brian Okinda on bail.", "Brian Okinda"),
        ("A historian named Petra Lindahl told me the archive burned in 1943.", "Petra Lindahl"),
        ("Ruth talks to fisheries economist Aino Kallio about quotas.", "Aino Kallio"),
        ("This week we speak with the historian Aino Kallio about herring.", "Aino Kallio"),
    ],
)
def test_a_person_introduced_by_post_and_name(text: str, name: str) -> None:
    assert found(text) == {name: "person"}


@pytest.mark.parametrize(
    "text",
    [
        # the person is the subject of what was said, not who said it
        "The bank said Petra Lindahl would resign in March.",
        # whom it was told to
        "The council told Petra Lindahl that the permit had lapsed.",
        # an opinion piece's standfirst names its own author
        "Tariffs on electric cars will slow the transition, argues Petra Lindahl",
        # a bio, then its pronoun: no quotation
        "Petra Lindahl is a former budget analyst. She writes the Cheap Seats every Monday.",
        # the passive of a verb of telling: the ones told
        "The residents of Cobden Terrace are advised that the houses will be renumbered.",
    ],
)
def test_people_who_are_not_sources(text: str) -> None:
    assert "person" not in found(text).values()


def test_the_journal_a_study_appeared_in_is_not_the_studys_subject() -> None:
    # the authors name the study: one work, its journal the container (the gold convention)
    text = "A 2011 study by Koskinen and Saari in Annales Zoologici Fennici examined the bones."
    assert found(text) == {"Koskinen and Saari": "work"}


# ---- "her reporting", "his figures": a person's work after the person is named -------


@pytest.mark.parametrize(
    ("text", "name", "work"),
    [
        (
            "Helen Varro at the Ledger has been great on this; we'll link her reporting.",
            "Helen Varro",
            "reporting",
        ),
        (
            "Jonas Okafor, an astronomer in Leeds, keeps a catalogue of every launch; we use "
            "his figures for the chart.",
            "Jonas Okafor",
            "figures",
        ),
        (
            "Maria Keane visited the plant. Her book on the strike came out in 2019.",
            "Maria Keane",
            "book",
        ),
    ],
)
def test_a_possessive_pronoun_cites_the_person_for_their_work(
    text: str, name: str, work: str
) -> None:
    cited = only(text)
    assert (cited.source_name, cited.source_type, cited.work_title) == (name, "person", work)


@pytest.mark.parametrize(
    "text",
    [
        "The president and his plan were criticised.",
        "She designed the 1987 West German census and her work on income followed.",
        "Her book came out in 2019.",
    ],
)
def test_a_possessive_pronoun_without_a_person_before_cites_no_one(text: str) -> None:
    assert "person" not in found(text).values()


# ---- a surname alone: the person the text named in full before --------------------------


@pytest.mark.parametrize(
    "text",
    [
        # inverted after a quote, in news and in translated prose
        'The candidate Agnes Wrona has 29 percent. "The mayor built monuments," said Wrona.',
        "The draft came from the treasurer, Dr. Agnes Wrona. It is the worst deficit since "
        "2009, like said Wrona in the session.",
        # the surname as the subject, with or without a description of the person
        "Agnes Wrona has run the hospital since 2015. Wrona answered that the debt was manageable.",
        "The festival was founded by the trumpeter Agnes Wrona in 2011. Wrona, a bandleader "
        "who had played in Lagos in the 1980s, said in a 2016 interview that it began small.",
        "Agnes Wrona won in 2021. Speaking on Tuesday, Wrona told the radio that she would "
        "run again.",
    ],
)
def test_a_surname_alone_is_the_person_named_in_full_before(text: str) -> None:
    assert found(text) == {"Agnes Wrona": "person"}


@pytest.mark.parametrize(
    "text",
    [
        "Wrona said the debt was manageable.",
        'The airport is empty. "We built it for nobody," said Wrona.',
        # a place or a body with the same last word is nobody's full name
        "The Wrona Council met. Wrona said the debt was manageable.",
    ],
)
def test_a_surname_never_named_in_full_is_no_person(text: str) -> None:
    assert "person" not in found(text).values()
    assert not any(" " in name and name.endswith("Wrona") for name in found(text))


def test_a_given_name_alone_is_not_a_speaker_by_itself() -> None:
    # hosts and guests are called by their given names; only a surname is a second mention
    text = "Hosted by Paolo Estrella. Paolo admits he has never seen a healthy reef."
    assert "Paolo Estrella" not in found(text)


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
    ],
)
def test_titles_before_the_name_are_the_role(text: str, name: str, title: str) -> None:
    cited = {c.source_name: c for c in find_named_references(text)}
    assert cited[name].source_type == "person"
    assert (cited[name].speaker_role or "").startswith(title.rstrip("."))


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
