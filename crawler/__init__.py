"""The Scrapy side of citevault: fetch each job's URL and its page requisites, write WARC.

``crawler.run.run_crawl`` is the programmatic entry point (one crawl per
process; the archive starts it in a subprocess).  For ad hoc captures::

    .venv/bin/python -m crawler --spool /tmp/spool --urls https://example.org/

(``--allow-private`` to reach loopback and private addresses too)

and for debugging with Scrapy's own command line, from the repository root::

    SCRAPY_SETTINGS_MODULE=crawler.settings .venv/bin/scrapy crawl capture \\
        -a urls=http://127.0.0.1:PORT/page/plain.html -a spool=/tmp/x \\
        -s CITEVAULT_BLOCK_PRIVATE=false

``-a urls=`` takes a comma-separated list; ``-a spool=`` is the folder the
WARC files go to.  ``CITEVAULT_BLOCK_PRIVATE=false`` is needed only for
loopback or private addresses, which the fetch policy refuses by default.
Other ``CITEVAULT_*`` Scrapy settings (see ``crawler/settings.py``) and every
Scrapy setting can be overridden the same way with ``-s``.

Layout: ``spiders/capture.py`` decides what to fetch and ``jobs.py`` tracks
what each job still waits for; ``requisites.py`` and ``css.py`` find page
requisites; ``fetch/`` holds the address policy, the size cap and deadline,
content decoding and cookies; ``warc/`` the recorder middleware and the WARC
files; ``session.py`` ties a crawl to the ``archive.capture.contract``
parties; ``exchange.py`` is what the parts learn about one exchange;
``failures.py`` words the reasons a job failed.
"""
