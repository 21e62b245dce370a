"""Stage two: a Hypothesis strategy of whole requests for every operation of a spec.

``from_operation(spec, op)`` yields ``Case`` values, positive (valid against the
request schema) or negative (breaking one named rule); ``draw_cases`` draws many
reproducibly and fast. Budget caps and id pools are part of the strategy.
"""

from ._caps import Caps
from ._case import Case, FilePart, NegativeRule
from ._errors import InvalidArgument
from ._form import curl_fields, decode_form, encode_form
from ._home import keep_hypothesis_files_in_the_cache
from ._pools import POOLED_NAMES, Pools
from ._relations import related_names
from ._strategy import CaseStrategy, draw_case, draw_cases, from_operation, has_negative_cases

__all__ = [
    "POOLED_NAMES",
    "Caps",
    "Case",
    "CaseStrategy",
    "FilePart",
    "InvalidArgument",
    "NegativeRule",
    "Pools",
    "curl_fields",
    "decode_form",
    "draw_case",
    "draw_cases",
    "encode_form",
    "from_operation",
    "keep_hypothesis_files_in_the_cache",
    "has_negative_cases",
    "related_names",
]
