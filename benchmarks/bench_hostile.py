"""Time and peak memory of a run against each hostile target (tests/conformance/hostile.py).

Run by hand: ``python benchmarks/bench_hostile.py``. Each run is a child process,
so its peak resident memory is its own (ru_maxrss of the child).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "conformance"))

from hostile import BEHAVIOURS, hostile  # noqa: E402


def measure(behaviour: str) -> tuple[int, float, float]:
    with hostile(behaviour) as server, tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c",
             "import resource, sys\nfrom openai_conformance.cli import main\n"
             "code = main(sys.argv[1:])\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
             "sys.exit(code)",
             "run", "--base-url", server.base_url, "--api-key", "sk-bench-hostile-000000000000",
             "--operations", "createCompletion", "--modes", "positive", "--max-examples", "10",
             "--timeout", "2", "--report-dir", folder, "--quiet", "--formats", "json"],
            capture_output=True, text=True, check=False,
        )
        elapsed = time.perf_counter() - started
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return done.returncode, elapsed, peak_kib / 1024


def main() -> None:
    print(f"{'behaviour':<16} exit  seconds  peak MiB")
    for behaviour in sorted(BEHAVIOURS):
        code, elapsed, peak = measure(behaviour)
        print(f"{behaviour:<16} {code:>4}  {elapsed:7.1f}  {peak:8.1f}")


if __name__ == "__main__":
    main()
