"""Errata: where the real API is known to differ from its own spec, as patches.

The rules are data (``spec/data/errata/errata.yaml``); each names the spec
versions it applies to, a JSON pointer into the normalized document, a patch
and why. ``apply_errata`` returns a new ``Spec``; the loaded one (and the
load cache) are never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from ._derive import copy_on_write, with_document
from ._errors import SpecError, SpecErrorKind
from ._normalize import _allow_null
from ._refs import lookup

if TYPE_CHECKING:
    from ._spec import Spec


@dataclass(frozen=True)
class Erratum:
    """One known difference between the API and its spec, and the patch that says it."""

    id: str
    pointer: str
    reason: str
    versions: tuple[str, ...]
    patch: dict[str, Any] = field(default_factory=dict, compare=False)


def _nullable(schema: dict[str, Any], value: Any) -> None:
    if value:
        _allow_null(schema)


def _remove(schema: dict[str, Any], keys: list[str]) -> None:
    for key in keys:
        schema.pop(key, None)


def _unrequire(schema: dict[str, Any], names: list[str]) -> None:
    schema["required"] = [n for n in schema.get("required", []) if n not in names]


def _merge(schema: dict[str, Any], values: dict[str, Any]) -> None:
    schema.update(values)


PATCHES: dict[str, Callable[[dict[str, Any], Any], None]] = {
    "nullable": _nullable,
    "remove": _remove,
    "unrequire": _unrequire,
    "merge": _merge,
}


@cache
def all_errata() -> tuple[Erratum, ...]:
    """Every rule shipped with the suite, checked once when first read."""
    text = resources.files(__package__).joinpath("data", "errata", "errata.yaml").read_text("utf-8")
    out = []
    for item in yaml.safe_load(text) or []:
        unknown = set(item["patch"]) - set(PATCHES)
        if unknown:
            raise SpecError(SpecErrorKind.PARSE, f"erratum {item['id']!r}: unknown patch {sorted(unknown)}")
        out.append(
            Erratum(
                id=item["id"],
                pointer=item["pointer"],
                reason=" ".join(item["reason"].split()),
                versions=tuple(str(v) for v in item["versions"]),
                patch=item["patch"],
            )
        )
    ids = [e.id for e in out]
    if len(set(ids)) != len(ids):
        raise SpecError(SpecErrorKind.PARSE, "errata.yaml: duplicate ids")
    return tuple(out)


def errata_for(spec: Spec) -> list[Erratum]:
    """The rules that apply to ``spec``: its version is listed and the pointer exists."""
    out = []
    for erratum in all_errata():
        if spec.version not in erratum.versions:
            continue
        try:
            lookup(spec.document, erratum.pointer)
        except (KeyError, IndexError, ValueError):
            continue
        out.append(erratum)
    return out


def apply_errata(spec: Spec, *, only: Iterable[str] | None = None) -> tuple[Spec, list[Erratum]]:
    """A new ``Spec`` with every rule for its version applied, and the rules applied.

    Example: ``patched, applied = apply_errata(load_spec("openai-1.1.0"))``;
    ``[e.id for e in applied] == ["completion-finish-reason-null"]``. The
    given ``spec`` and its validators are left as they were. ``only`` names the
    rules to apply (to tell which one explains a finding).
    """
    applied = [e for e in errata_for(spec) if only is None or e.id in set(only)]
    document = spec.document
    for erratum in applied:
        document, target = copy_on_write(document, erratum.pointer)
        for name, argument in erratum.patch.items():
            PATCHES[name](target, argument)
    return with_document(spec, document), applied
