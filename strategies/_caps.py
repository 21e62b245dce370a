"""Budget caps: ceilings the runner sets so that a run against a paid API costs what it says.

Caps narrow the schema before anything is drawn (a lower ``maximum``, a shorter
``maxItems``, fewer ``enum`` sizes), so no draw is ever filtered out for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from ._errors import InvalidArgument
from ._merge import flatten
from ._types import Schema

# property name -> (Caps field, how it narrows). One table for every spec version.
CAPPED_PROPERTIES: dict[str, tuple[str, str]] = {
    "max_tokens": ("max_tokens", "maximum"),
    "max_completion_tokens": ("max_tokens", "maximum"),
    "max_output_tokens": ("max_tokens", "maximum"),
    "n": ("n", "maximum"),
    "best_of": ("best_of", "maximum"),
    "prompt": ("prompts", "maxItems"),
    "input": ("inputs", "maxItems"),
}
# On image operations (path has this segment) ``n`` is also capped by ``images``,
# and ``size`` by ``image_size``.
IMAGE_PATH_SEGMENT = "images"
IMAGE_CAPPED_PROPERTIES: dict[str, tuple[str, str]] = {"n": ("images", "maximum"), "size": ("image_size", "size")}
_SIZE = re.compile(r"^(\d+)x(\d+)$")


@dataclass(frozen=True)
class Caps:
    """Ceilings on what a request may ask for; ``None`` leaves a value as the spec allows.

    Example: ``from_operation(spec, op, caps=Caps(max_tokens=16, n=2))``.
    """

    max_tokens: int | None = None
    n: int | None = None
    best_of: int | None = None
    prompts: int | None = None
    inputs: int | None = None
    images: int | None = None
    image_size: str | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "image_size":
                if value is not None and not _SIZE.match(str(value)):
                    raise InvalidArgument(f"Caps image_size={value!r}: expected 'WIDTHxHEIGHT'")
            elif value is not None and (not isinstance(value, int) or value < 0):
                raise InvalidArgument(f"Caps {item.name}={value!r}: expected an integer >= 0")

    @classmethod
    def paid(cls) -> Caps:
        """Small defaults for a run against a paid API."""
        return cls(max_tokens=16, n=2, best_of=2, prompts=2, inputs=4, images=1, image_size="256x256")

    def limits(self, path: str) -> dict[str, list[tuple[str, Any]]]:
        """Property name -> [(how, limit)] that apply to the operation at ``path``."""
        tables = [CAPPED_PROPERTIES]
        if IMAGE_PATH_SEGMENT in path.strip("/").split("/"):
            tables.append(IMAGE_CAPPED_PROPERTIES)
        out: dict[str, list[tuple[str, Any]]] = {}
        for table in tables:
            for name, (field_name, how) in table.items():
                limit = getattr(self, field_name)
                if limit is not None:
                    out.setdefault(name, []).append((how, limit))
        return out


def _area(size: Any) -> int | None:
    match = _SIZE.match(size) if isinstance(size, str) else None
    return int(match[1]) * int(match[2]) if match else None


def narrow(schema: Schema, how: str, limit: Any, resolve: Callable[[Any], Any]) -> Schema | None:
    """``schema`` with its bound lowered to ``limit``; None when nothing is left but null.

    ``how``: ``maximum``, ``maxItems``, ``size`` (an enum of ``WxH``) or ``range``
    (``limit`` = (low, high), the values a real server accepts, kept within the schema).
    """
    schema = flatten(schema, resolve)
    if not isinstance(schema, dict):
        return schema
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            kept = [b for b in (narrow(b, how, limit, resolve) for b in schema[keyword]) if b is not None]
            if not kept:
                return None
            return {**schema, keyword: kept}
    types = schema.get("type")
    types = [types] if isinstance(types, str) else list(types or ())
    out = dict(schema)
    if how == "maximum" and ({"integer", "number"} & set(types)):
        if out.get("minimum", 0) > limit or out.get("exclusiveMinimum", -1) >= limit:
            return _null_only(out)
        out["maximum"] = min(out.get("maximum", limit), limit)
        if out.get("exclusiveMaximum", limit + 1) > limit:
            out.pop("exclusiveMaximum", None)  # the new maximum is the tighter bound
    elif how == "range" and ({"integer", "number"} & set(types)):
        low, high = (max(out.get("minimum", limit[0]), limit[0]), min(out.get("maximum", limit[1]), limit[1]))
        if low <= high:  # a range the schema rules out leaves the schema as it is
            out["minimum"], out["maximum"] = low, high
    elif how == "maxItems" and "array" in types:
        if out.get("minItems", 0) > limit:
            return _null_only(out)
        out["maxItems"] = min(out.get("maxItems", limit), limit)
    elif how == "size" and "string" in types:
        cap = _area(limit) or 0
        if "enum" in out:
            kept = [v for v in out["enum"] if v is None or (_area(v) or cap + 1) <= cap]
            if not [v for v in kept if v is not None]:
                return _null_only(out)
            out["enum"] = kept
        else:
            out["enum"] = [limit, None] if "null" in types else [limit]
    return out


def _null_only(schema: dict[str, Any]) -> Schema | None:
    types = schema.get("type")
    if isinstance(types, list) and "null" in types:
        return {"type": "null"}
    return None
