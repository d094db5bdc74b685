"""``warcio check`` for brotli payloads: ``python -m tests.crawler.warcio_compat FILE``.

warcio 1.8 decodes ``Content-Encoding: br`` with the brotlipy API (``decompress``,
``unused_data``); the ``brotli`` package installed here (Google's, 1.2) has
only ``process`` and refuses new attributes, so the warcio CLI crashes on any
record whose payload is brotli-encoded (webrecorder/warcio#73) before it has
checked anything.  This runs the very same checker with an adapter for that
one decompressor.
"""

from __future__ import annotations

import sys

import brotli
from warcio import bufferedreaders
from warcio.cli import main


class BrotliAdapter:
    """brotlipy's Decompressor interface over Google's brotli."""

    def __init__(self) -> None:
        self._stream = brotli.Decompressor()
        self.unused_data = b""

    def decompress(self, data: bytes) -> bytes:
        return bytes(self._stream.process(data))

    def flush(self) -> bytes:
        return b""


if __name__ == "__main__":
    bufferedreaders.BufferedReader.DECOMPRESSORS["br"] = BrotliAdapter
    main(["check", *sys.argv[1:]])
