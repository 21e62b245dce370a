"""curl command lines from ``x-oaiMeta`` examples, read into requests.

Shell words are split with ``shlex`` (quotes ' and ", ``\\`` continuations),
then curl's options are read from one table. Bodies given with ``-d`` go
through the pseudo-JSON example parser, since the documents elide there too;
``-F name=@path`` becomes a ``FileRef``. Nothing is expanded: ``$OPENAI_API_KEY``
stays as written. Shell redirections (``> file``) and pipes end the command.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from ._examples import parse_example


class CurlParseError(ValueError):
    """A curl example that cannot be read; the message is one line."""


@dataclass(frozen=True)
class FileRef:
    """A form field read from a file (``-F file=@mydata.jsonl;type=...``)."""

    path: str
    content_type: str | None = None


@dataclass(frozen=True)
class CurlRequest:
    """What a curl example would send. ``json`` is None when ``-d`` is not JSON."""

    method: str
    url: str
    path: str  # of the URL, with the server's base path (``/v1/...``)
    headers: dict[str, str]
    json: Any | None
    form: dict[str, str | FileRef] | None
    data: str | None = None  # the raw ``-d`` text
    json_error: str | None = None  # why ``data`` is not (pseudo-)JSON, if it is not
    query: str = ""
    options: tuple[str, ...] = field(default=())  # flags that change nothing we model


# Option -> what it fills. Options taking a value that we do not model are "skip".
_WITH_VALUE = {
    "-X": "method",
    "--request": "method",
    "-H": "header",
    "--header": "header",
    "-d": "data",
    "--data": "data",
    "--data-raw": "data",
    "--data-binary": "data",
    "--data-ascii": "data",
    "--json": "json",
    "-F": "form",
    "--form": "form",
    "--form-string": "form_string",
    "-u": "skip",
    "--user": "skip",
    "-o": "skip",
    "--output": "skip",
    "-m": "skip",
    "--max-time": "skip",
    "-A": "skip",
    "--user-agent": "skip",
    "--url": "url",
}
_SHELL_ENDS = {">", ">>", "|", "&&", ";", "2>", "2>&1"}


def parse_curl(text: str) -> CurlRequest:
    """Read one curl example; raise ``CurlParseError`` (one line) if it is not one.

    Example: ``parse_curl("curl https://x/v1/files -F file='@a.jsonl'").form``
    is ``{"file": FileRef("a.jsonl")}``. The method is ``-X``'s, else POST
    when there is a body, else GET, as curl itself decides.
    """
    try:
        words = shlex.split(text.replace("\\\r\n", " ").replace("\\\n", " "), posix=True)
    except ValueError as exc:
        raise CurlParseError(f"cannot split the command: {exc}") from None
    if not words or words[0] != "curl":
        raise CurlParseError("the example does not start with 'curl'")
    state: dict[str, Any] = {"method": None, "url": None, "headers": {}, "data": [], "form": {}, "flags": []}
    i = 1
    while i < len(words):
        word = words[i]
        if word in _SHELL_ENDS or word.startswith((">", "|")):
            break
        option, inline = _split_option(word)
        if option in _WITH_VALUE:
            if inline is None:
                i += 1
                if i >= len(words):
                    raise CurlParseError(f"option {option} has no value")
                inline = words[i]
            _apply(state, _WITH_VALUE[option], inline)
        elif word.startswith("-") and len(word) > 1:
            state["flags"].append(word)
        elif state["url"] is None:
            state["url"] = word
        else:
            raise CurlParseError(f"unexpected word {word!r}")
        i += 1
    return _build(state)


def _split_option(word: str) -> tuple[str, str | None]:
    if word.startswith("--") and "=" in word:
        name, _, value = word.partition("=")
        return name, value
    if len(word) > 2 and word[0] == "-" and word[1] != "-" and word[:2] in _WITH_VALUE:
        return word[:2], word[2:]  # -XPOST, -HContent-Type:...
    return word, None


def _apply(state: dict[str, Any], target: str, value: str) -> None:
    if target == "method":
        state["method"] = value.upper()
    elif target == "url":
        state["url"] = value
    elif target == "header":
        name, sep, content = value.partition(":")
        if not sep:
            raise CurlParseError(f"header {value!r} has no ':'")
        state["headers"][name.strip()] = content.strip()
    elif target in ("data", "json"):
        state["data"].append(value)
        if target == "json":
            state["headers"].setdefault("Content-Type", "application/json")
    elif target in ("form", "form_string"):
        name, sep, content = value.partition("=")
        if not sep:
            raise CurlParseError(f"form field {value!r} has no '='")
        state["form"][name] = _form_value(content) if target == "form" else content


# curl reads ``;type=`` after any -F value (``-F 'session={...};type=application/json'``)
_TYPE_SUFFIX = re.compile(r";type=[\w.+-]+/[\w.+-]+$")


def _form_value(content: str) -> str | FileRef:
    if not content.startswith("@"):
        return _TYPE_SUFFIX.sub("", content)
    path, *params = content[1:].split(";")
    content_type = next((p.split("=", 1)[1] for p in params if p.startswith("type=")), None)
    return FileRef(path, content_type)


def _build(state: dict[str, Any]) -> CurlRequest:
    url = state["url"]
    if not url:
        raise CurlParseError("no URL in the command")
    data = "&".join(state["data"]) if state["data"] else None
    body: Any | None = None
    error: str | None = None
    if data is not None:
        parsed = parse_example(data)
        body, error = parsed.value, parsed.error
    has_body = data is not None or bool(state["form"])
    parts = urlparse(url)
    return CurlRequest(
        method=state["method"] or ("POST" if has_body else "GET"),
        url=url,
        path=parts.path or "/",
        headers=state["headers"],
        json=body,
        form=state["form"] or None,
        data=data,
        json_error=error,
        query=parts.query,
        options=tuple(state["flags"]),
    )
