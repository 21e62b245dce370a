"""Multipart bodies: values to form parts (as curl ``-F`` sends them) and parts back to values.

Scalars become text parts, objects JSON text, arrays repeated parts; files stay
``FilePart``. ``decode_form`` reads parts back the way a server would, so a form
can be validated against the request schema (a file part reads as its filename).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._case import FilePart
from ._merge import flatten

if TYPE_CHECKING:
    from openai_conformance.spec import MediaType, Spec


def _scalar(value: Any) -> Any:
    if isinstance(value, (FilePart, str)):
        return value
    return json.dumps(value)  # numbers, booleans, objects


def encode_form(body: dict[str, Any]) -> dict[str, Any]:
    """Form fields for a body value: str, FilePart, or a list of them (repeated parts)."""
    out: dict[str, Any] = {}
    for name, value in body.items():
        if value is None:
            continue  # a form has no null; the compiler avoids drawing it
        if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
            out[name] = [_scalar(v) for v in value]
        else:
            out[name] = _scalar(value)
    return out


def curl_fields(form: dict[str, Any]) -> list[str] | None:
    """The ``-F`` arguments that make curl send ``form``; None when curl cannot send it as it was
    (curl gives every file part a Content-Type, so a part without one needs the raw body)."""
    out = []
    for name, values in form.items():
        for value in values if isinstance(values, list) else [values]:  # repeated parts
            if not isinstance(value, FilePart):
                out.append(f"{name}={value}")
            elif value.content_type is None:
                return None
            else:
                out.append(f"{name}=@{value.filename};type={value.content_type}")
    return out


def _part(value: Any) -> Any:
    return value.filename if isinstance(value, FilePart) else value


def _candidates(value: Any) -> list[Any]:
    """What a text part may have meant: itself, or the JSON it spells."""
    if isinstance(value, list):
        raw = [_part(v) for v in value]
        return [raw, [_loads(v) for v in raw]]
    raw = _part(value)
    return [raw, _loads(raw)]


def _loads(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def decode_form(spec: Spec, media: MediaType, form: dict[str, Any]) -> dict[str, Any]:
    """The JSON value a form stands for, reading each part as its schema types it."""
    schema = flatten(media.schema or {}, spec.resolve)
    properties = schema.get("properties") or {} if isinstance(schema, dict) else {}
    out: dict[str, Any] = {}
    for name, value in form.items():
        options = _candidates(value)
        sub = properties.get(name)
        if sub is None:
            out[name] = options[-1]
            continue
        validator = spec.validator_for(sub)
        # None fits (a negative case): read it as a server would, JSON first.
        out[name] = next((o for o in options if validator.is_valid(o)), options[-1])
    return out
