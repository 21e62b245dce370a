"""The typed results model: the one contract between running and reporting."""

from __future__ import annotations

import argparse
import json
from contextlib import ExitStack
from pathlib import Path

import pytest

from openai_conformance import Choices, ExitCode, RunResult, Verdict, prepare_run
from openai_conformance.cli import build_parser
from openai_conformance.cli._run import choices_from_args
from openai_conformance.pytest_plugin import choices_from_config
from openai_conformance.reports import validate_results
from openai_conformance.reports._model import results_schema
from openai_conformance.results import Ending, judge
from openai_conformance.spec import load_spec

KEY = "sk-results-model-0123456789abcdef"


@pytest.fixture(scope="module")
def listed(reference_server) -> RunResult:
    choices = Choices(
        base_url=reference_server.base_url,
        api_key=KEY,
        operations=("listModels", "createEmbedding"),
        max_examples=3,
        modes=("positive", "negative"),
    )
    with ExitStack() as stack:
        return prepare_run(choices, load_spec("openai-1.1.0"), stack).runner().run()


def test_a_run_result_round_trips_through_its_document(listed: RunResult) -> None:
    document = listed.to_document()
    validate_results(json.loads(json.dumps(document)))
    assert RunResult.from_document(document) == listed
    assert listed.verdict is Verdict.CONFORMANT and listed.exit_code is ExitCode.OK


def test_the_schema_enums_are_the_models() -> None:
    run = results_schema()["properties"]["run"]["properties"]
    assert set(run["verdict"]["enum"]) == {v.value for v in Verdict}


@pytest.mark.parametrize(
    ("ending", "findings", "missing", "expected"),
    [
        (Ending(), 0, 0, (Verdict.CONFORMANT, ExitCode.OK)),
        (Ending(), 1, 0, (Verdict.NONCONFORMANT, ExitCode.FINDINGS)),
        (Ending(), 0, 2, (Verdict.NONCONFORMANT, ExitCode.FINDINGS)),
        (Ending(broken=True), 0, 0, (Verdict.INCOMPLETE, ExitCode.INTERNAL)),
        (Ending(budget_spent=True), 0, 0, (Verdict.INCOMPLETE, ExitCode.OK)),
        (Ending(budget_spent=True), 3, 0, (Verdict.NONCONFORMANT, ExitCode.FINDINGS)),
        (Ending(refused=True), 0, 0, (Verdict.NONCONFORMANT, ExitCode.USAGE)),
        (Ending(interrupted=True), 5, 0, (Verdict.INTERRUPTED, ExitCode.INTERRUPTED)),
        (Ending(unreachable=True, interrupted=True), 0, 0, (Verdict.UNREACHABLE, ExitCode.UNREACHABLE)),
    ],
)
def test_one_function_judges_every_ending(ending: Ending, findings: int, missing: int, expected: tuple) -> None:
    assert judge(ending, findings, missing) == expected


def test_checks_filter_covers_positive_accepted_too(reference_server) -> None:
    """``--checks response_schema`` counts no other check, positive_accepted included."""
    choices = Choices(
        base_url=reference_server.base_url,
        api_key=KEY,
        operations=("listModels", "createEmbedding"),
        max_examples=2,
        modes=("positive",),
        checks=("response_schema",),
    )
    with ExitStack() as stack:
        result = prepare_run(choices, load_spec("openai-1.1.0"), stack).runner().run()
    counted = {name for op in result.operations for name in op.checks}
    assert counted == {"response_schema"}


class _Config:
    """pytest's ``config.getoption`` over the plugin's own defaults, as pytest parses them."""

    def __init__(self, **given: object) -> None:
        from openai_conformance import pytest_plugin

        self.values: dict[str, object] = {}
        group = _Group(self.values)
        pytest_plugin.pytest_addoption(_Parser(group))
        self.values.update({f"--oai-{k.replace('_', '-')}": v for k, v in given.items()})

    def getoption(self, name: str) -> object:
        return self.values[name]


class _Group:
    def __init__(self, values: dict[str, object]) -> None:
        self.values = values

    def addoption(self, name: str, **kwargs: object) -> None:
        self.values[name] = kwargs.get("default", False if kwargs.get("action") == "store_true" else None)


class _Parser:
    def __init__(self, group: _Group) -> None:
        self.group = group

    def getgroup(self, name: str) -> _Group:
        return self.group


def test_the_cli_and_the_plugin_compose_the_same_run_from_the_same_inputs(tmp_path: Path) -> None:
    from openai_conformance.cli._config import merge

    url = "http://127.0.0.1:8000/v1"
    argv = [
        "run",
        "--base-url",
        url,
        "--max-examples",
        "7",
        "--seed",
        "3",
        "--timeout",
        "4",
        "--workers",
        "3",
        "--budget",
        "on",
        "--strict-spec",
        "--allow-destructive",
        "--max-requests",
        "50",
        "--max-time",
        "30",
        "--operations",
        "listModels",
        "--modes",
        "positive",
        "--include-deprecated",
    ]
    args: argparse.Namespace = build_parser(argv).parse_args(argv)
    merge(args, tmp_path)
    from_cli = choices_from_args(args, KEY)
    config = _Config(
        base_url=url,
        api_key=KEY,
        max_examples=7,
        seed=3,
        timeout=4.0,
        workers=3,
        budget="on",
        strict_spec=True,
        allow_destructive=True,
        max_requests=50,
        max_time=30.0,
    )
    from_plugin = choices_from_config(config, ("listModels",), "positive")
    assert from_cli == from_plugin


def test_a_start_up_failure_still_writes_results(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openai_conformance",
            "run",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--api-key",
            KEY,
            "--report-dir",
            str(tmp_path),
            "--formats",
            "json",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3
    [written] = tmp_path.glob("*.json")
    document = json.loads(written.read_text())
    assert document["run"]["verdict"] == "unreachable"
    assert any("127.0.0.1:9" in e for e in document["errors"])
