from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import InputError
from archive.extract.ris import extract_ris
from archive.extract.types import Extraction

DATA = Path(__file__).resolve().parent.parent / "data" / "extract" / "structured"


@pytest.fixture(scope="module")
def export() -> Extraction:
    return extract_ris((DATA / "zotero_export.ris").read_bytes())


def test_records_in_order(export: Extraction) -> None:
    assert export.format == "ris"
    assert export.warnings == []
    assert [(c.kind, c.title) for c in export.citations] == [
        ("url", "A pneumonia outbreak associated with a new coronavirus of probable bat origin"),
        ("url", "Coronavirus disease (COVID-19) pandemic"),
        ("named", "The Art of Computer Programming, Volume 1: Fundamental Algorithms"),
        ("named", "Skråstagbruer"),
        ("arxiv", "Attention Is All You Need"),
        ("url", "Halvorsen Bridge opens to traffic"),
    ]
    assert {c.extractor for c in export.citations} == {"ris.record"}


def test_journal_article_keeps_url_and_doi(export: Extraction) -> None:
    article = export.citations[0]
    assert article.url == "https://www.nature.com/articles/s41586-020-2012-7"
    assert article.doi == "10.1038/s41586-020-2012-7"
    assert article.authors == ["Peng Zhou", "Xing-Lou Yang", "Zheng-Li Shi"]
    assert article.date == "2020-03-12"
    assert article.container == "Nature"
    assert article.access_date == "2021-05-04"
    assert article.identifiers == {
        "type": "JOUR",
        "sn": "1476-4687",
        "doi": "10.1038/s41586-020-2012-7",
    }


def test_web_page_and_book(export: Extraction) -> None:
    page = export.citations[1]
    assert page.url == "https://www.who.int/emergencies/diseases/novel-coronavirus-2019"
    assert page.authors == ["World Health Organization"]
    assert page.access_date == "2020-03-15"
    book = export.citations[2]
    assert book.authors == ["Donald E. Knuth"]
    assert book.date == "1997"
    assert book.container == "Addison-Wesley"
    assert book.source_name == "Addison-Wesley"
    chapter = export.citations[3]
    assert chapter.container == "Norske bruer"
    assert chapter.authors == ["Per Hansen"]


def test_arxiv_link_and_t1_a1_tags(export: Extraction) -> None:
    preprint = export.citations[4]
    assert preprint.url == "http://arxiv.org/abs/1706.03762"
    assert preprint.arxiv_id == "1706.03762"
    assert preprint.capture_url == "https://arxiv.org/abs/1706.03762"
    assert preprint.authors == ["Ashish Vaswani", "Noam Shazeer"]
    assert preprint.date == "2017"


def test_several_urls_first_is_cited(export: Extraction) -> None:
    news = export.citations[5]
    assert news.url == "https://www.nrk.no/ostfold/halvorsen-bridge-opens-1.7676543"
    assert news.container == "NRK"
    assert news.date == "2011-06-14"
    assert news.identifiers is not None
    assert news.identifiers["urls"] == [
        "https://www.nrk.no/ostfold/halvorsen-bridge-opens-1.7676543",
        "https://web.archive.org/web/20200302101500/"
        "https://www.nrk.no/ostfold/halvorsen-bridge-opens-1.7676543",
    ]


def test_spans_cover_the_record(export: Extraction) -> None:
    text = (DATA / "zotero_export.ris").read_text(encoding="utf-8")
    span = export.citations[2].span
    assert span is not None
    assert text[span[0] : span[1]].startswith("TY  - BOOK\n")
    assert text[span[0] : span[1]].endswith("ER  - \n")


def test_damaged_records_are_read_and_reported() -> None:
    result = extract_ris((DATA / "broken.ris").read_bytes())
    assert [(c.title, c.url or c.doi) for c in result.citations] == [
        ("Complete record", "https://example.org/complete"),
        ("Record whose ER line is missing", "10.1000/missing-er"),
        ("Loosely spaced record", "https://example.org/loose"),
        ("Cut off at the end of the file", "https://example.org/truncated"),
    ]
    assert result.warnings == [
        "line 1-2: text outside any RIS record (before 'TY  - '); ignored",
        "line 14: the record that starts on line 10 has no 'ER  - ' line "
        "(another record begins); read up to here",
        "line 24: the record that starts on line 22 has no 'ER  - ' line "
        "(end of file); read up to here",
        "line 19: RIS record has no title, author, URL or DOI; skipped",
    ]


def test_crlf_and_bom() -> None:
    data = "\ufeffTY  - ELEC\r\nTI  - Side\r\nUR  - https://example.org/a\r\nER  - \r\n"
    result = extract_ris(data.encode("utf-8"))
    assert [(c.title, c.url) for c in result.citations] == [("Side", "https://example.org/a")]
    assert result.warnings == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no RIS records found"),
        (b"This is a plain text file.\n", "no readable RIS record: line 1:"),
        (b"TY  - JOUR\nER  - \n", "no readable RIS record: line 1: RIS record has no title"),
    ],
)
def test_nothing_readable_is_an_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as raised:
        extract_ris(data)
    assert raised.value.message.startswith(message)
    assert raised.value.hint
