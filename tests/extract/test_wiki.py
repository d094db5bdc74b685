from __future__ import annotations

from pathlib import Path

import pytest

from archive.extract.types import ExtractedCitation, Extraction
from archive.extract.wiki import extract_wikitext

DATA = Path(__file__).resolve().parent.parent / "data" / "extract" / "structured"


@pytest.fixture(scope="module")
def article() -> tuple[str, Extraction]:
    data = (DATA / "halvorsen_bridge.wiki").read_bytes()
    return data.decode("utf-8"), extract_wikitext(data)


def by_url(result: Extraction, url: str) -> ExtractedCitation:
    matches = [c for c in result.citations if c.url == url]
    assert len(matches) == 1, [c.url for c in result.citations]
    return matches[0]


def test_every_source_once_in_document_order(article: tuple[str, Extraction]) -> None:
    _, result = article
    assert result.format == "wikitext"
    assert result.warnings == []
    assert [(c.extractor, c.kind, c.capture_url) for c in result.citations] == [
        ("wiki.external-link", "url", "http://halvorsenbridge.no"),
        (
            "wiki.cite-template",
            "url",
            "https://www.nrk.no/ostfold/halvorsen-bridge-opens-1.7676543",
        ),
        (
            "wiki.cite-template",
            "url",
            "https://www.vegvesen.no/vegprosjekter/halvorsenbrua/historikk?lang=en&section=2",
        ),
        (
            "wiki.cite-template",
            "doi",
            "https://doi.org/10.1061/(ASCE)BE.1943-5592.0000172",
        ),
        ("wiki.cite-template", "arxiv", "https://arxiv.org/abs/1105.0123"),
        (
            "wiki.ref-link",
            "url",
            "https://www.dagbladet.no/nyheter/bro-stengt-etter-storm/63123456",
        ),
        (
            "wiki.ref-link",
            "url",
            "https://www.vegvesen.no/trafikkdata/start/kart?trafficType=vehicle",
        ),
        ("wiki.cite-template", "url", "http://www.sorbom.no/nyheter/2019/halvorsen-toll-removed"),
        ("wiki.cite-template", "named", None),
        ("wiki.ref-text", "named", None),
        ("wiki.doi-template", "doi", "https://doi.org/10.5281/zenodo.1234567"),
        (
            "wiki.cite-template",
            "url",
            "https://www.ssb.no/transport-og-reiseliv/statistikker/halvorsen",
        ),
        ("wiki.external-link", "url", "https://www.halvorsenbridge.no/"),
        ("wiki.bare-url", "url", "https://webcam.example.no/halvorsen"),
        (
            "wiki.external-link",
            "url",
            "https://commons.wikimedia.org/wiki/Category:Halvorsen_Bridge",
        ),
    ]


def test_cite_news_with_archive_copy(article: tuple[str, Extraction]) -> None:
    text, result = article
    cit = by_url(result, "https://www.nrk.no/ostfold/halvorsen-bridge-opens-1.7676543")
    assert cit.title == "Halvorsen Bridge opens to traffic"
    assert cit.authors == ["Kari Berg"]
    assert cit.date == "2011-06-14"
    assert cit.container == "NRK"
    assert cit.access_date == "2020-03-02"
    assert cit.archive_url == (
        "https://web.archive.org/web/20200302101500/"
        "https://www.nrk.no/ostfold/halvorsen-bridge-opens-1.7676543"
    )
    assert cit.identifiers == {
        "template": "cite news",
        "url_status": "live",
        "archive_date": "2020-03-02",
        "ref_name": "nrk-opening",
    }
    assert cit.context == "It opened to traffic on 14 June 2011 after four years of construction."
    assert cit.span is not None
    assert text[cit.span[0] : cit.span[1]].startswith("{{cite news |last=Berg")
    assert text[cit.span[0] : cit.span[1]].endswith("|url-status=live}}")
    # The archive copy belongs to the citation; it is not a citation of its own.
    assert not [c for c in result.citations if c.url and "web.archive.org" in c.url]


