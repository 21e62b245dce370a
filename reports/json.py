"""The JSON report: the results document itself (format 1), pretty and with sorted keys.

Sorted keys and a trailing newline make two runs' files diff cleanly line by line.
"""

from __future__ import annotations

import json

from openai_conformance.results import RunResult


class JsonReporter:
    name = "json"
    extension = "json"

    def render(self, result: RunResult) -> str:
        return json.dumps(result.to_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
