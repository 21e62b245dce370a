"""Time and peak memory of a run against each hostile target (tests/conformance/hostile.py).

Run by hand: ``python benchmarks/bench_hostile.py [--repeats 3] [--timeout 5] [--specs] [MODE ...]``.
The target answers ``GET /models`` properly and misbehaves on everything else, so
the run gets past its start-up check (the mid-run shape). Each run is a child
process with ``--workers`` at its default, so its peak memory is its own (VmHWM).
``--specs`` adds the hostile spec documents (tests/spec/hostile_specs.py), each
given to ``spec lint`` as a file or over loopback HTTP.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path[:0] = [str(TESTS / "conformance"), str(TESTS / "spec")]

from hostile import BEHAVIOURS, hostile  # noqa: E402
from hostile_specs import ONE_OP, Served, billion_laughs, gzip_bomb, serving  # noqa: E402

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec (from a vfork, the parent's own peak).
CHILD = (
    "import re, sys\nfrom openai_conformance.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1), file=sys.stderr)\n"
    "sys.exit(code)"
)
# What `spec lint` is given in each hostile-spec mode: a file's text, or a route of the server.
SPEC_MODES: dict[str, Callable[[Served, Path], str]] = {
    "spec-alias-bomb": lambda served, folder: _file(folder / "bomb.yaml", billion_laughs()),
    "spec-deep-json": lambda served, folder: _file(
        folder / "deep.json", '{"openapi": "3.0.0", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    ),
    "spec-gzip-bomb": lambda served, folder: served.text("/bomb.yaml", gzip_bomb(), **{"Content-Encoding": "gzip"}),
    "spec-endless": lambda served, folder: served.endless("/endless.yaml"),
    "spec-slow-drip": lambda served, folder: served.drip("/drip.yaml", head_first=True),
    # A local file named by absolute path: before the origin rule, read from disk and sent on.
    "spec-foreign-ref": lambda served, folder: served.text(
        "/spec.yaml", ONE_OP % f"{_file(folder / 'local.yaml', 'Thing: {type: string}')}#/Thing"
    ),
}
# A few operations of every kind: JSON, streams (createCompletion), multipart, lists.
OPERATIONS = "createCompletion,createEdit,createEmbedding,createImage,listFiles,createFile,createModeration"


def _file(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def measure(behaviour: str, timeout: float) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS MB) of one run against one hostile target (or one spec)."""
    if behaviour in SPEC_MODES:
        with serving() as served, tempfile.TemporaryDirectory() as folder:
            return _child(["spec", "lint", SPEC_MODES[behaviour](served, Path(folder))])
    with hostile(behaviour) as server, tempfile.TemporaryDirectory() as folder:
        return _child(
            [
                "run",
                "--base-url",
                server.base_url,
                "--api-key",
                "sk-bench-hostile-000000000000",
                "--operations",
                OPERATIONS,
                "--max-examples",
                "5",
                "--timeout",
                f"{timeout:g}",
                "--report-dir",
                folder,
                "--quiet",
                "--formats",
                "json",
            ]
        )


def _child(args: list[str]) -> tuple[int, float, float]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return done.returncode, elapsed, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modes", nargs="*", default=sorted(BEHAVIOURS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--specs", action="store_true", help="add the hostile spec documents to the modes")
    args = parser.parse_args()
    if args.specs:
        args.modes = [*args.modes, *sorted(SPEC_MODES)]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'mode':<15} exit  peak MB min/med/max        wall s min/med/max")
    for behaviour in args.modes:
        runs = [measure(behaviour, args.timeout) for _ in range(args.repeats)]
        peaks, walls = sorted(r[2] for r in runs), sorted(r[1] for r in runs)
        codes = "/".join(sorted({str(r[0]) for r in runs}))
        print(
            f"{behaviour:<15} {codes:>4}  {peaks[0]:6.1f} {statistics.median(peaks):6.1f} {peaks[-1]:6.1f}"
            f"   {walls[0]:6.1f} {statistics.median(walls):6.1f} {walls[-1]:6.1f}",
            flush=True,
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
