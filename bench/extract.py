"""Throughput and memory of citation extraction on generated documents.

Generates HTML, plain-text and PDF documents of about 10 KB, 1 MB and 20 MB,
then runs
``archive.extract.extract`` on each several times, every case in a fresh
subprocess so that one case's memory does not hide in another's.  Documents:

* ``html``: shaped like a big news page: menus, inline scripts and styles,
  share buttons, article paragraphs with one link each, a Sources list;
* ``html-prose``: the worst case, all article text, with a link, a bare URL,
  a DOI and an arXiv id in every 400-character paragraph;
* ``text``: the same dense paragraphs as plain text;
* ``pdf``: those paragraphs typeset eight to a page, one link annotation each.

Printed per case: MB/s (document bytes over median wall time), median wall
seconds, median CPU seconds (steadier than wall time on a shared machine),
the CPU seconds of that spent finding named references
(``archive.extract.named``, run again on its own on the extracted text),
citations found, and peak memory as
a ratio to the document size, measured two ways: the growth of the process's
peak RSS during extraction over the RSS just before it (the peak is reset
through /proc/self/clear_refs so that imports do not count; it includes
lxml's C heap, and for the 10 KB cases allocator granularity dominates) and
tracemalloc's peak (Python objects only).

    .venv/bin/python bench/extract.py            # all cases
    .venv/bin/python bench/extract.py --quick    # 10 KB and 1 MB only
    .venv/bin/python bench/extract.py --named    # only the named pass (bench/_named_prose.py)

After the cases, the named-reference pass is measured alone on real prose
(the training half of the gold documents) at 1 MB and 10 MB: CPU seconds per
MB (target 0.3) and how the cost grows with size.

Target: a 1 MB HTML page extracts in under 0.5 s with memory under 5x its size.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import _named_prose  # noqa: E402  (bench/ is on the path when run as a script)

SIZES = {"10KB": 10_000, "1MB": 1_000_000, "20MB": 20_000_000}
PDF_CAP = 5_000_000  # generating and parsing a 20 MB PDF page by page takes minutes

SENTENCES = [
    "The port authority awarded the dredging contract in March without a public tender.",
    "Officials said the delays were caused by weather and by a shortage of pilots.",
    "The ministry told reporters that the figures would be revised after an audit.",
    "Shipping brokers described queues of up to forty vessels outside the breakwater.",
]


def _paragraph(i: int) -> tuple[str, str]:
    """One dense paragraph as HTML and as plain text, citing four sources."""
    body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3))
    url = f"https://records.example.org/port/{i}/notice.html"
    bare = f"https://data.example.net/series/{i}?year=2024"
    doi = f"10.5555/coast.{2000 + i % 24}.{i:05d}"
    html = (
        f'<p>{body} According to <a href="{url}">the notice</a>, the data at {bare} '
        f"and doi:{doi} support it; see arXiv:2405.{i % 100000:05d}.</p>\n"
    )
    text = (
        f"{body} According to the notice ({url}), the data at {bare} "
        f"and doi:{doi} support it; see arXiv:2405.{i % 100000:05d}.\n\n"
    )
    return html, text


def _prose(i: int) -> str:
    """A news paragraph of about 700 characters with one link, as most articles have."""
    body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(8))
    extra = f" The filing is at https://filings.example.org/{i}." if i % 5 == 0 else ""
    return (
        f'<p class="article-body__paragraph">{body[:300]} <a href="/archive/{i}.html" '
        f'data-track="inline-link">as reported earlier</a> {body[300:]}{extra}</p>\n'
    )


def make_html(size: int) -> bytes:
    """A page shaped like a large news site's: most bytes are scripts, styles and menus."""
    items = max(10, min(120, size // 2000))
    menu = "".join(
        f'<li class="menu__item"><a class="menu__link" href="/section/{k}/">Section {k}</a></li>'
        for k in range(items)
    )
    script = "window.__STATE__ = " + json.dumps(
        {"items": [{"id": k, "title": SENTENCES[k % 4], "url": f"/story/{k}"} for k in range(40)]}
    )
    style = ".c{color:#333;margin:0 auto;padding:4px 8px}" * 40
    head = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Benchmark article</title>"
        "<link rel='canonical' href='https://news.example.com/2024/06/benchmark.html'>"
        f"<style>{style}</style></head><body><header><nav><ul>{menu}</ul></nav></header>"
        "<main><article><h1>Benchmark article</h1>"
        "<div class='share'><a href='https://twitter.com/intent/tweet'>Share</a></div>\n"
    )
    tail = (
        "<h2>Sources</h2><ul><li><a href='https://example.org/source-a'>Source A</a></li>"
        "<li><a href='https://example.org/source-b'>Source B</a></li></ul></article></main>"
        f"<aside class='related'><ul>{menu}</ul></aside>"
        "<footer><a href='/privacy'>Privacy</a></footer></body></html>"
    )
    parts = [head]
    total = len(head) + len(tail)
    i = 0
    while total < size:
        # roughly 60% markup, scripts and menus; 40% article prose
        chunk = _prose(i) + (f"<script>{script}</script>\n" if i % 4 == 0 else "")
        if i % 12 == 0:
            chunk += f"<div class='ad-slot'><nav><ul>{menu}</ul></nav></div>\n"
        parts.append(chunk)
        total += len(chunk)
        i += 1
    parts.append(tail)
    return "".join(parts).encode()


def make_html_prose(size: int) -> bytes:
    """The worst case: a page that is all article text with four citations a paragraph."""
    head = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Benchmark article</title>"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/news/'>News</a></nav></header>"
        "<main><article><h1>Benchmark article</h1>"
        "<div class='share'><a href='https://twitter.com/intent/tweet'>Share</a></div>\n"
    )
    tail = (
        "<h2>Sources</h2><ul><li><a href='https://example.org/source-a'>Source A</a></li>"
        "<li><a href='https://example.org/source-b'>Source B</a></li></ul>"
        "</article></main><footer><a href='/privacy'>Privacy</a></footer></body></html>"
    )
    parts = [head]
    total = len(head) + len(tail)
    i = 0
    while total < size:
        html, _ = _paragraph(i)
        parts.append(html)
        total += len(html)
        i += 1
    parts.append(tail)
    return "".join(parts).encode()


