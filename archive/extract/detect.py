"""Which extractor a document needs, decided from its bytes before its name.

File names lie (a PDF saved as ``.html``, a page saved without extension) and
media types from servers lie more, so unmistakable content signatures win.
Only where the content is ordinary prose that several formats share (plain
text and Markdown look alike) do the media type and then the file name
decide.  Binary data that is none of the supported formats is refused here,
with its probable type named, rather than fed to a text extractor that would
find nothing and report success.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import PurePath

from archive.errors import InputError

__all__ = ["check_not_binary", "detect_format"]

_HEAD = 65536

# Leading bytes of common binary files that people submit by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/ODT/EPUB, which are ZIP files)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (DOC/XLS/PPT)"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"%!PS", "a PostScript file"),
    (b"{\\rtf", "an RTF document"),
)

_TEXT_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

_HTML_START = re.compile(
    r"^(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_FRAGMENT = re.compile(
    r"^<(?:head|body|div|p|article|section|main|meta|title|table|ul|ol|h[1-6]|a\s+href)\b",
    re.I,
)
_RIS = re.compile(r"^TY  - \S", re.M)
_BIBTEX = re.compile(
    r"^[ \t]*@(?:string|preamble|comment|[a-z]+\s*[{(]\s*[^\s,{}()]+\s*,)", re.I | re.M
)
_WIKI_STRONG = re.compile(
    r"\{\{\s*(?:cite|citation|reflist|sfn)\b|<ref\b[^>]*>|<references\s*/>", re.I
)
_WIKI_HEADING = re.compile(r"^(={2,6})[^=\n].*?\1[ \t]*$", re.M)
_WIKI_MARKUP = re.compile(r"\[\[[^\]\n]+\]\]|'''|\{\{[^}\n]+\}\}")
_MARKDOWN = re.compile(
    r"^#{1,6}[ \t]+\S|\[[^\]\n]+\]\([^)\s]+\)|^\[[^\]\n]+\]:[ \t]*\S|^```|^[ \t]*[-*+][ \t]+\[",
    re.M,
)
_CSL_FIELDS = {"title", "author", "issued", "URL", "DOI", "container-title", "editor"}

_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".pdf": "pdf",
    ".wiki": "wikitext",
    ".wikitext": "wikitext",
    ".mediawiki": "wikitext",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".ris": "ris",
    ".json": "csl-json",
    ".csljson": "csl-json",
}
_MEDIA_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/pdf": "pdf",
    "text/x-wiki": "wikitext",
    "application/x-bibtex": "bibtex",
    "text/x-bibtex": "bibtex",
    "application/x-research-info-systems": "ris",
    "application/vnd.citationstyles.csl+json": "csl-json",
}


def _describe_binary(data: bytes) -> str | None:
    """What the data is, if it is binary; None for text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        return "a WebP image"
    if data[4:8] == b"ftyp":
        return "an MP4/QuickTime video or HEIC image"
    if data.startswith(_TEXT_BOMS):
        return None
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (it contains NUL bytes)"
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if control > len(head) // 10:
        return "binary data (it is mostly control characters)"
    return None


def check_not_binary(data: bytes, *, expected: str | None = None) -> None:
    """Refuse empty and binary input with an error that says what it is."""
    if not data or not data.strip():
        raise InputError(
            "the document is empty",
            hint="check the file or URL; an empty document cites nothing",
        )
    what = _describe_binary(data)
    if what is not None:
        wanted = f"; it was expected to be {expected}" if expected else ""
        raise InputError(
            f"the document is {what}, not a supported document format{wanted}",
            hint="submit HTML, PDF, plain text, Markdown, wikitext, BibTeX, RIS or CSL-JSON",
        )


def _sniff_text(data: bytes) -> str:
    head = data[:_HEAD]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            # Cut at a code-unit boundary so the sample decodes cleanly.
            unit = 4 if codec == "utf-32" else 2
            return head[: len(head) - len(head) % unit].decode(codec, errors="replace")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def _is_csl_json(data: bytes, sample: str) -> bool:
    if not sample.lstrip().startswith(("[", "{")):
        return False
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return False
    except RecursionError:
        # JSON nested past what Python reads: the CSL-JSON reader says so
        # clearly, where reading it as plain text would go on in silence.
        return True
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(
        isinstance(item, dict) and "type" in item and _CSL_FIELDS & item.keys() for item in items
    )


def _from_name(filename: str | None, media_type: str | None) -> str | None:
    if media_type:
        found = _MEDIA_TYPES.get(media_type.split(";", 1)[0].strip().lower())
        if found:
            return found
    if filename:
        suffix = PurePath(filename).suffix.lower()
        return _EXTENSIONS.get(suffix)
    return None


def detect_format(data: bytes, filename: str | None, media_type: str | None = None) -> str:
    """One of the names in ``archive.extract.FORMATS`` for ``data``."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    by_name = _from_name(filename, media_type)
    check_not_binary(data, expected=by_name)
    sample = _sniff_text(data)
    start = sample.lstrip()
    if _HTML_START.match(start):
        return "html"
    if _is_csl_json(data, sample):
        return "csl-json"
    if _RIS.search(sample):
        return "ris"
    if _BIBTEX.search(sample):
        return "bibtex"
    if _WIKI_STRONG.search(sample) or (
        _WIKI_HEADING.search(sample) and _WIKI_MARKUP.search(sample)
    ):
        return "wikitext"
    if by_name is not None and by_name not in ("pdf", "csl-json"):
        return by_name
    if _HTML_FRAGMENT.match(start):
        return "html"
    if by_name == "pdf":
        raise InputError(
            "the document is named or typed as a PDF but does not start with %PDF-",
            hint="the file may be damaged or saved with the wrong extension",
        )
    if _MARKDOWN.search(sample):
        return "markdown"
    return "text"
