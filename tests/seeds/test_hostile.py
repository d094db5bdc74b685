"""Bad input to a seed run: a clear error or a reported skip, and nothing half-stored."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from archive.clock import ManualClock
from archive.db import migrate
from archive.db.models import Document, SeedEntry, SeedRun
from archive.net import policy
from archive.runtime import Runtime
from archive.seeds import run_seed_file
from tests.helpers import clean_env, run_cli
from tests.seeds.site import START, NewsSite, Response

XML = "application/xml"
INDEX = '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START + timedelta(days=1, hours=12))


@pytest.fixture
def site(clock: ManualClock) -> Iterator[NewsSite]:
    with NewsSite(clock) as running:
        yield running


@pytest.fixture
def settings(sqlite_url: str, make_settings: Any) -> Any:
    made = make_settings(
        database_url=sqlite_url,
        fetch={"block_private_addresses": False},
        seeds={"max_sitemaps": 5, "max_sitemap_depth": 1, "max_source_bytes": 1024 * 1024},
    )
    migrate.upgrade(made.effective_database_url)
    return made


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "seeds.toml"
    path.write_text(body)
    return path


def _count(settings: Any, model: Any) -> int:
    rt = Runtime(settings)
    try:
        with rt.sessions()() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        rt.close()


def test_a_malformed_feed_fails_its_seed_and_stores_nothing(
    settings: Any, site: NewsSite, clock: ManualClock, tmp_path: Path
) -> None:
    site.routes["/broken.xml"] = lambda: Response(200, b"<html><body>Moved!</body></html>")
    path = _write(tmp_path, f'[[seed]]\nname = "broken"\nfeed = "{site.base}/broken.xml"\n')
    summary = run_seed_file(settings, path, clock=clock)
    assert [(p.seed, p.url) for p in summary.failed] == [("broken", f"{site.base}/broken.xml")]
    assert "is not an RSS or Atom feed" in summary.failed[0].reason
    assert (summary.new, _count(settings, Document), _count(settings, SeedEntry)) == (0, 0, 0)


def test_an_index_of_thousands_of_sitemaps_is_read_up_to_the_limit(
    settings: Any, site: NewsSite, clock: ManualClock, tmp_path: Path
) -> None:
    listed = "".join(f"<sitemap><loc>{site.base}/many/{i}.xml</loc></sitemap>" for i in range(5000))
    site.routes["/many.xml"] = lambda: Response(
        200, f"{INDEX}{listed}</sitemapindex>".encode(), XML
    )
    for i in range(5000):
        body = (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{site.url(i % 4)}</loc></url></urlset>"
        ).encode()
        site.routes[f"/many/{i}.xml"] = lambda body=body: Response(200, body, XML)
    path = _write(tmp_path, f'[[seed]]\nname = "many"\nsitemap = "{site.base}/many.xml"\n')
    summary = run_seed_file(settings, path, clock=clock)
    # the index and four sitemaps: five files, seeds.max_sitemaps
    assert len(site.requests("/many")) == 5
    assert [p.reason for p in summary.skipped] == [
        "4996 more sitemaps not read: at most 5 per source (seeds.max_sitemaps)"
    ]
    assert summary.new == 4 and _count(settings, Document) == 4


def test_nested_indexes_stop_at_the_depth_limit(
    settings: Any, site: NewsSite, clock: ManualClock, tmp_path: Path
) -> None:
    for level in range(50):
        body = (
            f"{INDEX}<sitemap><loc>{site.base}/nest/{level + 1}.xml</loc></sitemap></sitemapindex>"
        )
        site.routes[f"/nest/{level}.xml"] = lambda body=body: Response(200, body.encode(), XML)
    path = _write(tmp_path, f'[[seed]]\nname = "nest"\nsitemap = "{site.base}/nest/0.xml"\n')
    summary = run_seed_file(settings, path, clock=clock)
    assert [r.path for r in site.requests("/nest")] == ["/nest/0.xml", "/nest/1.xml", "/nest/2.xml"]
    assert [(p.url, p.reason) for p in summary.skipped] == [
        (
            f"{site.base}/nest/2.xml",
            "a sitemap index nested 2 levels deep is not read (seeds.max_sitemap_depth is 1)",
        )
    ]
    assert summary.new == 0 and _count(settings, Document) == 0


def test_a_gzip_bomb_is_cut_at_the_limit(
    settings: Any, site: NewsSite, clock: ManualClock, tmp_path: Path
) -> None:
    # 64 MB of XML whitespace in about 64 kB: 64 times seeds.max_source_bytes.
    bomb = gzip.compress(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + b" " * (64 * 1024 * 1024)
        + b"</urlset>",
        compresslevel=9,
    )
    assert len(bomb) < 1024 * 1024
    site.routes["/bomb.xml.gz"] = lambda: Response(200, bomb, "application/gzip")
    listed = f"<sitemap><loc>{site.base}/bomb.xml.gz</loc></sitemap>"
    site.routes["/index.xml"] = lambda: Response(
        200, f"{INDEX}{listed}</sitemapindex>".encode(), XML
    )
    direct = _write(tmp_path, f'[[seed]]\nname = "bomb"\nsitemap = "{site.base}/bomb.xml.gz"\n')
    summary = run_seed_file(settings, direct, clock=clock)
    assert [p.url for p in summary.failed] == [f"{site.base}/bomb.xml.gz"]
    assert "inflates to more than 1048576 bytes" in summary.failed[0].reason
    # Behind an index: that sitemap fails, reported; the run goes on.
    behind = _write(tmp_path, f'[[seed]]\nname = "bomb2"\nsitemap = "{site.base}/index.xml"\n')
    summary = run_seed_file(settings, behind, clock=clock)
    assert [p.url for p in summary.failed] == [f"{site.base}/bomb.xml.gz"]
    assert _count(settings, Document) == 0


def test_feed_entries_at_private_addresses_are_refused(
    sqlite_url: str,
    make_settings: Any,
    site: NewsSite,
    clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the address policy on, as in production.

    The newsroom stands in for a public site: only its own address, 127.0.0.1,
    is taken for public (no public address can be served from a test); the
    entries at 10.0.0.1 and 169.254.169.254 meet the real policy.
    """
    real = policy.address_problem
    monkeypatch.setattr(
        policy, "address_problem", lambda ip: None if str(ip) == "127.0.0.1" else real(ip)
    )
    settings = make_settings(database_url=sqlite_url)
    assert settings.fetch.block_private_addresses
    migrate.upgrade(settings.effective_database_url)
    links = [
        site.url(0),
        "http://10.0.0.1/internal.html",
        "http://169.254.169.254/latest/meta-data/",
    ]
    items = "".join(f"<item><title>x</title><link>{link}</link></item>" for link in links)
    rss = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    site.routes["/mixed.xml"] = lambda: Response(200, rss.encode(), "application/rss+xml")
    path = _write(tmp_path, f'[[seed]]\nname = "mixed"\nfeed = "{site.base}/mixed.xml"\n')
    summary = run_seed_file(settings, path, clock=clock)
    reasons = {p.url: p.reason for p in summary.failed}
    assert set(reasons) == set(links[1:])
    assert "private address 10.0.0.1" in reasons[links[1]]
    assert "link-local address 169.254.169.254" in reasons[links[2]]
    assert summary.new == 1
    assert _count(settings, Document) == 1 and _count(settings, SeedEntry) == 1


