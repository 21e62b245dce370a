"""``REPORTERS``: the one registry of report formats, name -> reporter.

A reporter is any object with ``name``, ``extension`` and ``render(result)``;
registration refuses duplicates so that two modules cannot fight over a name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

from openai_conformance.results import RunResult

from ._errors import UnknownFormat


class Reporter(Protocol):
    """Renders a (validated, scrubbed) run's result into one file's content."""

    name: str
    extension: str  # without the dot: "html"

    def render(self, result: RunResult) -> str | bytes: ...


class Registry(Mapping[str, Reporter]):
    """A read-only mapping filled by ``register``; unknown names raise ``UnknownFormat``."""

    def __init__(self) -> None:
        self._items: dict[str, Reporter] = {}

    def register(self, reporter: Reporter) -> Reporter:
        if not reporter.name or reporter.name in self._items:
            raise ValueError(f"reporter name={reporter.name!r} is empty or already registered")
        self._items[reporter.name] = reporter
        return reporter

    def __getitem__(self, name: str) -> Reporter:
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(self._items)
            raise UnknownFormat(f"unknown report format {name!r} (known: {known})") from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


REPORTERS = Registry()
"""Report formats by name: ``html``, ``json``, ``junit``, ``markdown``."""
