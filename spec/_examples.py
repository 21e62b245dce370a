"""The pseudo-JSON of ``x-oaiMeta`` examples, parsed with elisions made explicit.

The documents write examples the way people do: trailing commas, ``...``,
``[...]``, ``{ ... }``, ``.... (1056 floats total for ada)``, comments. An
elision becomes the sentinel ``ELIDED`` where it stood: in a list it means
"more items like these", as a key of an object (``{ELIDED: ELIDED}``) "more
keys", as a value "any value". Nothing is guessed: text that still does not
parse is reported with its line and column, never half-read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


class Elided:
    """The one wildcard value that stands where an example elided something."""

    _instance: Elided | None = None

    def __new__(cls) -> Elided:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ELIDED"

    def __reduce__(self) -> str:
        return "ELIDED"  # pickles (and deep-copies) back to the singleton


ELIDED = Elided()


@dataclass(frozen=True)
class ParsedExample:
    """An example's value (with ``ELIDED`` wildcards) or why it could not be read."""

    value: Any
    error: str | None
    elisions: int

    @property
    def ok(self) -> bool:
        return self.error is None


class _Unparseable(Exception):
    def __init__(self, position: int, message: str) -> None:
        self.position = position
        super().__init__(message)


# One token at a time; order matters (an elision before a number, "..." before ".").
_TOKEN = re.compile(
    r"""
    (?P<space>(?:\s+|//[^\n]*|/\*.*?\*/|\#[^\n]*)+)
  | (?P<elision>(?:\.{3,}|…)(?:[ \t]*\([^)\n]*\))?)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[{}\[\]:,])
    """,
    re.VERBOSE | re.DOTALL,
)
_WORDS = {"true": True, "false": False, "null": None}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = self._tokenize(text)
        self.index = 0
        self.elisions = 0

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str, int]]:
        tokens = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise _Unparseable(position, f"unexpected character {text[position]!r}")
            kind = match.lastgroup or ""
            if kind != "space":
                tokens.append((kind, match.group(), position))
            position = match.end()
        tokens.append(("end", "", len(text)))
        return tokens

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.index]

    def take(self, expected: str | None = None) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        if expected is not None and token[1] != expected:
            raise _Unparseable(token[2], f"expected {expected!r}, found {_describe(token)}")
        self.index += 1
        return token

    def document(self) -> Any:
        value = self.value()
        token = self.peek()
        if token[0] != "end":
            raise _Unparseable(token[2], f"unexpected {_describe(token)} after the value")
        return value

    def value(self) -> Any:
        kind, text, position = self.take()
        if kind == "string":
            return json.loads(text, strict=False)
        if kind == "number":
            return json.loads(text)
        if kind == "word" and text in _WORDS:
            return _WORDS[text]
        if kind == "elision":
            self.elisions += 1
            return ELIDED
        if text == "{":
            return self.members()
        if text == "[":
            return self.items()
        raise _Unparseable(position, f"expected a value, found {_describe((kind, text, position))}")

    def members(self) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        while True:
            kind, text, position = self.peek()
            if text == "}":
                self.take()
                return out
            if kind == "elision":
                self.take()
                self.elisions += 1
                out[ELIDED] = ELIDED
            elif kind == "string":
                self.take()
                key = json.loads(text, strict=False)
                self.take(":")
                out[key] = self.value()
            else:
                raise _Unparseable(position, f"expected a key or '}}', found {_describe((kind, text, position))}")
            self._separator("}")

    def items(self) -> list[Any]:
        out: list[Any] = []
        while True:
            if self.peek()[1] == "]":
                self.take()
                return out
            out.append(self.value())
            self._separator("]")

    def _separator(self, closing: str) -> None:
        # A comma, or nothing before the closing bracket or an elision that
        # stands on its own line ("... (1056 floats)" often lacks its comma).
        kind, text, position = self.peek()
        if text == ",":
            self.take()
        elif text != closing and kind != "elision" and self.tokens[self.index - 1][0] != "elision":
            raise _Unparseable(position, f"expected ',' or {closing!r}, found {_describe((kind, text, position))}")


def _describe(token: tuple[str, str, int]) -> str:
    kind, text, _ = token
    if kind == "end":
        return "the end of the text"
    return repr(text if len(text) <= 20 else text[:20] + "...")


def _line_column(text: str, position: int) -> str:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return f"line {line}, column {column}"


def parse_example(text: str) -> ParsedExample:
    """Parse one pseudo-JSON example; never raises on bad text.

    Example: ``parse_example('[1, 2, ...]').value == [1, 2, ELIDED]``.
    A text that cannot be read gives ``value=None`` and ``error`` naming the
    line and column, so that callers report it instead of guessing.
    """
    try:
        parser = _Parser(text)
        value = parser.document()
    except _Unparseable as exc:
        return ParsedExample(None, f"{_line_column(text, exc.position)}: {exc}", 0)
    except (ValueError, RecursionError) as exc:  # a string with a bad escape, absurd nesting
        return ParsedExample(None, f"unreadable: {type(exc).__name__}", 0)
    return ParsedExample(value, None, parser.elisions)


def has_elisions(value: Any) -> bool:
    if value is ELIDED:
        return True
    if isinstance(value, dict):
        return any(k is ELIDED or has_elisions(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_elisions(v) for v in value)
    return False


def example_to_json(value: Any) -> Any:
    """A JSON-serialisable copy: each elision written back as ``"..."``."""
    if value is ELIDED:
        return "..."
    if isinstance(value, dict):
        return {("..." if k is ELIDED else k): example_to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [example_to_json(v) for v in value]
    return value
