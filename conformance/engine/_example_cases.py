"""The examples mode: every ``x-oaiMeta`` example request turned into ``Case``s.

The curl example is replayed as written; the ``parameters`` example too, and
then once per semantic variant (``n: 2``, ``echo: true``, a stop sequence...)
whose property the request schema has, so that every semantic check meets a
request that exercises it whatever the generated cases happened to draw.
Placeholders of the documents (``VAR_model_id``, example file ids) are swapped
for values the target knows: a model it lists, a file the run uploaded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from openai_conformance.strategies import Case, FilePart

from ._fixtures import fixture_for

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec
    from openai_conformance.strategies import Pools

# Example ids of the documents, by the pool that holds real ones.
_ID_SHAPES = {"file_ids": re.compile(r"^file-[A-Za-z0-9]{6,}$"), "fine_tune_ids": re.compile(r"^ft-[A-Za-z0-9]{6,}$")}
_PLACEHOLDER = re.compile(r"^VAR_\w+$")

# One change at a time to an example body, each for the semantic check it feeds.
SEMANTIC_VARIANTS: tuple[dict[str, Any], ...] = (
    {"n": 2},  # choices_count, choice_indices
    {"echo": True, "prompt": "Say this is a test"},  # echo_respected
    {"stop": [" ", "\n"]},  # stop_respected: a space is in any text of two words
    {"logprobs": 2},  # logprobs_shape
    {"max_tokens": 3},  # max_tokens_respected
    {"prompt": ["Say this is a test", "Say this is another test"]},  # choices_count per prompt
    {"input": ["first input", "second input", "third input"]},  # embeddings and moderations order
    {"n": 2, "response_format": "b64_json", "size": "256x256"},  # image_count_size_format
    {"stream": True},  # stream_format
    # The chat surface (2.x), one variant per check it feeds:
    {"max_completion_tokens": 3},  # finish_reason_consistent: cut by the budget
    {"stream": True, "stream_options": {"include_usage": True}},  # stream_usage, chat_stream_consistent
    {"logprobs": True, "top_logprobs": 2},  # chat_logprobs
    {
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "parameters": {
                        "type": "object",
                        "properties": {"city": {"type": "string"}},
                        "required": ["city"],
                        "additionalProperties": False,
                    },
                },
            }
        ],
        "tool_choice": "required",
    },  # tool_calls_valid, tool_choice_honoured
    {
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": "answer",
                "strict": True,
                "schema": {
                    "type": "object",
                    "properties": {"answer": {"type": "string"}},
                    "required": ["answer"],
                    "additionalProperties": False,
                },
            },
        }
    },  # structured_output
    # dimensions: a model that takes it (the examples' text-embedding-ada-002 does not)
    {"model": "text-embedding-3-small", "encoding_format": "base64", "dimensions": 256},  # embedding_base64
    {
        "model": "text-embedding-3-small",
        "encoding_format": "float",
        "dimensions": 256,
    },  # embedding_count_order_dimension
)


def example_cases(spec: Spec, operation: Operation, pools: Pools) -> list[Case]:
    """Every curl example, the parameters example and the valid semantic variants of one body.

    The variants change the ``parameters`` example (1.x) or, where there is none
    (2.x), the JSON body of the operation's first curl example.
    """
    cases = curl_cases(spec, operation, pools)
    body = _parameters_example(operation)
    if body is None:
        body = next((c.json for c in cases if isinstance(c.json, dict)), None)
        variants: tuple[dict[str, Any], ...] = SEMANTIC_VARIANTS
    else:
        body, variants = _substitute(body, pools), ({}, *SEMANTIC_VARIANTS)
    if body is None or "{" in operation.path:
        return cases
    validator = _body_validator(spec, operation)
    seen = [c.json for c in cases]
    for variant in variants:
        if not all(_has_property(spec, operation, key) for key in variant):
            continue
        candidate = {**body, **variant}
        if candidate in seen or (validator is not None and not validator.is_valid(candidate)):
            continue
        seen.append(candidate)
        mode = "example" if not variant else "example:" + "+".join(variant)
        cases.append(
            Case(
                operation.operation_id,
                operation.method,
                operation.path,
                mode=mode,
                query=dict(operation.fixed_query),
                media_type="application/json",
                json=candidate,
            )
        )
    return cases


def _parameters_example(operation: Operation) -> dict[str, Any] | None:
    from openai_conformance.spec import has_elisions, parse_example

    if operation.meta is None or not operation.meta.parameters or operation.request_body is None:
        return None
    if "application/json" not in operation.request_body.content:
        return None
    parsed = parse_example(operation.meta.parameters)
    if not parsed.ok or not isinstance(parsed.value, dict) or has_elisions(parsed.value):
        return None
    return parsed.value


def _body_validator(spec: Spec, operation: Operation) -> Any:
    media = operation.request_body.content["application/json"] if operation.request_body else None
    return spec.validator(media.pointer) if media is not None and media.pointer else None


def _has_property(spec: Spec, operation: Operation, name: str) -> bool:
    media = operation.request_body.content.get("application/json") if operation.request_body else None
    return media is not None and name in _properties(spec, media.schema)


def _properties(spec: Spec, schema: Any, depth: int = 0) -> set[str]:
    """The property names a body schema defines, through ``allOf`` (2.x requests compose them)."""
    schema = spec.resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return set()
    names = set(schema.get("properties") or {})
    for part in schema.get("allOf") or []:
        names |= _properties(spec, part, depth + 1)
    return names


def curl_cases(spec: Spec, operation: Operation, pools: Pools) -> list[Case]:
    """One case per curl example of the operation that reads as a request to send."""
    from openai_conformance.spec import operation_examples

    found = (curl_case(spec, operation, pools, e.text) for e in operation_examples(operation, "curl"))
    return [case for case in found if case is not None]


def curl_case(spec: Spec, operation: Operation, pools: Pools, source: str) -> Case | None:
    """One curl example as a case, or ``None`` when it does not read or elides its body."""
    from openai_conformance.spec import CurlParseError, parse_curl

    try:
        curl = parse_curl(source)
    except CurlParseError:
        return None
    path = curl.path
    if spec.base_path and path.startswith(spec.base_path):
        path = path[len(spec.base_path) :]
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
    from openai_conformance.spec import has_elisions

    if curl.json is not None and has_elisions(curl.json):
        return None  # an example with "..." in its body is no request to send
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