def test_dead_link_keeps_status_and_archive(article: tuple[str, Extraction]) -> None:
    _, result = article
    cit = by_url(result, "http://www.sorbom.no/nyheter/2019/halvorsen-toll-removed")
    assert cit.title == "Toll removed on the Halvorsen Bridge"
    assert cit.container == "Bompengeselskap Sør"
    assert cit.date == "2019-01-01"
    assert cit.archive_url == (
        "https://archive.ph/2019.01.05-101010/"
        "http://www.sorbom.no/nyheter/2019/halvorsen-toll-removed"
    )
    assert cit.identifiers is not None
    assert cit.identifiers["url_status"] == "dead"
    assert cit.identifiers["archive_date"] == "2019-01-05"


def test_html_entities_in_template_urls_are_decoded(article: tuple[str, Extraction]) -> None:
    _, result = article
    url = "https://www.vegvesen.no/vegprosjekter/halvorsenbrua/historikk?lang=en&section=2"
    cit = by_url(result, url)
    assert cit.title == "Project history"
    assert cit.container == "Norwegian Public Roads Administration"
    assert cit.access_date == "2020-03-02"
    assert cit.context == (
        "Planning began in 1998, when the county council proposed replacing the old ferry crossing."
    )


def test_identifier_only_templates(article: tuple[str, Extraction]) -> None:
    _, result = article
    journal = next(c for c in result.citations if c.kind == "doi")
    assert journal.url is None
    assert journal.doi == "10.1061/(ASCE)BE.1943-5592.0000172"
    assert journal.authors == ["Olsen A", "Lie T"]
    assert journal.date == "2011"
    assert journal.container == "Journal of Bridge Engineering"

    preprint = next(c for c in result.citations if c.kind == "arxiv")
    assert preprint.arxiv_id == "1105.0123"
    assert preprint.title == "Vortex shedding on twin-box bridge decks"
    assert preprint.authors == ["Yuki Nakamura", "Trond Lie"]


def test_sources_without_links_are_kept(article: tuple[str, Extraction]) -> None:
    text, result = article
    book, plain = (c for c in result.citations if c.kind == "named")
    assert book.title == "Ferjene på Glomma"
    assert book.authors == ["Olav Nilsen"]
    assert book.identifiers == {"template": "cite book", "isbn": "978-82-02-12345-6"}
    assert book.source_name == "Forlaget Vest"
    assert plain.extractor == "wiki.ref-text"
    assert plain.source_name == (
        "Hansen, Per (2014). Norske bruer. Oslo: Universitetsforlaget. p. 212."
    )
    assert plain.context == "Its main span was the longest in Norway until 2013."
    assert plain.span is not None
    assert text[plain.span[0] : plain.span[1]] == (
        "Hansen, Per (2014). ''Norske bruer''. Oslo: Universitetsforlaget. p. 212."
    )


def test_named_refs_count_once_and_list_defined_refs_get_context(
    article: tuple[str, Extraction],
) -> None:
    _, result = article
    names = [(c.identifiers or {}).get("ref_name") for c in result.citations]
    assert names.count("nrk-opening") == 1
    assert names.count("storm") == 1
    storm = by_url(result, "https://www.dagbladet.no/nyheter/bro-stengt-etter-storm/63123456")
    assert storm.anchor_text == '"Bro stengt etter storm"'
    assert storm.context == (
        "In February 2015 the bridge was closed for two days after a storm damaged its lighting."
    )
    ssb = by_url(result, "https://www.ssb.no/transport-og-reiseliv/statistikker/halvorsen")
    assert ssb.title == "Traffic on the Halvorsen Bridge 2011–2019"
    assert ssb.container == "Statistics Norway"
    assert ssb.access_date == "2021-05-12"
    assert ssb.context == "Traffic grew by four per cent a year until 2019."


def test_links_outside_refs(article: tuple[str, Extraction]) -> None:
    text, result = article
    official = by_url(result, "https://www.halvorsenbridge.no/")
    assert official.anchor_text == "Official website"
    assert official.archive_url == (
        "https://web.archive.org/web/20190101000000/https://www.halvorsenbridge.no/"
    )
    webcam = by_url(result, "https://webcam.example.no/halvorsen")
    assert webcam.context == "Live webcam:"
    assert webcam.span is not None
    assert text[webcam.span[0] : webcam.span[1]] == "https://webcam.example.no/halvorsen"
    commons = by_url(result, "//commons.wikimedia.org/wiki/Category:Halvorsen_Bridge")
    assert commons.anchor_text == "Photographs on Wikimedia Commons"
    # Commented-out links and explanatory notes cite nothing.
    assert not [c for c in result.citations if c.url and "hidden.example.com" in c.url]
    assert not [c for c in result.citations if c.source_name and "centre" in c.source_name]


