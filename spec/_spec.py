"""``Spec``: a loaded, normalized document with its operation index and validators."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ._bounds import check_shape
from ._cache import Entry, Problems, cache_read, cache_write, combined, digest
from ._errors import SpecError, SpecErrorKind
from ._index import index_operations
from ._model import Operation
from ._normalize import normalize
from ._origin import RefPolicy, allowed_from_env
from ._refs import check_refs, fold_external, follow_refs, lookup
from ._sanity import problems
from ._source import Source, parse, read_source
from ._types import Document, JSONPointer, Schema

_RESOURCE = "urn:openai-conformance:spec"


@dataclass(eq=False)
class Spec:
    """A document ready for use: ``raw`` as written, ``document`` normalized."""

    location: str
    sha256: str
    raw: Document
    document: Document
    operations: tuple[Operation, ...]
    _validators: dict[str, Draft202012Validator] = field(default_factory=dict, repr=False)
    _fast_validators: dict[str, Any] = field(default_factory=dict, repr=False)
    _problems: Problems | None = field(default=None, repr=False)

    @property
    def title(self) -> str:
        return str(self.raw.get("info", {}).get("title", ""))

    @property
    def version(self) -> str:
        return str(self.raw.get("info", {}).get("version", ""))

    @property
    def openapi_version(self) -> str:
        return str(self.raw.get("openapi", ""))

    @property
    def name(self) -> str:
        """A short label: the shipped name or the file name."""
        name = Path(urlparse(self.location).path).name or self.location
        for suffix in (".yaml", ".yml", ".json"):
            name = name.removesuffix(suffix)
        return name

    @property
    def problems(self) -> Problems:
        """Schemas no validator can use (``_sanity``), as (kind, pointer, message); found once."""
        if self._problems is None:
            self._problems = problems(self.document)
        return self._problems

    @cached_property
    def base_path(self) -> str:
        """The path of the first server URL (``/v1``): operations live under it."""
        servers = self.raw.get("servers") or [{}]
        return urlparse(str(servers[0].get("url", ""))).path.rstrip("/")

    @cached_property
    def _by_id(self) -> dict[str, Operation]:
        return {op.operation_id: op for op in self.operations}

    def operation(self, operation_id: str) -> Operation:
        try:
            return self._by_id[operation_id]
        except KeyError:
            raise SpecError(SpecErrorKind.UNKNOWN_OPERATION, f"no operation {operation_id!r} in {self.name}") from None

    def resolve(self, schema: Any) -> Any:
        """Follow a schema's ``$ref`` chain to the schema it names (cycle-safe)."""
        return follow_refs(self.document, schema, with_siblings=False)[0]

    def at(self, pointer: JSONPointer) -> Any:
        return lookup(self.document, pointer)

    @cached_property
    def registry(self) -> Registry:
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        return Registry().with_resource(_RESOURCE, resource)

    def is_valid(self, pointer: JSONPointer, instance: Any) -> bool:
        """Whether ``instance`` validates against the schema at ``pointer``: the fast path.

        Compiled by jsonschema-rs when it can (some thousand times faster on a
        1,536-float embedding), by ``jsonschema`` otherwise; ``validator()``
        explains the errors of what this rejects.
        """
        fast = self._fast_validators.get(pointer, _MISSING)
        if fast is _MISSING:
            fast = self._fast_validators[pointer] = _compile_fast(self, pointer)
        if fast is not None:
            try:
                return bool(fast.is_valid(instance))
            except (ValueError, TypeError, OverflowError):
                pass  # a value jsonschema-rs cannot take (a huge int): ask jsonschema
        return bool(self.validator(pointer).is_valid(instance))

    @cached_property
    def _fast_registry(self) -> Any:
        import jsonschema_rs

        # YAML reads dates as date objects; JSON Schema sees them as strings.
        document = json.loads(json.dumps(self.document, default=str))
        return jsonschema_rs.Registry([(_RESOURCE, document)])

    def validator(self, pointer: JSONPointer) -> Draft202012Validator:
        """A validator for the schema at ``pointer``, built once and reused."""
        found = self._validators.get(pointer)
        if found is None:
            found = Draft202012Validator({"$ref": f"{_RESOURCE}#{pointer}"}, registry=self.registry)
            self._validators[pointer] = found
        return found

    def validator_for(self, schema: Schema) -> Draft202012Validator:
        """A validator for a schema built outside the document that refers into it."""
        return Draft202012Validator(_anchor_refs(schema), registry=self.registry)


