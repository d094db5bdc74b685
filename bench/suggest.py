"""Resolution suggestions on a large archive: time per ``suggest`` call.

Builds a database (SQLite by default, or ``--database-url``) holding
``--documents`` documents with ``--urls-each`` URL citations and one named
reference each, of which ``--resolved`` were resolved by hand, spread over
``--sources`` source names (half of them known sources).  Then asks for the
suggestions of ``--calls`` unresolved references and prints the median and
worst wall time per call and how many earlier resolutions each one ranked.

    python bench/suggest.py --documents 20000 --urls-each 20 --resolved 5000
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from archive.db import migrate
from archive.db.engine import make_engine
from archive.db.models import Citation, Document, DocumentVersion
from archive.ingest.suggest import suggest

KNOWN = ("Reuters", "Times of Israel", "Le Monde", "Bundesbank", "IMF", "Nature", "Kpler")
_WORDS = (
    "harbour crossing budget ministry convoy grain tariff inflation election court ruling "
    "strike pipeline sanction vaccine drought reactor border talks ceasefire bond rate"
)
WORDS = tuple(_WORDS.split())


def _context(rng: random.Random, source: str) -> str:
    words = " ".join(rng.sample(WORDS, 6))
    return f"The {words} changed, according to {source}, in {rng.randint(2015, 2025)}."


def build(session: Session, args: argparse.Namespace, rng: random.Random) -> list[int]:
    sources = [*KNOWN, *(f"Courier {i}" for i in range(args.sources - len(KNOWN)))]
    docs, versions, cites = [], [], []
    resolved = set(rng.sample(range(args.documents), args.resolved))
    named_ids: list[int] = []
    cid = 0
    for d in range(args.documents):
        docs.append({"id": f"d{d}", "is_private": d % 10 == 0, "latest_version": 1})
        versions.append(
            {
                "id": d + 1,
                "document_id": f"d{d}",
                "version": 1,
                "sha256": f"{d:064x}",
                "size": 1,
                "format": "text",
                "store_key": f"documents/d{d}",
            }
        )
        for n in range(args.urls_each):
            cid += 1
            url = f"https://example{d % 997}.org/page/{n}"
            cites.append(
                {
                    "id": cid,
                    "version_id": d + 1,
                    "document_id": f"d{d}",
                    "ordinal": n,
                    "kind": "url",
                    "extractor": "text",
                    "url_as_cited": url,
                    "url_normalized": url,
                    "resolution": "resolved",
                    "resolved_url": url,
                }
            )
        cid += 1
        source = rng.choice(sources)
        done = d in resolved
        url = f"https://{source.lower().replace(' ', '')}.example/{d}" if done else None
        cites.append(
            {
                "id": cid,
                "version_id": d + 1,
                "document_id": f"d{d}",
                "ordinal": args.urls_each,
                "kind": "named",
                "extractor": "named.according-to",
                "source_name": source,
                "context": _context(rng, source),
                "resolution": "resolved" if done else "unresolved",
                "resolved_url": url,
                "url_normalized": url,
            }
        )
        if not done and d % 10:  # unresolved, in a public document
            named_ids.append(cid)
    session.execute(insert(Document), docs)
    session.execute(insert(DocumentVersion), versions)
    for i in range(0, len(cites), 20_000):
        session.execute(insert(Citation), cites[i : i + 20_000])
    session.commit()
    return named_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--urls-each", type=int, default=20)
    parser.add_argument("--resolved", type=int, default=5_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        with Session(engine) as session:
            targets = build(session, args, rng)
        print(
            f"loaded {args.documents * (args.urls_each + 1):,} citations "
            f"in {time.perf_counter() - started:.1f} s"
        )
        times, ranked = [], []
        with Session(engine) as session:
            for cid in rng.sample(targets, min(args.calls, len(targets))):
                t0 = time.perf_counter()
                found = suggest(session, cid, privileged=False, limit=10)
                times.append(time.perf_counter() - t0)
                ranked.append(sum(1 for s in found.items if s.origin == "earlier-resolution"))
                session.expunge_all()
        print(
            f"suggest: median {statistics.median(times) * 1e3:.1f} ms, "
            f"worst {max(times) * 1e3:.1f} ms over {len(times)} calls; "
            f"earlier resolutions offered per call: median {statistics.median(ranked)}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
