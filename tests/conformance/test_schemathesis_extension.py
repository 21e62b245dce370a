"""The schemathesis extension through the schemathesis CLI, against the reference server.

Each test runs ``schemathesis run`` as a subprocess with
``SCHEMATHESIS_HOOKS=openai_conformance.schemathesis`` and reads which of our
checks (``oai_*``) it reports; schemathesis' own checks are left alone (the seed
documents only 200, so they fail on correct 4xx answers).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from openai_conformance.spec._source import DEFAULT_SPEC  # noqa: F401 - the seed ships with the package

SEED_DOCUMENT = Path(__file__).parents[2] / "spec" / "data" / "openai-1.1.0.yaml"
KEY = "sk-schemathesis-secret-4242"
# Real model names, so that requests are answered 200 and the semantic checks apply;
# long streams are read to their end (schemathesis stops at 20 events by default).
CONFIG = """\
max-stream-events = {stream_events}

[[operations]]
include-operation-id = "createCompletion"
parameters = {{ "body.model" = "text-davinci-003"{completion} }}

[[operations]]
include-operation-id = "createEmbedding"
parameters = {{ "body.model" = "text-embedding-ada-002" }}
"""
OUR_FAILURE = re.compile(r"ST901 (oai_\w+):")

pytestmark = pytest.mark.slow


def schemathesis_run(
    base_url: str,
    folder: Path,
    *operations: str,
    mode: str = "positive",
    phases: str | None = None,
    examples: int = 30,
    completion: str = "",
    stream_events: int = 10000,
) -> str:
    """Run the schemathesis CLI with the extension; its whole output (stdout and stderr).

    ``completion`` adds body overrides to createCompletion's (TOML, e.g. ``, "body.stream" = true``).
    """
    config = CONFIG.format(completion=completion, stream_events=stream_events)
    (folder / "schemathesis.toml").write_text(config)
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(SEED_DOCUMENT),
        "--url",
        base_url,
        "-n",
        str(examples),
        "--seed",
        "1",
        "--mode",
        mode,
        "--generation-database",
        "none",
        "--continue-on-failure",
        "--no-color",
        "-H",
        f"Authorization: Bearer {KEY}",
    ]
    if phases:
        command += ["--phases", phases]
    for operation in operations:
        command += ["--include-operation-id", operation]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "openai_conformance.schemathesis", "NO_COLOR": "1"}
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=240)
    output = done.stdout + done.stderr
    assert "Seed:" in output, output[-3000:]  # the run itself happened (a hook error stops it first)
    return output


def our_failures(output: str) -> set[str]:
    return set(OUR_FAILURE.findall(output))


def test_semantic_faults_are_reported_under_our_check_names(server_factory, tmp_path: Path) -> None:
    server = server_factory(faults=["ignore_n", "embedding_wrong_dimension"])
    output = schemathesis_run(server.base_url, tmp_path, "createCompletion", "createEmbedding")
    assert {"oai_choices_count", "oai_embedding_count_order_dimension"} <= our_failures(output), output[-3000:]
    assert KEY not in output


STREAMED = ', "body.stream" = true'


@pytest.mark.parametrize(
    ("operations", "options"),
    [
        (("createCompletion", "createEmbedding"), {"mode": "all", "examples": 40}),
        (("createCompletion",), {"completion": STREAMED}),
        # A stream schemathesis stopped reading has no end to judge: no "missing [DONE]".
        (("createCompletion",), {"completion": STREAMED, "stream_events": 2}),
    ],
    ids=["both-modes", "streamed", "streams-cut-short"],
)
def test_a_correct_server_fails_none_of_our_checks(server_factory, tmp_path: Path, operations, options) -> None:
    server = server_factory()
    output = schemathesis_run(server.base_url, tmp_path, *operations, **options)
    assert our_failures(output) == set(), output[-3000:]
    assert KEY not in output


def test_streams_and_error_envelopes_are_checked(server_factory, tmp_path: Path) -> None:
    """The stream events are read from schemathesis' body; a 4xx without the envelope is named."""
    server = server_factory(faults=["stream_bad_json", "bare_errors"])
    output = schemathesis_run(server.base_url, tmp_path, "createCompletion", completion=STREAMED)
    assert {"oai_stream_format", "oai_error_envelope"} <= our_failures(output), output[-3000:]


def _flagged_bodies(output: str, check: str) -> list[str]:
    """The ``-d '...'`` body of each case schemathesis reports ``check`` failing on."""
    bodies = []
    for block in output.split("Test Case ID:")[1:]:
        if f"ST901 {check}:" in block:
            sent = re.search(r"curl .*?-d '(.*?)' http", block)
            bodies.append(sent.group(1) if sent else "")
    return bodies


def test_negative_cases_skip_the_semantic_checks(server_factory, tmp_path: Path) -> None:
    """As in a run of the suite: what an invalid request asked for (its n) says nothing.

    schemathesis' negative mode also sends cases it marks positive ("Positive test case"),
    which the semantic checks do judge: every choices_count failure is on a valid request.
    """
    import json

    from openai_conformance.spec import load_spec

    server = server_factory(faults=["ignore_n", "no_validation"])  # invalid requests answered 200
    # Fuzzing only: its examples and coverage phases send valid requests too, whatever --mode says.
    output = schemathesis_run(
        server.base_url, tmp_path, "createCompletion", mode="negative", examples=60, phases="fuzzing"
    )
    assert "oai_negative_rejected" in our_failures(output), output[-3000:]  # the convention checks did run
    seed = load_spec("openai-1.1.0")
    validator = seed.validator(seed.operation("createCompletion").request_body.content["application/json"].pointer)
    flagged = _flagged_bodies(output, "oai_choices_count")
    for body in flagged:
        sent = json.loads(body.replace("'\\''", "'"))
        # schemathesis masks values of secret-looking keys (max_tokens) in what it prints
        shown = {k: v for k, v in sent.items() if v != "[Filtered]"}
        assert validator.is_valid(shown), body
