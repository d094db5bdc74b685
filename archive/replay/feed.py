"""The loopback HTTP service the replay engine reads the archive through.

Two endpoints, both for pywb alone and bound to 127.0.0.1 on a port chosen
at start: ``/cdx`` (pywb's remote CDX protocol: ``url``, ``closest``,
``matchType``, ``limit``; answers CDXJ) and ``/record/<capture id>`` (that
capture's exact WARC record, a ranged read from the store).  It lives in the
process that manages the engine rather than in the web application, so the
engine works the same whichever way it was started and whatever address the
application listens on; and it is not the public ``/cdx``, because pywb must
be able to fetch every record it is told about, one capture at a time, under
the anonymous reader's rights.
"""

from __future__ import annotations

import logging
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.orm import Session, sessionmaker

from archive.db.models import WarcFile
from archive.errors import CitevaultError
from archive.lookup import access, records
from archive.replay import index
from archive.runtime import Runtime

log = logging.getLogger(__name__)

_RECORD = re.compile(r"/record/(\d{1,18})")
_STATUS = {"bad_input": 400, "not_found": 404, "object_not_found": 404}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    runtime: Runtime
    # One factory for the server's life: building a sessionmaker is not cheap
    # enough to repeat per request.
    sessions: sessionmaker[Session]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle's algorithm and
    # delayed ACKs hold back every lookup, and a page makes dozens.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        log.debug("replay feed: " + format, *args)

    def _send(self, status: int, body: bytes, media_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        try:
            if parts.path == "/cdx":
                self._cdx(parse_qs(parts.query))
                return
            match = _RECORD.fullmatch(parts.path)
            if match:
                self._record(int(match.group(1)))
                return
            self._send(404, b"not found\n", "text/plain")
        except CitevaultError as exc:
            status = _STATUS.get(exc.code, 503)
            self._send(status, exc.message.encode() + b"\n", "text/plain; charset=utf-8")
        except ValueError as exc:
            self._send(400, str(exc).encode() + b"\n", "text/plain; charset=utf-8")
        except Exception:
            log.exception("replay feed failed on %s", self.path)
            self._send(500, b"internal error\n", "text/plain")

    def _cdx(self, params: dict[str, list[str]]) -> None:
        def one(name: str) -> str | None:
            values = params.get(name)
            return values[0] if values else None

        url = one("url")
        if not url:
            raise ValueError("the url parameter is required")
        limit_text = one("limit") or "1000"
        if not limit_text.lstrip("-").isdigit():
            raise ValueError("limit must be a number")
        query = index.Query(
            url=url,
            match_type=one("matchType") or "exact",
            closest=one("closest"),
            limit=abs(int(limit_text)) or 1,
        )
        with self.server.sessions() as session:
            body = index.cdxj(session, query).encode()
        self._send(HTTPStatus.OK, body, "text/x-cdxj; charset=utf-8")

    def _record(self, capture_id: int) -> None:
        rt = self.server.runtime
        with self.server.sessions() as session:
            cap = access.visible_capture(session, capture_id, privileged=False)
            warc = session.get(WarcFile, cap.warc_file_id) if cap.warc_file_id else None
            # pywb asks for bytes=0-(length-1): the whole record, which is what we send.
            data = records.record_bytes(rt, cap, warc)
        self._send(HTTPStatus.OK, data, "application/warc")


class Feed:
    """The feed on 127.0.0.1, served by a thread of the calling process."""

    def __init__(self, runtime: Runtime) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.runtime = runtime
        self._server.sessions = runtime.sessions()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="replay-feed",
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.ident is not None:
            self._server.shutdown()
            self._thread.join(5)
        self._server.server_close()
