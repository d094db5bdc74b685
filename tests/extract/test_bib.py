from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import InputError
from archive.extract.bib import extract_bibtex
from archive.extract.types import ExtractedCitation, Extraction

DATA = Path(__file__).resolve().parent.parent / "data" / "extract" / "structured"


@pytest.fixture(scope="module")
def library() -> Extraction:
    return extract_bibtex((DATA / "library.bib").read_bytes())


def entry(result: Extraction, key: str) -> ExtractedCitation:
    found = [c for c in result.citations if (c.identifiers or {}).get("key") == key]
    assert len(found) == 1
    return found[0]


def test_one_citation_per_entry(library: Extraction) -> None:
    assert library.format == "bibtex"
    assert library.warnings == []
    assert [(c.identifiers or {})["key"] for c in library.citations] == [
        "who2020covid",
        "zhou2020pneumonia",
        "vaswani2017attention",
        "devlin2019bert",
        "naacl2019",
        "knuth1997art",
        "nrk2011bridge",
        "schroedinger1926",
        "vegvesen2019traffic",
        "garcia2015",
        "olsen2011aero",
        "nakamura2011vortex",
        "hansen2014bruer",
    ]
    assert {c.extractor for c in library.citations} == {"bibtex.entry"}


def test_misc_with_url_in_howpublished(library: Extraction) -> None:
    who = entry(library, "who2020covid")
    assert who.kind == "url"
    assert who.url == "https://www.who.int/emergencies/diseases/novel-coronavirus-2019"
    assert who.capture_url == who.url
    assert who.title == "Coronavirus disease (COVID-19) pandemic"
    assert who.authors == ["World Health Organization"]
    assert who.date == "2020-03"
    assert who.access_date == "2020-03-15"
    assert who.identifiers == {"key": "who2020covid", "entry_type": "misc"}


def test_article_with_doi_only(library: Extraction) -> None:
    zhou = entry(library, "zhou2020pneumonia")
    assert zhou.kind == "doi"
    assert zhou.url is None
    assert zhou.doi == "10.1038/s41586-020-2012-7"
    assert zhou.capture_url == "https://doi.org/10.1038/s41586-020-2012-7"
    assert zhou.authors == ["Peng Zhou", "Xing-Lou Yang", "Xian-Guang Wang"]
    assert zhou.container == "Nature"
    assert zhou.date == "2020-02"
    # A DOI written as a resolver URL is still just the DOI.
    schroedinger = entry(library, "schroedinger1926")
    assert schroedinger.doi == "10.1002/andp.19263840404"
    assert schroedinger.authors == ["Erwin Schrödinger"]
    # The journal comes from an @string abbreviation; the DOI keeps its parentheses.
    olsen = entry(library, "olsen2011aero")
    assert olsen.container == "Journal of Bridge Engineering"
    assert olsen.capture_url == "https://doi.org/10.1061/(ASCE)BE.1943-5592.0000172"
    assert olsen.authors == ["A. Olsen", "T. Lie"]


def test_arxiv_eprints(library: Extraction) -> None:
    attention = entry(library, "vaswani2017attention")
    assert attention.kind == "arxiv"
    assert attention.arxiv_id == "1706.03762"
    assert attention.capture_url == "https://arxiv.org/abs/1706.03762"
    assert attention.title == "Attention Is All You Need"
    assert attention.identifiers == {
        "key": "vaswani2017attention",
        "entry_type": "misc",
        "eprint": "1706.03762",
        "primaryclass": "cs.CL",
        "archiveprefix": "arxiv",
    }
    # Google Scholar's export puts the id in the journal field.
    vortex = entry(library, "nakamura2011vortex")
    assert vortex.kind == "arxiv"
    assert vortex.arxiv_id == "1105.0123"
    assert vortex.authors == ["Yuki Nakamura", "Pieter van der Berg"]


