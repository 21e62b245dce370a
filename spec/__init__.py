"""Stage one: load, normalize, index, lint and diff OpenAI OpenAPI documents.

Knows nothing of HTTP. Later stages read ``Spec`` and ``Operation`` values.
"""

from ._errors import SpecError, SpecErrorKind
from ._model import MediaType, OaiMeta, Operation, Parameter, RequestBody, Response
from ._source import DEFAULT_SPEC, shipped_specs
from ._spec import Spec, load_spec

__all__ = [
    "DEFAULT_SPEC",
    "MediaType",
    "OaiMeta",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "Spec",
    "SpecError",
    "SpecErrorKind",
    "load_spec",
    "shipped_specs",
]

# x-oaiMeta examples, curl examples and lint (appended; see docs/spec.md).
from ._curl import CurlParseError, CurlRequest, FileRef, parse_curl  # noqa: E402
from ._examples import ELIDED, Elided, ParsedExample, example_to_json, parse_example  # noqa: E402
from ._lint import LintFinding, lint  # noqa: E402
from ._oaimeta import ExampleText, operation_examples  # noqa: E402
from ._shape import ShapeDifference, example_shape_differences  # noqa: E402
from ._validate import example_errors, json_media  # noqa: E402

__all__ += [
    "ELIDED",
    "CurlParseError",
    "CurlRequest",
    "Elided",
    "ExampleText",
    "FileRef",
    "LintFinding",
    "ParsedExample",
    "ShapeDifference",
    "example_errors",
    "example_shape_differences",
    "example_to_json",
    "json_media",
    "lint",
    "operation_examples",
    "parse_curl",
    "parse_example",
]

# Errata overlay and Specs built in memory (appended).
from ._derive import spec_from_document  # noqa: E402
from ._errata import Erratum, apply_errata, errata_for  # noqa: E402

__all__ += ["Erratum", "apply_errata", "errata_for", "spec_from_document"]

# spec diff (appended).
from ._diff import Change, SpecDiff, diff_specs  # noqa: E402

__all__ += ["Change", "SpecDiff", "diff_specs"]
