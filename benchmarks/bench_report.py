"""Benchmark of the reports: render time, file size and headless-chromium load time of big runs.

Run by hand: ``python benchmarks/bench_report.py [--cases 10000] [--findings 1000]``.
The bound it checks against: 10,000 cases with 1,000 findings -> HTML under 5 MB,
opened in under 2 s (in-page time from navigation start to the end of the report's script).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reports"))

import factory  # noqa: E402  (the tests' document factory, reused)
from browser import open_page  # noqa: E402

from openai_conformance.reports import DEFAULT_FORMATS, render  # noqa: E402


def _timed(fn, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--findings", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.html"
        blank.write_text("<!DOCTYPE html><title>blank</title>")
        baseline = statistics.median(open_page(blank).seconds for _ in range(args.repeat))
        print(f"chromium start+load of a blank page: {baseline:.2f} s (median of {args.repeat})")
        for distinct in (args.findings // 5, args.findings):
            doc = factory.typed(factory.big_run(cases=args.cases, findings=args.findings, distinct=distinct))
            print(f"\n{args.cases:,} cases, {args.findings:,} findings, {distinct:,} distinct fingerprints")
            for fmt in DEFAULT_FORMATS:
                seconds, text = _timed(lambda fmt=fmt, doc=doc: render(doc, fmt), args.repeat)
                print(f"  render {fmt:<8} {seconds * 1000:8.0f} ms  {len(text.encode()) / 1e6:6.2f} MB")
            page = Path(tmp) / f"big-{distinct}.html"
            page.write_text(render(doc, "html"), encoding="utf-8")
            loads = [open_page(page) for _ in range(args.repeat)]
            ready = statistics.median(load.ready_ms or 0 for load in loads)
            wall = statistics.median(load.seconds for load in loads)
            print(
                f"  chromium: script done {ready:.0f} ms after navigation start; process wall {wall:.2f} s "
                f"({wall - baseline:+.2f} s over blank); console messages {len(loads[0].console)}, "
                f"requests {len(loads[0].requests)}"
            )


if __name__ == "__main__":
    main()
