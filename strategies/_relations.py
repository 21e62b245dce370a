"""Rules between properties that the API enforces and the schema does not say.

Kept as data by property names, applied to any object that has those properties
(so no operation is named): "either documents or a file, not both"; "best_of must
be at least n". Each fix only leaves optional properties out or draws one, so a
value stays valid against the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

from ._types import Gen

# Exactly one of these optional properties is sent (non-null).
EXACTLY_ONE: tuple[tuple[str, ...], ...] = (("documents", "file"), ("examples", "file"))
# (a, b): a >= b, or a is left out.
AT_LEAST: tuple[tuple[str, str], ...] = (("best_of", "n"),)
# (a, b): a function a names is one of b's, or a is left out.
NAMED_IN: tuple[tuple[str, str], ...] = (("tool_choice", "tools"),)

Fix = Callable[[dict[str, Any], Random, int], None]


def _exactly_one(group: tuple[str, ...], gens: dict[str, Gen]) -> Fix:
    def fix(out: dict[str, Any], rnd: Random, depth: int) -> None:
        sent = [n for n in group if out.get(n) is not None]
        keep = rnd.choice(sent or list(group))
        for name in group:
            if name != keep:
                out.pop(name, None)
        for _ in range(4):  # a nullable property may draw null: draw again
            if out.get(keep) is not None:
                return
            out[keep] = gens[keep](rnd, depth + 1)

    return fix


def _at_least(big: str, small: str) -> Fix:
    def fix(out: dict[str, Any], rnd: Random, depth: int) -> None:
        a, b = out.get(big), out.get(small)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a < b:
            del out[big]

    return fix


def _function_name(value: Any) -> Any:
    """The function a tool or tool choice names: chat nests it (``function.name``), Responses does not."""
    if not isinstance(value, dict) or value.get("type") != "function":
        return None
    inner = value.get("function")
    return inner.get("name") if isinstance(inner, dict) else value.get("name")


def _named_in(choice: str, tools: str) -> Fix:
    def fix(out: dict[str, Any], rnd: Random, depth: int) -> None:
        value: dict[str, Any] = out.get(choice) or {}
        named = _function_name(value)
        offered = sorted({_function_name(t) for t in out.get(tools) or [] if _function_name(t) is not None})
        if named is None or named in offered:
            return
        if not offered:
            del out[choice]
            return
        pick = rnd.choice(offered)  # name one of the tools, so that choosing a function is still sent
        nested = value.get("function")
        out[choice] = (
            {**value, "function": {**nested, "name": pick}} if isinstance(nested, dict) else {**value, "name": pick}
        )

    return fix


def related_names() -> frozenset[str]:
    """Every property some rule here ties to another: a refusal naming one may be the API's own rule."""
    return frozenset(n for group in (*EXACTLY_ONE, *AT_LEAST, *NAMED_IN) for n in group)


def fixes(gens: dict[str, Gen], required: set[str]) -> list[Fix]:
    """The fixes that apply to an object with these (drawable) properties."""
    out = [
        _exactly_one(group, gens)
        for group in EXACTLY_ONE
        if all(n in gens for n in group) and not required & set(group)
    ]
    out += [_at_least(a, b) for a, b in AT_LEAST if a in gens and b in gens and a not in required]
    out += [_named_in(a, b) for a, b in NAMED_IN if a in gens and a not in required]
    return out


def partners(name: str, names: set[str], required: set[str]) -> list[str]:
    """Optional properties to leave out when ``name`` is set to a broken value, so that
    the case breaks its one rule and no rule between properties besides."""
    groups = [set(g) for g in EXACTLY_ONE] + [set(p) for p in (*AT_LEAST, *NAMED_IN)]
    found = {other for g in groups if name in g and g <= names for other in g - {name}}
    return sorted(found - required)
