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
