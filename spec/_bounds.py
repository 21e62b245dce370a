"""How big a parsed document may be once its YAML aliases are expanded, and how deep.

YAML aliases share one object, so a 700-byte billion-laughs parses in
kilobytes; it is every later walk (normalizing, JSON for the fast validator)
that expands it a billion times. So the parsed tree is measured with each
shared object counted once per use, without expanding it, and refused past
the bounds below. The bounds are far above any real document: the 3 MB
2.3.0 document counts 61,000 nodes and nests 21 deep.
"""

from __future__ import annotations

from typing import Any

from ._errors import SpecError, SpecErrorKind

MAX_NODES = 1_000_000  # mappings, lists and scalars, every alias use counted in full
MAX_DEPTH = 200  # the normalizer and the validators recurse once or twice per level


def check_shape(document: Any, location: str) -> None:
    """Raise ``SpecError`` if ``document`` expands past ``MAX_NODES``, nests past ``MAX_DEPTH``, or loops.

    One post-order walk over the distinct objects (never over the expansion),
    so its cost is that of the document as written.
    """
    if not isinstance(document, (dict, list)):
        return
    size: dict[int, int] = {}  # id -> nodes in the expansion of that object
    open_: set[int] = set()  # on the path from the root: met again, it is a cycle
    stack: list[tuple[Any, list[Any] | None]] = [(document, None)]  # children: None until entered
    while stack:
        node, children = stack.pop()
        key = id(node)
        if children is not None:  # leaving: every child is measured
            open_.discard(key)
            total = size[key] = 1 + len(node) - len(children) + sum(size[id(c)] for c in children)
            if total > MAX_NODES:
                raise _refused(location, f"expands to over {MAX_NODES:,} nodes (YAML aliases used over and over)")
            continue
        if key in size:
            continue
        if key in open_:
            raise _refused(location, "a YAML alias refers to a node that contains it (an endless document)")
        if len(open_) >= MAX_DEPTH:  # the path from the root is the nesting depth
            raise _refused(location, f"nests over {MAX_DEPTH} levels deep")
        open_.add(key)
        values = node.values() if isinstance(node, dict) else node
        inner = [v for v in values if isinstance(v, (dict, list))]
        stack.append((node, inner))
        stack.extend((child, None) for child in inner if id(child) not in size)


def _refused(location: str, why: str) -> SpecError:
    return SpecError(SpecErrorKind.TOO_LARGE, f"{location}: {why}")
