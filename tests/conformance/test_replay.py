"""``openai-conformance replay``: a finding's request sent again, its check run again.

A run against the embedded server with ``--fault ignore_n`` finds ``choices_count``; replayed
(the same faulty server started again) the bug is still there (exit 1); replayed against a
correct server it is gone (exit 0). The kept case round-trips whole.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from openai_conformance.cli import main
from openai_conformance.engine._collect import CASE_KEPT, case_document, case_from_document
from openai_conformance.redact import Redactor
from openai_conformance.server import RunningServer
from openai_conformance.strategies import Case, FilePart

sys.path.insert(0, str(Path(__file__).parent / "thirdparty"))
from route_servers import KEY, serve  # noqa: E402 - the third-party servers' folder, added above


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ignore_n")
    code = main(
        [
            "run",
            "--fault",
            "ignore_n",
            "--operations",
            "createCompletion",
            "--max-examples",
            "3",
            "--modes",
            "positive",
            "--report-dir",
            str(folder),
            "--formats",
            "json",
            "--quiet",
        ]
    )
    assert code == 1
    return folder / "results.json"


def _findings(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text())["findings"]


def test_a_bug_replayed_on_the_same_faulty_server_is_still_there(faulty_run: Path, capsys: Any) -> None:
    first = _findings(faulty_run)[0]
    assert first["check"] == "choices_count"
    capsys.readouterr()
    assert main(["replay", str(faulty_run), first["id"]]) == 1
    assert "still there" in capsys.readouterr().out


def test_a_bug_replayed_by_fingerprint_sends_its_smallest_case(faulty_run: Path, capsys: Any) -> None:
    bug = _findings(faulty_run)[0]["fingerprint"]
    capsys.readouterr()
    assert main(["replay", str(faulty_run), bug]) == 1
    assert "for n=2:" in capsys.readouterr().out  # the shrunk case, not n: 107


def test_a_bug_replayed_on_a_correct_server_is_gone(
    faulty_run: Path, reference_server: RunningServer, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-replay-test")
    capsys.readouterr()
    assert (
        main(["replay", str(faulty_run), _findings(faulty_run)[0]["id"], "--base-url", reference_server.base_url]) == 0
    )
    assert "gone" in capsys.readouterr().out


def test_the_unknown_route_probe_replays_too(tmp_path: Path, capsys: Any) -> None:
    with serve(not_found="detail") as root:
        assert (
            main(
                [
                    "run",
                    "--spec",
                    "openai-1.1.0",
                    "--base-url",
                    root + "/v1",
                    "--api-key",
                    KEY,
                    "--operations",
                    "listModels",
                    "--modes",
                    "positive",
                    "--max-examples",
                    "1",
                    "--report-dir",
                    str(tmp_path),
                    "--formats",
                    "json",
                    "--quiet",
                ]
            )
            == 1
        )
        (probe,) = [f for f in _findings(tmp_path / "results.json") if f["check"] == "error_envelope"]
        assert main(["replay", str(tmp_path / "results.json"), probe["id"], "--api-key", KEY]) == 1
    with serve(not_found="envelope") as root:
        assert (
            main(["replay", str(tmp_path / "results.json"), probe["id"], "--api-key", KEY, "--base-url", root + "/v1"])
            == 0
        )
    assert "(run): gone" in capsys.readouterr().out


def test_a_finding_without_a_kept_case_is_refused_in_one_line(faulty_run: Path, tmp_path: Path, capsys: Any) -> None:
    document = json.loads(faulty_run.read_text())
    document["findings"][0]["request"]["case"] = None
    (tmp_path / "old.json").write_text(json.dumps(document))
    assert main(["replay", str(tmp_path / "old.json"), document["findings"][0]["id"]]) == 2
    assert "kept no case" in capsys.readouterr().err
    assert main(["replay", str(faulty_run), "f-9999"]) == 2


def test_a_kept_case_round_trips_whole_and_redacted() -> None:
    case = Case(
        "createFile",
        "POST",
        "/files",
        mode="example",
        query={"limit": 2},
        headers={"X-A": "b"},
        media_type="multipart/form-data",
        seed=7,
        form={
            "purpose": "fine-tune",
            "file": FilePart("a.jsonl", "application/jsonl", b"\x00{}\n"),
            "tags": ["x", "y"],
        },
    )
    kept = json.loads(json.dumps(case_document(case, Redactor(), "none")))
    assert kept["auth"] == "none" and case_from_document(kept) == case
    raw = Case("createCompletion", "POST", "/completions", raw_body=b"\xff not json", mode="negative:type")
    assert case_from_document(case_document(raw, Redactor())) == raw
    secret = Case("createCompletion", "POST", "/completions", json={"prompt": "sk-secret-value-123456"})
    assert "sk-secret-value-123456" not in json.dumps(case_document(secret, Redactor(["sk-secret-value-123456"])))
    big = Case("createEmbedding", "POST", "/embeddings", json={"input": "x" * CASE_KEPT})
    assert case_document(big, Redactor()) is None


def test_only_the_first_cases_of_a_bug_and_its_shrunk_ones_are_kept(faulty_run: Path) -> None:
    from dataclasses import replace

    from openai_conformance.engine._collect import CASES_PER_BUG, _thinned
    from openai_conformance.results import RunResult

    first = RunResult.from_document(json.loads(faulty_run.read_text())).findings[0]
    many = [replace(first, mode="positive")] * (CASES_PER_BUG + 3) + [replace(first, mode="shrink")]
    kept = [f.request["case"] is not None for f in _thinned(many)]
    assert kept == [True] * CASES_PER_BUG + [False] * 3 + [True]


def test_an_operation_that_accepted_nothing_is_replayed_as_one_valid_request(tmp_path: Path, capsys: Any) -> None:
    # positive_accepted is judged over a whole operation; its replay sends the last valid case
    code = main(
        [
            "run",
            "--fault",
            "reject_valid_searches",
            "--operations",
            "createSearch",
            "--max-examples",
            "3",
            "--modes",
            "positive",
            "--report-dir",
            str(tmp_path),
            "--formats",
            "json",
            "--quiet",
        ]
    )
    assert code == 1
    [finding] = [f for f in _findings(tmp_path / "results.json") if f["check"] == "positive_accepted"]
    capsys.readouterr()
    assert main(["replay", str(tmp_path / "results.json"), finding["id"]]) == 1
    assert "still there" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("check", "says"), [("differs_from_reference", "--compare-to"), ("file_roundtrip", "workflow of requests")]
)
def test_a_check_one_request_cannot_judge_says_how_to_see_it_again(
    faulty_run: Path, tmp_path: Path, check: str, says: str, capsys: Any
) -> None:
    document = json.loads(faulty_run.read_text())
    document["findings"][0]["check"] = check
    (tmp_path / "old.json").write_text(json.dumps(document))
    assert main(["replay", str(tmp_path / "old.json"), document["findings"][0]["id"]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
