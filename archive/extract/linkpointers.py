"""What the sentence around a link says it is for: a pointer, an offer, press assets.

Some links stand in sentences of prose and still cite nothing: the words
before them send the reader somewhere to act or to follow along ("tickets
are available at", "results will be published live at", "for more
information, visit"), offer a discount ("use code …"), hand out press
images, or give the original of a translated article.  They are told by the
words of their own sentence, wherever the line stands.
"""

from __future__ import annotations

import re

from archive.extract.named.grammar import VOCAB
from archive.extract.types import ExtractedCitation

__all__ = ["assets", "pointer", "pointer_home", "promo"]

# "Press images are available at …": press assets, in a press release's notes.
_ASSETS = re.compile(
    r"(?i)\b(?:press|media)\s+(?:images?|photos?|photographs|pictures|kit|pack|assets)\b"
    r"|\bhigh[- ]res(?:olution)?\s+(?:images?|photos?|photographs|pictures)\b|\bb-roll\b"
)
# "For more information, visit www.company.com": the boilerplate's pointer home.
_VISIT = re.compile(
    r"(?i)\b(?:for\s+(?:more|further)\s+information|to\s+(?:learn|find\s+out)\s+more|"
    r"learn\s+more|find\s+out\s+more|more\s+information)\b[^.\n]{0,40}?"
    r"\b(?:visit|at|see|go\s+to|head\s+to)\s*:?\s*$"
)
# A sponsor read's offer: the link goes with the discount code, not with a claim.
_PROMO = re.compile(
    r"(?i)\b(?:(?:promo|discount|coupon|offer|voucher)\s+code|(?:with|use|using|enter)\s+"
    r"(?:the\s+)?code\s+[A-Z0-9]|\d{1,2}\s?%\s+off\b|\bper\s?cent\s+off\b|free\s+trial"
    r"|(?:listeners|readers|viewers|subscribers)\s+(?:can\s+)?get\b)"
)
# Where the reader is sent to follow along or to act, not what the text relies on:
# a page updated live ("results will be published live at"), tickets or entries
# ("tickets are available at"), and the same article in the language it was written
# in ("the German original here", when the line says it was translated).
_POINTER = re.compile(
    r"(?i)(?:\blive\b[^.!?]{0,20}?"
    r"|\b(?:tickets?|registration|bookings?|entries|entry\s+forms?)\b[^.!?]{0,40}?"
    r"\b(?:available|open|on\s+sale|can\s+be\s+(?:bought|made|booked))\b[^.!?]{0,30}?)"
    r"\b(?:at|on|via|here|from|through)\s*:?\s*$"
)
_ORIGINAL = re.compile(
    r"(?i)\boriginal(?:ly)?\b[^.!?]{0,40}?(?:\b(?:at|on|via|here|from|you\s+find|is|version"
    r"|article|text|story|edition))\s*:?\s*$"
)
_TRANSLATED = re.compile(r"(?i)\btranslat(?:ed|ion|or)\b|\boriginal\s+(?:language|version)\b")
# The languages an article is first written in, by their English names and their own:
# "Original Turkish article:", "Read this story in Spanish", "Versión en español".
# Languages by their own names: a link that says only "Español" or "日本語" is a button.
_NATIVE = frozenset(
    {
        *["español", "castellano", "português", "français", "deutsch", "italiano", "türkçe"],
        *["nederlands", "polski", "русский", "українська", "العربية", "日本語", "中文", "한국어"],
        *["tiếng việt", "bahasa indonesia", "kiswahili"],
    }
)
_LANGUAGES = (
    VOCAB["demonyms"]
    | _NATIVE
    | frozenset(
        {
            *["english", "french", "irish", "welsh", "hindi", "urdu", "bengali", "bangla"],
            *["swahili", "tagalog", "malay", "hebrew", "farsi", "dari", "pashto", "punjabi"],
            *["gujarati", "marathi", "telugu", "kannada", "malayalam", "sinhala", "amharic"],
            *["hausa", "yoruba", "igbo", "zulu", "xhosa", "afrikaans", "cantonese", "mandarin"],
            *["galician", "quechua", "guarani", "espanol", "portugues", "francais", "turkce"],
        }
    )
)
_LANGUAGE = "|".join(sorted((re.escape(w) for w in _LANGUAGES), key=len, reverse=True))
# The first word of each: a set test on the words before a link tells the few links whose
# sentence names a language from the many, before any pattern with all of them is tried.
_LANGUAGE_WORDS = frozenset(w.split()[0] for w in _LANGUAGES)
_WORD = re.compile(r"[^\W\d_]+")
# The same article in its first language, said before the link: "Original Turkish
# article:", "the Japanese original here", "Read this story in Spanish:", "Also in
# Portuguese:"; a report or a statement published in another language is a source.
_IN_LANGUAGE = re.compile(
    rf"(?i)(?:\boriginal\s+(?:{_LANGUAGE})\s+(?:article|story|text|version|edition|piece|post)"
    rf"|\b(?:{_LANGUAGE})\s+(?:original|version|edition)"
    r"|\bread\s+(?:(?:it|this|this\s+(?:article|story|piece|interview)|the\s+original)\s+)?"
    rf"(?:also\s+)?in\s+(?:{_LANGUAGE})"
    r"|\b(?:this|the)\s+(?:article|story|piece|interview|post)\s+(?:is\s+)?(?:also\s+)?"
    rf"available\s+in\s+(?:{_LANGUAGE})"
    rf"|\balso\s+in\s+(?:{_LANGUAGE}))\b[^.!?]{{0,20}}$"
)
# The link's own words say it is the original or another language's edition: "original
# article", "the original", "Read in Japanese", "Versión en español", "Lire en français".
_ORIGINAL_LABEL = re.compile(
    r"(?i)(?:the\s+)?original(?:\s+(?:article|version|text|story|edition|piece|post))?"
)
_LANGUAGE_LABEL = re.compile(
    r"(?i)(?:(?:read|view|see)\s+(?:it\s+|this\s+)?in|in|(?:versi[oó]n|versão|version|édition"
    r"|edición|edição)\s+(?:en|em|in|auf|originale?)|(?:leer|ler|lire|lesen|leggi)\s+(?:en|em"
    rf"|auf|in))\s+(?:{_LANGUAGE})"
    rf"|(?:{_LANGUAGE})\s+(?:version|edition|original)"
    rf"|{'|'.join(sorted(map(re.escape, _NATIVE), key=len, reverse=True))}"
)


