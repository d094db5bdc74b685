"""The generated site that every crawler in ``bench/crawl.py`` fetches.

Shaped like the pages that documents cite: 20–50 KB of article HTML linking
to other articles, one shared stylesheet, a per-article stylesheet on some
pages, one image shared with other pages and one of the page's own, and on a
few pages an image that is gone (a requisite answered by 404).  The URL list
mixes in redirects (``/r/N``, an nginx ``return 301`` to the article) and
pages that are gone (``/missing/N.html``), because both are common in real
citations and both cost an exchange.

Images are random bytes, so that no two payloads are identical: a crawler
that deduplicates payloads would otherwise write revisit records and look
cheaper than it is on real sites.  Generation is seeded, so every run fetches
the same bytes.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SHARED_IMAGES = 40
CSS_EVERY = 4  # every 4th page has its own stylesheet
GONE_IMAGE_EVERY = 40  # every 40th page points at an image that is gone
REDIRECT_EVERY = 25  # list entry i with i % 25 == 7 is a redirect
MISSING_EVERY = 50  # list entry i with i % 50 == 13 is a 404 page

_TEXT = (
    "archive citation source report ministry harbour contract figure audit court "
    "agency budget council election statement interview document record evidence "
    "witness official railway bridge river province tender shipment market price "
    "inquiry committee hearing minister spokesman journal editor analysis survey "
    "the a of to and in that was for on with as by at from it said which were "
    "after before during while because although however according told reported"
)
WORDS = _TEXT.split(" ")


@dataclass
class Plan:
    """The URL list of a run and what a complete crawl of it must fetch."""

    urls: list[str]
    exchanges: int  # distinct requests: list URLs, redirect targets, requisites
    page_paths: set[str] = field(default_factory=set)  # "host path" of each list entry


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def _requisites(i: int) -> list[str]:
    paths = ["/css/site.css", f"/img/s/{i % SHARED_IMAGES:02d}.png", f"/img/p/{i:05d}.png"]
    if i % CSS_EVERY == 0:
        paths.append(f"/css/p/{i:05d}.css")
    if i % GONE_IMAGE_EVERY == 3:
        paths.append(f"/img/gone/{i:05d}.png")
    return paths


def _page(i: int, total: int, rng: random.Random, pool: list[str]) -> str:
    head = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Article {i}: {pool[i % len(pool)][:60]}</title>",
        '<link rel="stylesheet" href="/css/site.css">',
    ]
    if i % CSS_EVERY == 0:
        head.append(f'<link rel="stylesheet" href="/css/p/{i:05d}.css">')
    head.append("</head><body>")
    nav = " | ".join(
        f'<a href="/p/{rng.randrange(total):05d}.html">section {k}</a>' for k in range(8)
    )
    body = [
        f'<header><img src="/img/s/{i % SHARED_IMAGES:02d}.png" alt="logo"><nav>{nav}</nav>',
        "</header><article>",
        f"<h1>Article {i}</h1>",
        f'<figure><img src="/img/p/{i:05d}.png" alt="figure {i}"></figure>',
    ]
    if i % GONE_IMAGE_EVERY == 3:
        body.append(f'<img src="/img/gone/{i:05d}.png" alt="removed">')
    target = rng.randint(20_000, 50_000)
    size = sum(len(s) for s in head) + sum(len(s) for s in body)
    while size < target - 600:
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 7)))
        link = f'<a href="/p/{rng.randrange(total):05d}.html">{rng.choice(WORDS)}</a>'
        para = f"<p>{text} See {link}.</p>"
        body.append(para)
        size += len(para)
    body.append("</article><footer><p>Generated page for crawl benchmarks.</p></footer>")
    body.append("</body></html>")
    return "\n".join(head + body) + "\n"


def generate(root: Path, pages: int, seed: int = 1) -> None:
    """Write ``pages`` articles and their requisites under ``root`` (world-readable)."""
    rng = random.Random(seed)
    pool = [_sentence(rng) for _ in range(600)]
    for sub in ("p", "img/p", "img/s", "css/p", "r", "missing"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    rules = [f".c{k} {{ margin: {k}px; color: #{k * 7919 % 0xFFFFFF:06x}; }}" for k in range(400)]
    (root / "css" / "site.css").write_text("\n".join(rules) + "\n")
    for k in range(SHARED_IMAGES):
        (root / "img" / "s" / f"{k:02d}.png").write_bytes(
            b"\x89PNG\r\n\x1a\n" + os.urandom(rng.randint(10_000, 30_000))
        )
    for i in range(pages):
        (root / "p" / f"{i:05d}.html").write_text(_page(i, pages, rng, pool))
        (root / "img" / "p" / f"{i:05d}.png").write_bytes(
            b"\x89PNG\r\n\x1a\n" + os.urandom(rng.randint(5_000, 20_000))
        )
        if i % CSS_EVERY == 0:
            css = "\n".join(rng.sample(rules, 40)).replace(".c", f".p{i}-c")
            (root / "css" / "p" / f"{i:05d}.css").write_text(css + "\n")
    for dirpath, _dirs, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)


def plan(bases: list[str], count: int, pages: int) -> Plan:
    """The first ``count`` list entries (``count`` <= ``pages``), entry i on ``bases[i % n]``.

    Several bases stand for the several sites a document cites; requisite
    paths are relative, so a shared stylesheet is a separate URL on each host.
    """
    if count > pages:
        raise ValueError(f"the site has {pages} pages; cannot list {count}")
    urls: list[str] = []
    fetched: set[str] = set()
    page_paths: set[str] = set()
    for i in range(count):
        base = bases[i % len(bases)]
        host = urlsplit(base).hostname or ""
        if i % MISSING_EVERY == 13:
            path = f"/missing/{i:05d}.html"
            urls.append(base + path)
            fetched.add(f"{host} {path}")
            page_paths.add(f"{host} {path}")
            continue
        page = f"/p/{i:05d}.html"
        if i % REDIRECT_EVERY == 7:
            path = f"/r/{i:05d}"
            urls.append(base + path)
            fetched.add(f"{host} {path}")
            page_paths.add(f"{host} {path}")
        else:
            urls.append(base + page)
            page_paths.add(f"{host} {page}")
        fetched.add(f"{host} {page}")
        fetched.update(f"{host} {path}" for path in _requisites(i))
    return Plan(urls=urls, exchanges=len(fetched), page_paths=page_paths)


def pages_for_exchanges(target: int, limit: int = 100_000) -> int:
    """The smallest list length whose complete crawl makes at least ``target`` exchanges."""
    low, high = 1, limit
    while low < high:  # bounded: about 17 steps
        mid = (low + high) // 2
        if plan([""], mid, mid).exchanges >= target:
            high = mid
        else:
            low = mid + 1
    return low
