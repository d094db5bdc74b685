"""Where the stored bytes of a capture pass go, record type by record type and field by field.

Each record is its own gzip member (what ranged reads and stock tools need),
so a record's stored size is exact, and no member shares a deflate
dictionary with another: a field costs what it costs inside its own record,
which is measured here by deflating every record again without it (at level
9, the level header-only records are written at) and averaging the
difference.  A field repeated inside the same record (a URL, a record id) is
cheap there; a random one (a record id, a digest) costs about its entropy.

The floor rewrites every record with only the fields the standard requires
and the readers use (``FLOOR_FIELDS``), at level 9: what an unchanged
recapture cannot go below while every record stays its own gzip member and
keeps its HTTP header block as received.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

LEVEL = 9

# Kept by the floor, per record type; every other field is left out.
#   mandatory in WARC 1.1: WARC-Type, -Record-ID, -Date, Content-Length,
#     WARC-Target-URI on request/response/revisit, WARC-Profile and (for the
#     identical-payload-digest profile) WARC-Payload-Digest on a revisit;
#   Content-Type: "should" on every record with a block;
#   WARC-Concurrent-To: one side of each pair (the answer's, which pywb and
#     cdxj-indexer read to pair it with its request) and a metadata record's
#     link to the capture it describes (the job's final answer);
#   WARC-Refers-To-Target-URI/-Date: pywb finds a revisit's original by them;
#   WARC-Refers-To: the original's record id, which citevault's index links by;
#   WARC-Citevault-Job/-Role: which job and role each answer was fetched for;
#   WARC-Payload-Digest on a response: every CDX line's digest, dedup's key;
#   WARC-Truncated: a cut body says so.
# Left out: WARC-Block-Digest (optional, integrity), WARC-IP-Address ("should"),
# WARC-Warcinfo-ID (optional where records follow their warcinfo).
_CAPTURE = (
    "WARC-Type",
    "WARC-Record-ID",
    "WARC-Date",
    "WARC-Target-URI",
    "WARC-Concurrent-To",
    "WARC-Truncated",
    "WARC-Citevault-Job",
    "WARC-Citevault-Role",
    "WARC-Payload-Digest",
    "Content-Type",
    "Content-Length",
)
FLOOR_FIELDS: dict[str, frozenset[str]] = {
    "request": frozenset(
        ("WARC-Type", "WARC-Record-ID", "WARC-Date", "WARC-Target-URI", "Content-Type")
    )
    | {"Content-Length"},
    "response": frozenset(_CAPTURE),
    "revisit": frozenset(_CAPTURE)
    | {"WARC-Profile", "WARC-Refers-To-Target-URI", "WARC-Refers-To-Date", "WARC-Refers-To"},
    "metadata": frozenset(
        ("WARC-Type", "WARC-Record-ID", "WARC-Date", "WARC-Target-URI", "WARC-Concurrent-To")
    )
    | {"Content-Type", "Content-Length"},
}


@dataclass(frozen=True, slots=True)
class Record:
    """One record: its version line, its WARC fields in order, and the rest of the member."""

    stored: int  # bytes of its gzip member in the file
    version: bytes
    fields: tuple[tuple[bytes, bytes], ...]
    rest: bytes  # the block and the record's closing CRLFs

    @property
    def rec_type(self) -> str:
        return next(v for n, v in self.fields if n.lower() == b"warc-type").decode()

    def without(self, keep: frozenset[str] | None = None, drop: bytes | None = None) -> bytes:
        lines = [self.version]
        for name, value in self.fields:
            if name == drop or (keep is not None and name.decode() not in keep):
                continue
            lines.append(name + b": " + value)
        return b"\r\n".join(lines) + b"\r\n\r\n" + self.rest


def deflated(data: bytes, level: int = LEVEL) -> int:
    """Bytes of ``data`` as one gzip member."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return len(packer.compress(data) + packer.flush())


def records(path: Path) -> Iterator[Record]:
    """Every record of a ``.warc.gz`` file, with the size of its member."""
    data = path.read_bytes()
    while data:
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        plain = member.decompress(data)
        stored = len(data) - len(member.unused_data)
        data = member.unused_data
        head, _, rest = plain.partition(b"\r\n\r\n")
        version, *lines = head.split(b"\r\n")
        fields = tuple((n.strip(), v.strip()) for n, _, v in (ln.partition(b":") for ln in lines))
        yield Record(stored, version, fields, rest)


