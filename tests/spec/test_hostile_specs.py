"""Hostile spec documents: foreign `$ref`s, unbounded fetches, alias bombs, unusable schemas, a bad cache.

Remote documents come from a real HTTP server on loopback (stdlib, in a
thread), the CLI runs in a subprocess: every refusal is one line and exit 2.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from hostile_specs import HEAD, ONE_OP, UNUSABLE, Served, billion_laughs, gzip_bomb, serving, unusable_text

from openai_conformance.spec import SpecError, SpecErrorKind, lint, load_spec
from openai_conformance.spec._cache import CACHE_FORMAT, cache_dir
from openai_conformance.spec._fetch import fetch


@pytest.fixture
def served() -> Iterator[Served]:
    with serving() as server:
        yield server


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_CONFORMANCE_SPEC_ALLOW_REFS", raising=False)
    return tmp_path / "cache"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openai_conformance", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def refused(result: subprocess.CompletedProcess[str], said: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], result.stderr


# -- 1. `$ref`s stay within the document's origin or folder --------------------------------


def test_a_remote_document_cannot_pull_in_a_local_file(served: Served, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("Thing: {type: string, enum: [the-secret]}\n")
    # Under a URL, an absolute path is a path of that origin: asked of it, never read from disk.
    with pytest.raises(SpecError, match="HTTP 404") as caught:
        load_spec(served.text("/spec.yaml", ONE_OP % f"{secret}#/Thing"))
    assert caught.value.kind is SpecErrorKind.FETCH and served.hits == ["/spec.yaml", str(secret)]
    with pytest.raises(SpecError, match="not of its origin") as caught:
        load_spec(served.text("/file.yaml", ONE_OP % f"file://{secret}#/Thing"))
    assert caught.value.kind is SpecErrorKind.REF_FORBIDDEN
    refused(cli("spec", "lint", served.url + "/file.yaml"), "$ref not allowed")


def test_a_remote_document_cannot_pull_in_another_origin(served: Served) -> None:
    with serving() as other:
        elsewhere = other.text("/common.yaml", "Thing: {type: string}\n")
        url = served.text("/spec.yaml", ONE_OP % f"{elsewhere}#/Thing")
        refused(cli("spec", "lint", url), "not of its origin")
        assert other.hits == []  # refused before anything is asked of the other origin
        allowed = cli("spec", "lint", url, env={"OPENAI_CONFORMANCE_SPEC_ALLOW_REFS": other.url})
        assert allowed.returncode == 0, allowed.stderr
        assert other.hits == ["/common.yaml"]


def test_a_remote_document_pulls_in_its_own_origin_but_not_through_a_redirect(served: Served) -> None:
    served.text("/common.yaml", "Thing: {type: string}\n")
    spec = load_spec(served.text("/spec.yaml", ONE_OP % "common.yaml#/Thing"))
    assert spec.operation("createThing").request_body is not None
    assert "/common.yaml" in served.hits

    def moved(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "http://192.0.2.1/evil.yaml")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    served.route("/moved.yaml", moved)
    with pytest.raises(SpecError, match="HTTP 302"):
        load_spec(served.text("/via.yaml", ONE_OP % "moved.yaml#/Thing"))
    assert "/evil.yaml" not in served.hits

    def to_spec(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(301)
        handler.send_header("Location", "/spec.yaml")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    # The document itself may move (a CDN, a raw link): its $refs resolve where it landed.
    assert load_spec(served.route("/old/spec.yaml", to_spec)).operations


def test_a_local_document_pulls_in_files_under_its_folder_only(tmp_path: Path) -> None:
    folder = tmp_path / "spec"
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "common.yaml").write_text("Thing: {type: string}\n")
    (tmp_path / "outside.yaml").write_text("Thing: {type: string}\n")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    inside = folder / "inside.yaml"
    inside.write_text(ONE_OP % "parts/common.yaml#/Thing")
    assert load_spec(str(inside)).operations
    for name, ref in (
        ("up", "../outside.yaml#/Thing"),
        ("abs", f"{tmp_path}/outside.yaml#/Thing"),
        ("link", "link.yaml#/Thing"),
        ("url", "http://127.0.0.1:9/x.yaml#/Thing"),
    ):
        path = folder / f"{name}-doc.yaml"
        path.write_text(ONE_OP % ref)
        with pytest.raises(SpecError, match="outside its folder") as caught:
            load_spec(str(path))
        assert caught.value.kind is SpecErrorKind.REF_FORBIDDEN
    assert load_spec(str(folder / "up-doc.yaml"), allow_refs=[str(tmp_path)]).operations
    refused(cli("spec", "lint", str(folder / "up-doc.yaml")), "outside its folder")


# -- 2. fetching is bounded: size, decompression, deadline -----------------------------------


def test_an_oversize_document_is_refused(served: Served) -> None:
    url = served.text("/big.yaml", b"#" * 5000)
    with pytest.raises(SpecError, match="over 4,096 bytes") as caught:
        fetch(url, max_bytes=4096)
    assert caught.value.kind is SpecErrorKind.TOO_LARGE


def test_a_cut_gzip_body_and_a_password_in_the_url_are_one_line_without_the_password(served: Served) -> None:
    url = served.text("/cut.yaml", gzip.compress(b"openapi: 3.0.0\n" * 1000)[:-40], **{"Content-Encoding": "gzip"})
    with pytest.raises(SpecError, match="ends before its end"):
        fetch(url)
    with pytest.raises(SpecError, match="HTTP 404") as caught:
        fetch(url.replace("http://", "http://user:hunter2@").replace("cut", "gone"))
    assert "hunter2" not in str(caught.value)


def test_a_gzip_bomb_is_cut_at_the_cap_and_costs_little(served: Served) -> None:
    url = served.text("/bomb.yaml", gzip_bomb(), **{"Content-Encoding": "gzip"})
    result = cli("spec", "lint", url)
    refused(result, "over 33,554,432 bytes")
    tracemalloc.start()
    try:
        with pytest.raises(SpecError, match="over 200,000 bytes"):  # ~100 KB on the wire: under the cap
            fetch(url, max_bytes=200_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # inflated up to the cap, never a whole piece's worth (64 MB)
    good = served.text(
        "/good.yaml",
        gzip.compress((ONE_OP % "#/components/x").encode() + b"components: {x: {}}\n"),
        **{"Content-Encoding": "gzip"},
    )
    assert load_spec(good).operations


@pytest.mark.parametrize("head_first", [True, False], ids=["slow-body", "slow-head"])
def test_a_slow_drip_ends_at_the_deadline(served: Served, head_first: bool) -> None:
    url = served.drip("/drip.yaml", head_first=head_first)
    started = time.monotonic()
    with pytest.raises(SpecError, match="not complete within 1 s"):
        fetch(url, deadline=1.0)
    assert time.monotonic() - started < 3


def test_an_endless_body_ends_at_the_cap(served: Served) -> None:
    url = served.endless("/endless.yaml")
    with pytest.raises(SpecError, match="over 1,048,576 bytes"):
        fetch(url, max_bytes=1024 * 1024)


# -- 3. alias bombs, absurd nesting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("bomb.yaml", billion_laughs(), "expands to over 1,000,000 nodes"),
        ("loop.yaml", HEAD + "paths: {}\nx: &x [*x]\n", "refers to a node that contains it"),
        (
            "deep.json",
            '{"openapi": "3.0.0", "paths": {}, "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "nests too deeply",
        ),
        ("deep.yaml", HEAD + "paths: {}\nx: " + "[" * 500 + "]" * 500 + "\n", "nests over 200 levels"),
    ],
    ids=["billion-laughs", "alias-loop", "deep-json", "deep-yaml"],
)
def test_documents_that_expand_or_nest_past_the_bounds_are_refused(
    tmp_path: Path, name: str, text: str, said: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert len(billion_laughs()) < 800  # the size of the bomb the issue measured (738 bytes)
    with pytest.raises(SpecError, match=said):
        load_spec(str(path))
    for command in (("spec", "lint", str(path)), ("run", "--spec", str(path), "--report-dir", str(tmp_path / "r"))):
        refused(cli(*command), said)
    assert not (tmp_path / "r").exists()


def test_the_bomb_is_refused_in_little_memory(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(billion_laughs())
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so it would be pytest's own peak.
    probe = (
        "import re, sys\nfrom openai_conformance.spec import load_spec\n"
        "try:\n    load_spec(sys.argv[1])\nexcept Exception as exc:\n    print(type(exc).__name__)\n"
        "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "bomb.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out[0] == "SpecError"
    assert int(out[1]) < 100 * 1024  # KB; 31 MB measured: it hung past 400 MB, growing, before the bound


# -- 4, 5. nothing to test; schemas no validator can use -------------------------------------


def unusable_doc(tmp_path: Path, case: str) -> Path:
    path = tmp_path / f"{case}.yaml"
    path.write_text(unusable_text(case))
    return path


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_lint_reports_unusable_schemas_as_errors_and_run_refuses_them(tmp_path: Path, case: str) -> None:
    path = unusable_doc(tmp_path, case)
    errors = [f for f in lint(load_spec(str(path))) if f.severity == "error"]
    assert [f.kind for f in errors] == [UNUSABLE[case][1]]
    result = cli("run", "--spec", str(path), "--report-dir", str(tmp_path / "r"))
    refused(result, "spec error: unusable schema")
    assert not (tmp_path / "r").exists()


def test_lint_exits_1_on_an_unusable_schema(tmp_path: Path) -> None:
    result = cli("spec", "lint", str(unusable_doc(tmp_path, "self-ref")), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["findings"][0]["kind"] == "schema_cycle"


def test_a_tree_that_recurses_through_items_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "tree.yaml"
    tree = "    Thing: {type: object, properties: {kids: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}\n"
    path.write_text(ONE_OP % "#/components/schemas/Thing" + "components:\n  schemas:\n" + tree)
    assert [f for f in lint(load_spec(str(path))) if f.severity == "error"] == []


def test_a_document_with_no_operations_is_nothing_to_test(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text(HEAD + "paths: {}\n")
    refused(cli("run", "--spec", str(tmp_path / "empty.yaml"), "--report-dir", str(tmp_path / "r")), "nothing to test")
    assert not (tmp_path / "r").exists()


# -- 6. the cache: every file's content in the key, a damaged entry rebuilt -------------------


def test_the_cache_sees_a_change_in_a_referenced_file(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text("Thing: {type: string}\n")
    (tmp_path / "main.yaml").write_text(ONE_OP % "common.yaml#/Thing")
    first = load_spec(str(tmp_path / "main.yaml"))
    assert load_spec(str(tmp_path / "main.yaml")).sha256 == first.sha256  # the entry is used again
    (tmp_path / "common.yaml").write_text("Thing: {type: integer}\n")
    second = load_spec(str(tmp_path / "main.yaml"))
    assert second.sha256 != first.sha256
    assert second.document["x-external"] != first.document["x-external"]
    assert "integer" in json.dumps(second.document["x-external"])


def test_the_same_text_at_two_urls_pulls_in_each_one_s_files(served: Served) -> None:
    # Both folders are of one origin, so the first entry's files stay allowed: only the key tells them apart.
    for name, kind in (("v1", "string"), ("v2", "integer")):
        served.text(f"/{name}/common.yaml", f"Thing: {{type: {kind}}}\n")
        served.text(f"/{name}/main.yaml", ONE_OP % "common.yaml#/Thing")
    v1, v2 = (load_spec(f"{served.url}/{name}/main.yaml") for name in ("v1", "v2"))
    assert "string" in json.dumps(v1.document["x-external"]) and "integer" in json.dumps(v2.document["x-external"])


@pytest.mark.parametrize(
    "damage",
    [b"not a pickle at all", pickle.dumps(["a", "list"]), b"cno_such_module\nThing\n.", None],
    ids=["garbage", "wrong-shape", "foreign-class", "truncated"],
)
def test_a_damaged_cache_entry_is_discarded_and_rebuilt(damage: bytes | None) -> None:
    spec = load_spec("openai-1.1.0")
    entries = list(cache_dir().glob(f"*-{CACHE_FORMAT}.pickle"))
    assert len(entries) == 1
    whole = entries[0].read_bytes()
    entries[0].write_bytes(whole[: len(whole) // 2] if damage is None else damage)
    again = load_spec("openai-1.1.0")
    assert again.sha256 == spec.sha256 and len(again.operations) == len(spec.operations)
    assert entries[0].read_bytes() == whole  # rebuilt and written back whole


def test_the_unusable_schemas_are_found_once_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = unusable_doc(tmp_path, "self-ref")
    first = load_spec(str(path)).problems
    assert [kind for kind, _, _ in first] == ["schema_cycle"]

    def again(document: object) -> tuple[()]:
        raise AssertionError("walked again: the cache entry should hold them")

    monkeypatch.setattr("openai_conformance.spec._spec.problems", again)
    assert load_spec(str(path)).problems == first
