"""The results schema accepts the factory's documents and rejects what is not one."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import factory
import pytest
from factory import typed

from openai_conformance.checks import CHECKS
from openai_conformance.reports import ResultsInvalid, load_results, report_stem, results_schema, validate_results
from openai_conformance.results import (
    BodyKind,
    CaseAuth,
    CheckSource,
    Counters,
    ExitCode,
    Finding,
    LintSeverity,
    OperationResult,
    OperationStatus,
    RunInfo,
    RunResult,
    SpecInfo,
    SuiteInfo,
    TargetInfo,
    Verdict,
)


@pytest.mark.parametrize(
    "build", [factory.clean_run, factory.failing_run, factory.big_run], ids=["clean", "failing", "big"]
)
def test_factory_documents_are_valid(build):
    validate_results(build())


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d.pop("findings"), "findings"),
        (lambda d: d["run"].update(verdict="fine"), "/run/verdict"),
        (lambda d: d["operations"][0].pop("latency_ms"), "latency_ms"),
        (lambda d: d["findings"][0].update(transcript="data: x"), "/findings/0/transcript"),
        (lambda d: d.update(format_version=2), "/format_version"),
    ],
    ids=["missing-findings", "bad-verdict", "missing-null-key", "transcript-not-list", "format-2"],
)
def test_invalid_documents_are_rejected_in_one_line(failing, mutate, where):
    mutate(failing)
    with pytest.raises(ResultsInvalid) as info:
        validate_results(failing)
    assert where in str(info.value) and "\n" not in str(info.value)


def test_load_results_reports_file_problems(tmp_path):
    with pytest.raises(ResultsInvalid, match="no such file"):
        load_results(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ResultsInvalid, match=r"not JSON \(line 1"):
        load_results(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text(json.dumps({"hello": 1}))
    with pytest.raises(ResultsInvalid, match="not a results document"):
        load_results(tmp_path / "other.json")


def test_report_stem_names_spec_target_and_time(clean):
    assert report_stem(typed(clean)) == "openai-1.1.0_127.0.0.1-54321_20261125T120000Z"
    clean["run"]["started_at"] = "2026-11-25T12:00:00.123+00:00"
    clean["target"]["base_url"] = "https://api.openai.com/v1"
    assert report_stem(typed(clean)) == "openai-1.1.0_api.openai.com_20261125T120000Z"


# Each enum of the schema, by the name of the property holding it, and the model's enum it spells.
MODEL_ENUMS = {
    "verdict": Verdict,
    "exit_code": ExitCode,
    "status": OperationStatus,
    "source": CheckSource,
    "body_kind": BodyKind,
    "auth": CaseAuth,
    "severity": LintSeverity,
}


def _schema_enums(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], list[Any]]]:
    """(path of property names, enum) for every ``enum`` of the schema, however deep."""
    if isinstance(node, dict):
        if "enum" in node:
            yield path, node["enum"]
        for key, value in node.items():
            yield from _schema_enums(value, path if key in ("properties", "items", "anyOf") else (*path, key))
    elif isinstance(node, list):
        for item in node:
            yield from _schema_enums(item, path)


def test_every_schema_enum_is_a_model_enum():
    """The schema cannot drift from the model: each enum in it equals the model's, none is left out."""
    found = list(_schema_enums(results_schema()))
    named = {path[-1] for path, _ in found}
    assert named == set(MODEL_ENUMS), named ^ set(MODEL_ENUMS)
    for path, values in found:
        model = MODEL_ENUMS[path[-1]]
        assert sorted(values, key=str) == sorted((m.value for m in model), key=str), "/".join(path)
    assert len([p for p, _ in found if p[-1] == "body_kind"]) == 3  # request, response, reference


def test_the_checks_and_operations_speak_the_models_enums():
    """What the producers write is in the model's vocabulary (the schema checks the documents)."""
    assert {c.source for c in CHECKS} <= {s.value for s in CheckSource}
    assert OperationResult(**{**_operation(), "status": "skipped"}).status is OperationStatus.SKIPPED
    with pytest.raises(ValueError):
        OperationResult(**{**_operation(), "status": "fine"})


def _operation() -> dict[str, Any]:
    return factory.operation("listModels", "GET", "/models")


@pytest.mark.parametrize(
    ("model", "where"),
    [
        (RunResult, ()),
        (SpecInfo, ("spec",)),
        (TargetInfo, ("target",)),
        (RunInfo, ("run",)),
        (Counters, ("counters",)),
        (OperationResult, ("operations", "items")),
        (Finding, ("findings", "items")),
        (SuiteInfo, ("suite",)),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_every_valid_document_loads(model, where):
    """A field the model cannot do without is one the schema requires, and the schema names every
    field: so ``from_document`` reads whatever ``validate_results`` lets through, and loses nothing."""
    node = results_schema()
    for key in where:
        node = node["properties"][key] if key != "items" else node["items"]
    names = {f.name for f in dataclasses.fields(model)}
    needed = {f.name for f in dataclasses.fields(model) if f.default is f.default_factory is dataclasses.MISSING}
    assert needed <= set(node["required"]), needed - set(node["required"])
    assert names <= set(node["properties"]), names - set(node["properties"])
