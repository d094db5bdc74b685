"""What a failed job's reason says about the cited source: refused by a policy, or unreachable.

A job that ends without an HTTP answer keeps only its reason (a sentence for
people, ``capture_jobs.reason``).  The views must still tell three cases
apart: citevault's own fetch policy refused the URL (the researcher can see
which setting, and an operator can change it), the source could not be
reached (DNS, refused connection, TLS, timeout), or citevault itself failed
(a crawler that died, a record not written), which says nothing about the
source.  The reasons are written by ``archive.net.policy`` and
``crawler.failures`` from the words below; ``tests/crawler/test_failures.py``
checks that every reason the crawler gives is read back as it meant it.
"""

from __future__ import annotations

from archive.net.policy import (
    PRIVATE_SETTING,
    REDIRECTS_SETTING,
    ROBOTS_SETTING,
    SCHEME_POLICY,
    SCHEME_REFUSED,
)

# The settings a refusal names, in the words its reason uses.
_POLICIES = (PRIVATE_SETTING, ROBOTS_SETTING, REDIRECTS_SETTING)

# How ``crawler.failures.describe`` starts a reason for a source that gave no
# HTTP answer at all.
UNREACHABLE_OPENINGS = (
    "the host of ",
    "cannot resolve the host of ",
    "connection refused fetching ",
    "TLS failure fetching ",
    "timed out before a response from ",
    "no response from ",
)


def blocking_policy(reason: str | None) -> str | None:
    """The setting (or fixed rule) that refused the fetch, when the reason is a refusal."""
    if not reason:
        return None
    for setting in _POLICIES:
        if setting in reason:
            return setting
    if SCHEME_REFUSED in reason:
        return SCHEME_POLICY
    return None


def unreachable(reason: str | None) -> bool:
    """True when the reason says the source gave no answer (not a refusal, not our failure)."""
    return bool(reason) and str(reason).startswith(UNREACHABLE_OPENINGS)
