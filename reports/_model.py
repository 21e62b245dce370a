"""Reading the results document: load from disk, validate against its JSON Schema, type it.

Every report is rendered from a ``RunResult`` alone; a saved document is validated
once at the door and read into one, so the reporters may then trust its shape.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from openai_conformance.results import RunResult

from ._errors import ResultsInvalid

SCHEMA_RESOURCE = "schema/results.schema.json"


@lru_cache(maxsize=1)
def results_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the results document, format 1."""
    text = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(results_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_results(document: Any) -> None:
    """Raise ``ResultsInvalid`` (one line: where and what) unless ``document`` is a results document.

    Example: ``validate_results(json.loads(text))``. The first error by path is shown.
    """
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.path)))
    if errors:
        first = errors[0]
        where = "/" + "/".join(str(p) for p in first.path)
        message = first.message if len(first.message) <= 160 else first.message[:157] + "..."
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ResultsInvalid(f"not a results document: at {where}: {message}{more}")


def load_results(path: str | Path) -> RunResult:
    """Read and validate a saved results document, typed; every failure is one ``ResultsInvalid`` line."""
    return RunResult.from_document(load_document(path))


def load_document(path: str | Path) -> dict[str, Any]:
    """The saved results document as validated JSON, for what needs the file's own keys (``replay``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultsInvalid(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsInvalid(f"{path}: cannot read: {exc.__class__.__name__}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsInvalid(f"{path}: not JSON (line {exc.lineno}, column {exc.colno})") from None
    try:
        validate_results(document)
    except ResultsInvalid as exc:
        raise ResultsInvalid(f"{path}: {exc}") from None
    return document


def report_stem(result: RunResult) -> str:
    """File name stem after spec, target and start time: ``openai-1.1.0_127.0.0.1-54321_20261125T120000Z``."""
    url = urlsplit(result.target.base_url)
    target = url.hostname or "target"
    if url.port:
        target = f"{target}-{url.port}"
    started = re.sub(r"[-:]|\.\d+", "", result.run.started_at).replace("+0000", "Z")
    return "_".join(_safe(part) for part in (result.spec.name, target, started))


def _safe(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9.+-]+", "-", part).strip("-") or "x"
