"""The probes of the target as a whole (conformance/_probe.py) against a small server of our own.

An unknown route must get 404 in the error envelope; a "no such route" answer to an operation
is held to the envelope too; a run where nearly every route is missing names the base URL that works.
"""

from __future__ import annotations

from typing import Any

import pytest
from route_servers import KEY, serve

from openai_conformance.engine._runner import Runner, RunOptions
from openai_conformance.engine._session import TargetSession
from openai_conformance.spec import load_spec

PROBE = "probe:unknown_route"


def run(
    base_url: str, operations: tuple[str, ...] = ("listModels", "retrieveModel"), shard: tuple[int, int] = (1, 1)
) -> dict[str, Any]:
    options = RunOptions(operations=operations, modes=("positive",), max_examples=2, shrink=False, shard=shard)
    return Runner(load_spec("openai-1.1.0"), TargetSession(base_url, api_key=KEY), options).run().to_document()


def test_an_unknown_route_answered_in_the_envelope_passes() -> None:
    with serve(not_found="envelope") as root:
        results = run(root + "/v1")
    (probe,) = results["probes"]
    assert probe["status"] == 404 and probe["path"].startswith("/openai-conformance-no-such-route-")
    assert probe["checks"]["error_envelope"] == {"passed": 1, "failed": 0}
    assert probe["checks"]["content_type"] == {"passed": 1, "failed": 0}
    assert [f for f in results["findings"] if f["mode"] == PROBE] == []
    assert results["run"]["verdict"] == "conformant", results["findings"]


@pytest.mark.parametrize(
    ("style", "checks"), [("detail", {"error_envelope"}), ("plain", {"error_envelope", "content_type"})]
)
def test_an_unknown_route_answered_the_frameworks_way_is_a_finding(style: str, checks: set[str]) -> None:
    with serve(not_found=style) as root:
        results = run(root + "/v1")
    found = [f for f in results["findings"] if f["mode"] == PROBE]
    assert {f["check"] for f in found} == checks
    assert {f["operation_id"] for f in found} == {""}  # the run's, no operation's
    assert found[0]["response"]["status"] == 404 and "no-such-route" in found[0]["request"]["url"]
    assert results["probes"][0]["checks"]["error_envelope"] == {"passed": 0, "failed": 1}
    assert results["run"]["verdict"] == "nonconformant"


@pytest.mark.parametrize(("style", "expected"), [("envelope", 0), ("detail", 1)])
def test_the_answer_of_a_missing_operation_is_held_to_the_envelope_once(style: str, expected: int) -> None:
    with serve(not_found=style) as root:
        results = run(root + "/v1", ("listModels", "createCompletion"))
    status = {o["operation_id"]: o["status"] for o in results["operations"] if o["status"] != "skipped"}
    assert status == {"listModels": "passed", "createCompletion": "not_implemented"}
    found = [f for f in results["findings"] if f["operation_id"] == "createCompletion"]
    assert [f["check"] for f in found] == ["error_envelope"] * expected
    assert not any("base path" in e for e in results["errors"])  # one of two missing is not "nearly every"


@pytest.mark.parametrize(("served_at", "given", "works"), [("", "/v1", ""), ("/v1", "", "/v1")])
def test_a_wrong_base_path_is_named_with_the_one_that_works(served_at: str, given: str, works: str) -> None:
    with serve(prefix=served_at) as root:
        results = run(root + given, ("listModels", "retrieveModel", "createCompletion"))
    assert results["counters"]["not_implemented"] == 3
    (line,) = [e for e in results["errors"] if "base path" in e]
    assert line.endswith(f"try --base-url {root + works}"), line
    assert "3 of 3 operations" in line


def test_one_missing_operation_says_nothing_of_the_base_path() -> None:
    with serve(prefix="") as root:
        results = run(root + "/v1", ("createCompletion",))
    assert results["counters"]["not_implemented"] == 1
    assert not any("--base-url" in e for e in results["errors"]), results["errors"]


def test_no_base_url_works_is_said_too() -> None:
    with serve(prefix="/api/openai") as root:
        results = run(root + "/v1", ("listModels", "retrieveModel", "createCompletion"))
    (line,) = [e for e in results["errors"] if "--base-url" in e]
    assert line.endswith("is --base-url right?") and f"{root}/models" in line


def test_a_failed_probe_is_its_own_junit_suite() -> None:
    import xml.etree.ElementTree as ET

    from openai_conformance.reports import render
    from openai_conformance.results import RunResult

    with serve(not_found="detail") as root:
        results = run(root + "/v1")
    junit = render(RunResult.from_document(results), "junit")
    suites = {s.get("name"): s for s in ET.fromstring(junit).iter("testsuite")}
    case = suites["probe:unknown_route"].find("testcase[@name='error_envelope']")
    assert case is not None and case.find("failure") is not None
    assert "envelope" in case.find("failure").text


def test_the_slices_of_a_sharded_run_join_with_one_probe() -> None:
    from openai_conformance.results import RunResult
    from openai_conformance.results._merge import merge_results

    with serve(not_found="detail") as root:
        slices = [run(root + "/v1", shard=(i, 2)) for i in (2, 1)]  # the first slice listed last
    assert [len(s["probes"]) for s in slices] == [0, 1]
    merged = merge_results([RunResult.from_document(s) for s in slices]).to_document()
    assert [p["name"] for p in merged["probes"]] == ["unknown_route"]
    assert [f["check"] for f in merged["findings"] if f["mode"] == PROBE] == ["error_envelope"]


def test_the_terminal_names_a_probes_bug_by_the_probe(capsys: Any) -> None:
    from openai_conformance.cli._summary import print_summary
    from openai_conformance.results import RunResult

    with serve(not_found="plain") as root:
        results = run(root + "/v1")
    print_summary(RunResult.from_document(results), {})
    assert "\nerror_envelope · probe:unknown_route (1 case)\n" in capsys.readouterr().out


def test_the_probe_path_follows_the_seed() -> None:
    from openai_conformance.engine._probe import probe_case

    assert probe_case(3).path == probe_case(3).path != probe_case(4).path
    assert probe_case(3).path.startswith("/openai-conformance-no-such-route-")
