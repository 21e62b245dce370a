"""Optional stays optional: example_shape demands only what the response's schema requires."""

from __future__ import annotations

from typing import Any

import pytest

from openai_conformance.spec import example_shape_differences, load_spec, operation_examples, parse_example


def _example_and_schema(name: str, operation_id: str) -> tuple[Any, Any, Any]:
    spec = load_spec(name)
    op = spec.operation(operation_id)
    example = parse_example(operation_examples(op, "response")[0].text).value
    schema = op.responses["200"].content["application/json"].schema
    return spec, example, schema


def _without(value: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != key}


def test_the_seeds_model_permission_is_shown_but_never_demanded() -> None:
    spec, example, schema = _example_and_schema("openai-1.1.0", "retrieveModel")
    assert "permission" in example  # the example shows it; the Model schema does not define it
    actual = _without(example, "permission")
    assert example_shape_differences(example, actual)  # the example alone would demand it
    assert example_shape_differences(example, actual, schema=schema, resolve=spec.resolve) == []


def test_shutdown_date_of_2_3_0_may_be_absent_or_null_but_owned_by_is_required() -> None:
    spec, example, schema = _example_and_schema("openai-2.3.0-2026-08-21", "retrieveModel")
    assert isinstance(example["shutdown_date"], str)
    check = lambda actual: example_shape_differences(example, actual, schema=schema, resolve=spec.resolve)  # noqa: E731
    assert check(_without(example, "shutdown_date")) == []
    assert check({**example, "shutdown_date": None}) == []
    assert [d.pointer for d in check(_without(example, "owned_by"))] == ["/owned_by"]
    assert [d.pointer for d in check({**example, "created": "yesterday"})] == ["/created"]


def test_list_items_follow_the_item_schema() -> None:
    spec, example, schema = _example_and_schema("openai-2.3.0-2026-08-21", "listModels")
    actual = {**example, "data": [_without(m, "shutdown_date") for m in example["data"]]}
    assert example_shape_differences(example, actual, schema=schema, resolve=spec.resolve) == []
    actual["data"][1] = _without(actual["data"][1], "id")
    differences = example_shape_differences(example, actual, schema=schema, resolve=spec.resolve)
    assert [d.pointer for d in differences] == ["/data/1/id"]


@pytest.mark.parametrize("schema", [{"type": "object"}, {"type": "object", "additionalProperties": True}])
def test_an_empty_object_is_fine_where_the_schema_defines_no_keys(schema: dict[str, Any]) -> None:
    example = {"metadata": {"user": "abc", "n": 3}}
    wrapper = {"type": "object", "properties": {"metadata": schema}, "required": ["metadata"]}
    assert example_shape_differences(example, {"metadata": {}}, schema=wrapper) == []
    assert [d.got for d in example_shape_differences(example, {}, schema=wrapper)] == ["missing"]
