"""The examples mode: every ``x-oaiMeta`` curl example turned into a ``Case``.

Placeholders of the documents (``VAR_model_id``, example file ids) are swapped
for values the target knows: a model it lists, a file the run uploaded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from strategies import Case, FilePart

from ._fixtures import fixture_for

if TYPE_CHECKING:
    from spec import Operation, Spec
    from strategies import Pools

# Example ids of the documents, by the pool that holds real ones.
_ID_SHAPES = {
    "file_ids": re.compile(r"^file-[A-Za-z0-9]{6,}$"),
    "fine_tune_ids": re.compile(r"^ft-[A-Za-z0-9]{6,}$"),
}
_PLACEHOLDER = re.compile(r"^VAR_\w+$")


def example_case(spec: Spec, operation: Operation, pools: Pools) -> Case | None:
    """The operation's curl example as a case, or ``None`` when it has none that reads."""
    from spec import CurlParseError, parse_curl

    source = (operation.meta.examples.get("curl") if operation.meta else None) or ""
    if not source:
        return None
    try:
        curl = parse_curl(source)
    except CurlParseError:
        return None
    path = curl.path
    if spec.base_path and path.startswith(spec.base_path):
        path = path[len(spec.base_path):]
    path = "/".join(_substitute(seg, pools) for seg in path.split("/"))
    form = None
    if curl.form is not None:
        form = {}
        for name, value in curl.form.items():
            if isinstance(value, str):
                form[name] = _substitute(value, pools)
            else:
                content_type, content = fixture_for(value.path)
                form[name] = FilePart(value.path.rsplit("/", 1)[-1], value.content_type or content_type, content)
    body = _substitute(curl.json, pools) if curl.json is not None else None
    media_type = "multipart/form-data" if form is not None else ("application/json" if body is not None else None)
    query: dict[str, Any] = dict(operation.fixed_query)
    if curl.query:
        query.update(dict(pair.split("=", 1) for pair in curl.query.split("&") if "=" in pair))
    return Case(
        operation_id=operation.operation_id,
        method=operation.method,
        path=path,
        mode="example",
        query=query,
        media_type=media_type,
        json=body,
        form=form,
    )


def _substitute(value: Any, pools: Pools) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, pools) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, pools) for v in value]
    if not isinstance(value, str):
        return value
    if _PLACEHOLDER.match(value) and pools.models:
        return pools.models[0]
    for pool_name, shape in _ID_SHAPES.items():
        pool = getattr(pools, pool_name)
        if shape.match(value) and pool and value not in pool:
            return pool[-1]
    return value
