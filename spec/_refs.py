"""JSON pointers and `$ref`s: lookup, external files folded in, dangling refs found.

External (relative-file or URL) references are folded into the document under
``x-external`` so that the rest of the suite sees one self-contained document in
which every ``$ref`` is local; cycles between files are safe because each file
is folded in once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin

from ._errors import SpecError, SpecErrorKind
from ._types import Document, JSONPointer

EXTERNAL_KEY = "x-external"


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def follow_refs(
    document: Any, node: Any, pointer: JSONPointer = "", *, with_siblings: bool = True
) -> tuple[Any, JSONPointer, dict[str, Any]]:
    """Follow a chain of local ``$ref``s: the node it ends at, that node's pointer, and the siblings met.

    Cycle-safe, and it stops at a ref it cannot follow (remote, or naming nothing);
    ``with_siblings=False`` stops at a ``$ref`` that has siblings (3.1 keeps both).
    """
    seen: set[str] = set()
    siblings: dict[str, Any] = {}
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#") or (not with_siblings and len(node) > 1):
            break
        try:
            target = lookup(document, ref[1:])
        except (KeyError, IndexError, ValueError):
            break
        seen.add(ref)
        siblings.update({k: v for k, v in node.items() if k != "$ref"})
        node, pointer = target, ref[1:]
    return node, pointer, siblings


def join(pointer: JSONPointer, *tokens: str | int) -> JSONPointer:
    return pointer + "".join("/" + escape(str(t)) for t in tokens)


def lookup(document: Any, pointer: JSONPointer) -> Any:
    """The value at ``pointer`` (``""`` is the whole document); KeyError if absent."""
    node = document
    if not pointer:
        return node
    # One leading "/" only: "//x" names key "x" under key "" (RFC 6901), not "x" at the root.
    for raw in pointer.removeprefix("/").split("/"):
        token = unescape(raw)
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node[token]
        else:
            raise KeyError(pointer)
    return node


def walk_refs(node: Any, pointer: JSONPointer = "") -> Iterator[tuple[JSONPointer, dict]]:
    """Every object holding a string ``$ref``, with its pointer; aliases visited once."""
    seen: set[int] = set()
    stack: list[tuple[Any, JSONPointer]] = [(node, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            if id(current) in seen:
                continue
            seen.add(id(current))
            if isinstance(current.get("$ref"), str):
                yield where, current
            stack.extend((v, f"{where}/{escape(str(k))}") for k, v in current.items())
        elif isinstance(current, list):
            if id(current) in seen:
                continue
            seen.add(id(current))
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(current))


def fold_external(document: Document, base: str | None, load: Callable[[str], Any]) -> Document:
    """Bring every external document a `$ref` names into ``document[x-external]``."""
    folded: dict[str, str] = {}  # absolute location -> key under x-external
    pending: list[tuple[Any, str | None, str]] = [(document, base, "")]
    while pending:
        node, node_base, prefix = pending.pop()
        for _, holder in list(walk_refs(node)):
            ref = holder["$ref"]
            location, _, fragment = ref.partition("#")
            if not location:
                if prefix:  # a local ref inside a folded file points into that file
                    holder["$ref"] = f"#{prefix}{fragment}"
                continue
            absolute = _absolute(location, node_base)
            if absolute not in folded:
                key = escape(absolute)
                folded[absolute] = key
                external = load(absolute)
                document.setdefault(EXTERNAL_KEY, {})[key] = external
                parent = absolute.rsplit("/", 1)[0] if "/" in absolute else node_base
                pending.append((external, parent, f"/{EXTERNAL_KEY}/{escape(key)}"))
            holder["$ref"] = f"#/{EXTERNAL_KEY}/{escape(folded[absolute])}{fragment}"
    return document


def _absolute(location: str, base: str | None) -> str:
    """Where a ``$ref``'s document is; under a URL, ``/etc/passwd`` is a path of that origin."""
    if base is not None and base.startswith(("http://", "https://")):
        return urljoin(base + "/", location)
    if location.startswith(("http://", "https://", "/")):
        return location
    if base is None:
        raise SpecError(
            SpecErrorKind.DANGLING_REF, f"relative $ref {location!r} in a document with no folder to resolve it in"
        )
    return f"{base}/{location}"


def check_refs(document: Document) -> None:
    """Raise on the first local `$ref` that points nowhere, naming where it stands."""
    for where, holder in walk_refs(document):
        ref = holder["$ref"]
        if not ref.startswith("#"):
            continue
        try:
            lookup(document, ref[1:])
        except (KeyError, IndexError, ValueError):
            raise SpecError(
                SpecErrorKind.DANGLING_REF, f"{where or '/'}/$ref points nowhere: {ref!r}", pointer=f"{where}/$ref"
            ) from None
