"""What one check's answer says about a cited URL, before history is taken into account."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from archive.db.models.health import DriftLabel, HealthState
from archive.health.drift import Drift
from archive.health.probe import Observation
from archive.health.text import cosine
from archive.settings import HealthSettings

# Statuses that answer "not for you" rather than "not here": logins and paywalls
# (InternetArchiveBot keeps these apart from dead links too).
_BLOCKED_STATUSES = frozenset({401, 402, 403, 407, 451})
# Redirect targets and final paths of sign-in walls and paywalls.
_LOGIN_PATH = re.compile(
    r"/(login|log-in|signin|sign-in|sign_in|auth|sso|account/login|subscribe|paywall)(/|$|\?|\.)",
    re.IGNORECASE,
)
# Phrases of parking pages: a domain that lapsed and is offered for sale.  Plain
# phrases in the beginning of the text: parking pages are short, and a regular
# expression over every long article would cost more than the rest of the check.
_PARKED = (
    "this domain is for sale",
    "this domain name is for sale",
    "this domain may be for sale",
    "buy this domain",
    "domain is parked",
    "parked free",
    "parked domain",
    "domain parking",
    "sedoparking",
    "is available for purchase",
    "inquire about this domain",
)
_PARKED_SCAN = 4000


@dataclass(frozen=True, slots=True)
class Outcome:
    state: HealthState
    detail: str | None = None
    soft_404: bool | None = None


def _site(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def moved(url: str, final_url: str) -> str | None:
    """Why a redirect means the source moved away: another site, or the site's home page."""
    start, end = urlsplit(url), urlsplit(final_url)
    if _site(start.hostname) != _site(end.hostname) or (start.port != end.port):
        return f"redirected to another site: {final_url}"
    if end.path in ("", "/") and start.path not in ("", "/") and not end.query:
        return f"redirected to the site's home page: {final_url}"
    return None


def judge(obs: Observation, drift: Drift | None, settings: HealthSettings) -> Outcome:
    if obs.refused_by_policy:
        return Outcome(HealthState.BLOCKED, obs.error)
    if obs.status is None:
        return Outcome(HealthState.FAILING, obs.error)
    status = obs.status
    final = obs.final_url or obs.url
    if status in _BLOCKED_STATUSES:
        return Outcome(HealthState.BLOCKED, f"HTTP {status}")
    if 300 <= status < 400:
        return Outcome(HealthState.FAILING, f"HTTP {status} after {len(obs.chain)} hops")
    if status >= 400:
        return Outcome(HealthState.FAILING, f"HTTP {status}")
    if len(obs.chain) > 1 and _LOGIN_PATH.search(urlsplit(final).path):
        return Outcome(HealthState.BLOCKED, f"redirected to a sign-in or paywall page: {final}")
    if obs.page is not None and _parked(obs.page.text):
        return Outcome(HealthState.MOVED, "the domain shows a parking page")
    if len(obs.chain) > 1:
        why = moved(obs.url, final)
        if why:
            return Outcome(HealthState.MOVED, why)
    soft = _soft_404(obs, settings)
    if soft:
        return Outcome(HealthState.SOFT_404, soft, soft_404=True)
    checked = obs.page is not None and obs.sibling is not None
    if drift is not None and drift.label != DriftLabel.SAME:
        return Outcome(
            HealthState.CHANGED,
            f"{drift.label} change (cosine {drift.cosine:.2f})",
            soft_404=False if checked else None,
        )
    return Outcome(HealthState.ALIVE, None, soft_404=False if checked else None)


def _parked(text: str) -> bool:
    head = " ".join(text[:_PARKED_SCAN].casefold().split())
    return any(phrase in head for phrase in _PARKED)


def _soft_404(obs: Observation, settings: HealthSettings) -> str | None:
    """Bar-Yossef et al. (2004): a URL that cannot exist answered like this one."""
    if obs.sibling is None or obs.page is None:
        return None
    status, final, page = obs.sibling
    if not 200 <= status < 300:
        return None  # the site says "not found" when it means it
    if final == obs.final_url and len(obs.chain) > 1:
        return f"a random URL at the same level is redirected to the same page ({final})"
    if page is not None and cosine(page.terms, obs.page.terms) >= settings.sibling_cosine:
        return "a random URL at the same level answers the same page"
    return None
