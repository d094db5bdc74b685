"""Sentences that credit, fund or advise: who made, paid for or advised on the document,
and where it first appeared.

A show's underwriters ("Support for Morning Edition comes from …"), a
programme's funders, the translator of an article ("The translation was
reviewed by …"), the banks and law firms a press release thanks for a deal
("X acted as financial adviser", "Y was advised by Z") and the publisher a
republished article first ran in ("This article was originally published by
…") are named in whole sentences of prose, not on labelled lines, so the line
tests of ``furniture.py`` do not see them.  They name people and companies the
document does not cite.

Each pattern runs only when the sentence holds one of its gate words, and none
runs on a sentence that reports something: "The programme is funded by the
ministry, which said …" is news, and its source stays.
"""

from __future__ import annotations

import re

from archive.extract.named.grammar import UP

__all__ = ["credit_sentence"]

# A sentence with one of these words reports what someone said or found: whatever it
# says of funding, translating or advising, it is prose and keeps its sources.  Forms
# that are nouns as often ("reports", "shows", "notes", "the United States") are left out.
_REPORTING = frozenset(
    {
        *["said", "says", "say", "told", "tells", "according", "reported", "stated"],
        *["announced", "wrote", "writes", "argued", "argues", "found", "estimated", "warned"],
        *["warns", "claimed", "noted", "showed", "concluded", "concludes", "recalled"],
        *["recalls"],
        *["explained", "explains", "insisted", "insists", "described", "describes", "added"],
    }
)

# A programme's or a publication's funders, underwriters and regulators: "The programme is
# supported by …", "KXRA Public Radio is funded by listeners and …", "an independent podcast
# made with support from …", "This newspaper is regulated by …", "… is a member of the press
# council".  The subject is the show or the publication, so a claim "supported by" data
# keeps its source.
_FUNDERS_GATE = frozenset(
    {
        *["supported", "funded", "underwritten", "sponsored", "financed", "possible"],
        *["support", "funding", "regulated", "licensed", "authorised", "authorized"],
        *["accredited", "member"],
    }
)
_FUNDED_SUBJECTS = [
    *["programme", "program", "show", "podcast", "episode", "series", "newsletter", "station"],
    *["radio", "production", "journalism", "reporting", "coverage", "blog", "channel"],
    *["website", "broadcast", "documentary", "film", "season", "newspaper", "magazine"],
    *["publication", "segment", "hour", "story", "article"],
]
_SUBJECTS_GATE = frozenset(_FUNDED_SUBJECTS) | {f"{w}s" for w in _FUNDED_SUBJECTS}
_FUNDED = re.compile(
    rf"(?i)\b(?:{'|'.join(_FUNDED_SUBJECTS)})s?\b[^.;]{{0,80}}?"
    r"(?:\b(?:is|was|are|were|has\s+been|have\s+been|been)\s+(?:\w+\s+){0,2}?"
    r"(?:supported|funded|underwritten|sponsored|financed|made\s+possible|regulated|licensed"
    r"|authori[sz]ed|accredited)\b|\b(?:is|are)\s+(?:a\s+)?members?\s+of\b"
    r"|\bwith\s+(?:the\s+)?(?:\w+\s+){0,2}?(?:support|funding)\s+(?:from|of)\b"
    r"|,\s+(?:supported|funded|underwritten|sponsored|financed|made\s+possible)\s+"
    r"(?:in\s+part\s+)?by\b)"
)

