"""Server-sent events read as the WHATWG HTML standard says (section 9.2.6, "Interpreting an event stream").

Incremental: ``feed`` takes bytes as they arrive and returns the events they complete; ``close``
ends the stream, discarding an event that no blank line ended, as browsers and the SDK do.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_EOL = re.compile(r"\r\n|\r|\n")  # the standard's three line ends; str.splitlines knows more


@dataclass(frozen=True)
class SSEEvent:
    """One dispatched event: its type (``message`` when unnamed), its data, the last event id."""

    event: str
    data: str
    id: str | None = None


class SSEParser:
    """The standard's event-stream interpreter, fed in chunks of any size.

    ``retry`` is the last valid reconnection time, ``incomplete`` whether ``close`` dropped
    an unfinished event (data after the last blank line), ``comments`` how many comment lines came.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._buffer = ""
        self._started = False
        self._data: list[str] = []
        self._type = ""
        self._last_id: str | None = None
        self.retry: int | None = None
        self.incomplete = False
        self.comments = 0

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        return self._lines(self._decoder.decode(chunk), final=False)

    def close(self) -> list[SSEEvent]:
        events = self._lines(self._decoder.decode(b"", final=True), final=True)
        self.incomplete = bool(self._data) or bool(self._buffer)
        self._buffer, self._data = "", []
        return events

    def _lines(self, text: str, *, final: bool) -> list[SSEEvent]:
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")  # one BOM at the very start, not more
        text = self._buffer + text
        events: list[SSEEvent] = []
        pos = 0
        for match in _EOL.finditer(text):
            if match.group() == "\r" and match.end() == len(text) and not final:
                break  # the CR may be the first half of a CRLF that the next chunk ends
            event = self._line(text[pos : match.start()])
            if event is not None:
                events.append(event)
            pos = match.end()
        self._buffer = text[pos:]
        return events

    def _line(self, line: str) -> SSEEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            self.comments += 1
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._type = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry = int(value)
        return None

    def _dispatch(self) -> SSEEvent | None:
        data, kind = self._data, self._type or "message"
        self._data, self._type = [], ""
        if not data:
            return None  # the standard: an event with an empty data buffer is not dispatched
        return SSEEvent(kind, "\n".join(data), self._last_id)


def parse_events(body: bytes) -> list[SSEEvent]:
    """All the events of a complete stream."""
    parser = SSEParser()
    return parser.feed(body) + parser.close()
