"""Diff the largest shipped documents: time and peak memory.

Run by hand: ``python benchmarks/bench_diff.py``. Pairs: the two largest
documents (1.3.0 and 2.3.0), 2.0.0 -> 2.3.0 (the newest step), and 2.3.0 with
itself, the worst case, where every schema of every operation is compared.
Loading is not timed (see bench_spec.py).
"""

from __future__ import annotations

import gc
import time
import tracemalloc

from openai_conformance.spec import diff_specs, load_spec

PAIRS = [
    ("openai-1.3.0", "openai-2.3.0-2026-08-21"),
    ("openai-2.0.0", "openai-2.3.0-2026-08-21"),
    ("openai-2.3.0-2026-08-21", "openai-2.3.0-2026-08-21"),
]


def main() -> None:
    for old_name, new_name in PAIRS:
        old, new = load_spec(old_name), load_spec(new_name)
        gc.collect()
        start = time.perf_counter()
        diff = diff_specs(old, new)
        elapsed = time.perf_counter() - start
        gc.collect()
        tracemalloc.start()
        diff_specs(old, new)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        summary = diff.summary()
        print(
            f"{old_name} -> {new_name}: {elapsed:.3f} s, peak {peak / 2**20:.1f} MiB, "
            f"{summary['changes']} changes ({summary['breaking_for_client']} client-breaking, "
            f"{summary['breaking_for_server']} server-breaking)"
        )


if __name__ == "__main__":
    main()