def _sentence_around(line: str, at: int, cit: ExtractedCitation) -> tuple[int, int, int]:
    """Where the sentence holding ``cit`` starts and ends in ``line``, and where the link
    starts."""
    assert cit.span is not None
    start, end = cit.span[0] - at, cit.span[1] - at
    before = max(line.rfind(". ", 0, start), line.rfind("! ", 0, start), line.rfind("? ", 0, start))
    after = [i for i in (line.find(". ", end), line.find("! ", end)) if i != -1]
    return before + 1, min(after, default=len(line)), start


def _in_sentence(pattern: re.Pattern[str], line: str, at: int, cit: ExtractedCitation) -> bool:
    begin, end, _ = _sentence_around(line, at, cit)
    return pattern.search(line, begin, end) is not None


def assets(line: str, at: int, cit: ExtractedCitation) -> bool:
    """The link's sentence hands out press images or a media kit."""
    return _in_sentence(_ASSETS, line, at, cit)


def promo(line: str, at: int, cit: ExtractedCitation) -> bool:
    """The link's sentence is a sponsor's offer (a code, a discount, a free trial)."""
    return _in_sentence(_PROMO, line, at, cit)


def pointer(line: str, at: int, cit: ExtractedCitation) -> bool:
    """A link the words before it send the reader to: a page still to come, tickets, a
    live stream, or the same article in its first language (said before the link, by
    the link's own words, or as "the original" of a line that says it is translated)."""
    begin, _, start = _sentence_around(line, at, cit)
    if _POINTER.search(line, begin, start) is not None:
        return True
    before = _LANGUAGE_WORDS.intersection(_WORD.findall(line[begin:start].lower()))
    if before and _IN_LANGUAGE.search(line, begin, start) is not None:
        return True
    label = " ".join((cit.anchor_text or "").split())
    named = _LANGUAGE_WORDS.intersection(_WORD.findall(label.lower()))
    if named and _LANGUAGE_LABEL.fullmatch(label) is not None:
        return True
    said_translated = _TRANSLATED.search(line) is not None
    if said_translated and _ORIGINAL_LABEL.fullmatch(label) is not None:
        return True
    return said_translated and _ORIGINAL.search(line, begin, start) is not None


def pointer_home(line: str, at: int, cit: ExtractedCitation) -> bool:
    """ "For more information, visit …": a press release's pointer to a home page."""
    assert cit.span is not None
    return _VISIT.search(line, 0, max(0, cit.span[0] - at)) is not None
