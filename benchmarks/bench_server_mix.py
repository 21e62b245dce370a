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


def once(spec: str, kept: list[Request], clients: int) -> tuple[float, collections.Counter[int]]:
    statuses: collections.Counter[int] = collections.Counter()
    with serve_in_subprocess(spec=load_spec(spec), api_keys=[KEY]) as server:
        threads = [
            threading.Thread(target=replay, args=(server.url, kept[k::clients], statuses)) for k in range(clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return len(kept) / (time.perf_counter() - started), statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", default="openai-1.1.0")
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--operations", default="", help="comma-separated operation ids (default: all)")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    kept = record(args.spec, args.examples, [o for o in args.operations.split(",") if o])
    rates, statuses = [], collections.Counter[int]()
    for _ in range(args.repeats):
        rate, seen = once(args.spec, kept, args.clients)
        rates.append(rate)
        statuses += seen
    load = os.getloadavg()
    print(
        f"{args.spec} {args.operations or 'all operations'}, {len(kept)} requests, {args.clients} clients, "
        f"{args.repeats} repeats; load average {load[0]:.2f} {load[1]:.2f}"
    )
    print(f"server requests/s min / median / max: {min(rates):.1f} / {statistics.median(rates):.1f} / {max(rates):.1f}")
    print(f"statuses: {dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
