"""A document captured from the loopback test site, exported, and the site stopped.

The interoperability tests (stock pywb, ReplayWeb.page) must see only what
the archive holds: once the origin is gone, whatever answers is the archive.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.helpers import clean_env, cli_ok
from tests.sites.site import TestSite


def capture_export_and_stop(
    tmp: Path, text: Callable[[str], str], probe: str, *, recapture: bool = False
) -> tuple[str, Path]:
    """Add a document whose ``text(base)`` cites the site, archive it through the CLI (twice,
    the second time with ``--force``, if ``recapture``), export its WACZ, stop the site; the
    site's origin and the WACZ.  The data folder is ``tmp/data``."""
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    with TestSite() as site:
        base = site.base_url
        doc = tmp / "article.txt"
        doc.write_text(text(base))
        cli_ok(env, "add", str(doc), "--id", "article")
        cli_ok(env, "archive", "article")
        if recapture:
            cli_ok(env, "archive", "article", "--force")
        wacz = tmp / "article.wacz"
        cli_ok(env, "export", "article", "-o", str(wacz))
        assert not site.errors, "\n".join(site.errors)
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + probe, timeout=5)  # the origin is gone
    return base, wacz
