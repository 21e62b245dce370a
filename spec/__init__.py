"""Stage one: load, normalize, index, lint and diff OpenAI OpenAPI documents.

Knows nothing of HTTP. Later stages read ``Spec`` and ``Operation`` values;
``docs/spec.md`` describes the examples, curl, errata, lint and diff parts.
"""

from ._api_rules import image_model, is_gpt_image_model
from ._cache import cache_folder
from ._curl import CurlParseError, CurlRequest, FileRef, parse_curl
from ._derive import spec_from_document
from ._diff import Change, SpecDiff, diff_specs
from ._errata import Erratum, apply_errata, errata_for
from ._errors import SpecError, SpecErrorKind
from ._examples import ELIDED, Elided, ParsedExample, example_to_json, has_elisions, parse_example
from ._lint import LintFinding, lint
from ._model import MediaType, OaiMeta, Operation, Parameter, RequestBody, Response
from ._oaimeta import ExampleText, operation_examples
from ._refs import escape as escape_token
from ._refs import join as join_pointer
from ._refs import lookup as lookup_pointer
from ._shape import ShapeDifference, example_shape_differences, json_type
from ._source import DEFAULT_SPEC, shipped_specs
from ._spec import Spec, load_spec
from ._types import type_set
from ._validate import example_errors, json_media

__all__ = [
    "cache_folder",
    "DEFAULT_SPEC",
    "ELIDED",
    "Change",
    "CurlParseError",
    "CurlRequest",
    "Elided",
    "Erratum",
    "ExampleText",
    "FileRef",
    "LintFinding",
    "MediaType",
    "OaiMeta",
    "Operation",
    "Parameter",
    "ParsedExample",
    "RequestBody",
    "Response",
    "ShapeDifference",
    "Spec",
    "SpecDiff",
    "SpecError",
    "SpecErrorKind",
    "apply_errata",
    "diff_specs",
    "errata_for",
    "example_errors",
    "example_shape_differences",
    "example_to_json",
    "has_elisions",
    "json_media",
    "escape_token",
    "join_pointer",
    "image_model",
    "is_gpt_image_model",
    "json_type",
    "lookup_pointer",
    "type_set",
    "lint",
    "load_spec",
    "operation_examples",
    "parse_curl",
    "parse_example",
    "shipped_specs",
    "spec_from_document",
]