def test_protocol_relative_links_follow_the_page_scheme() -> None:
    data = b"See [//example.org/report the report]."
    result = extract_wikitext(data, base_url="http://wiki.internal/wiki/Page")
    assert result.citations[0].url == "//example.org/report"
    assert result.citations[0].capture_url == "http://example.org/report"


def test_title_and_plain_text(article: tuple[str, Extraction]) -> None:
    _, result = article
    assert result.title == "Halvorsen Bridge"
    assert result.text is not None
    assert "It opened to traffic on 14 June 2011 after four years of construction." in result.text
    assert "Traffic grew by four per cent a year until 2019.\nThe toll" in result.text
    assert "Universitetsforlaget" not in result.text  # ref texts are not prose
    assert "Category:" not in result.text


def test_unbalanced_templates_and_unclosed_refs() -> None:
    data = (DATA / "broken.wiki").read_bytes()
    text = data.decode("utf-8")
    result = extract_wikitext(data)
    assert result.warnings == [
        "line 2: unclosed template inside <ref>; read as if closed at </ref>",
        "line 3: unbalanced template ('{{' without '}}'); read as plain text",
        "line 8: unclosed <ref>; its links are read as links outside references",
        "line 9: unbalanced template ('{{' without '}}'); read as plain text",
    ]
    cited = [(c.extractor, c.url) for c in result.citations]
    assert cited == [
        ("wiki.cite-template", "https://www.example-reviews.com/albums/northern-lights"),
        ("wiki.ref-link", "https://www.example.org/tour-news"),
        ("wiki.cite-template", "https://news.example.com/leg2"),
        ("wiki.bare-url", "https://forum.example.net/thread/42"),
        ("wiki.bare-url", "https://open.example.com/page"),
    ]
    review = result.citations[0]
    assert review.title == "Northern Lights review"
    assert review.container == "Example Reviews"
    assert review.date == "2018-05-03"
    assert review.context == "Critics praised the album."
    assert review.span is not None
    assert text[review.span[1] : review.span[1] + 6] == "</ref>"
    assert result.citations[3].context == "Fans later complained online."
    assert result.title == "Reception"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{{{{{{",
        b"}}]]</ref>",
        b"<ref>" * 50,
        b"[[" * 3000 + b"x",
        b"{{a|" * 400 + b"http://example.com/deep" + b"}}" * 400,
        b"\xff\xfe\x00\x00garbage\x80\x81",
        b'<ref name="a"/><ref name="a"/>',
        b"[http://[::1 broken host] and http://[fe80::1%25",
    ],
)
def test_garbage_never_raises(data: bytes) -> None:
    result = extract_wikitext(data)
    assert result.format == "wikitext"
    assert all(c.kind in {"url", "doi", "arxiv", "named"} for c in result.citations)


def test_deeply_nested_template_links_are_found() -> None:
    data = b"{{a|" * 20 + b"http://example.com/deep" + b"}}" * 20
    result = extract_wikitext(data)
    assert [c.url for c in result.citations] == ["http://example.com/deep"]
    assert result.citations[0].span == (80, 103)


def test_an_external_links_section_is_not_cited() -> None:
    # Where to read on about the subject, not where the page's claims come from; a
    # link in the sections before it is cited, and the next section is read again.
    data = (
        b"The bridge opened in 2011.<ref>[https://news.example/opened Opened]</ref>\n"
        b"== External links ==\n"
        b"* [https://www.bridge.example/ Official website] {{webarchive "
        b"|url=https://web.archive.org/web/2019/https://www.bridge.example/ |date=2019}}\n"
        b"* Live webcam: https://webcam.example/bridge\n"
        b"=== Maps ===\n"
        b"* [https://maps.example/bridge Map]\n"
        b"== Notes ==\n"
        b"Tolls were lifted in 2019, [https://roads.example/tolls the roads office said].\n"
    )
    urls = [c.url for c in extract_wikitext(data).citations if c.url]
    assert urls == ["https://news.example/opened", "https://roads.example/tolls"]
