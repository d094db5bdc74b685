"""Bytes to text for every text-based format.

Documents arrive as bytes from disk, stdin or HTTP, with a charset that is
declared correctly, declared wrongly, or not at all.  The order of trust:

1. a byte-order mark (it cannot be there by accident);
2. strict UTF-8, because text that decodes as UTF-8 without error almost never
   is anything else, while pages that declare ISO-8859-1 and are in fact
   UTF-8 are common;
3. the declared charset (HTTP header or ``<meta charset>``), if the bytes
   decode with it without error;
4. mostly-UTF-8 text with some invalid bytes (a Latin-1 paragraph pasted into
   a UTF-8 file) decodes as UTF-8 with U+FFFD replacements and a warning;
5. charset-normalizer's guess; failing that, UTF-8 with replacements.

Nothing here raises on undecodable bytes: a citation list from a partly
damaged file is worth more than an error, and the warning says what was lost.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

__all__ = ["Decoded", "decode_bytes"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NON_ASCII_OK = re.compile("[^\x00-\x7f\ufffd]")
# charset-normalizer looks at samples; past this size the extra bytes only
# cost time without changing its answer.
_DETECT_SAMPLE = 1 << 20


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _bom(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _replacing(data: bytes, encoding: str, why: str) -> Decoded:
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    warnings = []
    if bad:
        warnings.append(
            f"{bad} byte sequence(s) were not valid {encoding} ({why}); "
            "they were replaced with U+FFFD"
        )
    return Decoded(text, encoding, warnings)


def _guess(sample: bytes) -> str | None:
    """charset-normalizer's answer, breaking ties in favour of windows-1252.

    Short Western European texts decode equally well as cp1250 and cp1252;
    cp1252 is by far the more common legacy encoding (and the web's default).
    """
    results = list(from_bytes(sample))
    if not results:
        return None
    best = results[0]
    for match in results:
        if (match.chaos, match.coherence) != (best.chaos, best.coherence):
            break
        if match.encoding == "cp1252":
            return "cp1252"
    return str(best.encoding) if best.encoding else None


def decode_bytes(data: bytes, *, declared: str | None = None, html: bool = False) -> Decoded:
    """Decode a document; ``declared`` is an external charset (e.g. HTTP ``Content-Type``).

    With ``html`` set, a ``<meta charset>`` or XML declaration in the first
    kilobytes counts as declared when no external charset is given.
    """
    bom = _bom(data)
    if bom:
        return _replacing(data, bom, "after a byte-order mark")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if declared is None and html:
        declared = html_body_declared_encoding(data[:8192])
    encoding = resolve_encoding(declared) if declared else None
    if encoding and encoding != "utf-8":
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    lenient = data.decode("utf-8", errors="replace")
    if len(_NON_ASCII_OK.findall(lenient, 0, 1 << 22)) >= 2:
        return _replacing(data, "utf-8", "the file mixes encodings")
    best = _guess(data[:_DETECT_SAMPLE])
    if best is not None:
        guessed = resolve_encoding(best) or best
        try:
            return Decoded(data.decode(guessed), guessed)
        except (UnicodeDecodeError, LookupError):
            return _replacing(data, guessed, "guessed encoding")
    return _replacing(data, "utf-8", "no encoding could be determined")
