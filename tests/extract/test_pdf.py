"""PDF extraction: link annotations, page text, broken URLs, damaged files."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from archive.errors import InputError
from archive.extract import extract
from archive.extract.pdf import extract_pdf


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build_pdf(pages: list[list[str]], links: Sequence[tuple[int, str]] = ()) -> bytes:
    """A small PDF with one Helvetica text line per entry and URI link annotations."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        ops = ["BT /F1 11 Tf 14 TL 72 740 Td"]
        ops += [f"({_escape(line)}) Tj T*" for line in lines]
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    for index, url in links:
        writer.add_annotation(page_number=index, annotation=Link(rect=(72, 700, 300, 714), url=url))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PAGES = [
    [
        "Harbour dredging: a review of the public record",
        "The tender notice at https://procurement.example.gov/notices/",
        "2024-0311 was published a week late (doi:10.5555/coast.2022.118).",
        "The council minutes are at https://council.example.gov/minutes",
        "The sediment study is available from the agency.",
        "Long DOI link https://doi.org/10.1016/j.marpolbul.",
        "2020.111234 was cited by the contractor.",
    ],
    [
        "Plume model: arXiv:2405.01234. Agency limits: https://www.env-agency.org/limits.",
        "See the annotated report on this page.",
    ],
]
LINKS = [
    (0, "https://www.harbour-authority.org/annual-report-2023.pdf"),
    (1, "https://www.env-agency.org/limits"),
    (1, "mailto:desk@example.com"),
]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return build_pdf(PAGES, LINKS)


def test_annotations_and_page_text(pdf: bytes) -> None:
    result = extract_pdf(pdf)
    found = [(c.page, c.extractor, c.kind, c.url or c.doi or c.arxiv_id) for c in result.citations]
    assert found == [
        (1, "pdf.bare-url", "url", "https://procurement.example.gov/notices/2024-0311"),
        (1, "pdf.doi", "doi", "10.5555/coast.2022.118"),
        (1, "pdf.bare-url", "url", "https://council.example.gov/minutes"),
        (1, "pdf.bare-url", "doi", "https://doi.org/10.1016/j.marpolbul.2020.111234"),
        (
            1,
            "pdf.link-annotation",
            "url",
            "https://www.harbour-authority.org/annual-report-2023.pdf",
        ),
        (2, "pdf.arxiv", "arxiv", "2405.01234"),
        # the annotation and the printed URL are one citation
        (2, "pdf.link-annotation", "url", "https://www.env-agency.org/limits"),
    ]
    assert result.warnings == []
    assert len(pdf) < 4096


def test_urls_broken_across_lines_are_joined(pdf: bytes) -> None:
    result = extract_pdf(pdf)
    assert result.text is not None
    notice = result.citations[0]
    assert notice.span is not None
    assert result.text[notice.span[0] : notice.span[1]] == (
        "https://procurement.example.gov/notices/\n2024-0311"
    )
    doi_link = result.citations[3]
    assert doi_link.doi == "10.1016/j.marpolbul.2020.111234"
    assert doi_link.capture_url == "https://doi.org/10.1016/j.marpolbul.2020.111234"
    # a complete URL at the end of a line is not joined with the next sentence
    assert result.citations[2].url == "https://council.example.gov/minutes"


def test_spans_pages_and_context(pdf: bytes) -> None:
    result = extract_pdf(pdf)
    assert result.text is not None
    assert result.text.count("\f") == 1
    limits = result.citations[-1]
    assert limits.span is not None
    assert result.text[limits.span[0] : limits.span[1]] == "https://www.env-agency.org/limits"
    assert limits.context == ("Agency limits: https://www.env-agency.org/limits.")
    annotation_only = result.citations[4]
    assert annotation_only.span is None and annotation_only.page == 1


def test_dispatch_detects_pdf_by_content(pdf: bytes) -> None:
    result = extract(pdf, filename="download.bin")
    assert (result.format, result.media_type) == ("pdf", "application/pdf")


def test_encrypted_pdf_is_refused_with_a_hint(pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt("secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(InputError, match="encrypted with a password") as err:
        extract(out.getvalue(), filename="locked.pdf")
    assert err.value.hint is not None and "decrypt" in err.value.hint


def test_pdf_with_empty_user_password_is_read(pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    result = extract(out.getvalue())
    assert len(result.citations) == 7


def test_truncated_pdf_keeps_the_readable_pages() -> None:
    data = build_pdf(
        [
            ["Page one https://example.org/one"],
            ["Page two https://example.org/two"],
            ["Page three https://example.org/three"],
        ],
        [(0, "https://example.org/annotation-one")],
    )
    cut = data.index(b"9 0 obj") + 20  # inside the third page's object
    result = extract_pdf(data[:cut])
    assert [c.url for c in result.citations] == [
        "https://example.org/one",
        "https://example.org/two",
    ]
    assert any("truncated or damaged" in w for w in result.warnings)
    assert "page 3 is missing from the file and was skipped" in result.warnings
    assert "page 1: 1 link annotation(s) are missing" in result.warnings


def test_truncated_pdf_without_anything_readable_is_refused(pdf: bytes) -> None:
    with pytest.raises(InputError, match="PDF could not be read") as err:
        extract(pdf[:120], filename="cut.pdf")
    assert err.value.hint is not None and "truncated" in err.value.hint


def test_pages_after_a_gap_keep_their_numbers() -> None:
    data = build_pdf(
        [
            ["Page one https://example.org/one"],
            ["Page two https://example.org/two"],
            ["Page three https://example.org/three"],
        ]
    )
    # Cut the second page's object out of the file, as a damaged download might.
    start = data.index(b"7 0 obj")
    end = data.index(b"endobj", start) + len(b"endobj")
    damaged = data[:start] + b" " * (end - start) + data[end:]
    result = extract_pdf(damaged)
    assert [(c.page, c.url) for c in result.citations] == [
        (1, "https://example.org/one"),
        (3, "https://example.org/three"),
    ]
    assert "page 2 is missing from the file and was skipped" in result.warnings
    assert result.text is not None and result.text.count("\f") == 2


def test_garbage_after_header_is_refused() -> None:
    with pytest.raises(InputError, match="PDF"):
        extract(b"%PDF-1.7\n" + b"\x8f\x12 not really a pdf " * 20, filename="x.pdf")


def test_named_as_pdf_but_not_a_pdf() -> None:
    with pytest.raises(InputError, match="does not start with %PDF-"):
        extract(b"just some words", filename="paper.pdf")
    with pytest.raises(InputError, match="no %PDF- header"):
        extract(b"just some words", format="pdf")


def test_a_word_after_a_url_is_not_joined_when_the_link_annotation_ends_the_url() -> None:
    """A URL ending in "/" at a line's end reads as broken; the page's link annotation
    over it says the URL ended there, and the next line's "and" is prose."""
    url = "https://www.nationalarchives.gov.uk/information-management/manage-information/"
    page = ["The national archives' own guidance is available at", url, "and is a useful start."]
    result = extract(build_pdf([page], links=[(0, url)]), format="pdf")
    assert [(c.kind, c.url) for c in result.citations if c.kind != "named"] == [("url", url)]
    cit = next(c for c in result.citations if c.kind == "url")
    assert cit.span is not None and result.text[cit.span[0] : cit.span[1]] == url