def test_unknown_keys_are_an_error_naming_key_line_and_seed(
    make_settings: Any, tmp_path: Path, site: NewsSite
) -> None:
    path = _write(
        tmp_path,
        f'[[seed]]\nname = "world"\nfeed = "{site.base}/rss.xml"\n\n'
        f'[[seed]]\nname = "science"\nfeed = "{site.base}/atom.xml"\nexlude = ["*/live/*"]\n',
    )
    data = tmp_path / "data"
    result = run_cli("seeds", "run", str(path), env=clean_env(CITEVAULT_DATA_DIR=str(data)))
    assert result.returncode == 2
    assert "line 8, [[seed]] #2 (name 'science'): unknown key 'exlude'" in result.stderr
    assert site.requests("/") == []  # nothing fetched
    settings = make_settings(data_dir=data)
    assert _count(settings, SeedRun) == 0 and _count(settings, Document) == 0


def test_patterns_robots_given_ids_and_private(
    sqlite_url: str,
    make_settings: Any,
    site: NewsSite,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    settings = make_settings(
        database_url=sqlite_url,
        fetch={"block_private_addresses": False, "obey_robots_txt": True},
    )
    migrate.upgrade(settings.effective_database_url)
    site.routes["/robots.txt"] = lambda: Response(
        200, b"User-agent: *\nDisallow: /articles/a2.html\n", "text/plain"
    )
    path = _write(
        tmp_path,
        f"""
[[seed]]
name = "list"
urls = [
    "{site.url(0)}",
    {{ url = "{site.url(1)}", id = "chosen-id" }},
    "{site.url(2)}",
    "{site.url(3)}",
]
exclude = ["*/a3.html"]
private = true
""",
    )
    summary = run_seed_file(settings, path, clock=clock)
    assert summary.new == 2 and summary.excluded == 1
    assert [(p.url, p.reason) for p in summary.skipped] == [
        (site.url(2), f"robots.txt of {site.base} disallows it (fetch.obey_robots_txt is on)")
    ]
    assert {d["document_id"] for d in summary.documents} == {
        "127-0-0-1-articles-a0",
        "chosen-id",
    }
    rt = Runtime(settings)
    with rt.sessions()() as s:
        assert set(s.execute(select(Document.id, Document.is_private))) == {
            ("127-0-0-1-articles-a0", True),
            ("chosen-id", True),
        }
    rt.close()
    fetched = [r.path for r in site.requests("/")]
    assert fetched.count("/robots.txt") == 1
    assert "/articles/a2.html" not in fetched and "/articles/a3.html" not in fetched
