"""Generation speed per operation: strategies/ beside schemathesis, on the seed and on 2.3.0.

Run by hand: ``python benchmarks/bench_strategies.py [--spec NAME] [--count N] [--ops a,b]``.
Columns (cases per second, generation only, no HTTP):
  ours        ``draw_cases`` (compiled generators, no Hypothesis engine)
  ours@given  the same strategy run by Hypothesis' engine (``@given``, generate phase only)
  st@given    schemathesis 4 ``operation.as_strategy(...)`` run the same way
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.strategies import SearchStrategy

from openai_conformance import spec as spec_package
from openai_conformance.spec import load_spec
from openai_conformance.strategies import draw_cases, from_operation, has_negative_cases

DATA = Path(spec_package.__file__).parent / "data"
SAMPLE_23 = (
    "createResponse",
    "createChatCompletion",
    "createCompletion",
    "createEmbedding",
    "createImage",
    "createImageEdit",
    "createFile",
    "createFineTuningJob",
    "createModeration",
    "createAssistant",
    "createThread",
    "createVectorStore",
    "createBatch",
    "listFiles",
    "retrieveFile",
    "listModels",
    "createTranscription",
    "createSpeech",
)


def rate(run: Callable[[], int]) -> float:
    start = time.perf_counter()
    made = run()
    return made / (time.perf_counter() - start)


def with_given(strategy: SearchStrategy[Any], count: int) -> int:
    made = [0]

    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case: Any) -> None:
        made[0] += 1

    run()
    return made[0]


def schemathesis_strategies(path: Path) -> dict[tuple[str, str], Any]:
    """operationId -> {mode: strategy}; operations schemathesis fails to load are left out."""
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_path(str(path))
    out = {}
    for result in schema.get_all_operations():
        try:
            op = result.ok()
        except Exception:  # noqa: BLE001 - a load error of one operation
            continue
        op_id = op.definition.raw.get("operationId")
        for mode, gm in (("positive", GenerationMode.POSITIVE), ("negative", GenerationMode.NEGATIVE)):
            out[(op_id, mode)] = op.as_strategy(generation_mode=gm)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default="openai-1.1.0")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--ops", default="", help="comma-separated operationIds (default: all; 2.3.0: a sample)")
    parser.add_argument("--no-schemathesis", action="store_true")
    args = parser.parse_args()

    spec = load_spec(args.spec)
    wanted = [o for o in args.ops.split(",") if o] or (
        list(SAMPLE_23) if args.spec.startswith("openai-2.3") else [op.operation_id for op in spec.operations]
    )
    theirs = {} if args.no_schemathesis else schemathesis_strategies(DATA / f"{args.spec}.yaml")
    print(f"{args.spec}: {args.count} cases per operation and mode; cases/s")
    print(f"{'operation':32} {'mode':9} {'ours':>9} {'ours@given':>11} {'st@given':>9} {'ratio':>6}")
    totals: dict[str, list[float]] = {"ours": [], "given": [], "st": []}
    for op_id in wanted:
        op = spec.operation(op_id)
        for mode in ("positive", "negative"):
            if mode == "negative" and not has_negative_cases(spec, op):
                continue
            strategy = from_operation(spec, op, mode=mode)
            draw_cases(strategy, 5, seed=0)  # warm: files cached, plan compiled
            ours = rate(lambda s=strategy: len(draw_cases(s, args.count, seed=1)))
            given_rate = rate(lambda s=strategy: with_given(s, args.count))
            st_strategy = theirs.get((op_id, mode))
            st_rate = float("nan")
            if st_strategy is not None:
                st_rate = rate(lambda s=st_strategy: with_given(s, args.count))
            totals["ours"].append(ours)
            totals["given"].append(given_rate)
            if st_strategy is not None:
                totals["st"].append(st_rate)
            print(f"{op_id:32} {mode:9} {ours:9.0f} {given_rate:11.0f} {st_rate:9.0f} {ours / st_rate:6.0f}x")
    medians = {k: statistics.median(v) if v else float("nan") for k, v in totals.items()}
    print(f"{'median':42} {medians['ours']:9.0f} {medians['given']:11.0f} {medians['st']:9.0f}")


if __name__ == "__main__":
    main()
