"""What a link of page furniture points to, read off its URL alone.

``furniture.py`` judges a link by where it stands (a heading, a link line, a
sentence); the rules kept here are the other half of that judgement, the ones
that need no text at all: which hosts are podcast platforms and feeds, which
pages ask for money, what counts as a site's home, a section or an index page.
They are kept apart because they are lists of hosts and paths that grow on
their own, while the layout rules change with the documents' shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from archive.extract.types import ExtractedCitation

__all__ = [
    "INDEX_PATH",
    "SECTION_PATH",
    "WORD",
    "Target",
    "call_to_act",
    "people_page",
    "platform",
    "site_host",
    "social",
    "support",
    "support_site",
]

# A word of a heading, a label or a link's words: letters and digits.
WORD = re.compile(r"[^\W_]+")

# Where a show is listened to or subscribed to: a link there from a link line
# or a furniture section is a button.
_PLATFORM_HOSTS = frozenset(
    {
        "spotify.com",
        "podcasts.apple.com",
        "itunes.apple.com",
        "music.apple.com",
        "pocketcasts.com",
        "pca.st",
        "overcast.fm",
        "castbox.fm",
        "podcasts.google.com",
        "music.amazon.com",
        "audible.com",
        "deezer.com",
        "stitcher.com",
        "tunein.com",
        "iheart.com",
        "podbean.com",
        "player.fm",
        "castro.fm",
        "radiopublic.com",
        "podcastaddict.com",
    }
)
# Pages that ask the reader for money or membership, never a source.
_SUPPORT_HOSTS = frozenset(
    {
        "patreon.com",
        "ko-fi.com",
        "buymeacoffee.com",
        "liberapay.com",
        "opencollective.com",
        "paypal.me",
        "gofundme.com",
        "steadyhq.com",
        "memberful.com",
    }
)
# The same support sites by their own label in the host, whatever domain they are
# reached at ("patreon.<tld>", "ko-fi.<tld>"), and by the words of a button that asks
# ("Buy me a coffee", "Support us on Ko-fi"); "Patreon" alone may be a story about it.
_SUPPORT_HOST_LABELS = frozenset(
    {
        *["patreon", "ko-fi", "kofi", "buymeacoffee", "liberapay", "opencollective"],
        *["gofundme", "steadyhq", "memberful", "flattr", "givebutter", "donorbox"],
    }
)
_SUPPORT_LABEL = re.compile(
    r"(?:(?:support|join|back|become-a-member|become-a-patron)-(?:of-)?(?:us|me|the-show"
    r"|the-podcast|the-blog|the-channel)?-?on-)"
    r"(?:patreon|ko-fi|kofi|liberapay|open-collective|gofundme|donorbox)"
    r"|buy-(?:me|us)-a-coffee|tip-jar|become-a-patron"
)
# The same platforms by the name a button shows or the host's own label: a listen line
# names its platforms whatever address (a regional domain, a short link) they go to.
_PLATFORM_LABELS = frozenset(
    {
        "spotify",
        "apple-podcasts",
        "itunes",
        "pocket-casts",
        "pocketcasts",
        "overcast",
        "castbox",
        "google-podcasts",
        "youtube-music",
        "amazon-music",
        "audible",
        "deezer",
        "stitcher",
        "tunein",
        "iheart",
        "iheartradio",
        "podbean",
        "player-fm",
        "castro",
        "radiopublic",
        "podcast-addict",
        "rss",
        "rss-feed",
    }
)
_PLATFORM_HOST_LABELS = frozenset(
    {"spotify", "pocketcasts", "overcast", "castbox", "deezer", "stitcher", "podbean", "tunein"}
)
# Where a person or a body keeps a profile: a link there from a link line is a
# "follow us" button; a post or a video on them, cited in a sentence, is a source.
_SOCIAL_LABELS = frozenset(
    {
        "instagram",
        "facebook",
        "fb",
        "twitter",
        "x",
        "tiktok",
        "linkedin",
        "youtube",
        "threads",
        "bsky",
        "bluesky",
        "mastodon",
        "snapchat",
        "pinterest",
        "whatsapp",
        "telegram",
        "flickr",
        "vimeo",
        "soundcloud",
    }
)
_PROFILE_PATH = re.compile(
    r"/(?!(?:watch|playlist|shorts|reel|live|search|hashtag|explore)/?$)"
    r"(?:@?[^/]+|(?:in|company|channel|c|user|pages?|groups?|people)/[^/]+)/?"
)
# A site's pages about its own people: staff, authors, hosts, contributors.
_PEOPLE_PATH = re.compile(
    r"/(?:people|person|authors?|staff|team|profiles?|contributors?|writers?|journalists?"
    r"|reporters?|columnists?|hosts?|presenters?|bios?|byline|our-team|about/team)/[^/]+/?$"
)
# The words of a button that asks the reader to act: subscribe, sign up, join, give.
_CALL_TO_ACT = re.compile(
    r"(?:subscribe|sign-up|signup|sign-in|log-in|login|register|join|donate|give"
    r"|become-a-(?:member|supporter|patron|subscriber)|support-us|upgrade|get-the-newsletter"
    r"|get-our-newsletter)(?:-(?:here|now|today|free|for-free|for-free-here))?"
)
_FEED_PATH = re.compile(r"(?:/feed/?|/rss/?|\.rss|/atom\.xml|/feed\.xml|/rss\.xml|/podcast\.xml)$")
_FEED_HOST = ("feeds.", "feed.", "rss.")
_SUPPORT_PATH = re.compile(
    r"/(?:join|membership|members|donate|donations?|support|supporters|subscribe|patrons?"
    r"|newsletters?|signup|sign-up)/?$"
)
# A site's index pages: what a post is filed under, not what it cites.
SECTION_PATH = re.compile(r"/[^/]+/?")  # one step below the home page
INDEX_PATH = re.compile(
    r"/(?:(?:tags?|categor(?:y|ies)|topics?|labels?)/[^/]+|archives?)/?$|/(?:shop|store|merch)(?:/|$)"
)


def site_host(url: str | None) -> str | None:
    """The host a URL belongs to, without ``www.``, lower-cased."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def _on_host(host: str, domains: frozenset[str]) -> bool:
    """``host`` is one of ``domains`` or under one ("open.spotify.com")."""
    labels = host.split(".")
    return any(".".join(labels[k:]) in domains for k in range(len(labels) - 1))


