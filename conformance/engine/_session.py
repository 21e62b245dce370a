"""The target session: how a ``Case`` goes over the wire and what is read back.

Owns auth, timeouts (connect, read, and a total deadline per request), caps on
body size, redirect refusal (a redirect must not carry the key elsewhere),
rate-limit waits, the request budget and redaction of the key everywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shlex
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from urllib3.filepost import encode_multipart_formdata

from openai_conformance.strategies import curl_fields

from .._errors import ConformanceToolError, UsageError
from ..checks._base import Response
from ..checks._sse import SSEParser
from ..redact import Redactor
from ._wire import Deadline, TransportError, chunks, describe, failure, new_http, parse_json, read_body

if TYPE_CHECKING:
    from openai_conformance.strategies import Case

USE_KEY = object()  # sentinel: send the session's key
MAX_BODY = 16 * 1024 * 1024
EXCERPT = 2000
# Far past a real stream (a token an event) and small in memory: each event is a str and a dict.
MAX_EVENTS = 20_000
KEEP = 8 * 1024  # what the runner may hold of one answer for the whole run
__all__ = ["BudgetExhausted", "TargetSession", "TransportError"]


class BudgetExhausted(ConformanceToolError):
    label = "budget"


@dataclass
class Counters:
    requests: int = 0
    rate_limited: int = 0
    retries: int = 0
    cleanup: int = 0  # sent outside the budget (deleting what the run made), counted all the same


@dataclass
class Prepared:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    body_kind: str  # "json", "multipart", "text", "binary", "none"


@dataclass
class TargetSession:
    base_url: str
    api_key: str | None = None
    timeout: float = 10.0
    max_requests: int | None = None
    max_time: float | None = None  # seconds from now: no request starts after them (--max-time)
    max_body: int = MAX_BODY
    rate_limit_wait: float = 30.0  # the most one 429 may make us wait
    counters: Counters = field(default_factory=Counters)
    extra_headers: dict[str, str] = field(default_factory=dict)  # --header: sent on every request

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if urlsplit(self.base_url).username is not None or "@" in urlsplit(self.base_url).netloc:
            # Basic auth would replace the Bearer key and void the "no key" probes.
            raise UsageError("the base URL carries credentials (user:password@): pass the key with --api-key")
        # A gateway's own header may carry a secret: its value is redacted like the key.
        self.redactor = Redactor([self.api_key, *_url_secrets(self.base_url), *self.extra_headers.values()])
        self._local = threading.local()  # one keep-alive session per worker thread
        self._lock = threading.Lock()
        self.stopping = threading.Event()  # set on Ctrl-C: worker threads stop waiting
        self._ends_at = None if self.max_time is None else time.monotonic() + self.max_time

    @property
    def http(self) -> requests.Session:
        """This thread's session: requests does not promise that one is safe to share."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = new_http()
            self._local.answered = False  # nothing kept alive yet
        return session

    def _fresh_http(self) -> requests.Session:
        """Drop this thread's kept-alive connections: the next request opens a new one."""
        self.http.close()
        self._local.session = None
        return self.http

    def prepare(self, case: Case, *, auth: Any = USE_KEY) -> Prepared:
        headers = {"User-Agent": "openai-conformance"}
        key = self.api_key if auth is USE_KEY else auth
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        headers.update(self.extra_headers)
        headers.update(case.headers)
        body, kind = None, "none"
        if case.raw_body is not None:
            body, kind = case.raw_body, "text"
            if case.media_type:
                headers["Content-Type"] = case.media_type
        elif case.form is not None:
            fields = [
                (name, (v.filename, v.content, v.content_type) if hasattr(v, "filename") else str(v))
                for name, values in case.form.items()
                for v in (values if isinstance(values, list) else [values])  # repeated parts
            ]
            body, content_type = encode_multipart_formdata(fields, boundary=_boundary(fields))
            headers["Content-Type"] = content_type
            kind = "multipart"
        elif case.json is not None or case.media_type == "application/json":
            body, kind = json.dumps(case.json).encode(), "json"
            headers["Content-Type"] = case.media_type or "application/json"
        query = [(name, _query_value(v)) for k, value in case.query.items() for name, v in _deep(k, value)]
        url = self.base_url + case.path + (f"?{urlencode(query, doseq=True)}" if query else "")
        return Prepared(case.method, url, headers, body, kind)

    def send(self, case: Case, *, auth: Any = USE_KEY, budgeted: bool = True) -> tuple[Prepared, Response]:
        """Send, waiting out 429s; raises ``TransportError`` when nothing usable came back.

        ``budgeted=False`` is for cleanup: deleting what the run created must not be
        refused because the run spent its ``max_requests``.
        """
        prepared = self.prepare(case, auth=auth)
        for attempt in range(6):
            response = self._send_once(prepared, stream=case.streams, budgeted=budgeted)
            if response.status != 429 or attempt == 5:
                return prepared, response
            with self._lock:
                self.counters.rate_limited += 1
                self.counters.retries += 1
            wait = _retry_after(response.headers, attempt, self.rate_limit_wait)
            if self._ends_at is not None:  # --max-time: no waiting out a 429 past the end
                wait = min(wait, max(0.0, self._ends_at - time.monotonic()))
            if self.stopping.wait(wait):
                return prepared, response  # the run is stopping: no more waiting out 429s
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, url: str) -> Response:
        """A plain GET of a URL the target handed out (an image url), key only for its own host."""
        headers = {}
        if same_origin(url, self.base_url):  # the key and the user's headers go to the target only
            headers = {**self.extra_headers, **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {})}
        return self._send_once(Prepared("GET", url, headers, None, "none"), stream=False)

    def _send_once(self, prepared: Prepared, *, stream: bool, budgeted: bool = True) -> Response:
        self._spend(budgeted)
        started = time.perf_counter()
        with Deadline(self.timeout) as deadline:
            raw = self._open(prepared, deadline, budgeted)
            try:
                headers = {k.lower(): v for k, v in raw.headers.items()}
                is_sse = headers.get("content-type", "").startswith("text/event-stream")
                if stream and is_sse:
                    return self._read_stream(raw, headers, started, deadline)
                try:
                    content = read_body(raw, deadline, self.max_body)
                    parsed, value = parse_json(content, headers.get("content-type", ""))
                except TransportError as exc:
                    raise TransportError(self.redactor.text(str(exc)), timed_out=exc.timed_out) from None
                response = Response(raw.status_code, headers, content, _ms(started), url=prepared.url)
                if parsed:
                    response.__dict__["json"] = value  # parsed once, here, under the depth cap
                return response
            finally:
                raw.close()
                self._local.answered = True

    def _spend(self, budgeted: bool) -> None:
        with self._lock:  # worker threads share the budget
            if budgeted and self.max_requests is not None and self.counters.requests >= self.max_requests:
                raise BudgetExhausted(f"--max-requests {self.max_requests} reached")
            if budgeted and self._ends_at is not None and time.monotonic() >= self._ends_at:
                raise BudgetExhausted(f"--max-time {self.max_time:g} s reached")
            self.counters.requests += budgeted  # cleanup is housekeeping, outside the budget
            self.counters.cleanup += not budgeted

    def _open(self, prepared: Prepared, deadline: Deadline, budgeted: bool) -> requests.Response:
        """Send and read the head; a kept-alive connection that broke is retried once on a new one.

        A server may close a kept-alive connection after an answer (a 500, say); the
        next request on it then fails through no fault of its own.
        """
        http = self.http
        reused = self._local.answered
        for attempt in (1, 2):
            try:
                return http.request(
                    prepared.method,
                    prepared.url,
                    headers=prepared.headers,
                    data=prepared.body,
                    timeout=(min(5.0, self.timeout), max(0.001, min(self.timeout, deadline.remaining()))),
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                error = failure(exc, deadline)
                retry = not error.timed_out and attempt == 1 and reused and _broken_connection(exc)
                if not (retry and self._may_retry(budgeted)):
                    raise TransportError(
                        self.redactor.text(str(error)), timed_out=error.timed_out, refused=error.refused
                    ) from None
                http = self._fresh_http()
        raise AssertionError("unreachable")  # pragma: no cover

    def _may_retry(self, budgeted: bool) -> bool:
        try:
            self._spend(budgeted)
        except BudgetExhausted:
            return False
        with self._lock:
            self.counters.retries += 1
        return True

    def _read_stream(
        self, raw: requests.Response, headers: dict[str, str], started: float, deadline: Deadline
    ) -> Response:
        parser, sse, error = SSEParser(), [], None
        received: list[bytes] = []
        try:
            for chunk in chunks(raw, deadline, self.max_body, what="stream"):
                received.append(chunk)
                sse.extend(parser.feed(chunk))
                if len(sse) > MAX_EVENTS:
                    error = f"response too large: stream over {MAX_EVENTS} events (cut)"
                    break
        except TransportError as exc:
            error = self.redactor.text(str(exc).replace("response not complete", "stream not ended"))
        sse.extend(parser.close())
        return Response(
            raw.status_code,
            headers,
            b"".join(received),
            _ms(started),
            url=raw.url,
            events=[e.data for e in sse],
            sse=sse,
            stream_error=error,
            stream_incomplete=parser.incomplete,
        )

    def curl(self, prepared: Prepared, case: Case | None = None) -> str:
        """A reproducer that runs: the key read from ``$OPENAI_API_KEY``, every other secret redacted."""
        parts = ["curl", "-X", prepared.method, self.redactor.text(prepared.url)]
        keyed = False
        fields = curl_fields(case.form) if prepared.body_kind == "multipart" and case and case.form else None
        for name, value in self.redactor.headers(prepared.headers).items():
            if name.lower() == "content-type" and fields is not None:
                continue  # curl -F writes its own, with its boundary
            if (
                name.lower() == "authorization"
                and self.api_key
                and prepared.headers.get(name) == f"Bearer {self.api_key}"
            ):
                keyed = True  # written unquoted below, so that the shell expands the variable
                continue
            parts += ["-H", f"{name}: {value}"]
        if fields is not None:
            for spec in fields:
                parts += ["-F", self.redactor.text(spec)]
        elif prepared.body_kind == "multipart" and prepared.body is not None:
            # A part curl -F cannot send as it was (no Content-Type): the exact body, through printf.
            parts += ["--data-binary", "@-"]
            body = self.redactor.text(_printf_escaped(prepared.body))
            return f"printf '%b' {shlex.quote(body)} | " + self._keyed(" ".join(shlex.quote(p) for p in parts), keyed)
        elif prepared.body is not None:
            parts += ["--data-binary", self.redactor.text(prepared.body.decode("utf-8", "replace"))[:EXCERPT]]
        return self._keyed(" ".join(shlex.quote(p) for p in parts), keyed)

    @staticmethod
    def _keyed(line: str, keyed: bool) -> str:
        return line.replace(" -X", ' -H "Authorization: Bearer $OPENAI_API_KEY" -X', 1) if keyed else line

    def describe_request(self, prepared: Prepared) -> dict[str, Any]:
        body = prepared.body or b""
        return {
            "method": prepared.method,
            "url": self.redactor.text(prepared.url),
            "headers": self.redactor.headers(prepared.headers),
            "content_type": prepared.headers.get("Content-Type"),
            "body_excerpt": self.excerpt(body, prepared.body_kind),
            "body_size": len(body),
            "body_kind": prepared.body_kind,
        }

    def keepable(self, response: Response) -> Response:
        """A copy small enough to keep for the whole run (a few KB of body, 50 events)."""
        if len(response.content) <= KEEP and len(response.events or ()) <= 50:
            return response
        kept = dataclasses.replace(
            response,
            content=response.content[:KEEP],
            events=None if response.events is None else response.events[:50],
            sse=None if response.sse is None else response.sse[:50],
        )
        kept.__dict__["json"] = None  # the cut body is not the answer's JSON: do not parse it
        return kept

    def describe_response(self, response: Response) -> dict[str, Any]:
        kind = "json" if response.json is not None else "text" if _is_text(response.content) else "binary"
        return {
            "status": response.status,
            "headers": self.redactor.headers(response.headers),
            "content_type": response.content_type or None,
            "body_excerpt": self.excerpt(response.content, kind),
            "body_size": len(response.content),
            "body_kind": kind if response.content else "none",
        }

    def excerpt(self, body: bytes, kind: str) -> str:
        if kind == "binary" or (kind == "multipart" and not _is_text(body)):
            return f"<{kind} body, {len(body)} bytes>"
        # Decode a window only: a 16 MB body must not become a 64 MB string to keep 2 KB of it.
        window = body[: 4 * (EXCERPT + self._margin())].decode("utf-8", "replace")
        return self.clip(window, note=f"{len(body)} bytes")

    def clip(self, text: str, limit: int = EXCERPT, *, note: str | None = None) -> str:
        """Redact, then cut to ``limit`` characters: a secret across the cut goes whole."""
        margin = self._margin()
        redacted = self.redactor.text(text[: limit + margin])
        if len(text) < limit + margin and len(redacted) <= limit:
            return redacted
        return redacted[:limit] + f"… (cut from {note or f'{len(text)} characters'})"

    def _margin(self) -> int:
        """How far past a cut a secret may start and still end: the longest echoed form, and some."""
        return 512 + max((len(s) for s in self.redactor.secrets), default=0)


def same_origin(url: str, base_url: str) -> bool:
    """Scheme, host and port equal, and the path under the base's: where the key may go."""
    a, b = urlsplit(url), urlsplit(base_url)
    if (a.scheme, a.hostname, a.port, a.username) != (b.scheme, b.hostname, b.port, b.username):
        return False
    base = b.path.rstrip("/")
    return a.path == base or a.path.startswith(base + "/")


def _url_secrets(url: str) -> list[str]:
    """Credentials a base URL may carry (``user:password@``, ``?api-key=``): redacted too."""
    parts = urlsplit(url)
    found = [parts.password] if parts.password else []
    found += [value for name, value in parse_qsl(parts.query) if "key" in name.lower() or "token" in name.lower()]
    return [s for s in found if s]


def _data_lines(lines: list[bytes]) -> list[str]:
    out = []
    for line in lines:
        text = line.decode("utf-8", "replace").rstrip("\r")
        if text.startswith("data:"):
            out.append(text[5:].strip())
    return out


def _boundary(fields: list[tuple[str, Any]]) -> str:
    """A boundary drawn from the parts themselves: the same case sends the same bytes
    (urllib3's default is random), and a part never holds its own digest."""
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:32]


