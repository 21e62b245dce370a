"""The public face of ``spec``: every exported name exists, once."""

from __future__ import annotations

from openai_conformance import spec


def test_exports_exist_and_are_unique() -> None:
    assert len(set(spec.__all__)) == len(spec.__all__)
    missing = [name for name in spec.__all__ if not hasattr(spec, name)]
    assert missing == []
    for name in (
        "parse_example",
        "parse_curl",
        "lint",
        "apply_errata",
        "errata_for",
        "diff_specs",
        "example_shape_differences",
        "operation_examples",
        "spec_from_document",
    ):
        assert name in spec.__all__
