"""``--model``: pinned models are what cases ask for (generated and examples), per kind; unpinned, the target's
listed models are preferred, never one whose name says it fails on purpose."""

from __future__ import annotations

from typing import Any

import pytest
from route_servers import KEY, MODELS, serve

from openai_conformance.cli import main
from openai_conformance.strategies import InvalidArgument, Pools
from openai_conformance.strategies._pools import model_kind

OPERATIONS = "listModels,createCompletion,createEmbedding,createModeration"
PATHS = {"/v1/completions": "completion", "/v1/embeddings": "embedding", "/v1/moderations": "moderation"}


def asked(tmp_path: Any, *models: str) -> dict[str, set[str]]:
    """Kind -> the models the run's requests asked for (the route server records every body)."""
    seen: list[tuple[str, Any]] = []
    with serve(seen=seen) as root:
        code = main(
            [
                "run",
                "--spec",
                "openai-1.1.0",
                "--base-url",
                root + "/v1",
                "--api-key",
                KEY,
                "--operations",
                OPERATIONS,
                "--modes",
                "positive,examples",
                "--max-examples",
                "6",
                "--report-dir",
                str(tmp_path),
                "--formats",
                "json",
                "--quiet",
                "--workers",
                "1",  # the same requests every time: with a pool, how many go out before a route is found gone varies
                *[f"--model={m}" for m in models],
            ]
        )
    assert code in (0, 1)
    out: dict[str, set[str]] = {}
    for path, model in seen:
        if path in PATHS and isinstance(model, str):
            out.setdefault(PATHS[path], set()).add(model)
    return out


def test_a_model_pinned_for_one_kind_is_the_only_one_that_kind_asks(tmp_path: Any) -> None:
    found = asked(tmp_path, "moderation=pinned-mod", "embedding=pinned-embed", "fallback-any")
    # A moderation's model is optional, and this server has no such route: after three answers of
    # "no such route" no more are sent, and those three may name none. Any that names one, names the pin.
    assert found.pop("moderation", {"pinned-mod"}) == {"pinned-mod"}
    assert found == {"embedding": {"pinned-embed"}, "completion": {"fallback-any"}}


def test_unpinned_cases_never_ask_a_model_named_to_fail(tmp_path: Any) -> None:
    found = asked(tmp_path)
    every = set().union(*found.values())
    assert "tp-fails-always" not in every and every & set(MODELS), found


@pytest.mark.parametrize("given", ["robot=gpt-4o", "chat="])
def test_a_bad_model_value_is_one_usage_line(given: str, capsys: Any) -> None:
    with pytest.raises(InvalidArgument):
        Pools().pin([given])
    assert main(["run", f"--model={given}", "--operations", "listModels", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--model=" in err


def test_kinds_follow_the_path() -> None:
    assert [
        model_kind(p)
        for p in ("/chat/completions", "/completions", "/embeddings", "/images/edits", "/moderations", "/files")
    ] == ["chat", "completion", "embedding", "image", "moderation", None]
    pools = Pools(models=["a"])
    pools.pin(["image=dall-e-2"])
    assert pools.models_for("/images/generations") == ["dall-e-2"] and pools.models_for("/embeddings") == ["a"]
