"""The cache of normalized documents, keyed by the content of every file a document pulls in.

An entry is found by the top file's hash (with its folder, which relative
``$ref``s resolve against) and holds the location and hash of
each file its ``$ref``s folded in; it is used only while each still hashes
the same, so editing a referenced file rebuilds it. An entry that cannot be
read back as what we wrote (truncated, overwritten, an older layout) is
deleted and rebuilt: a cache only ever costs time, never a run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from ._types import Document

# Bump when normalization or the entry's layout changes, so that entries are built again.
CACHE_FORMAT = 4

Dependencies = tuple[tuple[str, str], ...]  # (absolute location, sha256) of each folded-in file
Problems = tuple[tuple[str, str, str], ...]  # ``_sanity.problems`` of the document, found once
Entry = tuple[Dependencies, Document, Document, Problems]


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def combined(top: str, dependencies: Dependencies) -> str:
    """The hash of a document with what it pulls in: the top file's alone when it pulls in nothing."""
    if not dependencies:
        return top
    return digest("\n".join([top, *(f"{where} {sha}" for where, sha in dependencies)]).encode())


def cache_folder(name: str) -> Path:
    """The suite's folder ``name`` in the user's cache (``$XDG_CACHE_HOME``, else ``~/.cache``)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "openai-conformance" / name


def cache_dir() -> Path:
    return cache_folder("specs")


def _path(top: str) -> Path:
    return cache_dir() / f"{top}-{CACHE_FORMAT}.pickle"


def cache_read(top: str, current: Callable[[str], str | None]) -> Entry | None:
    """The entry under the key ``top``, if each dependency still hashes the same.

    ``current(location)`` is a dependency's hash now (None: it cannot be read).
    """
    path = _path(top)
    try:
        with path.open("rb") as handle:
            entry = pickle.load(handle)  # noqa: S301 - our own cache, in the user's own folder
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - whatever a damaged pickle raises, the answer is to rebuild
        entry = None
    if not _well_formed(entry):
        _discard(path)
        return None
    if any(current(where) != sha for where, sha in entry[0]):
        return None  # a referenced file changed: this entry is stale, the rebuild overwrites it
    return entry


def _well_formed(entry: object) -> bool:
    if not (isinstance(entry, tuple) and len(entry) == 4):
        return False
    dependencies, raw, document, problems = entry
    return _strings(dependencies, 2) and _strings(problems, 3) and isinstance(raw, dict) and isinstance(document, dict)


def _strings(rows: object, width: int) -> bool:
    return isinstance(rows, tuple) and all(
        isinstance(row, tuple) and len(row) == width and all(isinstance(x, str) for x in row) for row in rows
    )


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass  # the rebuild's write replaces it anyway


def cache_write(top: str, entry: Entry) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{top}.{os.getpid()}.tmp"
        with tmp.open("wb") as handle:
            pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(_path(top))
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # a cache that cannot be written only costs time
