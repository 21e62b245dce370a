"""Time and peak memory of a run against each hostile target (tests/conformance/hostile.py).

Run by hand: ``python benchmarks/bench_hostile.py [--repeats 3] [--timeout 5] [MODE ...]``.
The target answers ``GET /models`` properly and misbehaves on everything else, so
the run gets past its start-up check (the mid-run shape). Each run is a child
process with ``--workers`` at its default, so its peak memory is its own (ru_maxrss).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "conformance"))

from hostile import BEHAVIOURS, hostile  # noqa: E402

CHILD = (
    "import resource, sys\nfrom openai_conformance.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)"
)
# A few operations of every kind: JSON, streams (createCompletion), multipart, lists.
OPERATIONS = "createCompletion,createEdit,createEmbedding,createImage,listFiles,createFile,createModeration"


def measure(behaviour: str, timeout: float) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS MB) of one run against one hostile target."""
    with hostile(behaviour) as server, tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD,
             "run", "--base-url", server.base_url, "--api-key", "sk-bench-hostile-000000000000",
             "--operations", OPERATIONS, "--max-examples", "5", "--timeout", f"{timeout:g}",
             "--report-dir", folder, "--quiet", "--formats", "json"],
            capture_output=True, text=True, check=False,
        )
        elapsed = time.perf_counter() - started
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return done.returncode, elapsed, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modes", nargs="*", default=sorted(BEHAVIOURS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()
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
