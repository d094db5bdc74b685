"""Replay: showing an archived page as it looked, requisites and all, from the archive.

citevault does not rewrite archived pages itself.  Making a captured page work
again in a browser (links, images, ``srcset``, CSS ``url()``, scripts that
build URLs at run time, redirects, revisit records) is a hard, long-running
problem that web-archiving projects have already solved; the engine used here
is **pywb**, the server-side replay system of Webrecorder:

- It reads standard WARC records and a CDX index, so it replays exactly the
  bytes citevault stored, years from now, without a second copy of anything.
  It asks citevault for both over HTTP (``feed``): the index is computed from
  the database on every lookup, so a capture is replayable the moment its row
  is committed, and each record is fetched by capture id through the same
  access rules as the API, so captures that only private documents cite never
  reach the engine.
- Rewriting happens on the server (wombat.js completes it in the page), so
  the replay needs no service worker.  ReplayWeb.page, the client-side
  alternative, needs one, and browsers only allow service workers on HTTPS or
  localhost; it would also download a document's whole WACZ to show one page.
- It runs as a separate process (``engine``), in a virtual environment of its
  own (``install``), because it pins library versions that citevault's own
  environment must not be held to.

Isolation: the engine listens on its own origin (its own port, or a host of
its own behind a proxy via ``replay.public_url``), never the application's.
Every response it sends carries a Content-Security-Policy with ``sandbox`` (no
``allow-same-origin``), so an archived page runs in an opaque origin: it
cannot read cookies, storage, the API, or another capture, whether it is
opened inside citevault's capture page or on its own; ``default-src 'self'``
keeps anything it loads inside the archive, never the live web.
"""

from __future__ import annotations

from archive.replay.engine import COLLECTION, ReplayEngine, replay_origin, replay_url
from archive.replay.errors import ReplayEngineError
from archive.replay.install import PYWB_VERSION, engine_dir, install, is_installed

__all__ = [
    "COLLECTION",
    "PYWB_VERSION",
    "ReplayEngine",
    "ReplayEngineError",
    "engine_dir",
    "install",
    "is_installed",
    "replay_origin",
    "replay_url",
]
