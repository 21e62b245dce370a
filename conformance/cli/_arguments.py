"""Checks of command-line values before anything is sent: each bad one is one ``UsageError`` line.

Small functions without side effects (the report folder check leaves nothing
behind), so that a run that would fail at its end is refused at its start.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .._errors import UsageError

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

SCHEMES = ("http", "https")
_BRACKETED = re.compile(r"\[[^\[\]]+\](?::\d*)?")


def check_timeout(seconds: float, option: str = "--timeout") -> float:
    """A finite number of seconds above zero (``nan`` and ``inf`` parse as floats, and mean nothing)."""
    if not math.isfinite(seconds) or seconds <= 0:
        raise UsageError(f"{option} {seconds!r}: give a finite number of seconds above 0")
    return seconds


def check_base_url(url: str, option: str = "--base-url") -> str:
    """An http(s) URL with a host, a valid port and no credentials in it.

    Credentials (``user:password@``) would go out as Basic auth in place of the
    key and void the "no key" probes; the key goes in ``--api-key``.
    """
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port out of range or not a number
        host = parts.hostname
    except ValueError as exc:
        raise UsageError(f"{option}: not a valid URL ({exc})") from None
    hostport = parts.netloc.rpartition("@")[2]
    if "[" in hostport and not _BRACKETED.fullmatch(hostport):  # urlsplit lets `[::1]x` through
        raise UsageError(f"{option}: not a valid URL (an IPv6 host is [address] and an optional :port)")
    if parts.scheme not in SCHEMES:
        shown = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        raise UsageError(f"{option}: {shown}; give an http:// or https:// URL, e.g. https://api.openai.com/v1")
    if "@" in parts.netloc:
        raise UsageError(f"{option}: the URL carries credentials (user:password@); pass the key with --api-key")
    if not host:
        raise UsageError(f"{option}: the URL has no host, e.g. http://127.0.0.1:8000/v1")
    if port == 0:
        raise UsageError(f"{option}: port 0 is not a port one can connect to")
    return url


def check_report_dir(path: str | Path, option: str = "--report-dir") -> Path:
    """A folder that exists and is writable, or one that can be made under a writable folder.

    Writability is tried with a probe file, removed at once.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option} {str(folder)!r}: exists and is not a folder")
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{option} {str(folder)!r}: {str(existing)!r} is not a folder")
    try:  # permission bits do not tell (root, read-only mounts, /proc): try
        handle, probe = tempfile.mkstemp(dir=existing, prefix=".openai-conformance-")
    except OSError as exc:
        raise UsageError(f"{option} {str(folder)!r}: {str(existing)!r} is not writable ({exc.strerror})") from None
    os.close(handle)
    os.unlink(probe)
    return folder


def check_spec(spec: Spec) -> Spec:
    """A document a run can test: it has operations, and no schema that validation cannot end on.

    The second is a one-line ``SpecError`` (exit 2); ``spec lint`` lists every such schema.
    """
    from openai_conformance.spec._sanity import check_usable

    if not spec.operations:
        raise UsageError(f"--spec {spec.name}: the document has no operations: nothing to test")
    check_usable(spec)
    return spec


TOO_DEEP = "the JSON nests too deeply to be a results document"
