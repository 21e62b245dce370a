"""A run against the reference server: clean, and with every fault.

Each fault of the server's catalogue names the check that must catch it; the
parametrized test proves that check finds it (and the clean run proves it
finds nothing on the server without faults). The runs are composed as
``openai-conformance run`` composes them (``prepare_run``), against the server on
127.0.0.1 in a thread of this process: real HTTP, without a child's start-up
(the strict-spec test goes through the CLI and its child server, as tests/reports/ does).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from runs import composed_run

from openai_conformance import CHECKS, ExitCode, RunResult, Verdict
from openai_conformance.cli import main
from openai_conformance.profiles import LEGACY, checks_elsewhere
from openai_conformance.server import FAULTS
from openai_conformance.spec import Spec, load_spec

EXAMPLES = 6
SEED = "openai-1.1.0"
NEWEST = "openai-2.3.0-2026-08-21"


@cache
def spec(name: str) -> Spec:
    """Each document loaded once for the module (a ``Spec`` is not changed by a run)."""
    return load_spec(name)


def run(name: str = SEED, **chosen: Any) -> RunResult:
    """A run of ``spec(name)`` with the choices given (``Choices``' defaults are the CLI's)."""
    return composed_run(spec(name), **chosen)


def found(results: RunResult) -> list[tuple[str, str, str, str]]:
    return [(f.check, f.operation_id, f.mode, f.message) for f in results.findings]


@pytest.fixture(scope="module")
def clean_run() -> RunResult:
    return run(max_examples=20)


def test_the_default_run_is_conformant(clean_run: RunResult) -> None:
    assert found(clean_run) == []
    assert (clean_run.exit_code, clean_run.verdict) == (ExitCode.OK, Verdict.CONFORMANT)


def test_the_default_run_covers_all_25_operations_in_all_four_modes(clean_run: RunResult) -> None:
    operations = clean_run.operations
    assert len(operations) == 25
    assert {o.status for o in operations} == {"passed"}
    for op in operations:
        assert op.cases_by_mode.get("positive", 0) > 0 or op.operation_id in {
            "deleteFile",
            "cancelFineTune",
            "deleteModel",
        }, op
    modes = {mode for o in operations for mode in o.cases_by_mode}
    assert modes == {"positive", "negative", "example", "stateful"}
    # Every operation with an x-oaiMeta curl example had it replayed.
    assert sum(1 for o in operations if o.cases_by_mode.get("example")) >= 20
    stateful = {o.operation_id for o in operations if o.cases_by_mode.get("stateful")}
    assert {
        "createFile",
        "downloadFile",
        "deleteFile",
        "createFineTune",
        "cancelFineTune",
        "deleteModel",
        "retrieveModel",
    } <= stateful


def test_the_newest_document_runs_conformant_on_every_operation() -> None:
    # the reference server is the conformant implementation of the newest document, too:
    # every operation answered (hand-written or schema-driven), no finding in any mode
    results = run(NEWEST, max_examples=3)
    assert found(results) == []
    assert results.counters.not_implemented == 0
    assert {o.status for o in results.operations} == {"passed"}
    assert len(results.operations) > 280
    assert (results.exit_code, results.verdict) == (ExitCode.OK, Verdict.CONFORMANT)


def test_every_check_of_the_catalogue_ran_on_the_clean_run(clean_run: RunResult) -> None:
    applied = {name for o in clean_run.operations for name, c in o.checks.items() if c["passed"]}
    # transport fails only on a broken answer; differs_from_reference needs --compare-to (test_compare_to.py)
    never = (
        {c["name"] for c in clean_run.checks}
        - applied
        - {"transport", "differs_from_reference"}
        - checks_elsewhere(LEGACY)
    )
    assert never == set()


CAUGHT_BY_A_CHECK = sorted(name for name, fault in FAULTS.items() if fault.check not in (None, "not_implemented"))
# The 2.x faults break the surface of the newest document: each runs there, on the tags
# of the operations it breaks (the whole document would take 20 s a fault).
SURFACE = {
    "chat_": ("Chat",),
    "embedding_base64": ("Embeddings",),
    "embedding_ignore": ("Embeddings",),
    "responses_": ("Responses",),
    "stored_completion": ("Chat",),
    "batch_": ("Batch", "Files"),
    "fine_tuning_": ("Fine-tuning", "Files"),
}


def fault_run(fault: str) -> RunResult:
    """The run that must find ``fault``: the seed document, or the newest on the tags it breaks.

    Without shrinking (a third of the time): finding a bug does not depend on it (test_bugs.py shrinks)."""
    tags = next((tags for prefix, tags in SURFACE.items() if fault.startswith(prefix)), None)
    where: dict[str, Any] = {"name": NEWEST, "tags": tags} if tags else {}
    return run(faults=(fault,), max_examples=EXAMPLES, shrink=False, **where)


@pytest.mark.parametrize("fault", CAUGHT_BY_A_CHECK)
def test_each_fault_is_found_by_its_check(fault: str) -> None:
    if FAULTS[fault].check not in CHECKS:
        pytest.skip(f"{FAULTS[fault].check} is not in the catalogue yet")
    results = fault_run(fault)
    checks = {f.check for f in results.findings}
    assert results.exit_code == ExitCode.FINDINGS
    assert FAULTS[fault].check in checks, sorted(checks)
    assert results.errors == []  # found by a run that went through, not beside a crash


def test_a_missing_route_is_reported_once_as_not_implemented() -> None:
    results = run(faults=("edits_not_implemented",), max_examples=EXAMPLES)
    status = {o.operation_id: o.status for o in results.operations}
    assert results.exit_code == ExitCode.FINDINGS
    assert status["createEdit"] == "not_implemented"
    assert [f for f in results.findings if f.operation_id == "createEdit"] == []
    assert results.counters.not_implemented == 1


def test_rate_limits_are_waited_out_and_counted_not_reported() -> None:
    results = run(faults=("rate_limited",), max_examples=4)
    assert results.counters.rate_limited > 0
    assert (results.exit_code, results.findings) == (ExitCode.OK, [])


def test_a_slow_target_is_given_up_on_in_bounded_time() -> None:
    results = run(faults=("slow_responses",), timeout=0.5, operations=("createCompletion",))
    assert results.exit_code == ExitCode.UNREACHABLE
    assert results.verdict == Verdict.UNREACHABLE
    assert any("timing out" in e for e in results.errors)


def test_catalogue_test_covers_every_fault() -> None:
    covered = set(CAUGHT_BY_A_CHECK) | {"edits_not_implemented", "rate_limited", "slow_responses"}
    assert covered == set(FAULTS)


def test_strict_spec_names_the_spec_bug_instead_of_blaming_the_target(tmp_path: Path) -> None:
    # Through the command line, its child server and the results.json it writes: end to end.
    report_dir = tmp_path / "reports"
    argv = ["run", "--quiet", "--report-dir", str(report_dir), "--formats", "json", "--strict-spec"]
    code = main([*argv, "--operations", "createCompletion", "--modes", "examples"])
    [path] = report_dir.glob("*.json")
    results = json.loads(path.read_text())
    streamed = [f for f in results["findings"] if f["check"] == "stream_format"]
    assert code == 1
    assert streamed, "the streamed example carries finish_reason: null, which the 1.1.0 schema forbids"
    assert all(f["spec_bug"] == "completion-finish-reason-null" for f in streamed)
    assert results["spec"]["strict"] is True and results["spec"]["errata"] == []
    assert results["target"]["reference_server"] is True


def test_a_check_that_crashes_makes_the_run_incomplete_never_conformant(reference_server) -> None:
    from openai_conformance.checks._base import check
    from openai_conformance.engine._runner import Runner, RunOptions
    from openai_conformance.engine._session import TargetSession

    @check("always_crashes", "a check with a bug, for this test only", source="spec")
    def always_crashes(ctx):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("a bug")

    CHECKS.add(always_crashes)

    try:
        session = TargetSession(reference_server.base_url, api_key="sk-crash-test-0123456789abcdef")
        results = Runner(
            spec(SEED), session, RunOptions(operations=("listModels",), modes=("positive",), max_examples=2)
        ).run()
    finally:
        CHECKS._checks.pop("always_crashes")
    assert results.findings == []
    assert (results.verdict, results.exit_code) == ("incomplete", 70)
    assert any("always_crashes" in e and "ZeroDivisionError" in e for e in results.errors)
