"""The SSE parser against the WHATWG standard's own examples (HTML, 9.2.6) and its line rules."""

from __future__ import annotations

import pytest

from openai_conformance.checks._sse import SSEEvent, SSEParser, parse_events

# The standard's examples, verbatim, with what it says they fire.
WHATWG_EXAMPLES = [
    pytest.param(b"data: YHOO\ndata: +2\ndata: 10\n\n", [SSEEvent("message", "YHOO\n+2\n10")], id="stock-ticker"),
    pytest.param(
        b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n",
        [SSEEvent("message", "first event", "1"), SSEEvent("message", "second event", "")],
        id="comment-id-reset-undispatched-last",
    ),
    pytest.param(
        b"data\n\ndata\ndata\n\ndata:",
        [SSEEvent("message", ""), SSEEvent("message", "\n")],
        id="empty-data-and-discarded-tail",
    ),
    pytest.param(b"data:test\n\ndata: test\n\n", [SSEEvent("message", "test")] * 2, id="one-space-removed"),
    pytest.param(
        b"event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n",
        [SSEEvent("add", "73857293"), SSEEvent("remove", "2153"), SSEEvent("add", "113411")],
        id="named-events",
    ),
]


@pytest.mark.parametrize(("stream", "expected"), WHATWG_EXAMPLES)
def test_whatwg_examples(stream: bytes, expected: list[SSEEvent]) -> None:
    assert parse_events(stream) == expected


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_every_line_end_the_standard_allows(eol: bytes) -> None:
    stream = eol.join([b"event: x", b"data: a", b"data: b", b"", b"data: c", b"", b""])
    assert parse_events(stream) == [SSEEvent("x", "a\nb"), SSEEvent("message", "c")]


def test_chunks_of_one_byte_give_the_same_events() -> None:
    """A CRLF, a multi-byte character and a field name split across reads change nothing."""
    stream = "\ufeffdata: h\u00e9llo \u2603\r\nid: 7\r\n\r\nevent: done\r\ndata: [DONE]\r\n\r\n".encode()
    parser = SSEParser()
    events = [e for i in range(len(stream)) for e in parser.feed(stream[i : i + 1])] + parser.close()
    assert events == [SSEEvent("message", "h\u00e9llo \u2603", "7"), SSEEvent("done", "[DONE]", "7")]
    assert not parser.incomplete


def test_only_one_leading_bom_is_dropped() -> None:
    # A second BOM makes the field name "\ufeffdata", which is no field: ignored.
    assert parse_events(b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n") == [SSEEvent("message", "y")]


def test_retry_comments_and_unknown_fields() -> None:
    parser = SSEParser()
    events = parser.feed(b"retry: 1500\nretry: 2x\n: keep-alive\nfoo: bar\ndata: z\n\n") + parser.close()
    assert events == [SSEEvent("message", "z")]
    assert parser.retry == 1500
    assert parser.comments == 1


def test_id_with_null_is_ignored_and_id_persists() -> None:
    events = parse_events(b"id: a\ndata: 1\n\nid: b\0c\ndata: 2\n\n")
    assert [e.id for e in events] == ["a", "a"]


def test_unterminated_event_is_dropped_and_said() -> None:
    parser = SSEParser()
    events = parser.feed(b"data: {}\n\ndata: [DONE]") + parser.close()
    assert events == [SSEEvent("message", "{}")]
    assert parser.incomplete


def test_other_unicode_line_breaks_are_data() -> None:
    """The standard splits on CR and LF only; str.splitlines would also split on U+2028."""
    assert parse_events("data: a\u2028b\x0bc\n\n".encode()) == [SSEEvent("message", "a\u2028b\x0bc")]
