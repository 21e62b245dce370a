"""The suite's own run on its embedded target: cases/s, requests/s and peak RSS of the
runner and of the server child, each measured apart.

Run by hand: ``python benchmarks/bench_run.py [--spec NAME] [--repeats R] [--fresh]
[-- extra run arguments]``. Each repeat runs ``openai-conformance run --quiet`` in a
folder of its own (``--fresh``: a new folder and a new ``XDG_CACHE_HOME`` each time, so
neither the spec cache nor Hypothesis' tables exist; otherwise both are kept across repeats). Peak RSS is each process's VmHWM, read from
/proc while it runs; the load average is printed beside min/median/max.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    seconds: float
    cases: int
    requests: int
    runner_mib: float
    server_mib: float
    runner_cpu: float
    server_cpu: float
    verdict: str


def _peak_mib(pid: int) -> float | None:
    """The process's high-water RSS (VmHWM), or None once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far, or None once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def run_once(spec: str, folder: Path, extra: list[str], *, fresh: bool) -> Sample:
    report = folder / "report"
    command = [sys.executable, "-m", "openai_conformance", "run", "--spec", spec, "--quiet"]
    command += ["--formats", "json", "--report-dir", str(report), *extra]
    started = time.perf_counter()
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")} if fresh else None
    child = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, env=env)
    peaks: dict[int, float] = {}
    cpu: dict[int, float] = {}
    while child.poll() is None:
        # the server and its own children (a worker pool) all count as the server
        for pid in [child.pid, *_tree(child.pid)]:
            peak, used = _peak_mib(pid), _cpu_seconds(pid)
            if peak is not None:
                peaks[pid] = max(peaks.get(pid, 0.0), peak)
            if used is not None:
                cpu[pid] = used
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    results = json.loads((report / "results.json").read_text())
    runner = peaks.pop(child.pid, 0.0)
    server = max(peaks.values(), default=0.0)
    runner_cpu = cpu.pop(child.pid, 0.0)
    counters = results["counters"]
    return Sample(
        seconds,
        counters["cases"],
        counters["requests"],
        runner,
        server,
        runner_cpu,
        sum(cpu.values()),
        results["run"]["verdict"],
    )


def _tree(pid: int) -> list[int]:
    found, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        found.append(child)
        todo += _children(child)
    return found


def spread(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", default="openai-1.1.0")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="a new folder (no Hypothesis cache) for every repeat")
    parser.add_argument("extra", nargs="*", help="more arguments for 'run' (after --)")
    args = parser.parse_args()
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="bench-run-") as top:
        for repeat in range(args.repeats):
            folder = Path(top) / (str(repeat) if args.fresh else "kept")
            folder.mkdir(exist_ok=True)
            samples.append(run_once(args.spec, folder, args.extra, fresh=args.fresh))
    load = os.getloadavg()
    print(
        f"{args.spec}, {args.repeats} repeats, {'fresh folders' if args.fresh else 'one folder'}, "
        f"extra {args.extra}; load average {load[0]:.2f} {load[1]:.2f}"
    )
    print(
        f"verdicts {sorted({s.verdict for s in samples})}; cases {[s.cases for s in samples]}; "
        f"requests {[s.requests for s in samples]}"
    )
    print("min / median / max")
    print(f"  wall clock s        {spread([s.seconds for s in samples])}")
    print(f"  cases/s             {spread([s.cases / s.seconds for s in samples])}")
    print(f"  requests/s          {spread([s.requests / s.seconds for s in samples])}")
    print(f"  runner peak RSS MiB {spread([s.runner_mib for s in samples])}")
    print(f"  server peak RSS MiB {spread([s.server_mib for s in samples])}")
    print(f"  runner CPU s        {spread([s.runner_cpu for s in samples])}")
    print(f"  server CPU s        {spread([s.server_cpu for s in samples])}")


if __name__ == "__main__":
    main()
