"""Validating an example that has elisions against its schema, without false alarms.

An elided value, an object with "more keys", a list with "more items" cannot
be checked where the elision is: the errors that it alone causes (a missing
required key of an open object, anything inside an elided value, an ``anyOf``
branch that failed only there) are dropped; every other error is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._examples import ELIDED
from ._refs import escape

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from ._model import MediaType, Operation
    from ._spec import Spec

Path = tuple[Any, ...]


def json_media(operation: Operation, kind: str) -> MediaType | None:
    """The JSON body an example of ``kind`` ("response" or "parameters") shows."""
    if kind == "parameters":
        content = operation.request_body.content if operation.request_body else {}
    else:
        status = next(iter(operation.success_statuses), None)
        content = operation.responses[status].content if status else {}
    for content_type, media in content.items():
        if "json" in content_type and media.schema is not None:
            return media
    return None


def concrete(value: Any) -> tuple[Any, set[Path], set[Path]]:
    """``value`` with elisions taken out, the paths of elided values and of open objects."""
    wild: set[Path] = set()
    open_: set[Path] = set()

    def build(node: Any, path: Path) -> Any:
        if node is ELIDED:
            wild.add(path)
            return None
        if isinstance(node, dict):
            if ELIDED in node:
                open_.add(path)
            return {k: build(v, (*path, k)) for k, v in node.items() if k is not ELIDED}
        if isinstance(node, list):
            kept = [v for v in node if v is not ELIDED]
            return [build(v, (*path, i)) for i, v in enumerate(kept)]
        return node

    return build(value, ()), wild, open_


def _from_elision(error: ValidationError, wild: set[Path], open_: set[Path]) -> bool:
    path = tuple(error.absolute_path)
    if any(path[: len(w)] == w for w in wild):
        return True
    if error.validator == "required" and path in open_:
        return True
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0] if sub.schema_path else None, []).append(sub)
        return any(all(_from_elision(e, wild, open_) for e in errs) for errs in branches.values())
    return False


def example_errors(spec: Spec, pointer: str, value: Any) -> list[tuple[str, str]]:
    """(instance pointer, one-line message) of each real error of ``value`` against the schema."""
    instance, wild, open_ = concrete(value)
    out = []
    for error in spec.validator(pointer).iter_errors(instance):
        if _from_elision(error, wild, open_):
            continue
        where = "".join(f"/{escape(str(p))}" for p in error.absolute_path)
        out.append((where, one_line(error.message)))
    return sorted(out)


def one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
