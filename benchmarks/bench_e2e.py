"""End-to-end cases per second: openai-conformance beside `schemathesis run`.

Both run in one go against the same reference server (a child process on
loopback), on the same spec, positive cases only, the same number of examples
per operation. Run by hand: ``python benchmarks/bench_e2e.py [EXAMPLES] [WORKERS]``.
Compare the ratio, not the absolute rates: these machines are noisy.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openai_conformance.server import serve_in_subprocess
from openai_conformance.spec import load_spec

KEY = "sk-bench-0000000000000000"


def ours(base_url: str, examples: int, workers: int) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "openai_conformance", "run", "--base-url", base_url, "--api-key", KEY,
             "--modes", "positive", "--max-examples", str(examples), "--workers", str(workers),
             "--include-deprecated", "--budget", "off", "--quiet", "--formats", "json", "--report-dir", folder],
            capture_output=True, check=False,
        )
        elapsed = time.perf_counter() - started
        [path] = Path(folder).glob("*.json")
        results = json.loads(path.read_text())
    return results["counters"]["requests"], elapsed


def schemathesis(base_url: str, examples: int, spec_path: str) -> tuple[int, float]:
    started = time.perf_counter()
    done = subprocess.run(
        ["schemathesis", "run", spec_path, "--url", base_url, "-n", str(examples), "-H", f"Authorization: Bearer {KEY}",
         "--mode", "positive", "--phases", "fuzzing", "--continue-on-failure", "--no-color"],
        capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - started
    match = re.search(r"(\d+) generated", done.stdout)
    return (int(match.group(1)) if match else 0), elapsed


def main() -> None:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    spec = load_spec("openai-1.1.0")
    spec_path = str(Path(__file__).resolve().parent.parent / "spec" / "data" / "openai-1.1.0.yaml")
    with serve_in_subprocess(spec=spec, api_keys=[KEY]) as server:
        st_cases, st_time = schemathesis(server.base_url, examples, spec_path)
        oc_cases, oc_time = ours(server.base_url, examples, workers)
    st_rate, oc_rate = st_cases / st_time, oc_cases / oc_time
    print(f"schemathesis run:   {st_cases:6d} cases in {st_time:6.2f} s = {st_rate:7.1f} cases/s (process start included)")
    print(f"openai-conformance: {oc_cases:6d} requests in {oc_time:6.2f} s = {oc_rate:7.1f} requests/s (workers={workers}, process start included)")
    print(f"ratio: {oc_rate / st_rate:.2f}x")


if __name__ == "__main__":
    main()
