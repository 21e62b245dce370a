"""Which documents a document's ``$ref``s may pull in: its own origin or folder, and what the user allows.

A document fetched over http(s) may name documents of its own origin (scheme,
host, port) only; a local one, files under its own folder only. Anything else
(``/etc/passwd`` named by a URL, a file outside the folder, another host)
would be read and sent to the target as part of a request, so it is refused
unless the user lists it in ``OPENAI_CONFORMANCE_SPEC_ALLOW_REFS``
(comma-separated folders and origins) or passes ``load_spec(allow_refs=...)``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from ._errors import SpecError, SpecErrorKind

ALLOW_ENV = "OPENAI_CONFORMANCE_SPEC_ALLOW_REFS"


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def origin(url: str) -> str:
    """``scheme://host:port`` of an http(s) URL, the port spelled out."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = -1  # a port that is not one: matches no origin
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def allowed_from_env() -> tuple[str, ...]:
    return tuple(entry.strip() for entry in os.environ.get(ALLOW_ENV, "").split(",") if entry.strip())


class RefPolicy:
    """The origins and folders that the documents one document pulls in may come from."""

    def __init__(self, location: str, base: str | None, allowed: Sequence[str] = ()) -> None:
        self.location = location
        self.origins = {origin(a) for a in allowed if is_url(a)}
        self.folders = [Path(a).resolve() for a in allowed if not is_url(a)]
        self.own = base  # None: a shipped document, which names nothing outside itself
        if base is not None and is_url(base):
            self.own = origin(base)
            self.origins.add(self.own)
        elif base is not None:
            self.folders.append(Path(base).resolve())

    def check(self, target: str) -> None:
        """Raise ``SpecError`` unless ``target`` (an absolute path or URL) is allowed."""
        if is_url(target):
            if origin(target) in self.origins:
                return
        elif any(Path(target).resolve().is_relative_to(f) for f in self.folders):
            return  # resolved: a symlink out of the folder is out of it
        if self.own is None:
            where = "and a shipped document names nothing outside itself"
        elif is_url(self.own):
            where = f"not of its origin {self.own}"
        else:
            where = f"outside its folder {self.own}"
        raise SpecError(
            SpecErrorKind.REF_FORBIDDEN, f"{self.location} refers to {target!r}, {where} (allow it in {ALLOW_ENV})"
        )
