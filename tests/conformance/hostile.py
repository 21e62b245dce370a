"""A target that misbehaves on purpose, one named way, over raw sockets.

``GET .../models`` answers properly (so the runner sees a live target); every
other request gets the behaviour. Raw sockets, because a real HTTP framework
would not let us cut, stall or corrupt a response.
"""

from __future__ import annotations

import functools
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

MODELS = json.dumps(
    {"object": "list", "data": [{"id": "text-davinci-003", "object": "model", "created": 1, "owned_by": "openai"}]}
).encode()


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def hang(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait(30)


def reset(conn: socket.socket, stop: threading.Event) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def truncate(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": "1000"}) + b'{"id": "cmpl-')


def huge(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": str(200 * 1024 * 1024)}))
    block = b" " * 65536
    for _ in range(200 * 16):
        if stop.is_set():
            return
        conn.sendall(block)


def endless(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
    while not stop.is_set():
        conn.sendall(b"400\r\n" + b"[" * 1024 + b"\r\n")
        time.sleep(0.001)


def invalid_utf8(conn: socket.socket, stop: threading.Event) -> None:
    body = b'{"id": "\xff\xfe\xfd", "object": "text_completion"}'
    conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(body))}) + body)


def endless_stream(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(_head("200 OK", {"Content-Type": "text/event-stream", "Transfer-Encoding": "chunked"}))
    chunk = b'data: {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m", "choices": []}\n\n'
    while not stop.is_set():
        conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        time.sleep(0.05)


def deep_json(conn: socket.socket, stop: threading.Event) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(body))}) + body)


