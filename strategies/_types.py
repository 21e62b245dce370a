"""Type aliases of ``strategies``."""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

Schema = Any  # a normalized JSON Schema node (dict or bool)
# A compiled generator: draws one value from ``Random`` at a nesting depth.
Gen = Callable[[Random, int], Any]
