"""Type aliases shared by the modules of ``spec/``."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
Document = dict[str, Any]
JSONPointer = str
