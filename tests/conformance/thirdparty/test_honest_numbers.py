"""Honest numbers: an operation that never got an answer but 401, or is not implemented, has no score;
a run refused with 401 throughout says so on top and passes no operation."""

from __future__ import annotations

from typing import Any

from route_servers import KEY, serve

from openai_conformance.cli._summary import print_summary
from openai_conformance.engine._runner import Runner, RunOptions
from openai_conformance.engine._session import TargetSession
from openai_conformance.reports._view import operation_score, overall_score, verdict_line
from openai_conformance.results import REFUSED_HEADLINE, OperationResult, RunResult
from openai_conformance.spec import load_spec

OPERATIONS = ("listModels", "retrieveModel", "createCompletion")


def run(refuse: bool) -> RunResult:
    options = RunOptions(operations=OPERATIONS, modes=("positive",), max_examples=2, shrink=False)
    with serve(refuse=refuse) as root:
        session = TargetSession(root + "/v1", api_key=KEY)
        return Runner(load_spec("openai-1.1.0"), session, options).run()


def _ran(results: RunResult) -> dict[str, OperationResult]:
    return {o.operation_id: o for o in results.operations if o.operation_id in OPERATIONS}


def test_a_run_refused_with_401_says_so_on_top_and_passes_nothing(capsys: Any) -> None:
    results = run(refuse=True)
    assert results.run.refused is True and results.exit_code == 2
    ops = _ran(results)
    assert {o.status for o in ops.values()} == {"skipped"}, ops
    assert {o.skip_reason for o in ops.values()} == {"refused: every request was answered 401"}
    assert [operation_score(o) for o in ops.values()] == [None] * 3 and overall_score(results) is None
    assert verdict_line(results).startswith(REFUSED_HEADLINE)
    print_summary(results, {})
    assert capsys.readouterr().out.splitlines()[0] == REFUSED_HEADLINE


def test_a_run_with_the_right_key_scores_only_what_ran(capsys: Any) -> None:
    results = run(refuse=False)
    ops = _ran(results)
    assert results.run.refused is False
    assert {k: o.status for k, o in ops.items()} == {
        "listModels": "passed",
        "retrieveModel": "passed",
        "createCompletion": "not_implemented",
    }
    assert ops["createCompletion"].checks  # its 404 was checked (the envelope) ...
    assert operation_score(ops["createCompletion"]) is None  # ... and still scores nothing
    assert operation_score(ops["listModels"]) == 1.0 and overall_score(results) == 1.0
    assert not verdict_line(results).startswith(REFUSED_HEADLINE)
    print_summary(results, {})
    assert REFUSED_HEADLINE not in capsys.readouterr().out
