"""Results documents for the reports tests: a clean run, a failing run, a big run.

Each builder returns a fresh, schema-valid document (docs/results.md, format 1) with
every key the model writes, so a test may mutate what it gets; ``typed`` reads one as
the reporters take it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from typing import Any

from openai_conformance.reports import validate_results
from openai_conformance.results import RunResult

BASE_URL = "http://127.0.0.1:54321/v1"
SECRET = "sk-test-FACTORYSECRETKEY0123456789"  # never to appear in a rendered report

CHECKS = [
    ("response_schema", "spec", "Response bodies validate against the documented schema."),
    ("status_code", "spec", "The status code is documented for the operation."),
    ("content_type", "spec", "The Content-Type is documented for the status."),
    ("server_error", "convention", "No 5xx answers."),
    ("negative_rejected", "convention", "Invalid requests are rejected with 4xx."),
    ("error_envelope", "convention", "Errors are {error: {message, type, param, code}}."),
    ("stream_format", "convention", "stream: true answers data: events ended by [DONE]."),
    ("example_shape", "spec", "Responses have the shape of the x-oaiMeta example."),
    ("usage_arithmetic", "semantics", "total_tokens = prompt_tokens + completion_tokens."),
]


def fingerprint(check: str, operation_id: str, violation: str) -> str:
    return hashlib.sha256(f"{check}\0{operation_id}\0{violation}".encode()).hexdigest()


def operation(
    operation_id: str,
    method: str,
    path: str,
    *,
    status: str = "passed",
    checks: dict[str, tuple[int, int]] | None = None,
    skip_reason: str | None = None,
    cases: int = 10,
    latency: tuple[float, float] | None = (2.0, 6.0),
) -> dict[str, Any]:
    ran = status not in ("skipped", "not_implemented")
    checks = checks if checks is not None else {"response_schema": (cases // 2, 0), "status_code": (cases, 0)}
    return {
        "operation_id": operation_id,
        "method": method,
        "path": path,
        "tags": ["OpenAI"],
        "deprecated": skip_reason == "deprecated",
        "status": status,
        "skip_reason": skip_reason,
        "cases": cases if ran else 0,
        "cases_by_mode": {"positive": cases // 2, "negative": cases - cases // 2} if ran else {},
        "documented_statuses": ["200"],
        "statuses_seen": {"200": cases // 2, "400": cases - cases // 2} if ran else {},
        "latency_ms": {"p50": latency[0], "p95": latency[1], "max": latency[1] * 1.5} if ran and latency else None,
        "checks": {k: {"passed": p, "failed": f} for k, (p, f) in checks.items()} if ran else {},
        "properties_exercised": ["model", "prompt", "max_tokens"] if ran and method == "POST" else [],
        "negative_rules": ["required", "type"] if ran else [],
    }


def finding(
    index: int,
    check: str,
    operation_id: str,
    *,
    violation: str = "v",
    pointer: str = "",
    message: str | None = None,
    seed: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body = {"model": "text-davinci-003", "prompt": "Say this is a test", "max_tokens": 7}
    doc = {
        "id": f"f-{index:04d}",
        "fingerprint": fingerprint(check, operation_id, violation),
        "check": check,
        "operation_id": operation_id,
        "mode": "positive",
        "seed": 1000 + index if seed is None else seed,
        "rule": None,
        "message": message or f"{check} failed on {operation_id} at {pointer or 'the document'}",
        "expected": "Documented: integer",
        "got": 'Received: "1677858242" (string)',
        "pointer": pointer,
        "schema_pointer": "/components/schemas/CreateCompletionResponse/properties/created",
        "schema_excerpt": {"type": "integer"},
        "spec_bug": None,
        "request": {
            "method": "POST",
            "url": f"{BASE_URL}/completions",
            "headers": {"Authorization": "Bearer [REDACTED]", "Content-Type": "application/json"},
            "content_type": "application/json",
            "body_excerpt": json.dumps(body),
            "body_size": len(json.dumps(body)),
            "body_kind": "json",
        },
        "response": {
            "status": 200,
            "headers": {"content-type": "application/json"},
            "content_type": "application/json",
            "body_excerpt": '{"id": "cmpl-1", "object": "text_completion", "created": "1677858242"}',
            "body_size": 70,
            "body_kind": "json",
        },
        "curl": f"curl -X POST '{BASE_URL}/completions' -H 'Authorization: Bearer [REDACTED]' "
        f"-H 'Content-Type: application/json' -d '{json.dumps(body)}'",
        "transcript": None,
        "example_diff": None,
        "reference": None,
    }
    doc.update(extra)
    return doc


def _document(
    operations: list[dict[str, Any]], findings: list[dict[str, Any]], *, verdict: str, cases: int
) -> dict[str, Any]:
    return {
        "format": "openai-conformance/results",
        "format_version": 1,
        "suite": {"name": "openai-conformance", "version": "0.0.1-factory"},  # not this suite's: a re-render keeps it
        "spec": {
            "name": "openai-1.1.0",
            "title": "OpenAI API",
            "version": "1.1.0",
            "location": "openai-1.1.0",
            "sha256": hashlib.sha256(b"spec").hexdigest(),
            "strict": False,
            "errata": [],
        },
        "target": {"base_url": BASE_URL, "reference_server": True, "faults": [], "compare_to": None},
        "run": {
            "seed": 42,
            "started_at": "2026-11-25T12:00:00Z",
            "finished_at": "2026-11-25T12:00:02Z",
            "duration_s": 2.5,
            "modes": ["positive", "negative", "examples", "stateful"],
            "max_examples": 20,
            "interrupted": False,
            "verdict": verdict,
            "exit_code": 0 if verdict == "conformant" else 1,
            "refused": False,
        },
        "counters": {
            "cases": cases,
            "requests": cases,
            "rate_limited": 0,
            "retries": 0,
            "findings": len(findings),
            "not_implemented": 0,
        },
        "checks": [{"name": n, "description": d, "source": s} for n, s, d in CHECKS],
        "operations": operations,
        "findings": findings,
        "skipped": [
            {"operation_id": o["operation_id"], "reason": o["skip_reason"]}
            for o in operations
            if o["status"] == "skipped"
        ],
        "lint": [],
        "errors": [],
        "probes": [],
    }


def clean_run() -> dict[str, Any]:
    """A conformant run: three operations, every check passed, nothing found."""
    ops = [
        operation("listModels", "GET", "/models"),
        operation("createCompletion", "POST", "/completions", cases=20),
        operation("createEmbedding", "POST", "/embeddings"),
    ]
    return _document(ops, [], verdict="conformant", cases=40)


def failing_run() -> dict[str, Any]:
    """A nonconformant run: folded schema findings, a stream transcript, an example diff, skips, lint."""
    ops = [
        operation("listModels", "GET", "/models"),
        operation(
            "createCompletion",
            "POST",
            "/completions",
            status="failed",
            cases=20,
            latency=(12.0, 40.0),
            checks={
                "response_schema": (7, 4),
                "status_code": (20, 0),
                "stream_format": (1, 1),
                "usage_arithmetic": (10, 0),
            },
        ),
        operation(
            "createEmbedding",
            "POST",
            "/embeddings",
            status="failed",
            checks={"response_schema": (5, 0), "example_shape": (0, 1), "status_code": (10, 0)},
        ),
        operation("deleteModel", "DELETE", "/models/{model}", status="skipped", skip_reason="destructive"),
        operation("createEdit", "POST", "/edits", status="not_implemented", cases=3),
    ]
    findings = [
        finding(
            i,
            "response_schema",
            "createCompletion",
            violation="created-type",
            pointer="/created",
            message="created is not an integer",
            seed=7 + i,
        )
        for i in (1, 2, 3)
    ]
    findings.append(
        finding(
            4,
            "response_schema",
            "createCompletion",
            violation="choices-required",
            pointer="/choices",
            message="'choices' is a required property",
            expected="Documented: required property 'choices'",
            got="Received: missing",
        )
    )
    findings.append(
        finding(
            5,
            "stream_format",
            "createCompletion",
            violation="no-done",
            pointer="",
            message="stream ended without data: [DONE]",
            transcript=[
                'data: {"id": "cmpl-1", "choices": [{"text": "Hi"}]}',
                'data: {"id": "cmpl-1", "choices": [{"text": "!"}]}',
            ],
        )
    )
    findings.append(
        finding(
            6,
            "example_shape",
            "createEmbedding",
            violation="usage-missing",
            pointer="/usage",
            message="response lacks 'usage' that the example has",
            example_diff={
                "example": {"object": "list", "usage": {"prompt_tokens": 8}},
                "actual": {"object": "list"},
                "differences": [{"pointer": "/usage", "expected": "object", "got": "missing"}],
            },
        )
    )
    findings[-1]["response"] = None
    document = _document(ops, findings, verdict="nonconformant", cases=53)
    document["target"]["faults"] = ["created_as_string", "stream_without_done"]
    document["lint"] = [
        {
            "pointer": "/paths/~1completions/post/x-oaiMeta",
            "severity": "warning",
            "message": "example response is not valid JSON",
            "kind": "example_invalid",
        }
    ]
    return document


def big_run(
    cases: int = 10_000, findings: int = 1_000, operations: int = 25, distinct: int = 200, seed: int = 0
) -> dict[str, Any]:
    """A large run: ``cases`` cases over ``operations`` operations, ``findings`` findings
    folded into ``distinct`` fingerprints, with realistic body excerpts."""
    rng = random.Random(seed)
    checks = [name for name, _, _ in CHECKS]
    per_op = cases // operations
    ops = []
    for i in range(operations):
        chosen = rng.sample(checks, 6)
        ops.append(
            operation(
                f"operation{i:02d}",
                "POST",
                f"/things{i}",
                status="failed",
                cases=per_op,
                latency=(rng.uniform(1, 50), rng.uniform(50, 400)),
                checks={c: (per_op, rng.randint(1, 5)) for c in chosen},
            )
        )
    found = []
    for i in range(findings):
        op = ops[i % operations]
        check = sorted(op["checks"])[(i // operations) % len(op["checks"])]
        violation = str(i % distinct)
        f = finding(
            i + 1,
            check,
            op["operation_id"],
            violation=violation,
            pointer=f"/choices/{i % 7}/text",
            message=f"violation {violation} of {check}",
        )
        f["response"]["body_excerpt"] = json.dumps(
            {"id": f"cmpl-{i}", "choices": [{"text": "lorem ipsum " * 20, "index": k} for k in range(3)]}
        )
        found.append(f)
    return _document(ops, found, verdict="nonconformant", cases=cases)


def with_secret(document: dict[str, Any]) -> dict[str, Any]:
    """A copy in which the runner forgot to redact: the key sits in a header and in the curl line."""
    document = copy.deepcopy(document)
    for f in document["findings"]:
        f["request"]["headers"]["Authorization"] = f"Bearer {SECRET}"
        f["curl"] = f["curl"].replace("[REDACTED]", SECRET)
    return document


def typed(document: dict[str, Any]) -> RunResult:
    """``document`` (validated) as the reporters take it: the way ``load_results`` reads a saved file."""
    validate_results(document)
    return RunResult.from_document(document)
