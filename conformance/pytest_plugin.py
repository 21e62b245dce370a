"""The pytest plugin entry point. It imports nothing of the suite until used.

``pytest --oai-base-url URL`` collects one test item per operation and mode.
"""

from __future__ import annotations

from typing import Any


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("openai-conformance")
    group.addoption(
        "--oai-base-url",
        default=None,
        help="run OpenAI conformance against this base URL (e.g. http://127.0.0.1:8000/v1)",
    )
