"""New ``Spec`` values built from a document in memory, never touching the cached ones.

Errata and tests (a document with renamed ``$ref`` targets, an added required
property) need a ``Spec`` that did not come from a file. Each one gets its own
registry and an empty validator cache, so nothing built for another leaks in.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from ._errors import SpecError, SpecErrorKind
from ._index import index_operations
from ._normalize import normalize
from ._refs import check_refs, escape, unescape
from ._spec import Spec
from ._types import Document, JSONPointer


def spec_from_document(raw: Document, location: str = "<memory>") -> Spec:
    """A ``Spec`` of a raw (not yet normalized) document held in memory.

    Example: ``spec_from_document(yaml.safe_load(text), "mine.yaml")``.
    ``raw`` is deep-copied first, so the caller may keep changing its own.
    """
    raw = copy.deepcopy(raw)
    if not isinstance(raw, dict) or not str(raw.get("openapi", "")).startswith("3."):
        raise SpecError(SpecErrorKind.NOT_OPENAPI, f"{location}: 'openapi' is not 3.x")
    check_refs(raw)
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
    document = normalize(raw)
    return Spec(
        location=location, sha256=digest, raw=raw, document=document, operations=tuple(index_operations(document))
    )


def with_document(spec: Spec, document: Document) -> Spec:
    """``spec`` with another normalized document: same source, fresh index and validators."""
    return Spec(
        location=spec.location,
        sha256=spec.sha256,
        raw=spec.raw,
        document=document,
        operations=tuple(index_operations(document)),
    )


def copy_on_write(document: Document, pointer: JSONPointer) -> tuple[Document, Any]:
    """A new root sharing all but the path to ``pointer``, and a private deep copy there.

    Only the containers along the path are copied (shallowly) and the target
    deeply, so patching a 87,000-line document costs what the patch touches.
    """
    tokens = [unescape(t) for t in pointer.lstrip("/").split("/")] if pointer else []
    root = copy.copy(document)
    parent: Any = root
    for depth, token in enumerate(tokens):
        key: Any = int(token) if isinstance(parent, list) else token
        try:
            child = parent[key]
        except (KeyError, IndexError, TypeError):
            where = "/" + "/".join(escape(t) for t in tokens[: depth + 1])
            raise KeyError(where) from None
        parent[key] = copy.deepcopy(child) if depth == len(tokens) - 1 else copy.copy(child)
        parent = parent[key]
    return root, parent
