"""Named references: each attribution pattern, and the page furniture that is not one."""

from __future__ import annotations

import time

import pytest

from archive.extract.named import find_named_references, lookup_source, normalise_name
from archive.extract.types import ExtractedCitation


def names(text: str) -> list[str]:
    return [c.source_name or "" for c in find_named_references(text)]


def only(text: str) -> ExtractedCitation:
    found = find_named_references(text)
    assert len(found) == 1, [(c.source_name, c.extractor) for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "name", "extractor"),
    [
        ("According to Reuters, the talks collapsed.", "Reuters", "named.according-to"),
        (
            "The talks collapsed, according to the Kyiv Independent.",
            "Kyiv Independent",
            "named.according-to",
        ),
        ("According to a 2019 UN report, the lake is shrinking.", "UN", "named.according-to"),
        ("Reuters reported that the talks collapsed.", "Reuters", "named.speech-verb"),
        (
            "The World Health Organization said cases were rising.",
            "World Health Organization",
            "named.speech-verb",
        ),
        ("The Kremlin said on Monday it would respond.", "Kremlin", "named.speech-verb"),
        ("Bellingcat first reported the sale.", "Bellingcat", "named.speech-verb"),
        ("As the Guardian wrote in 2016, the plan was flawed.", "Guardian", "named.speech-verb"),
        (
            "Meanwhile the Aldine Courier reported a second blast.",
            "Aldine Courier",
            "named.speech-verb",
        ),
        ("As The Atlantic noted in 2021, the web forgets.", "Atlantic", "named.speech-verb"),
        (
            "Researchers at Harvard Law School found that half failed.",
            "Harvard Law School",
            "named.speech-verb",
        ),
        (
            "The Financial Times, citing two officials, reported the deal.",
            "Financial Times",
            "named.speech-verb",
        ),
        ('"We are ready," said the Interior Ministry.', "Interior Ministry", "named.speech-verb"),
        (
            "A spokeswoman for the European Commission said no.",
            "European Commission",
            "named.speech-verb",
        ),
        (
            "Researchers at the University of Ostrava found more salt.",
            "University of Ostrava",
            "named.speech-verb",
        ),
        (
            "The official told the Times of Israel website that it was over.",
            "Times of Israel",
            "named.told",
        ),
        ("Officials told the Israeli daily Haaretz that talks stalled.", "Haaretz", "named.told"),
        ("She told Reuters the plan was dead.", "Reuters", "named.told"),
        ("He told the BBC’s Today programme it was over.", "BBC", "named.told"),
        ("In an interview with the BBC, she denied it.", "BBC", "named.interview"),
        (
            "Speaking to Al Jazeera, the minister declined to comment.",
            "Al Jazeera",
            "named.interview",
        ),
        (
            "A cable leaked via WikiLeaks in 2009 described the talks.",
            "WikiLeaks",
            "named.leaked-via",
        ),
        (
            "Documents obtained by the Meridian Ledger show the payments.",
            "Meridian Ledger",
            "named.published-by",
        ),
        ("A memo seen by Bloomberg described the plan.", "Bloomberg", "named.published-by"),
        (
            "The figure was cited by the International Monetary Fund.",
            "International Monetary Fund",
            "named.cited-by",
        ),
        ("He argued in the Atlantic that the policy had failed.", "Atlantic", "named.published-in"),
        (
            "A study published in Nature Medicine counted the deaths.",
            "Nature Medicine",
            "named.published-in",
        ),
        (
            "In an op-ed for the Washington Post, she disagreed.",
            "Washington Post",
            "named.published-in",
        ),
        ("Data from the Census Bureau showed a decline.", "Census Bureau", "named.report-by"),
        (
            "A report by Human Rights Watch described the raids.",
            "Human Rights Watch",
            "named.report-by",
        ),
        ("The same worry ran through a 2019 UN report on ports.", "UN", "named.document"),
    ],
)
def test_attribution_patterns(text: str, name: str, extractor: str) -> None:
    found = only(text)
    assert (found.kind, found.source_name, found.extractor) == ("named", name, extractor)
    assert found.span is not None
    assert text[found.span[0] : found.span[1]] == name
    assert found.context == text