@functools.cache
def _gzip_bomb() -> bytes:
    """About 250 KB of gzip that inflates to 256 MiB of zeros, 16 times the body cap (made once)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    return b"".join([*(packer.compress(block) for _ in range(256)), packer.flush()])


def gzip_bomb(conn: socket.socket, stop: threading.Event) -> None:
    body = _gzip_bomb()
    head = {"Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": str(len(body))}
    conn.sendall(_head("200 OK", head) + body)


def huge_sse_line(conn: socket.socket, stop: threading.Event) -> None:
    """A 200 MB stream event without a newline: the whole stream is one line."""
    conn.sendall(
        _head("200 OK", {"Content-Type": "text/event-stream", "Content-Length": str(200 * 1024 * 1024 + 6)}) + b"data: "
    )
    block = b"a" * 65536
    for _ in range(200 * 16):
        if stop.is_set():
            return
        conn.sendall(block)


def slow_drip(conn: socket.socket, stop: threading.Event) -> None:
    """A complete head, then the body one byte a second: each read is quick, the whole is not."""
    body = b'{"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m", "choices": []}'
    conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(body))}))
    for byte in body:
        if stop.wait(1):
            return
        conn.sendall(bytes([byte]))


def slow_head(conn: socket.socket, stop: threading.Event) -> None:
    """The status line and headers themselves one byte a second."""
    for byte in _head("200 OK", {"Content-Type": "application/json", "X-Padding": "p" * 200}):
        if stop.wait(1):
            return
        conn.sendall(bytes([byte]))


def stall(conn: socket.socket, stop: threading.Event) -> None:
    """A Content-Length larger than what comes, and the connection kept open: a stall."""
    conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": "1000"}) + b'{"id": "cmpl-')
    stop.wait(30)


def bad_chunking(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(
        _head("200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}) + b"zz\r\n{}\r\n"
    )


def huge_error(conn: socket.socket, stop: threading.Event) -> None:
    """A 400 whose body is 100 MB of JSON string: an error the runner keeps must stay small."""
    size = 100 * 1024 * 1024
    conn.sendall(_head("400 Bad Request", {"Content-Type": "application/json", "Content-Length": str(size + 2)}) + b'"')
    block = b"e" * 65536
    for _ in range(size // 65536):
        if stop.is_set():
            return
        conn.sendall(block)
    conn.sendall(b'"')


def huge_stream(conn: socket.socket, stop: threading.Event) -> None:
    """Small valid events without end, chunked, as fast as the socket takes them."""
    conn.sendall(_head("200 OK", {"Content-Type": "text/event-stream", "Transfer-Encoding": "chunked"}))
    event = b'data: {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m", "choices": []}\n\n' * 600
    frame = f"{len(event):x}\r\n".encode() + event + b"\r\n"
    while not stop.is_set():
        conn.sendall(frame)


BEHAVIOURS: dict[str, Callable[[socket.socket, threading.Event], None]] = {
    "hang": hang,
    "reset": reset,
    "truncate": truncate,
    "huge": huge,
    "endless": endless,
    "invalid_utf8": invalid_utf8,
    "endless_stream": endless_stream,
    "deep_json": deep_json,
    "gzip_bomb": gzip_bomb,
    "huge_sse_line": huge_sse_line,
    "slow_drip": slow_drip,
    "slow_head": slow_head,
    "stall": stall,
    "bad_chunking": bad_chunking,
    "huge_error": huge_error,
    "huge_stream": huge_stream,
}


class HostileServer:
    def __init__(self, behaviour: Callable[[socket.socket, threading.Event], None], host: str = "127.0.0.1") -> None:
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.host, self.port = host, self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.requests: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            while not self.stop.is_set():
                request = self._read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
                if request.startswith(b"GET ") and b"/models " in request.split(b"\r\n", 1)[0]:
                    conn.sendall(
                        _head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(MODELS))})
                        + MODELS
                    )
                    continue
                self.behaviour(conn, self.stop)
                return
        except OSError:
            pass
        finally:
            conn.close()

    @staticmethod
    def _read_request(conn: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@contextmanager
def hostile(name: str, host: str = "127.0.0.1") -> Iterator[HostileServer]:
    if name == "gzip_bomb":
        _gzip_bomb()  # made before the first request, so that making it is not a slow answer
    server = HostileServer(BEHAVIOURS[name], host)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def redirecting(to: str) -> Iterator[HostileServer]:
    """Answers every POST with a redirect to another host."""

    def redirect(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(_head("307 Temporary Redirect", {"Location": to, "Content-Length": "0"}))

    server = HostileServer(redirect)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def dying_after(answers: int) -> Iterator[HostileServer]:
    """Answers ``answers`` POSTs with a small JSON body, then stops listening for good."""
    body = b'{"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m", "choices": []}'
    served = []

    def answer_then_die(conn: socket.socket, stop: threading.Event) -> None:
        served.append(1)
        conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(body))}) + body)
        if len(served) >= answers:
            server.close()

    server = HostileServer(answer_then_die)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def echoing_credentials() -> Iterator[HostileServer]:
    """Answers every POST with a 200 whose body repeats the request's Authorization header."""

    def echo(conn: socket.socket, stop: threading.Event) -> None:
        head = server.requests[-1].split(b"\r\n\r\n", 1)[0].decode("latin-1")
        auth = next(
            (line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("authorization:")),
            "",
        )
        body = json.dumps(
            {
                "id": auth,
                "object": "text_completion",
                "created": 1,
                "model": auth,
                "choices": [{"text": auth, "index": 0}],
            }
        ).encode()
        conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(body))}) + body)

    server = HostileServer(echo)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def closing_after_500() -> Iterator[HostileServer]:
    """Answers a POST to .../fail with a kept-alive 500, then drops that connection at its next request.

    Any other POST gets a small 200. This is the gateway that closes a connection
    after an error without saying so: the request that comes next is not to blame.
    """
    body = b'{"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m", "choices": []}'
    error = b'{"error": {"message": "boom", "type": "server_error", "param": null, "code": null}}'

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        if b"/fail " not in server.requests[-1].split(b"\r\n", 1)[0]:
            conn.sendall(
                _head(
                    "200 OK",
                    {"Content-Type": "application/json", "Content-Length": str(len(body)), "Connection": "close"},
                )
                + body
            )
            return
        conn.sendall(
            _head("500 Internal Server Error", {"Content-Type": "application/json", "Content-Length": str(len(error))})
            + error
        )
        following = HostileServer._read_request(conn)
        if following is not None:
            server.requests.append(following)  # seen, and never answered: the connection goes

    server = HostileServer(answer)
    try:
        yield server
    finally:
        server.close()