@dataclass(frozen=True, slots=True)
class Target:
    """What the rules read of a link's URL, parsed once."""

    host: str
    path: str
    home: bool  # the site's home page: no path, no query
    bare: bool  # written out in the text, not words linked
    label: str  # the linked words, lower case, joined by "-" as a path spells them

    @classmethod
    def of(cls, cit: ExtractedCitation) -> Target:
        url = cit.capture_url or cit.url or ""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower().removeprefix("www.")
        except ValueError:
            return cls("", "", False, True, "")
        home = parts.path in ("", "/") and not parts.query
        label = "-".join(WORD.findall((cit.anchor_text or "").lower()))
        return cls(host, parts.path.lower(), home, cit.extractor.endswith("bare-url"), label)

    @property
    def names_its_section(self) -> bool:
        """ "News" linked to /news, "About" to /about: a menu item names its page."""
        # A breadcrumb names the last step of a deeper path ("Banking" → /business/banking).
        steps = self.path.strip("/").split("/")
        return self.home or (len(steps) <= 3 and steps[-1] == self.label)


def support(to: Target, link_line: bool) -> bool:
    """A donation or membership page: on Patreon or Ko-fi (``support_site``) wherever it
    stands, a site's own "/join" or "/donate" page on a link line (a ministry's
    "/support" page for claimants, cited in a sentence, is a source)."""
    return support_site(to) or (link_line and bool(_SUPPORT_PATH.search(to.path)))


def support_site(to: Target) -> bool:
    """A page on a site that takes money for a creator (Patreon, Ko-fi), known by its host
    or by the button's words; a post published there can be cited, and stays."""
    on_site = _on_host(to.host, _SUPPORT_HOSTS) or not _SUPPORT_HOST_LABELS.isdisjoint(
        to.host.split(".")[:-1]
    )
    return (on_site or bool(_SUPPORT_LABEL.fullmatch(to.label))) and not to.path.startswith(
        "/posts/"
    )


def platform(to: Target) -> bool:
    """A podcast platform or a feed: where one listens or subscribes.

    Known by its host, by its own label in the host ("open.spotify.<tld>") or by
    the platform's name on the button ("Apple Podcasts" on a short link)."""
    return (
        _on_host(to.host, _PLATFORM_HOSTS)
        or to.host.startswith(_FEED_HOST)
        or bool(_FEED_PATH.search(to.path))
        or to.label in _PLATFORM_LABELS
        or not _PLATFORM_HOST_LABELS.isdisjoint(to.host.split(".")[:-1])
        or to.host.startswith("podcasts.apple.")
    )


def social(to: Target) -> bool:
    """A profile on a social network ("instagram.com/festival", "youtube.com/@show")."""
    labels = to.host.split(".")[:-1]
    on_network = not _SOCIAL_LABELS.isdisjoint(labels) or to.label.endswith(
        tuple(f"on-{name}" for name in ("instagram", "facebook", "tiktok", "youtube", "linkedin"))
    )
    return on_network and (to.home or _PROFILE_PATH.fullmatch(to.path) is not None)


def people_page(to: Target) -> bool:
    """A site's page about one of its people: what a byline or a host line links to."""
    return _PEOPLE_PATH.search(to.path) is not None


def call_to_act(to: Target) -> bool:
    """A button that asks the reader to subscribe, sign up, join or give, going to a
    page for that ("subscribe here" → /subscribe): an ask wherever it stands."""
    return _CALL_TO_ACT.fullmatch(to.label) is not None and (
        _SUPPORT_PATH.search(to.path) is not None or "newsletter" in to.path
    )