def test_trailing_source_lines() -> None:
    text = (
        "The strike hit at dawn.\n\nSources: Reuters, Kyodo News; the World Bank, company filings"
    )
    found = find_named_references(text)
    assert [c.source_name for c in found] == ["Reuters", "Kyodo News", "World Bank"]
    assert {c.extractor for c in found} == {"named.source-line"}
    assert names("The ceasefire held. — with reporting by Reuters and the Associated Press") == [
        "Reuters",
        "Associated Press",
    ]
    assert names("Additional reporting by Agence France-Presse in Paris") == [
        "Agence France-Presse"
    ]
    assert names("Reporting by Jane Doe; Editing by John Roe") == []
    assert names("Reporting by Jane Doe in Sofia") == []


def test_lists_of_sources() -> None:
    assert names("Reuters, AFP and the BBC reported the strike.") == ["Reuters", "AFP", "BBC"]
    assert names("Reuters and the Associated Press said the port was shut.") == [
        "Reuters",
        "Associated Press",
    ]
    # "and" inside a known name does not split it
    assert names("The Food and Agriculture Organization said prices fell.") == [
        "Food and Agriculture Organization"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Officials reported heavy losses.",
        "Investigators first reported the leak.",
        "The United States said it would send aid.",
        "Of the 1,214 URLs cited in the opinions, a third failed.",
        "He said on Tuesday that the ministry had denied it.",
        "He is familiar with the area and knows the harbour well.",
        "Investors close to the deal walked away.",
    ],
)
def test_people_places_and_generic_subjects_are_not_sources(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "By Jane Doe, Staff Writer",
        "*By Mira Halvorsen*",
        "Posted by the Citation Integrity Lab · 3 June 2024",
        "Sponsored by Acme Bank",
        "Presented by the Coastal Futures Fund",
        "This newsletter is brought to you by the Harbour Trust.",
        "Subscribe to the Daily Courier for $5 a month.",
        "Sign up for The Ledger Brief, our daily newsletter.",
        "Share on Facebook",
        "Share this analysis: Email | LinkedIn | X",
        "Follow us on Twitter",
        "© 2024 The Meridian Ledger. All rights reserved.",
        "Copyright 2024 Harbour Review Media Ltd.",
        "Related: Why the Times of Israel matters",
        "Read more: Reuters says the port is closed",
        "Photo: Reuters",
    ],
)
def test_page_furniture_is_not_cited(text: str) -> None:
    assert names(text) == []


def test_furniture_lines_do_not_hide_the_article() -> None:
    text = (
        "By Anna Kowal, Senior Correspondent\n"
        "Share on Facebook\n"
        "Reuters first reported in February that the two firms share a director.\n"
        "© 2024 The Meridian Ledger\n"
    )
    assert names(text) == ["Reuters"]


def test_date_hint_from_the_same_clause() -> None:
    assert only("A cable leaked via WikiLeaks in 2009 described the port.").date_hint == "2009"
    assert only("He wrote in the Atlantic in March 2021 that it failed.").date_hint == "March 2021"
    assert only("In 2015 the port grew; Reuters reported a fall.").date_hint is None
    assert only("Reuters reported a fall.").date_hint is None


def test_candidate_url_from_the_mapping() -> None:
    assert only("She told the Times of Israel it was over.").candidate_url == (
        "https://www.timesofisrael.com/"
    )
    assert only("The WHO said cases rose.").candidate_url == "https://www.who.int/"
    # an unknown outlet is still reported, without a URL
    unknown = only("Documents obtained by the Aldine Courier show the payments.")
    assert unknown.source_name == "Aldine Courier"
    assert unknown.candidate_url is None


def test_lookup_is_case_insensitive_alias_aware_and_ignores_the() -> None:
    nyt = lookup_source("the new york times")
    assert nyt is not None and nyt.url == "https://www.nytimes.com/"
    assert lookup_source("NYT") == nyt
    assert lookup_source("The U.N.") == lookup_source("United Nations")
    assert lookup_source("Aldine Courier") is None
    assert normalise_name("The Guardian's") == "guardian"