def _printf_escaped(body: bytes) -> str:
    """``body`` as printf's ``%b`` argument: printable ASCII as is, every other byte in octal."""
    return "".join(chr(b) if 32 <= b < 127 and b != 92 else f"\\0{b:03o}" for b in body)


def _is_text(body: bytes) -> bool:
    try:
        body[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in body[:4096]


def _deep(name: str, value: Any) -> list[tuple[str, Any]]:
    """An object in the query as OpenAI reads it (deepObject): ``metadata[key]=value`` for each key."""
    if isinstance(value, dict):
        return [(f"{name}[{key}]", item) for key, item in value.items()]
    return [(name, value)]


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)) and not all(isinstance(v, (str, int, float)) for v in value):
        return json.dumps(value)
    return value


def _retry_after(headers: dict[str, str], attempt: int, ceiling: float) -> float:
    try:
        wait = float(headers.get("retry-after", ""))
    except ValueError:
        wait = 0.5 * 2**attempt
    return max(0.0, min(wait, ceiling))


def _broken_connection(exc: Exception) -> bool:
    """A kept-alive connection the server had closed: reset, or closed with no answer at all."""
    if isinstance(exc, requests.Timeout) or not isinstance(exc, requests.ConnectionError):
        return False
    return describe(exc) in ("connection reset", "connection closed without a response", "connection error")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
