"""The reference server's requests/s for the suite's own mix of requests, as the embedded
target runs it (a child process), with plain keep-alive clients that do no other work.

One run of ``openai-conformance run`` (positive cases) is recorded once; every repeat
replays its requests, in order, against a freshly started server, split among
``--clients`` threads (round robin). Prints requests/s min/median/max, the statuses seen,
and the load average. Run by hand: ``python benchmarks/bench_server_mix.py [--spec NAME]
[--operations IDS] [--examples N] [--clients C] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_e2e import KEY, Counter, ours  # noqa: E402 - a sibling script, not a package

from openai_conformance.server import serve_in_subprocess, serve_in_thread  # noqa: E402
from openai_conformance.spec import load_spec  # noqa: E402

Request = tuple[str, str, bytes, str]


def record(spec: str, examples: int, operations: list[str]) -> list[Request]:
    """The requests one positive run of the suite sends (2 workers, as the benchmarks run it)."""
    kept: list[Counter] = []

    def wrap(app: Any) -> Counter:
        kept.append(Counter(app, keep=True))
        return kept[0]

    with serve_in_thread(spec=load_spec(spec), api_keys=[KEY], wrap=wrap) as server:
        ours(server.base_url, spec, examples, 2, operations)
    return list(kept[0].kept)


def replay(root: str, mine: list[Request], statuses: collections.Counter[int]) -> None:
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {KEY}"
        for method, path, body, content_type in mine:
            headers = {"Content-Type": content_type} if content_type else {}
            answer = session.request(method, root + path, data=body or None, headers=headers)
            _ = answer.content
            statuses[answer.status_code] += 1


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    rate: float
    server_ms: float  # server CPU per request
    client_ms: float  # this process' CPU per request (the clients only)


def once(spec: str, kept: list[Request], clients: int) -> tuple[Sample, collections.Counter[int]]:
    statuses: collections.Counter[int] = collections.Counter()
    with serve_in_subprocess(spec=load_spec(spec), api_keys=[KEY]) as server:
        assert server.pid is not None  # noqa: S101 - a child process has one
        server_before, client_before = cpu_seconds(server.pid), time.process_time()
        threads = [
            threading.Thread(target=replay, args=(server.url, kept[k::clients], statuses)) for k in range(clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        server_cpu = cpu_seconds(server.pid) - server_before
        client_cpu = time.process_time() - client_before
    per = 1000 / len(kept)
    return Sample(len(kept) / seconds, server_cpu * per, client_cpu * per), statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", default="openai-1.1.0")
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--operations", default="", help="comma-separated operation ids (default: all)")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    kept = record(args.spec, args.examples, [o for o in args.operations.split(",") if o])
    samples, statuses = [], collections.Counter[int]()
    for _ in range(args.repeats):
        sample, seen = once(args.spec, kept, args.clients)
        samples.append(sample)
        statuses += seen
    load = os.getloadavg()
    print(
        f"{args.spec} {args.operations or 'all operations'}, {len(kept)} requests, {args.clients} clients, "
        f"{args.repeats} repeats; load average {load[0]:.2f} {load[1]:.2f}"
    )
    for label, values in (
        ("server requests/s", [s.rate for s in samples]),
        ("server CPU ms a request", [s.server_ms for s in samples]),
        ("client CPU ms a request", [s.client_ms for s in samples]),
    ):
        print(f"{label:24} min / median / max: {min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}")
    print(f"statuses: {dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
