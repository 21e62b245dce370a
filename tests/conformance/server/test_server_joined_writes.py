"""The server's transport joins the writes of one event-loop turn (a response's head and
body) into one send, keeps their order, and sends what is pending before it closes."""

from __future__ import annotations

import asyncio

import requests

from openai_conformance.server import serve_in_thread
from openai_conformance.server._coalesce import _JoinedWrites


class _Recorder:
    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return f"extra {name}"


def test_writes_of_one_turn_go_out_as_one_and_in_order() -> None:
    async def scenario() -> list[list[bytes]]:
        real = _Recorder()
        joined = _JoinedWrites(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        joined.write(b"HTTP/1.1 200 OK\r\n\r\n")
        joined.write(b"")
        joined.write(b"{}")
        seen = [list(real.sent)]  # nothing yet: the turn has not ended
        await asyncio.sleep(0)
        seen.append(list(real.sent))
        joined.write(b"next")
        joined.close()  # closing sends what is pending first
        seen.append(list(real.sent))
        assert real.closed and joined.get_extra_info("peername") == "extra peername"
        return seen

    before, after_turn, after_close = asyncio.run(scenario())
    assert before == []
    assert after_turn == [b"HTTP/1.1 200 OK\r\n\r\n{}"]
    assert after_close == [b"HTTP/1.1 200 OK\r\n\r\n{}", b"next"]


def test_keep_alive_and_streams_still_work_over_joined_writes(seed_spec) -> None:
    headers = {"Authorization": "Bearer sk-joined"}
    body = {"model": "text-davinci-003", "prompt": "Say", "max_tokens": 3, "stream": True}
    with serve_in_thread(spec=seed_spec) as server, requests.Session() as session:
        answers = [session.get(server.base_url + "/models", headers=headers, timeout=5) for _ in range(3)]
        stream = session.post(server.base_url + "/completions", json=body, headers=headers, timeout=5, stream=True)
        events = [line for line in stream.iter_lines() if line]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all(a.json()["object"] == "list" for a in answers)
    assert events[-1] == b"data: [DONE]" and len(events) >= 2