# Where the document itself was first published or whose series it belongs to: "This
# article was originally published by The Conversation", "A version of this story first
# appeared in the Harbour Post", "This piece is part of Mongabay's series on forests",
# "This story was produced in partnership with …", "… republished with permission".
_REPUBLISHED_GATE = frozenset(
    {
        *["originally", "first", "republished", "reprinted", "partnership", "collaboration"],
        *["part", "syndicated", "co-published", "copublished", "association"],
    }
)
_REPUBLISHED = re.compile(
    r"(?i)\b(?:this|a\s+version\s+of\s+this)\s+(?:\w+\s+)?(?:article|story|piece|post|essay"
    r"|column|interview"
    r"|report|episode|version|investigation|series|feature|analysis)\b[^.;]{0,40}?"
    r"(?:\b(?:was|were|is|has\s+been)\s+(?:originally|first)\s+(?:published|appeared|ran|aired"
    r"|posted|broadcast)|\b(?:originally|first)\s+(?:published|appeared|ran|aired|posted)"
    r"|\b(?:is|was)\s+(?:republished|reprinted|syndicated|co-?published)"
    r"|\b(?:is|was)\s+part\s+of\b"
    r"|\b(?:produced|published|reported|made|written|created|co-?published)\s+in\s+"
    r"(?:partnership|collaboration|association)\s+with)"
    r"|\b(?:republished|reprinted)\s+(?:here\s+)?(?:with\s+(?:the\s+)?permission|from|courtesy"
    r"|under)\b"
)
# Public radio's and podcasts' underwriting reads, whatever the show is called: "Support
# for Gulf Coast Morning comes from …", "Funding for this program is provided by …",
# "Additional support comes from listeners like you", "Underwriting provided by …",
# "This hour is underwritten by …", "Our thanks to the Ridge Foundation for its support",
# "… is a proud sponsor of the show".
_UNDERWRITING_GATE = frozenset(
    {
        *["support", "funding", "underwriting", "sponsorship", "underwritten", "underwrites"],
        *["sponsor", "sponsors"],
        *["supporter", "supporters", "underwriter", "underwriters", "thanks"],
    }
)
_UNDERWRITING = re.compile(
    r"(?i:\b(?:(?:major|additional|generous|financial|underwriting|corporate|production"
    r"|principal|local|national)\s+)?(?:support|funding|underwriting|sponsorship)\b)"
    r"(?:\s+for\s+[^.;]{1,60}?)?\s+(?:(?:is|was|has\s+been|are|were)\s+)?"
    r"(?i:comes?|came|coming|provided|made\s+possible)\s+(?:in\s+part\s+)?(?:by|from)\b"
    r"|(?i:\b(?:is|are|was|were)\s+(?:\w+\s+)?underwritten\s+(?:in\s+part\s+)?by\b)"
    r"|(?i:\b(?:our|with)\s+thanks\s+to\b[^.;]{1,80}?\bfor\s+(?:their|its|his|her)?\s*"
    r"(?:support|sponsorship|underwriting|sponsoring|supporting)\b)"
    r"|(?i:\b(?:a|the|our)\s+(?:proud\s+|longtime\s+|generous\s+)?(?:sponsor|supporter"
    r"|underwriter)s?\s+of\s+(?:this|the|our)\s+(?:show|programme|program|podcast|station"
    r"|newsletter|series|channel|blog)\b)"
)

# The translator or interpreter of the document: "The translation was reviewed by the
# editor …", "translated from the Korean by …", "English version by …", "with the help of
# an interpreter, …", "Our interpreter was …".  A book's translator in a sentence that
# quotes the book reports something and is left alone.
_TRANSLATION_GATE = frozenset(
    {
        *["translation", "translations", "translated", "translator", "translators"],
        *["translating", "interpreter", "interpreters"],
        *["interpreting", "interpretation", "subtitles", "subtitled", "subtitling"],
    }
)
_TRANSLATION = re.compile(
    r"(?i:\b(?:translat\w*|interpret(?:er|ers|ing)|subtitl\w*)\b)[^.;]{0,40}?"
    rf"(?:\bby\s+(?:(?:the|our|an?|their|its)\s+)?(?:[a-z][\w-]*\s+){{0,2}}[{UP}]"
    rf"|\b(?i:translator|interpreter)s?\s*(?:,|:|\bwas\b|\bis\b)?\s*[{UP}])"
    # "Interpretation was provided by …", "Translation courtesy of …"
    r"|(?i:\b(?:translation|interpretation|interpreting|subtitles|subtitling)s?\s+"
    r"(?:(?:was|were|is|are)\s+)?(?:kindly\s+)?(?:provided|done|supplied|courtesy)\s+(?:by|of)\b)"
    # "Ana Ruiz translated this interview", "X interpreted for us"
    r"|(?i:\b(?:translated|interpreted)\s+(?:this|the)\s+(?:interview|article|story|piece"
    r"|conversation|text|report|episode|post)\b|\binterpreted\s+for\s+(?:us|me)\b)"
)

