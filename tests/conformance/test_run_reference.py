"""`openai-conformance run` against the reference server: clean, and with every fault.

Each fault of the server's catalogue names the check that must catch it; the
parametrized test proves that check finds it (and the clean run proves it
finds nothing on the server without faults).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from openai_conformance.checks import CHECKS
from openai_conformance.cli import main
from openai_conformance.profiles import LEGACY, checks_elsewhere
from openai_conformance.server import FAULTS

EXAMPLES = "6"


def run(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    report_dir = tmp_path / "reports"
    code = main(["run", "--quiet", "--report-dir", str(report_dir), "--formats", "json", *args])
    [path] = report_dir.glob("*.json")
    return code, json.loads(path.read_text())


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    return run(tmp_path_factory.mktemp("clean"), "--max-examples", "20")


def test_no_arguments_run_is_conformant(clean_run: tuple[int, dict[str, Any]]) -> None:
    code, results = clean_run
    summary = [(f["check"], f["operation_id"], f["message"]) for f in results["findings"]]
    assert summary == []
    assert (code, results["run"]["verdict"]) == (0, "conformant")


def test_no_arguments_run_covers_all_25_operations_in_all_four_modes(clean_run: tuple[int, dict[str, Any]]) -> None:
    _, results = clean_run
    operations = results["operations"]
    assert len(operations) == 25
    assert {o["status"] for o in operations} == {"passed"}
    for op in operations:
        assert op["cases_by_mode"].get("positive", 0) > 0 or op["operation_id"] in {
            "deleteFile",
            "cancelFineTune",
            "deleteModel",
        }, op
    modes = {mode for o in operations for mode in o["cases_by_mode"]}
    assert modes == {"positive", "negative", "example", "stateful"}
    # Every operation with an x-oaiMeta curl example had it replayed.
    assert sum(1 for o in operations if o["cases_by_mode"].get("example")) >= 20
    stateful = {o["operation_id"] for o in operations if o["cases_by_mode"].get("stateful")}
    assert {
        "createFile",
        "downloadFile",
        "deleteFile",
        "createFineTune",
        "cancelFineTune",
        "deleteModel",
        "retrieveModel",
    } <= stateful


def test_the_newest_document_runs_conformant_on_every_operation(tmp_path: Path) -> None:
    # the reference server is the conformant implementation of the newest document, too:
    # every operation answered (hand-written or schema-driven), no finding in any mode
    code, results = run(tmp_path, "--spec", NEWEST, "--max-examples", "3")
    summary = [(f["check"], f["operation_id"], f["mode"], f["message"]) for f in results["findings"]]
    assert summary == []
    assert results["counters"]["not_implemented"] == 0
    assert {o["status"] for o in results["operations"]} == {"passed"}
    assert len(results["operations"]) > 280
    assert (code, results["run"]["verdict"]) == (0, "conformant")


def test_every_check_of_the_catalogue_ran_on_the_clean_run(clean_run: tuple[int, dict[str, Any]]) -> None:
    _, results = clean_run
    applied = {name for o in results["operations"] for name, c in o["checks"].items() if c["passed"]}
    # transport fails only on a broken answer; differs_from_reference needs --compare-to (test_compare_to.py)
    never = (
        {c["name"] for c in results["checks"]}
        - applied
        - {"transport", "differs_from_reference"}
        - checks_elsewhere(LEGACY)
    )
    assert never == set()


CAUGHT_BY_A_CHECK = sorted(name for name, fault in FAULTS.items() if fault.check not in (None, "not_implemented"))
NEWEST = "openai-2.3.0-2026-08-21"
# The 2.x faults break the surface of the newest document: each runs there, on the tags
# of the operations it breaks (the whole document would take 20 s a fault).
SURFACE = {
    "chat_": "Chat",
    "embedding_base64": "Embeddings",
    "embedding_ignore": "Embeddings",
    "responses_": "Responses",
    "stored_completion": "Chat",
    "batch_": "Batch,Files",
    "fine_tuning_": "Fine-tuning,Files",
}


# Faults whose check exists for the 1.x surface but is not yet extended to chat/dimensions.
NOT_EXTENDED: set[str] = set()


def fault_arguments(fault: str) -> tuple[str, ...]:
    tags = next((tags for prefix, tags in SURFACE.items() if fault.startswith(prefix)), None)
    return ("--spec", NEWEST, "--tags", tags) if tags else ()


@pytest.mark.parametrize("fault", CAUGHT_BY_A_CHECK)
def test_each_fault_is_found_by_its_check(fault: str, tmp_path: Path) -> None:
    if FAULTS[fault].check not in CHECKS:
        pytest.skip(f"{FAULTS[fault].check} is not in the catalogue yet")
    if fault in NOT_EXTENDED:
        pytest.skip(f"{FAULTS[fault].check} does not read the 2.x surface yet")
    code, results = run(tmp_path, "--fault", fault, "--max-examples", EXAMPLES, *fault_arguments(fault))
    checks = {f["check"] for f in results["findings"]}
    assert code == 1
    assert FAULTS[fault].check in checks, sorted(checks)


def test_a_missing_route_is_reported_once_as_not_implemented(tmp_path: Path) -> None:
    code, results = run(tmp_path, "--fault", "edits_not_implemented", "--max-examples", EXAMPLES)
    status = {o["operation_id"]: o["status"] for o in results["operations"]}
    assert code == 1
    assert status["createEdit"] == "not_implemented"
    assert [f for f in results["findings"] if f["operation_id"] == "createEdit"] == []
    assert results["counters"]["not_implemented"] == 1


def test_rate_limits_are_waited_out_and_counted_not_reported(tmp_path: Path) -> None:
    code, results = run(tmp_path, "--fault", "rate_limited", "--max-examples", "4")
    assert results["counters"]["rate_limited"] > 0
    assert (code, results["findings"]) == (0, [])


def test_a_slow_target_is_given_up_on_in_bounded_time(tmp_path: Path) -> None:
    code, results = run(tmp_path, "--fault", "slow_responses", "--timeout", "0.5", "--operations", "createCompletion")
    assert code == 3
    assert results["run"]["verdict"] == "unreachable"
    assert any("timing out" in e for e in results["errors"])


def test_catalogue_test_covers_every_fault() -> None:
    covered = set(CAUGHT_BY_A_CHECK) | {"edits_not_implemented", "rate_limited", "slow_responses"}
    assert covered == set(FAULTS)


def test_strict_spec_names_the_spec_bug_instead_of_blaming_the_target(tmp_path: Path) -> None:
    code, results = run(tmp_path, "--strict-spec", "--operations", "createCompletion", "--modes", "examples")
    streamed = [f for f in results["findings"] if f["check"] == "stream_format"]
    assert code == 1
    assert streamed, "the streamed example carries finish_reason: null, which the 1.1.0 schema forbids"
    assert all(f["spec_bug"] == "completion-finish-reason-null" for f in streamed)
    assert results["spec"]["strict"] is True and results["spec"]["errata"] == []


def test_a_check_that_crashes_makes_the_run_incomplete_never_conformant(reference_server) -> None:
    from openai_conformance.checks import CHECKS
    from openai_conformance.checks._base import check
    from openai_conformance.engine._runner import Runner, RunOptions
    from openai_conformance.engine._session import TargetSession
    from openai_conformance.spec import load_spec

    @check("always_crashes", "a check with a bug, for this test only", source="spec")
    def always_crashes(ctx):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("a bug")

    CHECKS.add(always_crashes)

    try:
        session = TargetSession(reference_server.base_url, api_key="sk-crash-test-0123456789abcdef")
        results = Runner(
            load_spec("openai-1.1.0"),
            session,
            RunOptions(operations=("listModels",), modes=("positive",), max_examples=2),
        ).run()
    finally:
        CHECKS._checks.pop("always_crashes")
    assert results.findings == []
    assert (results.verdict, results.exit_code) == ("incomplete", 70)
    assert any("always_crashes" in e and "ZeroDivisionError" in e for e in results.errors)
