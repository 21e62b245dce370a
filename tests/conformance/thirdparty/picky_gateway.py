"""A WSGI gateway of our own that refuses some valid requests with 400, as narrower validators do.

Unlike the others here: a WSGI app on wsgiref, forwarding the rest to an upstream (the reference
server) with requests. Each rule is (name, param, test of the JSON body, status, code): a body the
test accepts is refused in the OpenAI envelope naming ``param``; every other request goes up as it is.
"""

from __future__ import annotations

import contextlib
import json
import socketserver
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests

Rule = tuple[str, str, Callable[[dict[str, Any]], bool], int, "str | None"]


def _hot(body: dict[str, Any]) -> bool:
    return isinstance(body.get("temperature"), (int, float)) and body["temperature"] > 1


RULES: dict[str, Rule] = {
    # bugs: valid requests the API takes
    "hot": ("hot", "temperature", _hot, 400, None),
    "user": ("user", "user", lambda b: "user" in b, 400, None),
    "always": ("always", "input", lambda b: True, 400, None),
    # what the API itself answers to valid requests, on the same fraction of them: no bug of the target's
    "no_such_model": ("no_such_model", "model", lambda b: "user" in b, 404, "model_not_found"),
    "too_long": ("too_long", "prompt", _hot, 400, "context_length_exceeded"),
}
_HOP = {"host", "connection", "content-length", "transfer-encoding", "content-encoding", "keep-alive"}


class _Threaded(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:  # the tests read results, not logs
        pass


def _app(upstream: str, key: str, rules: list[Rule], refused: list[str]) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        try:
            body = json.loads(raw) if raw and "json" in environ.get("CONTENT_TYPE", "") else None
        except ValueError:
            body = None
        keyed = environ.get("HTTP_AUTHORIZATION") == f"Bearer {key}"  # the key first, as the API checks it
        for name, param, applies, status, code in rules:
            if keyed and isinstance(body, dict) and applies(body):
                refused.append(name)
                error = {"message": f"{param} is not supported here", "type": "invalid_request_error"}
                data = json.dumps({"error": {**error, "param": param, "code": code}}).encode()
                start_response(f"{status} Refused", [("Content-Type", "application/json")])
                return [data]
        headers = {k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")}
        headers = {k: v for k, v in headers.items() if k.lower() not in _HOP}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        query = f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else ""
        url = upstream + environ["PATH_INFO"].removeprefix("/v1") + query
        answer = requests.request(environ["REQUEST_METHOD"], url, data=raw, headers=headers, timeout=30)
        kept = [(k, v) for k, v in answer.headers.items() if k.lower() not in _HOP]
        start_response(f"{answer.status_code} {answer.reason}", kept)
        return [answer.content]

    return app


@contextlib.contextmanager
def serve(upstream: str, key: str, *bugs: str, refused: list[str] | None = None) -> Iterator[str]:
    """The gateway on 127.0.0.1 in a thread, in front of ``upstream`` (a ``.../v1`` URL); yields its own.

    Requests with ``key`` are held to the rules (others go up, to get their 401); ``refused`` gets
    the name of the rule behind each refusal.
    """
    rules = [RULES[b] for b in bugs]
    server = make_server(
        "127.0.0.1", 0, _app(upstream, key, rules, [] if refused is None else refused), _Threaded, _Quiet
    )
    thread = threading.Thread(target=server.serve_forever, name="picky-gateway", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
