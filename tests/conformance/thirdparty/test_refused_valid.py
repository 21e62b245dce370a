"""Valid requests a target refuses with 400 are warnings, one per bug, against a gateway of our own.

The gateway (picky_gateway.py) forwards to the reference server and refuses a fraction of valid
requests by rules of its own (temperature above 1, any ``user``): each rule is one warning bug,
the run stays conformant; the same fraction refused the way the API itself does is no warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from picky_gateway import serve

from openai_conformance.engine._runner import Runner, RunOptions
from openai_conformance.engine._session import TargetSession
from openai_conformance.server import RunningServer, serve_in_thread
from openai_conformance.spec import Spec, apply_errata, load_spec
from openai_conformance.strategies import Caps

KEY = "sk-test-gateway"  # the reference server takes any sk- key
OPERATIONS = ("listModels", "createCompletion", "createEmbedding")


@pytest.fixture(scope="module")
def upstream() -> Iterator[RunningServer]:
    with serve_in_thread(spec=load_spec("openai-1.1.0")) as server:
        yield server


def spec() -> Spec:
    return apply_errata(load_spec("openai-1.1.0"))[0]  # as a run applies them (streams' finish_reason null)


def run(base_url: str, seed: int = 1, operations: tuple[str, ...] = OPERATIONS, cases: int = 25) -> dict[str, Any]:
    options = RunOptions(
        operations=operations, modes=("positive",), max_examples=cases, shrink=False, seed=seed, caps=Caps.paid()
    )  # the budget caps a run against any target but the embedded server has
    return Runner(spec(), TargetSession(base_url, api_key=KEY), options).run().to_document()


def bugs(results: dict[str, Any]) -> dict[tuple[str, str], int]:
    """(operation, pointer) -> cases, of each warning bug (one fingerprint each)."""
    warned = [f for f in results["findings"] if f["check"] == "valid_accepted"]
    assert all(f["severity"] == "warning" for f in warned)
    assert len({f["fingerprint"] for f in warned}) == len({(f["operation_id"], f["pointer"]) for f in warned})
    out: dict[tuple[str, str], int] = {}
    for finding in warned:
        key = (finding["operation_id"], finding["pointer"])
        out[key] = out.get(key, 0) + 1
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_each_rule_of_the_targets_own_is_one_warning_bug(upstream: RunningServer, seed: int) -> None:
    refused: list[str] = []
    with serve(upstream.base_url, KEY, "hot", "user", refused=refused) as url:
        results = run(url, seed)
    found = bugs(results)
    assert set(found) == {
        ("createCompletion", "/temperature"),
        ("createCompletion", "/user"),
        ("createEmbedding", "/user"),
    }
    assert sum(found.values()) == len(refused)  # every refusal counted, each in its bug
    assert results["counters"]["warnings"] == len(refused) == results["counters"]["findings"]
    assert results["run"]["verdict"] == "conformant", results["findings"]  # warnings leave the verdict alone
    statuses = {o["operation_id"]: o["status"] for o in results["operations"] if o["status"] != "skipped"}
    assert set(statuses.values()) == {"passed"}
    checks = {o["operation_id"]: o["checks"].get("valid_accepted") for o in results["operations"]}
    assert checks["createEmbedding"]["failed"] == found[("createEmbedding", "/user")]
    assert checks["createEmbedding"]["passed"] > 0


def test_a_gateway_that_refuses_nothing_warns_of_nothing(upstream: RunningServer) -> None:
    with serve(upstream.base_url, KEY) as url:
        results = run(url)
    assert results["findings"] == [] and "warnings" not in results["counters"]  # none: left out
    assert results["run"]["verdict"] == "conformant"


def test_the_same_refusals_in_the_apis_own_words_are_no_warning(upstream: RunningServer) -> None:
    refused: list[str] = []
    with serve(upstream.base_url, KEY, "no_such_model", "too_long", refused=refused) as url:
        results = run(url)
    assert refused and results["findings"] == [], results["findings"]
    assert results["run"]["verdict"] == "conformant"


def test_a_refusal_of_every_valid_request_stays_one_error(upstream: RunningServer) -> None:
    with serve(upstream.base_url, KEY, "always") as url:
        results = run(url, 3, ("createEmbedding",), 6)
    assert [(f["check"], f.get("severity", "error")) for f in results["findings"]] == [("positive_accepted", "error")]
    assert results["run"]["verdict"] == "nonconformant"


def test_a_warning_is_shown_as_one_and_its_document_is_valid(upstream: RunningServer, capsys: Any) -> None:
    import xml.etree.ElementTree as ET

    from openai_conformance.cli._summary import print_summary
    from openai_conformance.reports import validate_results
    from openai_conformance.reports.junit import JunitReporter
    from openai_conformance.reports.markdown import MarkdownReporter
    from openai_conformance.results import RunResult

    with serve(upstream.base_url, KEY, "user") as url:
        results = run(url, 1, ("createEmbedding",), 10)
    validate_results(results)
    result = RunResult.from_document(results)  # what the reporters and the terminal take
    print_summary(result, {})
    out = capsys.readouterr().out
    (verdict,) = [line for line in out.splitlines() if line.startswith("CONFORMANT:")]
    count = results["counters"]["warnings"]
    assert f"{count} findings in 1 bugs ({count} warnings)" in verdict
    assert f"valid_accepted · createEmbedding (warning) ({count} cases)" in out
    junit = ET.fromstring(JunitReporter().render(result))
    assert junit.get("failures") == "0"  # a CI that reads JUnit fails on no warning
    (case,) = [c for c in junit.iter("testcase") if c.get("name") == "valid_accepted"]
    assert "warning: [valid_accepted]" in case.findtext("system-out", "")
    assert "| `valid_accepted` (warning) | `createEmbedding` |" in MarkdownReporter().render(result)
