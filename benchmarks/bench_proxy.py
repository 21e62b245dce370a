"""What the validating proxy adds: latency to the first streamed byte, and requests/s, vs direct.

Run by hand: ``python benchmarks/bench_proxy.py [--repeats 3] [--seconds 3] [--streams 50]``.
The reference server and the proxy (``openai-conformance proxy``) each run in a child
process of their own; one keep-alive ``requests.Session`` in this process talks to
both in turn, so the client is the same for both. Prints min/median/max over the
repeats and the load average (on a shared machine the spread says how much to trust).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from openai_conformance.server import serve_in_subprocess

PLAIN = {"model": "text-davinci-003", "prompt": "Say this is a test", "max_tokens": 16}
STREAM = {**PLAIN, "stream": True}
HEADERS = {"Authorization": "Bearer sk-bench-proxy"}


@contextmanager
def proxy_process(upstream: str) -> Iterator[str]:
    """``openai-conformance proxy`` in a child process; yields its base URL."""
    with tempfile.TemporaryDirectory() as reports:
        command = [
            sys.executable,
            "-m",
            "openai_conformance",
            "proxy",
            "--upstream",
            upstream,
            "--port",
            "0",
            "--flush-every",
            "0",
            "--report-dir",
            reports,
            "--formats",
            "json",
        ]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            line = child.stdout.readline() if child.stdout else ""
            if not line.startswith("Proxying "):
                raise RuntimeError("the proxy did not start")
            yield line.split()[1]
        finally:
            child.terminate()
            child.communicate(timeout=60)


def first_byte_ms(session: requests.Session, base_url: str, count: int) -> float:
    """Median milliseconds from sending a streamed completion to its first body byte."""
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        with session.post(base_url + "/completions", json=STREAM, stream=True, timeout=10) as response:
            chunks = response.iter_content(None)  # as they arrive
            next(chunks)
            samples.append((time.perf_counter() - started) * 1000)
            rest = b"".join(chunks)
            if not rest.rstrip().endswith(b"data: [DONE]"):
                raise RuntimeError("a stream did not end with [DONE]")
    return statistics.median(samples)


def requests_per_second(session: requests.Session, base_url: str, seconds: float) -> float:
    done, until = 0, time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < until:
        response = session.post(base_url + "/completions", json=PLAIN, timeout=10)
        response.raise_for_status()
        done += 1
    return done / (time.perf_counter() - started)


def spread(values: list[float]) -> str:
    return f"min {min(values):8.2f}  median {statistics.median(values):8.2f}  max {max(values):8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput measurement")
    parser.add_argument("--streams", type=int, default=50, help="streamed requests per latency measurement")
    args = parser.parse_args()
    load_before = os.getloadavg()
    rows: dict[str, list[float]] = {
        k: [] for k in ("ttfb direct ms", "ttfb proxy ms", "ttfb added ms", "rps direct", "rps proxy", "rps ratio")
    }
    with serve_in_subprocess() as server, proxy_process(server.base_url) as proxied, requests.Session() as session:
        session.headers.update(HEADERS)
        for target in (server.base_url, proxied):  # warm up: connections, caches, the spec
            requests_per_second(session, target, 0.5)
            first_byte_ms(session, target, 5)
        for _ in range(args.repeats):
            direct, through = (
                first_byte_ms(session, server.base_url, args.streams),
                first_byte_ms(session, proxied, args.streams),
            )
            rows["ttfb direct ms"].append(direct)
            rows["ttfb proxy ms"].append(through)
            rows["ttfb added ms"].append(through - direct)
            rps_direct = requests_per_second(session, server.base_url, args.seconds)
            rps_proxy = requests_per_second(session, proxied, args.seconds)
            rows["rps direct"].append(rps_direct)
            rows["rps proxy"].append(rps_proxy)
            rows["rps ratio"].append(rps_proxy / rps_direct)
    load_after = os.getloadavg()
    print(
        f"{args.repeats} repeats; {args.streams} streams per latency figure (median of them); "
        f"{args.seconds:g} s per throughput figure; one client thread, keep-alive"
    )
    for name, values in rows.items():
        print(f"{name:<16} {spread(values)}")
    print(
        f"load average (1, 5, 15 min): before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