def test_one_citation_per_source_keeping_every_mention() -> None:
    text = (
        "Reuters reported the strike, and according to Reuters the port closed. "
        "Two days later Reuters reported that it had reopened."
    )
    (found,) = find_named_references(text)
    assert found.source_name == "Reuters"
    assert found.mentions is not None and len(found.mentions) == 3
    assert [text[m["start"] : m["end"]] for m in found.mentions] == ["Reuters"] * 3
    assert found.mentions[0]["context"] != found.mentions[2]["context"]
    # an alias in the same document is the same source
    assert names("The WHO said so, and the World Health Organization repeated it.") == [
        "World Health Organization"
    ]


def test_same_work_merges_and_different_works_stay_apart() -> None:
    text = (
        "A leaked European Medicines Agency memo lists 17 antibiotics. According to the memo, "
        "stockpiling was rejected. Asked about the EMA memo, the agency declined to comment. "
        "The European Medicines Agency said in a statement on Friday that supply was stable."
    )
    found = find_named_references(text)
    assert [(c.source_name, c.work_title) for c in found] == [
        ("European Medicines Agency", "memo"),
        ("European Medicines Agency", "statement"),
    ]
    memo = found[0]
    assert memo.mentions is not None and len(memo.mentions) == 2  # "EMA memo" is the same memo


@pytest.mark.parametrize(
    ("text", "name", "role", "work"),
    [
        ("Prime Minister Ana Ruiz said the deal was fair.", "Ana Ruiz", "Prime Minister", None),
        (
            "Deputy Transport Minister Ivan Petrov told a parliamentary committee it would wait.",
            "Ivan Petrov",
            "Deputy Transport Minister",
            None,
        ),
        (
            "The union's leader, Georgi Dimov, told the radio that workers would stay out.",
            "Georgi Dimov",
            "union's leader",
            None,
        ),
        (
            "Opposition leader Igor Dodon said in a video posted on Telegram that it was rigged.",
            "Igor Dodon",
            "Opposition leader",
            "video",
        ),
        ('"We are ready," said Professor John Smith.', "John Smith", "Professor", None),
        (
            "As Jane Jacobs wrote in The Death and Life of Great American Cities, cities change.",
            "Jane Jacobs",
            None,
            "The Death and Life of Great American Cities",
        ),
    ],
)
def test_people_who_speak_are_sources_with_their_role(
    text: str, name: str, role: str | None, work: str | None
) -> None:
    found = only(text)
    assert (found.source_name, found.source_type, found.speaker) == (name, "person", name)
    assert found.speaker_role == role
    assert found.work_title == work


@pytest.mark.parametrize(
    ("text", "name", "source_type", "work", "container"),
    [
        (
            "Port operator Black Sea Terminals said in a statement that it was open to talks.",
            "Black Sea Terminals",
            "organisation",
            "statement",
            None,
        ),
        (
            "Freight is stuck, according to data compiled by MarineTraffic.",
            "MarineTraffic",
            "organisation",
            "data",
            None,
        ),
        (
            "A 2010 paper by Cox, Arnold and Villamayor Tomás in Ecology and Society tested it.",
            "Cox, Arnold and Villamayor Tomás",
            "work",
            "2010 paper",
            "Ecology and Society",
        ),
        (
            "A report last year by the IQVIA Institute found fewer suppliers.",
            "IQVIA Institute",
            "organisation",
            "report",
            None,
        ),
        (
            "Mai walks us through the Mekong River Commission's 2023 flow report.",
            "Mekong River Commission",
            "organisation",
            "2023 flow report",
            None,
        ),
        (
            "Ostrom (1990) argued that communities can manage commons.",
            "Ostrom",
            "work",
            None,
            None,
        ),
        (
            "Two people familiar with the talks said the offer was a bonus.",
            "Two people familiar with the talks",
            "anonymous",
            None,
            None,
        ),
        (
            "If you are new here, start with our episode 180 on the Aral Sea.",
            "our episode 180",
            "self",
            "our episode 180",
            None,
        ),
        (
            "In your book, Money Without Interest, you wrote that it was borrowed time.",
            "Money Without Interest",
            "work",
            "Money Without Interest",
            None,
        ),
        (
            "Also like explained the International Energy Agency in the Africa Energy Outlook, "
            "prices fell.",
            "International Energy Agency",
            "organisation",
            None,
            None,
        ),
    ],
)
def test_attribution_grammar_records_type_work_and_container(
    text: str, name: str, source_type: str, work: str | None, container: str | None
) -> None:
    found = only(text)
    assert (found.source_name, found.source_type) == (name, source_type)
    assert found.work_title == work
    assert found.container == container


