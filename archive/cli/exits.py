"""What the ``citevault`` command's exit status means, and how an error is shown.

Scripts run ``citevault archive`` from cron and CI and must tell "all
captured" from "some sources failed" from "come back later" without parsing
output, so each outcome has its own code.  The codes of the error hierarchy
(``archive.errors``) are part of the same table: ``--help`` and the README
print it from here, and a test holds the two to it.
"""

from __future__ import annotations

import re
from enum import IntEnum

from archive.errors import (
    CapturesFailedError,
    CapturesPendingError,
    CitevaultError,
    ConfigError,
    DatabaseError,
    FetchError,
    FixityError,
    InputError,
    NotFoundError,
    StoreError,
)


class ExitCode(IntEnum):
    OK = 0
    ERROR = CitevaultError.exit_code
    INPUT = InputError.exit_code
    NOT_FOUND = NotFoundError.exit_code
    DATABASE = DatabaseError.exit_code
    STORE = StoreError.exit_code
    FETCH = FetchError.exit_code
    FAILED = CapturesFailedError.exit_code
    PENDING = CapturesPendingError.exit_code
    DAMAGED = FixityError.exit_code
    INTERNAL = 70
    INTERRUPTED = 130


MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "done; for archive and capture: every URL asked for is captured",
    ExitCode.ERROR: "an error not listed below (the message says which)",
    ExitCode.INPUT: "bad input: usage, an argument, a document, a URL refused by the "
    "fetch policy, or the configuration",
    ExitCode.NOT_FOUND: "no such document, citation, capture or stored object",
    ExitCode.DATABASE: "the database cannot be reached or used",
    ExitCode.STORE: "the store failed (archive and capture: their WARC files wait in the spool)",
    ExitCode.FETCH: "a document's URL could not be fetched (add); seeds run: some entries "
    "or sources failed (the summary says why)",
    ExitCode.FAILED: "archive, capture: some captures failed for good (`citevault jobs` says why)",
    ExitCode.PENDING: "archive, capture: none failed for good, but some still wait for a "
    "retry (back-off) or a worker",
    ExitCode.DAMAGED: "verify: stored objects are missing, corrupt or orphaned "
    "(the report lists each one)",
    ExitCode.INTERNAL: "internal error (a bug: run again with --debug and report it)",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}


def help_epilogue() -> str:
    """The exit codes for ``citevault --help`` (click rewraps epilogues; \\b keeps lines)."""
    lines = ["\b", "Exit codes:"]
    lines += [f"  {int(code):>3}  {MEANINGS[code]}" for code in ExitCode]
    return "\n".join(lines)


def readme_table() -> str:
    """The same table as the README carries it."""
    rows = ["| code | meaning |", "| --- | --- |"]
    rows += [f"| {int(code)} | {MEANINGS[code]} |" for code in ExitCode]
    return "\n".join(rows)


_HELP = "`citevault {command} --help` shows what it takes"


def fallback_hint(exc: CitevaultError, command: str) -> str:
    """A hint for an error raised without one: every error the CLI prints has one."""
    if isinstance(exc, NotFoundError) and not isinstance(exc, StoreError):
        if command in ("show", "get"):
            return (
                "`citevault citations DOC_ID` lists a document's captures with their ids; "
                "`citevault documents` lists the documents"
            )
        return "`citevault documents` lists the documents and their ids"
    if isinstance(exc, (DatabaseError, StoreError)):
        return "`citevault doctor` checks that the database and the store answer"
    if isinstance(exc, ConfigError):
        return "`citevault config` shows the settings in effect; config/ has commented examples"
    if isinstance(exc, (InputError, FetchError)):
        return _HELP.format(command=command or "COMMAND")
    return "run again with --debug for the details"


def one_line(text: str) -> str:
    """Messages quote outside text (a server's answer, a parser's complaint) that may
    span lines; an error is one line, so that logs and scripts can take it whole."""
    return re.sub(r"\s*\n\s*", " ", text).strip()