def make_text(size: int) -> bytes:
    parts = ["Benchmark memo\n\n"]
    total = len(parts[0])
    i = 0
    while total < size:
        _, text = _paragraph(i)
        parts.append(text)
        total += len(text)
        i += 1
    return "".join(parts).encode()


def make_pdf(size: int) -> bytes:
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    total, i, page_no = 0, 0, 0
    while total < size:
        lines = []
        for _ in range(8):
            _, text = _paragraph(i)
            i += 1
            words = text.split()
            # about 90 characters a line, as a typeset page would have
            line: list[str] = []
            for word in words:
                line.append(word)
                if sum(len(w) + 1 for w in line) > 90:
                    lines.append(" ".join(line))
                    line = []
            lines.append(" ".join(line))
        ops = ["BT /F1 9 Tf 11 TL 40 760 Td"]
        ops += [f"({ln.replace('(', '[').replace(')', ']')}) Tj T*" for ln in lines]
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = resources
        writer.add_annotation(
            page_number=page_no,
            annotation=Link(rect=(40, 700, 300, 712), url=f"https://example.org/annot/{page_no}"),
        )
        page_no += 1
        total += len(stream.get_data()) + 600
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _current_rss() -> int:
    """Resident set size now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _reset_peak() -> bool:
    """Start a new peak-RSS window (Linux 4.0+); imports no longer count."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def _peak_rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker(path: str, filename: str, repeats: int) -> None:
    """Runs in the subprocess: prints one JSON line of measurements."""
    from archive.extract import extract

    data = Path(path).read_bytes()
    warm = {"html": make_html, "text": make_text, "pdf": make_pdf}[filename.rsplit(".", 1)[1]]
    extract(warm(2000), filename=filename)  # imports and caches, not measured
    gc.collect()
    base_rss = _current_rss()
    _reset_peak()
    times = []
    cpu = []
    found = 0
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = extract(data, filename=filename)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        found = len(result.citations)
        del result
    peak_rss = _peak_rss()
    named_times = []
    try:
        named = importlib.import_module("archive.extract.named")
    except ImportError:
        named = None
    if named is not None:
        text = extract(data, filename=filename).text or ""
        for _ in range(max(1, repeats // 2)):
            start_cpu = time.process_time()
            named.find_named_references(text)
            named_times.append(time.process_time() - start_cpu)
    tracemalloc.start()
    extract(data, filename=filename)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "times": times,
                "cpu": statistics.median(cpu),
                "named": statistics.median(named_times) if named_times else None,
                "citations": found,
                "rss_growth": max(peak_rss - base_rss, 0),
                "traced_peak": traced_peak,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 20 MB cases")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worker", nargs=3, metavar=("PATH", "FILENAME", "REPEATS"))
    parser.add_argument("--named", action="store_true", help="only the named pass on prose")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], int(args.worker[2]))
        return
    if args.named:
        _named_prose.report()
        return

    makers = {
        "html": make_html,
        "html-prose": make_html_prose,
        "text": make_text,
        "pdf": make_pdf,
    }
    sizes = {k: v for k, v in SIZES.items() if not (args.quick and v > 1_000_000)}
    header = (
        f"{'case':<16}{'bytes':>12}{'MB/s':>8}{'median s':>10}{'cpu s':>8}{'named':>8}{'cits':>8}"
        f"{'rss x':>8}{'py x':>7}  note"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, make in makers.items():
            for label, size in sizes.items():
                note = ""
                target = size
                if fmt == "pdf" and size > PDF_CAP:
                    target = PDF_CAP
                    note = f"PDF capped at {PDF_CAP // 1_000_000} MB: generation is slow"
                started = time.perf_counter()
                data = make(target)
                generated = time.perf_counter() - started
                path = Path(tmp) / f"doc.{fmt.split('-')[0]}"
                path.write_bytes(data)
                repeats = args.repeats if len(data) <= 2_000_000 else max(2, args.repeats // 2)
                out = subprocess.run(
                    [sys.executable, __file__, "--worker", str(path), path.name, str(repeats)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                m = json.loads(out.stdout.strip().splitlines()[-1])
                median = statistics.median(m["times"])
                mbps = len(data) / 1e6 / median
                rss = m["rss_growth"] / len(data)
                py = m["traced_peak"] / len(data)
                note = note or f"generated in {generated:.1f}s, {repeats} runs"
                named = f"{m['named']:.3f}" if m["named"] is not None else "-"
                print(
                    f"{fmt + ' ' + label:<16}{len(data):>12,}{mbps:>8.2f}{median:>10.3f}"
                    f"{m['cpu']:>8.3f}{named:>8}{m['citations']:>8,}{rss:>8.2f}{py:>7.2f}  {note}",
                    flush=True,
                )
    _named_prose.report()


if __name__ == "__main__":
    main()