_MISSING = object()


def _compile_fast(spec: Spec, pointer: JSONPointer) -> Any:
    """A jsonschema-rs validator for the schema at ``pointer``, or None to use jsonschema."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - an optional speed-up
        return None
    try:
        return jsonschema_rs.Draft202012Validator(
            {"$ref": f"{_RESOURCE}#{quote(pointer, safe='/~')}"}, registry=spec._fast_registry, validate_formats=False
        )
    except (ValueError, jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError):
        return None  # a construct it does not take (an ECMA-only regex): jsonschema will


def _anchor_refs(node: Any) -> Any:
    """Make the document's local ``#/...`` refs absolute, for schemas that live apart."""
    if isinstance(node, dict):
        return {
            k: (f"{_RESOURCE}{v}" if k == "$ref" and isinstance(v, str) and v.startswith("#") else _anchor_refs(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_anchor_refs(v) for v in node]
    return node


def load_spec(location: str = "openai-1.1.0", *, cache: bool = True, allow_refs: Sequence[str] | None = None) -> Spec:
    """Load a shipped name, a path or a URL into a ``Spec``.

    Example: ``load_spec("openai-1.1.0").operation("createCompletion")``.
    Normalized documents are cached by the content of every file they pull in,
    so loading again what did not change skips parsing and normalizing. The
    files a ``$ref`` may pull in are those of ``_origin.RefPolicy``, plus the
    folders and origins of ``allow_refs`` (default: ``OPENAI_CONFORMANCE_SPEC_ALLOW_REFS``).
    """
    source = read_source(location)
    allowed = allowed_from_env() if allow_refs is None else tuple(allow_refs)
    policy = RefPolicy(source.location, source.base, allowed)
    top = digest(source.content)
    # Relative $refs resolve against the folder: the same text elsewhere may pull in other files.
    key = top if source.base is None else digest(f"{source.base}\0".encode() + source.content)
    entry = cache_read(key, lambda where: _current_digest(where, policy)) if cache else None
    if entry is None:
        entry = _build(source, policy)
        if cache:
            cache_write(key, entry)
    dependencies, raw, document, found = entry
    return Spec(
        location=source.location,
        sha256=combined(top, dependencies),
        raw=raw,
        document=document,
        operations=tuple(index_operations(document)),
        _problems=found,
    )


def _build(source: Source, policy: RefPolicy) -> Entry:
    raw = parse(source.content, source.location)
    if not isinstance(raw, dict) or not str(raw.get("openapi", "")).startswith("3."):
        found = raw.get("openapi", raw.get("swagger")) if isinstance(raw, dict) else type(raw).__name__
        raise SpecError(SpecErrorKind.NOT_OPENAPI, f"{source.location}: 'openapi' is {found!r}, expected 3.x")
    if not isinstance(raw.get("paths", {}), dict):
        raise SpecError(SpecErrorKind.NOT_OPENAPI, f"{source.location}: 'paths' is not a mapping")
    pulled: list[tuple[str, str]] = []

    def load_external(where: str) -> Any:
        policy.check(where)
        external = read_source(where, redirects=False)
        pulled.append((where, digest(external.content)))
        return parse(external.content, where)

    fold_external(raw, source.base, load_external)
    if pulled:  # each file was within bounds; together they must be too
        check_shape(raw, source.location)
    check_refs(raw)
    document = normalize(raw)
    return tuple(sorted(pulled)), raw, document, problems(document)


def _current_digest(where: str, policy: RefPolicy) -> str | None:
    """A cached entry's dependency as it is now; None if it is no longer allowed or readable."""
    try:
        policy.check(where)
        return digest(read_source(where, redirects=False).content)
    except (SpecError, OSError):
        return None
