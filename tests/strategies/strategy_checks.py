"""Property-test helpers of tests/strategies: validate a whole Case against its operation.

``violations(spec, op, case)`` lists (pointer, keyword) for every rule the request
breaks, reading it the way a server would: parameters by location, JSON bodies as
sent, multipart forms parsed back (a file part reads as its filename).
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema.exceptions import ValidationError

from openai_conformance.spec import Operation, Spec
from openai_conformance.strategies import Case, decode_form

_BAGS = {"path": "path_parameters", "query": "query", "header": "headers"}
_COMBINATORS = ("anyOf", "oneOf")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _pointer(prefix: str, error: ValidationError) -> list[str]:
    base = prefix + "".join(f"/{_escape(str(p))}" for p in error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        return [f"{base}/{_escape(n)}" for n in error.validator_value if n not in instance]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = set(error.schema.get("properties") or {})
        return [f"{base}/{_escape(n)}" for n in instance if n not in known]
    return [base]


def _keywords(error: ValidationError) -> set[str]:
    found = {str(error.validator)}
    if error.validator in _COMBINATORS:
        for sub in error.context or ():
            found |= _keywords(sub)
    return found


def _branch_misses(error: ValidationError) -> bool:
    """An error that only says "not this branch" (wrong type at the branch's root)."""
    return error.validator in ("type", "const", "enum") and not error.relative_path


def _deepest(error: ValidationError) -> list[ValidationError]:
    """For anyOf/oneOf, the errors of the branch the value was meant for (as a server's
    message would name them), found below the branches that the value's type rules out."""
    if error.validator not in _COMBINATORS or not error.context:
        return [error]
    inner = [e for e in error.context if not _branch_misses(e)]
    if not inner:
        return [error]
    return [d for e in inner for d in _deepest(e)]


def _schema_violations(validator: Any, value: Any, prefix: str) -> list[tuple[str, set[str]]]:
    return [
        (p, _keywords(d) | _keywords(e))
        for e in validator.iter_errors(value)
        for d in _deepest(e)
        for p in _pointer(prefix, d)
    ]


def _read_header(schema: Any, text: str) -> Any:
    """A header as a server reads it: arrays comma-separated, scalars as JSON if they parse."""
    types = schema.get("type") if isinstance(schema, dict) else None
    types = [types] if isinstance(types, str) else list(types or ())
    if "array" in types:
        return text.split(",") if text else []
    if "string" in types:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def body_value(spec: Spec, op: Operation, case: Case) -> Any:
    """The JSON value of the case's body as its schema sees it."""
    media = op.request_body.content[case.media_type]  # type: ignore[union-attr]
    if case.form is not None:
        return decode_form(spec, media, case.form)
    if case.raw_body is not None:
        return json.loads(case.raw_body)
    return case.json


def violations(spec: Spec, op: Operation, case: Case) -> list[tuple[str, set[str]]]:
    """(pointer, keywords) of each broken rule; [] for a valid request."""
    out: list[tuple[str, set[str]]] = []
    for p in op.parameters:
        if p.location not in _BAGS:
            continue
        where = "headers" if p.location == "header" else p.location
        bag = getattr(case, _BAGS[p.location])
        prefix = f"/{where}/{_escape(p.name)}"
        if p.name not in bag:
            if p.required:
                out.append((prefix, {"required"}))
            continue
        value = bag[p.name]
        if p.location == "header":
            value = _read_header(spec.resolve(p.schema), value)
        out += _schema_violations(spec.validator(p.pointer), value, prefix)
    assert "{" not in case.path, case.path
    body = op.request_body
    if case.media_type is None:
        if body is not None and body.required:
            out.append(("", {"required"}))
        return out
    if body is None or case.media_type not in body.content:
        return [*out, ("", {"content_type"})]
    media = body.content[case.media_type]
    if media.content_type.endswith("json"):
        try:
            value = body_value(spec, op, case)
        except ValueError:
            return [*out, ("", {"not_json"})]
    elif case.form is not None:
        value = body_value(spec, op, case)
    else:
        return out  # a raw body (text, binary): nothing to validate as JSON
    return out + _schema_violations(spec.validator(media.pointer), value, "")
