"""Throughput and latency of ``POST /v1/completions`` on the reference server.

Run by hand: ``python benchmarks/bench_server.py [--seconds 5] [--threads 1,4]
[--subprocess]``. Keep-alive ``requests.Session`` loops, one per thread, against a
server on 127.0.0.1; prints requests/s and p50/p99 latency per setting.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from contextlib import AbstractContextManager
from typing import Any

import requests

from openai_conformance.server import RunningServer, serve_in_subprocess, serve_in_thread

BODY = {"model": "text-davinci-003", "prompt": "Say this is a test", "max_tokens": 16, "n": 1}
HEADERS = {"Authorization": "Bearer sk-bench"}


def _loop(url: str, until: float, latencies: list[float], errors: list[int]) -> None:
    with requests.Session() as session:
        session.headers.update(HEADERS)
        while time.perf_counter() < until:
            started = time.perf_counter()
            response = session.post(url, json=BODY, timeout=10)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors.append(response.status_code)


def measure(server: RunningServer, threads: int, seconds: float) -> dict[str, Any]:
    url = server.base_url + "/completions"
    _loop(url, time.perf_counter() + 0.5, [], [])  # warm up: connections, caches
    latencies: list[float] = []
    errors: list[int] = []
    until = time.perf_counter() + seconds
    workers = [threading.Thread(target=_loop, args=(url, until, latencies, errors)) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "threads": threads,
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", default="1,4", help="comma-separated client thread counts")
    parser.add_argument(
        "--where", default="subprocess,thread", help="where the server runs: subprocess, thread, or both"
    )
    args = parser.parse_args()
    starters: dict[str, Any] = {"subprocess": serve_in_subprocess, "thread": serve_in_thread}
    for where in args.where.split(","):
        context: AbstractContextManager[RunningServer] = starters[where]()
        with context as server:
            for threads in (int(t) for t in args.threads.split(",")):
                r = measure(server, threads, args.seconds)
                print(
                    f"server in {where:<10} clients {r['threads']:>2}: {r['rps']:8.0f} req/s  "
                    f"p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
                    f"({r['requests']} requests, {r['errors']} errors)"
                )


if __name__ == "__main__":
    main()
