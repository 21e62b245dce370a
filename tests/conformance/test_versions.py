"""`run --spec A --spec B`: one target across versions, joined with the spec diff."""

from __future__ import annotations

import json
from pathlib import Path

from openai_conformance.cli import main


def test_run_across_two_versions_attributes_new_operations_to_the_change(tmp_path: Path) -> None:
    # chat_wrong_model breaks chat (new in 1.2.0) and embeddings (in both): only the
    # chat findings stand where the spec changed.
    code = main(
        [
            "run",
            "--spec",
            "openai-1.1.0",
            "--spec",
            "openai-1.2.0",
            "--max-examples",
            "3",
            "--modes",
            "positive",
            "--quiet",
            "--formats",
            "json",
            "--report-dir",
            str(tmp_path),
            "--fault",
            "chat_wrong_model",
        ]
    )
    summary = json.loads((tmp_path / "versions.json").read_text())
    assert code == 1
    assert [v["name"] for v in summary["versions"]] == ["openai-1.1.0", "openai-1.2.0"]
    statuses = {op["operation_id"]: op["statuses"] for op in summary["operations"]}
    assert statuses["createCompletion"] == ["passed", "passed"]
    assert statuses["createChatCompletion"] == ["absent", "failed"]
    assert statuses["createEmbedding"] == ["failed", "failed"]
    [step] = summary["steps"]
    blamed = {f["operation_id"] for f in step["findings_from_changes"]}
    assert blamed == {"createChatCompletion"}
    assert all(f["changes"] for f in step["findings_from_changes"])
    html = (tmp_path / "versions.html").read_text()
    assert "createChatCompletion" in html
    assert "| `createChatCompletion` | absent | failed |" in (tmp_path / "versions.md").read_text()