def test_anonymous_sources_are_kept_but_never_get_a_candidate() -> None:
    found = only("A senior official at Reuters, who asked not to be named, said it was over.")
    assert found.source_type == "anonymous"
    assert found.candidate_url is None


def test_claim_is_the_quoted_span() -> None:
    text = 'The minister, Ana Ruiz, said the deal was "fair to both sides".'
    found = only(text)
    assert found.claim == "fair to both sides"
    assert found.claim_span is not None
    assert text[found.claim_span[0] : found.claim_span[1]] == "fair to both sides"


@pytest.mark.parametrize(
    "text",
    [
        "(Reporting by Elena Marchetti in Sofia; Editing by Mark Heinrich)",
        "Analysis by Priya Raman, health correspondent",
        "Tidewater is produced by Sam Okafor and Lena Berg. Music by Blue Dot Sessions.",
        "This episode is brought to you by Brightleaf Tea. Use code TIDE for 20% off.",
        "Daniel Ferreira is a contributing columnist for The Harbour Review and a former "
        "economist at the Central Bank of Portugal. His book was published by Verso in 2023.",
        "Thanks to our sponsor SunKing Solar for supporting this channel!",
        "Credits\n\nArtwork by Kiri Studio\nTheme by Podington Bear",
        "TIMESTAMPS\n0:00 Intro\n6:20 What Reuters said",
        "Mira Halvorsen writes about cities and climate for Northlight.",
        "About the Coastal Trust: a charity supported by the Lindqvist Foundation.",
    ],
)
def test_furniture_in_plain_text_is_not_cited(text: str) -> None:
    assert names(text) == []


def test_sources_list_and_trailing_publication_line() -> None:
    text = (
        "The dams hold back less water than claimed.\n\nSources\n\n"
        "Mekong River Commission, Annual Mekong Flow and Water Level Report 2023\n"
        'Eyler and Weatherby, "Mekong Dam Monitor methodology" (2020)\n'
    )
    found = find_named_references(text)
    assert [(c.source_name, c.work_title) for c in found] == [
        ("Mekong River Commission", "Annual Mekong Flow and Water Level Report 2023"),
        ("Eyler and Weatherby", "Mekong Dam Monitor methodology"),
    ]
    article = "The port reopened on Monday after a week of talks between the two sides.\n\n"
    assert names(article * 3 + "— The Guardian, 12 March 2024") == ["Guardian"]


def test_spans_point_into_the_original_text() -> None:
    text = (
        "Intro line.\n\nThe harbour at Port Aldine was shut for a week, according to the\n"
        "World Food Programme, which buys grain there."
    )
    found = only(text)
    assert found.span is not None
    assert text[found.span[0] : found.span[1]] == "World Food Programme"
    assert found.context is not None and "\n" not in found.context


def test_hard_wrapped_text_joins_lines() -> None:
    text = (
        "The clearest evidence so far comes from a set of customs filings reviewed\n"
        "by Bloomberg, which showed that imports rose more than fivefold.\n"
    )
    assert names(text) == ["Bloomberg"]


def test_one_megabyte_in_linear_time() -> None:
    paragraph = (
        "The port authority said on Monday that the channel would be dredged by the end of "
        "the year, according to the World Food Programme. Dara Mendes, a broker, said the "
        "queue was priced in. A cable leaked via WikiLeaks in 2009 described the harbour as "
        "under-dredged, and the Aldine Courier reported that two trading houses share a "
        "director.\n\n"
    )
    text = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    adversarial = "Aa " * 330_000 + ("Reuters " * 200 + "said. ") * 300
    for sample in (text, adversarial, "x" * 1_000_000):
        started = time.perf_counter()
        find_named_references(sample)
        assert time.perf_counter() - started < 30


def test_plain_word_names_need_more_than_a_sentence_start() -> None:
    assert names("Science shows that the plan failed.") == []
    assert names("A study published in Science found more salt.") == ["Science"]
    assert names("Last week Nature published the paper.") == ["Nature"]
