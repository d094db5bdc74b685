from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.errors import InputError
from archive.extract.csl import build_citation, clean_arxiv, clean_doi, extract_csl_json, iso_date
from archive.extract.types import Extraction

DATA = Path(__file__).resolve().parent.parent / "data" / "extract" / "structured"


@pytest.fixture(scope="module")
def export() -> Extraction:
    return extract_csl_json((DATA / "zotero_export.json").read_bytes())


def test_items_in_order(export: Extraction) -> None:
    assert export.format == "csl-json"
    assert export.warnings == []
    assert [(c.kind, c.capture_url) for c in export.citations] == [
        ("url", "https://www.nature.com/articles/s41586-020-2012-7"),
        ("url", "https://www.who.int/emergencies/diseases/novel-coronavirus-2019"),
        ("named", None),
        ("arxiv", "https://arxiv.org/abs/1706.03762"),
        ("named", None),
        ("doi", "https://doi.org/10.1002/andp.19263840404"),
        ("url", "https://www.nrk.no/ostfold/halvorsen-bridge-opens-1.7676543"),
        ("url", "https://ntnuopen.ntnu.no/ntnu-xmlui/handle/11250/2350000"),
    ]


def test_journal_article(export: Extraction) -> None:
    article = export.citations[0]
    assert article.extractor == "csl.item"
    assert article.title == (
        "A pneumonia outbreak associated with a new coronavirus of probable bat origin"
    )
    assert article.doi == "10.1038/s41586-020-2012-7"
    assert article.authors == ["Peng Zhou", "Xing-Lou Yang", "Zheng-Li Shi"]
    assert article.date == "2020-03-12"
    assert article.access_date == "2021-05-04"
    assert article.container == "Nature"
    assert article.identifiers == {
        "id": "http://zotero.org/users/1234567/items/ABCD2345",
        "type": "article-journal",
        "issn": "1476-4687",
        "doi": "10.1038/s41586-020-2012-7",
    }


def test_literal_author_and_web_page(export: Extraction) -> None:
    page = export.citations[1]
    assert page.authors == ["World Health Organization"]
    assert page.container == "World Health Organization"
    assert page.date is None
    assert page.access_date == "2020-03-15"


def test_book_without_link_is_named(export: Extraction) -> None:
    book = export.citations[2]
    assert book.title == "The Art of Computer Programming, Volume 1: Fundamental Algorithms"
    assert book.date == "1997"
    assert book.container == "Addison-Wesley"
    assert book.source_name == "Addison-Wesley"
    assert book.identifiers is not None
    assert book.identifiers["isbn"] == "978-0-201-89683-1"


def test_arxiv_preprint(export: Extraction) -> None:
    preprint = export.citations[3]
    assert preprint.url == "http://arxiv.org/abs/1706.03762"
    assert preprint.arxiv_id == "1706.03762"
    assert preprint.doi == "10.48550/arXiv.1706.03762"
    assert preprint.date == "2017-06-12"


def test_markup_particles_and_raw_dates(export: Extraction) -> None:
    thesis = export.citations[7]
    assert thesis.title == "Wind-induced vibrations of cable-stayed bridges"
    assert thesis.authors == ["Ana García Márquez"]
    assert thesis.date == "2015"
    assert thesis.container == "Norwegian University of Science and Technology"
    doi_only = export.citations[5]
    assert doi_only.url is None
    assert doi_only.authors == ["Erwin Schrödinger"]


def test_single_item_and_crossref_lists() -> None:
    item = {
        "type": "article-journal",
        "title": ["Crossref sends titles as lists"],
        "container-title": ["Journal of Examples", "J. Ex."],
        "DOI": "10.5555/12345678",
        "issued": {"date-parts": [[2008, 8]]},
    }
    result = extract_csl_json(json.dumps(item).encode())
    cit = result.citations[0]
    assert (cit.kind, cit.title, cit.container) == (
        "doi",
        "Crossref sends titles as lists",
        "Journal of Examples",
    )
    assert cit.date == "2008-08"


def test_non_object_items_are_skipped_with_a_warning() -> None:
    data = b'[{"title": "Kept", "URL": "https://example.org/kept"}, 42, "text"]'
    result = extract_csl_json(data)
    assert [c.url for c in result.citations] == ["https://example.org/kept"]
    assert result.warnings == [
        "CSL-JSON item 2 is not an object; skipped",
        "CSL-JSON item 3 is not an object; skipped",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"title": "a",}\n]', "CSL-JSON is not valid JSON: Expecting property name"),
        (b'[\n  {"title": "a"},\n  {"title": "b"\n]', "line 4, column 1"),
        (b"", "CSL-JSON is not valid JSON"),
        (b'"just a string"', "CSL-JSON must be a list of items or one item, not a JSON str"),
        (b"[]", "CSL-JSON contains no items"),
        (b"[\xff]", "CSL-JSON is not valid UTF-8 (byte 1)"),
    ],
)
def test_invalid_input_is_an_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as raised:
        extract_csl_json(data)
    assert message in raised.value.message
    assert raised.value.hint


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("14 June 2011", "2011-06-14"),
        ("June 14, 2011", "2011-06-14"),
        ("Sept. 2011", "2011-09"),
        ("2019/03/15/", "2019-03-15"),
        ("2019///", "2019"),
        ("2021/05/04/13:22:10", "2021-05-04"),
        ("2020-02-30", "2020-02-30"),
        ("circa 1900", "circa 1900"),
        ("", None),
    ],
)
def test_iso_date(written: str, expected: str | None) -> None:
    assert iso_date(written) == expected


def test_identifier_cleaning() -> None:
    assert clean_doi("doi:10.1000/xyz123.") == "10.1000/xyz123"
    assert clean_doi("https://doi.org/10.1000/a%23b") == "10.1000/a#b"
    assert clean_doi("no identifier here") is None
    assert clean_arxiv("arXiv:hep-th/9901001v2") == "hep-th/9901001v2"
    assert clean_arxiv("https://arxiv.org/pdf/1706.03762v5") == "1706.03762v5"
    assert clean_arxiv("10.48550/arXiv.1706.03762") == "1706.03762"


def test_build_citation_precedence() -> None:
    both = build_citation("x", url="https://publisher.example/a", doi="10.1000/a")
    assert (both.kind, both.capture_url, both.doi) == (
        "url",
        "https://publisher.example/a",
        "10.1000/a",
    )
    resolver = build_citation("x", url="https://doi.org/10.1000/a%23b")
    assert (resolver.kind, resolver.doi, resolver.capture_url) == (
        "doi",
        "10.1000/a#b",
        "https://doi.org/10.1000/a%23b",
    )
    relative = build_citation("x", url="/files/report.pdf", base_url="https://example.org/x/")
    assert relative.capture_url == "https://example.org/files/report.pdf"
    not_web = build_citation("x", url="mailto:editor@example.org")
    assert (not_web.kind, not_web.capture_url) == ("url", None)
    for broken in ("http://[::1", "https://exa mple.com/a", "http://example.com:99999/"):
        cited = build_citation("x", url=broken)
        assert (cited.kind, cited.url, cited.capture_url) == ("url", broken, None)
    spaced = build_citation("x", url="https://example.org/a b?q=ä")
    assert spaced.capture_url == "https://example.org/a%20b?q=%C3%A4"