@dataclass
class TypeBytes:
    """What the records of one type cost: as stored, per field, and at the floor."""

    count: int = 0
    stored: int = 0
    floor: int = 0
    block: int = 0  # the block alone (HTTP header block, metadata fields), deflated
    fields: dict[str, int] = field(default_factory=dict)  # field -> summed marginal bytes

    def per(self, total: int) -> float:
        return total / self.count if self.count else 0.0


def measure(paths: list[Path], by_field: bool) -> dict[str, TypeBytes]:
    """Stored and floor bytes by record type; each field's marginal cost if ``by_field``."""
    out: dict[str, TypeBytes] = {}
    for path in paths:
        for record in records(path):
            kind = record.rec_type
            entry = out.setdefault(kind, TypeBytes())
            entry.count += 1
            entry.stored += record.stored
            keep = FLOOR_FIELDS.get(kind)
            entry.floor += deflated(record.without(keep)) if keep else record.stored
            if not by_field:
                continue
            whole = deflated(record.without())
            entry.block += deflated(record.rest[:-4])
            for name, _ in record.fields:
                label = name.decode()
                saved = whole - deflated(record.without(drop=name))
                entry.fields[label] = entry.fields.get(label, 0) + saved
    return out


def print_types(label: str, kinds: dict[str, TypeBytes], exchanges: int) -> None:
    total = sum(t.stored for t in kinds.values())
    count = sum(t.count for t in kinds.values())
    print(f"\n{label}: stored bytes by record type ({exchanges} exchanges)")
    print(
        f"{'record type':<12}{'records':>9}{'bytes':>13}{'B/record':>10}"
        f"{'B/exchange':>12}{'share':>7}"
    )
    for kind, t in sorted(kinds.items(), key=lambda item: -item[1].stored):
        print(
            f"{kind:<12}{t.count:>9}{t.stored:>13,}{t.per(t.stored):>10.0f}"
            f"{t.stored / max(exchanges, 1):>12.0f}{t.stored / max(total, 1):>7.1%}"
        )
    print(
        f"{'all':<12}{count:>9}{total:>13,}{total / max(count, 1):>10.0f}"
        f"{total / max(exchanges, 1):>12.0f}"
    )


def print_fields(kinds: dict[str, TypeBytes]) -> None:
    """Each field's marginal cost in its record, the block's, and the gzip framing."""
    framing = deflated(b"")
    for kind, t in sorted(kinds.items(), key=lambda item: -item[1].stored):
        if not t.fields:
            continue
        print(
            f"\n{kind}: {t.per(t.stored):.0f} B per record as stored; "
            f"without each field (level {LEVEL}), it saves:"
        )
        for name, saved in sorted(t.fields.items(), key=lambda item: -item[1]):
            print(f"  {name:<28}{saved / t.count:>7.1f}")
        print(f"  {'(block alone, deflated)':<28}{t.per(t.block):>7.1f}")
        print(f"  {'(gzip framing, empty member)':<28}{framing:>7}")


def print_floor(
    kinds: dict[str, TypeBytes], exchanges: int, first_pass: int, first_exchanges: int
) -> None:
    print(f"\nfloor: only the fields of bench/_record_bytes.py FLOOR_FIELDS, level {LEVEL}")
    print(f"{'record type':<12}{'records':>9}{'B/record':>10}{'floor B':>9}{'B/exchange':>12}")
    total = 0
    for kind, t in sorted(kinds.items(), key=lambda item: -item[1].stored):
        total += t.floor
        print(
            f"{kind:<12}{t.count:>9}{t.per(t.stored):>10.0f}{t.per(t.floor):>9.0f}"
            f"{t.floor / max(exchanges, 1):>12.0f}"
        )
    ratio = total / first_pass if first_pass else float("nan")
    first = first_pass / max(first_exchanges, 1)
    print(
        f"floor of this pass: {total:,} B, {total / max(exchanges, 1):.0f} B per exchange, "
        f"{ratio:.1%} of the first pass ({first:,.0f} B per exchange)"
    )
