"""The session against real misbehaving sockets: the total deadline, the caps, the retry, excerpts."""

from __future__ import annotations

import time

import pytest
from hostile import closing_after_500, echoing_credentials, hostile

from openai_conformance._errors import UsageError
from openai_conformance.engine._session import TargetSession, TransportError
from openai_conformance.engine._wire import MAX_DEPTH, nesting_over
from openai_conformance.strategies import Case

KEY = "sk-session-bounds-0123456789abcd"  # 31 characters


def post(path: str = "/completions", **body: object) -> Case:
    return Case("createCompletion", "POST", path, json={"model": "m", "prompt": "hi", **body})


@pytest.mark.parametrize("behaviour", ["slow_drip", "slow_head", "stall", "hang"])
def test_the_total_deadline_holds_while_bytes_trickle_in(behaviour: str) -> None:
    with hostile(behaviour) as server:
        session = TargetSession(server.base_url, api_key=KEY, timeout=2)
        started = time.monotonic()
        with pytest.raises(TransportError) as caught:
            session.send(post())
        elapsed = time.monotonic() - started
    assert caught.value.timed_out  # counts toward giving up on the target
    assert str(caught.value) == "response not complete within 2 s"
    assert 1.8 < elapsed < 3.5, elapsed


@pytest.mark.parametrize(
    ("behaviour", "said"),
    [
        ("huge", "response too large"),
        ("gzip_bomb", "response too large"),
        ("huge_error", "response too large"),
        ("deep_json", "too deeply nested"),
        ("bad_chunking", "cut short"),
        ("truncate", "cut short"),
    ],
)
def test_a_body_past_a_cap_is_named_for_what_it_is(behaviour: str, said: str) -> None:
    with hostile(behaviour) as server:
        session = TargetSession(server.base_url, api_key=KEY, timeout=5, max_body=4 * 1024 * 1024)
        with pytest.raises(TransportError, match=said) as caught:
            session.send(post())
    assert not caught.value.timed_out


@pytest.mark.parametrize(("max_body", "cap"), [(1024 * 1024, "bytes"), (64 * 1024 * 1024, "events")])
def test_a_stream_past_a_cap_ends_with_a_stream_error_and_few_events_kept(max_body: int, cap: str) -> None:
    with hostile("huge_stream") as server:
        session = TargetSession(server.base_url, api_key=KEY, timeout=10, max_body=max_body)
        _, response = session.send(post(stream=True))
    assert response.stream_error is not None and "too large" in response.stream_error
    assert response.stream_error.endswith(f"{cap} (cut)")
    kept = session.keepable(response)
    assert len(kept.content) <= 8192 and len(kept.events or []) == 50


def test_a_kept_alive_connection_closed_after_a_500_is_retried_once_on_a_fresh_one() -> None:
    with closing_after_500() as server:
        session = TargetSession(server.base_url, api_key=KEY, timeout=5)
        _, first = session.send(post("/fail"))
        _, second = session.send(post("/completions"))
    assert first.status == 500
    assert second.status == 200  # not "connection reset": the 500's close is not its fault
    assert session.counters.retries == 1 and session.counters.requests == 3
    assert len(server.requests) == 3  # the one the closed connection swallowed, then the retry


def test_a_failure_on_a_fresh_connection_is_not_retried() -> None:
    with hostile("reset") as server:
        session = TargetSession(server.base_url, api_key=KEY, timeout=5)
        with pytest.raises(TransportError, match="reset|closed"):
            session.send(post())
    assert session.counters.retries == 0 and len(server.requests) == 1


def test_an_echoed_key_across_the_cut_leaves_nothing_of_it() -> None:
    with echoing_credentials() as server:
        session = TargetSession(server.base_url, api_key=KEY)
    for shift in range(1, 31):
        body = ("x" * (2000 - shift) + KEY + "y" * 50).encode()
        excerpt = session.excerpt(body, "text")
        assert not any(KEY[i : i + 8] in excerpt for i in range(len(KEY) - 7)), shift
        assert len(excerpt) < 2100


def test_clip_redacts_before_cutting_any_text() -> None:
    session = TargetSession("http://127.0.0.1:9/v1", api_key=KEY)
    clipped = session.clip("a" * 490 + KEY, 500)
    assert KEY[:10] not in clipped and clipped.startswith("a" * 490)


def test_userinfo_in_the_base_url_is_refused() -> None:
    with pytest.raises(UsageError, match="credentials"):
        TargetSession("http://user:pw@127.0.0.1:9/v1")


def test_nesting_is_measured_outside_strings() -> None:
    assert nesting_over(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), MAX_DEPTH)
    assert not nesting_over(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, MAX_DEPTH)
    assert not nesting_over(b'{"a": "' + b"[" * 500 + b'", "b": [{}, [], {"c": [1]}]}', MAX_DEPTH)
