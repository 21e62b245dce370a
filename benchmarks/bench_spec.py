"""Load the largest shipped document (2.3.0) cold and warm, build every validator
of every operation, and lint it: time and peak memory of each step.

Run by hand: ``python benchmarks/bench_spec.py``. Peak memory is measured with
tracemalloc in a second pass of each step, so that it does not slow the timing.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from openai_conformance.spec import lint, load_spec

NAME = "openai-2.3.0-2026-08-21"


def _pointers(spec: Any) -> list[str]:
    out = []
    for op in spec.operations:
        out += [p.pointer for p in op.parameters]
        bodies = [
            *(op.request_body.content.values() if op.request_body else ()),
            *(m for r in op.responses.values() for m in r.content.values()),
        ]
        out += [m.pointer for m in bodies if m.schema is not None]
    return out


def _validators(spec: Any) -> int:
    pointers = _pointers(spec)
    for pointer in pointers:
        # checking one value makes jsonschema resolve the refs it needs
        spec.validator(pointer).is_valid({})
    return len(pointers)


def measure(label: str, step: Callable[[], Any]) -> Any:
    gc.collect()
    start = time.perf_counter()
    result = step()
    elapsed = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} {elapsed:8.3f} s   peak {peak / 2**20:8.1f} MiB")
    return result


def main() -> None:
    measure(f"load {NAME} cold (cache=False)", lambda: load_spec(NAME, cache=False))
    load_spec(NAME)  # fill the cache
    spec = measure(f"load {NAME} warm (cached)", lambda: load_spec(NAME))
    count = measure("build + use every operation validator (fresh)", lambda: _validators(load_spec(NAME)))
    print(f"  ({count} validators over {len(spec.operations)} operations)")
    findings = measure("lint", lambda: lint(load_spec(NAME)))
    print(f"  ({len(findings)} findings)")


if __name__ == "__main__":
    main()
