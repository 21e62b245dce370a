"""``InvalidArgument``: the one error ``strategies`` raises, for bad input or an impossible request.

hypothesis.errors.InvalidArgument
 └── strategies.InvalidArgument   (bad mode/caps, nothing to break, unsatisfiable schema)
"""

from __future__ import annotations

from hypothesis.errors import InvalidArgument as _HypothesisInvalidArgument


class InvalidArgument(_HypothesisInvalidArgument):
    """A strategy cannot be built or drawn as asked; the message names the value."""
