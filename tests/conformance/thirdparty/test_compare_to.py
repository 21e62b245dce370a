"""``run --compare-to``: a gateway of our own in front of the reference server, compared with it.

Passing everything through, the gateway differs in nothing, and every case it got was sent to
the reference too; dropping ``usage``, ``differs_from_reference`` finds it on both operations,
names it, and carries the reference's answer beside the target's.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gateway import Gateway, serve_gateway

from openai_conformance.cli import main
from openai_conformance.reports import validate_results
from openai_conformance.server import serve_in_thread
from openai_conformance.spec import load_spec

KEY = "sk-oc-gateway-test-key"  # the target's (test values, not secrets)
OTHER_KEY = "sk-oc-reference-only-key"
OPERATIONS = "createCompletion,createEmbedding"


class Counting:
    """ASGI middleware: the requests the upstream got, by Authorization header."""

    def __init__(self, app: Any) -> None:
        self.app, self.seen = app, Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            self.seen[headers.get(b"authorization", b"").decode()] += 1
        await self.app(scope, receive, send)


@contextlib.contextmanager
def counted_server(key: str) -> Iterator[tuple[str, Counting]]:
    """A reference server taking only ``key``, and what it was sent."""
    wrapped: list[Counting] = []

    def wrap(app: Any) -> Counting:
        wrapped.append(Counting(app))
        return wrapped[0]

    with serve_in_thread(spec=load_spec("openai-1.1.0"), api_keys=[key], wrap=wrap) as server:
        yield server.base_url, wrapped[0]


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[str, Counting]]:
    with counted_server(KEY) as served:
        yield served


@pytest.fixture
def gateway(upstream: tuple[str, Counting]) -> Iterator[tuple[str, Gateway]]:
    with serve_gateway(upstream[0]) as served:
        yield served


def run(tmp_path: Path, base_url: str, compare_to: str, *extra: str) -> tuple[int, dict[str, Any]]:
    report_dir = tmp_path / "reports"
    code = main(
        [
            "run",
            "--quiet",
            "--base-url",
            base_url,
            "--api-key",
            KEY,
            "--compare-to",
            compare_to,
            "--operations",
            OPERATIONS,
            "--max-examples",
            "3",
            "--no-shrink",
            "--report-dir",
            str(report_dir),
            "--formats",
            "json,html",
            *extra,
        ]
    )
    results = json.loads((report_dir / "results.json").read_text())
    validate_results(results)
    return code, results


def compared(results: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {
        o["operation_id"]: o["checks"]["differs_from_reference"]
        for o in results["operations"]
        if "differs_from_reference" in o["checks"]
    }


def test_a_gateway_passing_everything_through_differs_in_nothing(
    tmp_path: Path, upstream: tuple[str, Counting], gateway: tuple[str, Gateway]
) -> None:
    url, switch = gateway
    before = sum(upstream[1].seen.values())
    code, results = run(tmp_path, url, upstream[0])
    assert [(f["check"], f["operation_id"], f["message"]) for f in results["findings"]] == []
    assert results["errors"] == []
    assert (code, results["target"]["compare_to"]) == (0, upstream[0])
    verdicts = compared(results)
    assert set(verdicts) == {"createCompletion", "createEmbedding"}
    for operation in results["operations"]:
        if operation["operation_id"] in verdicts:  # every positive, negative and example case, compared once
            sent = sum(
                n for mode, n in operation["cases_by_mode"].items() if mode in ("positive", "negative", "example")
            )
            assert verdicts[operation["operation_id"]] == {"passed": sent, "failed": 0} and sent >= 6
    # The reference got each compared case and one reachability check; the auth probes went to the target only.
    direct = sum(upstream[1].seen.values()) - before - switch.forwarded
    assert direct == sum(v["passed"] for v in verdicts.values()) + 1


def test_a_gateway_dropping_usage_is_found_and_named(
    tmp_path: Path, upstream: tuple[str, Counting], gateway: tuple[str, Gateway]
) -> None:
    url, switch = gateway
    switch.drop = {"usage"}
    code, results = run(tmp_path, url, upstream[0])
    differs = [f for f in results["findings"] if f["check"] == "differs_from_reference"]
    assert code == 1
    assert {f["operation_id"] for f in differs if f["pointer"] == "/usage"} == {"createCompletion", "createEmbedding"}
    named = [f for f in differs if f["pointer"] == "/usage"]
    assert {f["message"] for f in named} == {"No 'usage' in the answer; the reference's has it"}
    # usage is required of an embedding, and in its x-oaiMeta example: those verdicts differ too; nothing else.
    others = {(f["operation_id"], f["message"]) for f in differs if f["pointer"] != "/usage"}
    assert others == {
        ("createEmbedding", f"{check} fails on the target and passes on the reference")
        for check in ("response_schema", "example_shape")
    }
    assert {(f["response"]["status"], f["reference"]["status"]) for f in named} == {(200, 200)}
    whole = min(named, key=lambda f: f["reference"]["body_size"])  # an excerpt that is the whole body
    assert whole["reference"]["body_size"] < 2000 and whole["response"]["body_size"] < 2000
    assert '"usage"' in whole["reference"]["body_excerpt"] and '"usage"' not in whole["response"]["body_excerpt"]
    html = (tmp_path / "reports" / "report.html").read_text()
    assert "Reference&#39;s response (--compare-to)" in html and "compared with" in html


def test_the_compare_key_goes_to_the_reference_only_and_is_never_written(
    tmp_path: Path, gateway: tuple[str, Gateway], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = gateway
    monkeypatch.setenv("OPENAI_CONFORMANCE_COMPARE_KEY", OTHER_KEY)
    with counted_server(OTHER_KEY) as (reference_url, reference):
        code, results = run(tmp_path, url, reference_url)
    assert (code, results["findings"]) == (0, [])  # a reference refusing the target's key would differ everywhere
    assert set(reference.seen) == {f"Bearer {OTHER_KEY}"}
    for written in (tmp_path / "reports").iterdir():
        text = written.read_text()
        assert KEY not in text and OTHER_KEY not in text, written.name


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--compare-to", "ftp://127.0.0.1/v1"], 2, "usage error: --compare-to: scheme 'ftp'"),
        (
            ["--compare-to", "http://127.0.0.1:{port}/v1"],
            3,
            "target unreachable: --compare-to http://127.0.0.1:{port}/v1: ",
        ),
    ],
    ids=["not http", "unreachable"],
)
def test_a_bad_compare_to_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    port = _closed_port()
    given = [a.format(port=port) for a in args]
    assert main(["run", "--quiet", "--operations", "listModels", "--report-dir", str(tmp_path), *given]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message.format(port=port) in err[0], err


def test_a_reference_refusing_the_key_stops_the_run_before_it_starts(
    tmp_path: Path, gateway: tuple[str, Gateway], capsys: pytest.CaptureFixture[str]
) -> None:
    with counted_server(OTHER_KEY) as (reference_url, reference):
        code = main(
            [
                "run",
                "--quiet",
                "--base-url",
                gateway[0],
                "--api-key",
                KEY,
                "--compare-to",
                reference_url,
                "--report-dir",
                str(tmp_path),
            ]
        )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "refused the key (401): give it its own with --compare-key" in err[0], err
    assert sum(reference.seen.values()) == 1 and not list(tmp_path.iterdir())  # one GET /models, no report


def test_the_compare_key_comes_from_the_environment_only_and_is_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "openai-conformance.toml"
    config.write_text(f'compare-to = "http://127.0.0.1:9/v1"\ncompare-key = "{OTHER_KEY}"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--print-config"]) == 2
    err = capsys.readouterr().err
    assert "compare-key is a secret: set it in the environment" in err and OTHER_KEY not in err
    config.write_text('compare-to = "http://127.0.0.1:9/v1"\n')
    monkeypatch.setenv("OPENAI_CONFORMANCE_COMPARE_KEY", OTHER_KEY)
    assert main(["run", "--print-config"]) == 0
    shown = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()}
    assert shown["compare-to"] == ["'http://127.0.0.1:9/v1'", "openai-conformance.toml"]
    assert shown["compare-key"] == ["'(set)'", "OPENAI_CONFORMANCE_COMPARE_KEY"]
