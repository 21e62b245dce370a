"""File parts without a Content-Type (RFC 7578 allows them) against a files server of our own.

Positive cases send some; a server that takes them is not blamed, one that crashes on them is,
on the case that did it, with a reproducer that sends the same bytes (curl -F cannot: it types
every file part). A server that dies names its killer, and requests refused after it are no findings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest
from upload_server import KEY, serve

from openai_conformance.engine._runner import Runner, RunOptions
from openai_conformance.engine._session import TargetSession
from openai_conformance.spec import load_spec

OPERATIONS = ("listModels", "createFile")


def run(base_url: str) -> dict[str, Any]:
    options = RunOptions(operations=OPERATIONS, modes=("positive",), max_examples=8, shrink=False, workers=1)
    return Runner(load_spec("openai-1.1.0"), TargetSession(base_url, api_key=KEY), options).run().to_document()


def _untyped(finding: dict[str, Any]) -> bool:
    """Whether the finding's request had a part without a Content-Type (its reproducer says so)."""
    return bool(finding["curl"]) and finding["curl"].startswith("printf ")


def test_a_server_that_takes_untyped_parts_is_not_blamed() -> None:
    seen: list[str | None] = []
    with serve(seen=seen) as url:
        results = run(url)
    assert None in seen and "application/jsonl" in seen  # both kinds were sent
    assert results["findings"] == [] and results["run"]["verdict"] == "conformant", results["findings"]


def test_a_500_on_an_untyped_part_is_charged_to_that_case_only() -> None:
    seen: list[str | None] = []
    with serve(crash="500", seen=seen) as url:
        results = run(url)
    errors = [f for f in results["findings"] if f["check"] == "server_error"]
    assert len(errors) == seen.count(None) > 0
    assert all(_untyped(f) and f["operation_id"] == "createFile" for f in results["findings"])


@pytest.mark.skipif(shutil.which("curl") is None, reason="the reproducer is a curl command")
@pytest.mark.parametrize(("crash", "answer"), [("500", "Internal Server Error"), ("", '"object": "file"')])
def test_the_reproducer_of_an_untyped_part_sends_the_same_bytes(crash: str, answer: str) -> None:
    seen: list[str | None] = []
    with serve(crash="500", seen=seen) as url:
        curl = next(f["curl"] for f in run(url)["findings"] if f["check"] == "server_error")
    with serve(crash=crash, seen=seen) as again:
        command = curl.replace(url, again)
        sent = subprocess.run(
            ["bash", "-c", command],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "OPENAI_API_KEY": KEY},
        )
    assert answer in sent.stdout, (command, sent.stderr)
    assert seen[-1] is None  # the part went without a Content-Type again


def test_a_connection_dropped_on_an_untyped_part_is_that_cases_finding() -> None:
    seen: list[str | None] = []
    with serve(crash="drop", seen=seen) as url:
        results = run(url)
    dropped = [f for f in results["findings"] if f["check"] == "transport"]
    assert 0 < len(dropped) <= seen.count(None)  # a drop on a kept-alive connection is tried again, once
    assert all(_untyped(f) for f in results["findings"])
    assert all("connection closed without a response" in f["message"] for f in dropped)


def test_a_server_that_dies_names_the_request_that_killed_it() -> None:
    with serve(crash="die") as url:
        results = run(url)
    assert results["run"]["verdict"] == "unreachable"
    (killer,) = results["findings"]  # the refused requests after it are nobody's finding
    assert killer["check"] == "transport" and _untyped(killer)
    (line,) = [e for e in results["errors"] if e.startswith("target stopped answering")]
    assert line.endswith(
        "the request that likely brought it down: createFile (positive), reproduce with: " + killer["curl"]
    )
    assert any(e.endswith("not sent, the connection was refused") for e in results["errors"])


def test_a_server_that_answers_then_dies_names_the_request_it_answered_last() -> None:
    with serve(crash="last_words") as url:
        results = run(url)
    assert results["run"]["verdict"] == "unreachable"
    last = [f for f in results["findings"] if f["check"] == "server_error"][-1]
    assert _untyped(last) and not any(f["check"] == "transport" for f in results["findings"])
    (line,) = [e for e in results["errors"] if e.startswith("target stopped answering")]
    assert line.endswith("reproduce with: " + last["curl"])


def test_a_part_without_a_content_type_is_replayed_without_one() -> None:
    from openai_conformance.engine._collect import case_document, case_from_document
    from openai_conformance.redact import Redactor
    from openai_conformance.strategies import Case, FilePart

    part = FilePart("training.jsonl", None, b'{"a": 1}\n')
    case = Case("createFile", "POST", "/files", media_type="multipart/form-data", form={"file": part, "purpose": "x"})
    kept = json.loads(json.dumps(case_document(case, Redactor())))
    assert kept["form"]["file"]["content_type"] is None and case_from_document(kept) == case
