"""People as sources, by category of the language (unnamed sources and the author's own
work: test_named_unnamed.py).

Each test writes its own sentences in the construction it covers, in several
phrasings (news, academic, show notes, transcripts, non-native English), with cases
that must stay silent beside the ones that must be found.
"""

from __future__ import annotations

import pytest

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


# An age in brackets, and a trade or a life given as a "who" clause: people quoted as
# residents, workers or witnesses are described, not given a post.
@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ('Mr. Sato Kenji (72), fisherman, says: "The road will close."', "Sato Kenji", "fisherman"),
        (
            "Ms. Kobayashi Emi (45), who operates an inn for the plant workers, told that her "
            "business will recover.",
            "Kobayashi Emi",
            "who operates an inn for the plant workers",
        ),
        (
            "Ilona Varga (54), who lost her job in May, said the plant should never have closed.",
            "Ilona Varga",
            "who lost her job in May",
        ),
        (
            "Kwame Asante (61), a cocoa farmer, told us the rains came late.",
            "Kwame Asante",
            "cocoa farmer",
        ),
        (
            "Ilona Varga, who has volunteered at the shelter since 2019, said beds ran out.",
            "Ilona Varga",
            "who has volunteered at the shelter since 2019",
        ),
    ],
)
def test_an_age_and_a_described_life_name_the_person(text: str, name: str, role: str) -> None:
    cited = only(text)
    assert (cited.source_name, cited.source_type) == (name, "person")
    assert cited.speaker_role is not None and cited.speaker_role.endswith(role)


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