def test_url_and_doi_stay_on_one_citation(library: Extraction) -> None:
    bert = entry(library, "devlin2019bert")
    assert bert.kind == "url"
    assert bert.url == "https://aclanthology.org/N19-1423"
    assert bert.doi == "10.18653/v1/N19-1423"
    assert bert.title == (
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    )
    # booktitle and date come from the @proceedings entry it cross-references.
    assert bert.container == (
        "Proceedings of the 2019 Conference of the North American Chapter of the "
        "Association for Computational Linguistics"
    )
    assert bert.date == "2019-06"


def test_latex_is_decoded_but_urls_are_not(library: Extraction) -> None:
    report = entry(library, "vegvesen2019traffic")
    assert report.title == "Trafikkdata for Østfold 2019: 4% growth"
    assert report.authors == ["Statens vegvesen"]
    assert report.container == "Norwegian Public Roads Administration"
    assert report.url == "https://www.vegvesen.no/trafikkdata/rapport?fylke=%C3%98stfold&aar=2019"
    thesis = entry(library, "garcia2015")
    assert thesis.authors == ["Ana García Márquez"]
    assert thesis.url == "https://ntnuopen.ntnu.no/ntnu-xmlui/handle/11250/2350000"
    assert thesis.access_date == "2021-05-05"
    assert thesis.container == "Norwegian University of Science and Technology"
    chapter = entry(library, "hansen2014bruer")
    assert chapter.title == "Skråstagbruer"
    assert chapter.container == "Norske bruer"


def test_entries_without_links_are_kept_as_named(library: Extraction) -> None:
    knuth = entry(library, "knuth1997art")
    assert knuth.kind == "named"
    assert knuth.capture_url is None
    assert knuth.authors == ["Donald E. Knuth"]
    assert knuth.date == "1997"
    assert knuth.source_name == "Addison-Wesley"
    assert knuth.identifiers == {
        "key": "knuth1997art",
        "entry_type": "book",
        "isbn": "978-0-201-89683-1",
    }


def test_biblatex_online_entry(library: Extraction) -> None:
    nrk = entry(library, "nrk2011bridge")
    assert nrk.url == "https://www.nrk.no/ostfold/halvorsen-bridge-opens-1.7676543"
    assert nrk.date == "2011-06-14"
    assert nrk.access_date == "2020-03-02"
    assert nrk.container == "NRK"


def test_spans_cover_the_entry(library: Extraction) -> None:
    text = (DATA / "library.bib").read_text(encoding="utf-8")
    knuth = entry(library, "knuth1997art")
    assert knuth.span is not None
    written = text[knuth.span[0] : knuth.span[1]]
    assert written.startswith("@book{knuth1997art,")
    assert written.endswith("978-0-201-89683-1}\n}")


def test_broken_entries_are_reported_and_good_ones_kept() -> None:
    result = extract_bibtex((DATA / "broken.bib").read_bytes())
    assert [(c.identifiers or {}).get("key") for c in result.citations] == [
        "good2019",
        "good2020",
        "good2020",
    ]
    assert [c.url or c.doi for c in result.citations] == [
        "https://example.org/papers/good2019",
        "10.1000/xyz123",
        "https://example.org/papers/duplicate",
    ]
    assert len(result.warnings) == 3
    assert result.warnings[0].startswith("line 9: @article{missingbrace could not be read (")
    assert result.warnings[1] == "line 20: entry key 'good2020' is used twice; both entries kept"
    assert result.warnings[2].startswith("line 25: @book{nocomma could not be read (")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no BibTeX entries found"),
        (b"Just some notes, no entries.\n", "no BibTeX entries found"),
        (b"@article{x,\n title = {never closed\n", "no BibTeX entry could be read: line 1:"),
    ],
)
def test_nothing_readable_is_an_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as raised:
        extract_bibtex(data)
    assert raised.value.message.startswith(message)
    assert raised.value.hint


def test_latin1_file_is_read() -> None:
    data = "@book{b, title = {Fjære og fjell}, url = {https://example.no/fjære}}".encode("latin-1")
    result = extract_bibtex(data)
    assert result.citations[0].title == "Fjære og fjell"
    assert result.citations[0].url == "https://example.no/fjære"
    assert result.citations[0].capture_url == "https://example.no/fj%C3%A6re"
