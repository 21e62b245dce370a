"""Colour on a terminal: the verdict line and the bug headers, in plain ANSI codes.

``--color auto`` (the default) colours when the stream is a terminal, or when
``FORCE_COLOR`` is set (a CI log that renders ANSI), never when ``NO_COLOR`` is set
(no-color.org: any non-empty value; it wins over FORCE_COLOR); ``always`` and ``never`` decide alone.
"""

from __future__ import annotations

import os
from typing import TextIO

CHOICES = ("auto", "always", "never")
_CODES = {"red": "31", "green": "32", "yellow": "33", "bold": "1"}
# Colour of each verdict: green only for a verdict that lets a CI job pass clean.
VERDICT_COLOURS = {
    "conformant": "green",
    "nonconformant": "red",
    "unreachable": "red",
    "interrupted": "yellow",
    "incomplete": "yellow",
}


def wants_colour(choice: str, stream: TextIO) -> bool:
    """Whether output to ``stream`` gets colour under ``--color choice``."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return os.environ.get("TERM") != "dumb" and hasattr(stream, "isatty") and stream.isatty()


class Painter:
    """Wraps text in ANSI codes when on; off, every method returns its text unchanged."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def paint(self, text: str, *styles: str) -> str:
        if not self.on or not styles:
            return text
        return f"\033[{';'.join(_CODES[s] for s in styles)}m{text}\033[0m"

    def verdict(self, text: str, verdict: str) -> str:
        """The verdict line, bold in the verdict's colour."""
        return self.paint(text, "bold", VERDICT_COLOURS.get(verdict, "bold"))