# The advisers a press release names for a deal: "BTG Pactual acted as financial adviser",
# "Cravath is serving as legal counsel to Harbour Bank", "The seller was advised by Carey
# (Chile) and Marval (Argentina)", "Lazard advised the board on the transaction".  People
# "advised by the council to boil water" were told something, and stay.
_ADVISERS_GATE = frozenset(
    {
        *["adviser", "advisers", "advisor", "advisors", "counsel", "advised", "bookrunner"],
        *["bookrunners"],
        *["underwriter", "underwriters", "arranger", "arrangers"],
    }
)
# A deal's adviser is named by its trade ("financial", "legal", "joint", "lead"), or is
# counsel, a bookrunner or an arranger; a plain "adviser to the president" is a person's
# post, and the sentence may report what they said.
_ROLE_WORDS = (
    r"(?:(?:sole|lead|exclusive|joint|independent|global|financial|legal|tax|strategic|m&a"
    r"|transaction|technical|capital\s+markets|restructuring|co-?)[\s-]+)"
)
_DEAL = (
    r"(?:transaction|deal|acquisition|merger|sale|offering|listing|ipo|financing|refinancing"
    r"|disposal|bid|takeover|issuer|seller|buyer|purchaser|underwriters)"
)
_ADVISERS = re.compile(
    r"(?i)\b(?:acted|acts|act|acting|served|serves|serve|serving|will\s+(?:act|serve)"
    r"|has\s+(?:acted|served)|have\s+(?:acted|served))\s+as\s+(?:the\s+|an?\s+|its\s+|their\s+)?"
    rf"(?:{_ROLE_WORDS}{{1,4}}(?:advis[eo]rs?|counsel)|{_ROLE_WORDS}{{0,4}}(?:counsel|bookrunners?"
    r"|underwriters?|arrangers?|(?:global\s+)?coordinators?|placement\s+agents?))\b"
    r"|\b(?:legal|financial|tax)\s+(?:advis[eo]rs?|counsel)\s+(?:to|for|on)\s+(?:the|this|its)\s+"
    rf"(?:\w+\s+){{0,2}}?{_DEAL}\b"
    r"|\b(?:was|were|is|are|has\s+been|have\s+been|being)\s+(?:\w+\s+)?advised\s+"
    rf"(?:on\s+the\s+(?:\w+\s+){{0,2}}?{_DEAL}\s+)?by\b(?![^.;]*\b(?:to|not|that|against)\b)"
    rf"|\badvised\s+[^.;]{{1,60}}?\s+on\s+(?:the|this|its|their)\s+(?:\w+\s+){{0,2}}?{_DEAL}\b"
)


_GATES = _FUNDERS_GATE | _REPUBLISHED_GATE | _UNDERWRITING_GATE | _TRANSLATION_GATE | _ADVISERS_GATE


def credit_sentence(sentence: str, words: frozenset[str]) -> bool:
    """A sentence that names who funded, underwrote, translated or advised on the
    document: none of its names is a source.  ``words``: its lower-case words."""
    if _GATES.isdisjoint(words) or not _REPORTING.isdisjoint(words):
        return False  # most sentences: no gate word, one set test
    if (
        not _FUNDERS_GATE.isdisjoint(words)
        and not _SUBJECTS_GATE.isdisjoint(words)
        and _FUNDED.search(sentence) is not None
    ):
        return True
    if not _UNDERWRITING_GATE.isdisjoint(words) and _UNDERWRITING.search(sentence) is not None:
        return True
    if not _REPUBLISHED_GATE.isdisjoint(words) and _REPUBLISHED.search(sentence) is not None:
        return True
    if not _TRANSLATION_GATE.isdisjoint(words) and _TRANSLATION.search(sentence) is not None:
        return True
    return not _ADVISERS_GATE.isdisjoint(words) and _ADVISERS.search(sentence) is not None
