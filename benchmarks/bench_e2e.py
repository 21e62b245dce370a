"""End to end, measured fairly: openai-conformance, `schemathesis run` and a plain client.

The three run against one reference server (uvicorn in a thread of this process, behind a
counter), on the same spec, positive cases only, the same number of examples per operation
and the same workers; schemathesis without its example database. Requests are counted by
the server for all three; cases are what each tool says it generated. The plain client is
a keep-alive ``requests.Session`` replaying, one at a time, the very requests our run sent:
the rate this target allows a client that does no work. Tools alternate, repeats give
min/median/max, and the load average is printed beside them.

Run by hand: ``python benchmarks/bench_e2e.py [--spec NAME] [--examples N] [--workers W]
[--repeats R] [--operations IDS]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from openai_conformance.server import serve_in_thread
from openai_conformance.spec import load_spec

KEY = "sk-bench-0000000000000000"
DATA = Path(__file__).resolve().parent.parent / "spec" / "data"


@dataclass
class Counter:
    """An ASGI layer that counts requests and keeps what one tool sent, to replay it."""

    app: Any
    count: int = 0
    keep: bool = False
    kept: list[tuple[str, str, bytes, str]] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.count += 1
        if not self.keep:
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = dict(scope["headers"])
        query = scope.get("query_string", b"").decode()
        path = scope["path"] + ("?" + query if query else "")
        self.kept.append((scope["method"], path, body, headers.get(b"content-type", b"").decode()))
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@dataclass(frozen=True)
class Sample:
    cases: int
    requests: int
    seconds: float


def ours(base_url: str, spec: str, examples: int, workers: int, operations: list[str]) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "openai_conformance",
                "run",
                "--base-url",
                base_url,
                "--spec",
                spec,
                "--modes",
                "positive",
                "--max-examples",
                str(examples),
                "--workers",
                str(workers),
                "--include-deprecated",
                "--budget",
                "off",
                "--no-shrink",
                "-q",
                "--formats",
                "json",
                "--report-dir",
                folder,
                *(["--operations", ",".join(operations)] if operations else []),
            ],
            capture_output=True,
            check=False,
            env={**os.environ, "OPENAI_API_KEY": KEY},
            cwd=folder,
        )
        elapsed = time.perf_counter() - started
        results = json.loads((Path(folder) / "results.json").read_text())
    return results["counters"]["cases"], elapsed


def schemathesis(base_url: str, spec: str, examples: int, workers: int, operations: list[str]) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        done = subprocess.run(
            [
                "schemathesis",
                "run",
                str(DATA / f"{spec}.yaml"),
                "--url",
                base_url,
                "-n",
                str(examples),
                "-H",
                f"Authorization: Bearer {KEY}",
                "--mode",
                "positive",
                "--phases",
                "fuzzing",
                "--workers",
                str(workers),
                "--generation-database",
                "none",
                "--continue-on-failure",
                "--no-color",
                *[arg for op in operations for arg in ("--include-operation-id", op)],
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=folder,
        )
        elapsed = time.perf_counter() - started
    match = re.search(r"(\d+) generated", done.stdout)
    return (int(match.group(1)) if match else 0), elapsed


def plain(base_url: str, kept: list[tuple[str, str, bytes, str]]) -> tuple[int, float]:
    """Our run's requests again, from a client that only sends and reads."""
    root = base_url.split("/v1")[0]
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {KEY}"
        started = time.perf_counter()
        for method, path, body, content_type in kept:
            answer = session.request(
                method, root + path, data=body or None, headers={"Content-Type": content_type} if content_type else {}
            )
            _ = answer.content  # read to the end, as the tools do
        return len(kept), time.perf_counter() - started


def measure(counter: Counter, tool: Callable[[], tuple[int, float]]) -> Sample:
    before = counter.count
    cases, seconds = tool()
    return Sample(cases, counter.count - before, seconds)


def spread(values: list[float]) -> str:
    return f"{min(values):8.1f} / {statistics.median(values):8.1f} / {max(values):8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", default="openai-1.1.0")
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--operations", default="", help="comma-separated operation ids (default: all)")
    args = parser.parse_args()
    operations = [o for o in args.operations.split(",") if o]
    samples: dict[str, list[Sample]] = {"openai-conformance": [], "schemathesis": [], "plain client": []}
    counter: list[Counter] = []

    def wrap(app: Any) -> Counter:
        counter.append(Counter(app))
        return counter[0]

    with serve_in_thread(spec=load_spec(args.spec), api_keys=[KEY], wrap=wrap) as server:
        for repeat in range(args.repeats):
            order = (
                ["openai-conformance", "schemathesis"] if repeat % 2 == 0 else ["schemathesis", "openai-conformance"]
            )
            for name in order:
                if name == "schemathesis":
                    samples[name].append(
                        measure(
                            counter[0],
                            lambda: schemathesis(server.base_url, args.spec, args.examples, args.workers, operations),
                        )
                    )
                    continue
                counter[0].keep, counter[0].kept = True, []
                samples[name].append(
                    measure(
                        counter[0], lambda: ours(server.base_url, args.spec, args.examples, args.workers, operations)
                    )
                )
                counter[0].keep = False
                kept = list(counter[0].kept)
            samples["plain client"].append(measure(counter[0], lambda kept=kept: plain(server.base_url, kept)))
    print(
        f"{args.spec}, positive, {args.examples} examples per operation, {args.workers} workers, "
        f"{args.repeats} repeats; load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}"
    )
    print(f"{'':20} {'cases/s min / median / max':>30} {'requests/s min / median / max':>32}  cases  requests")
    for name, runs in samples.items():
        cases = spread([s.cases / s.seconds for s in runs])
        sent = spread([s.requests / s.seconds for s in runs])
        print(f"{name:20} {cases:>30} {sent:>32}  {runs[-1].cases:5d}  {runs[-1].requests:8d}")
    ours_rate = statistics.median(s.cases / s.seconds for s in samples["openai-conformance"])
    theirs = statistics.median(s.cases / s.seconds for s in samples["schemathesis"])
    limit = statistics.median(s.requests / s.seconds for s in samples["plain client"])
    ours_requests = statistics.median(s.requests / s.seconds for s in samples["openai-conformance"])
    print(
        f"median cases/s ratio to schemathesis: {ours_rate / theirs:.2f}x; "
        f"our requests/s are {ours_requests / limit:.2f} of the plain client's"
    )


if __name__ == "__main__":
    main()
