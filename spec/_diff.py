"""``spec diff``: every change between two documents, and whom it breaks.

Operations are paired by method and path template (parameter names ignored:
``/engines/{engine_id}`` and ``/engines/{id}`` are one operation), parameters
by name and location, bodies by content type, responses by status. Schemas
are compared as the values they accept (``spec._diff_schema``), so renaming a
``$ref`` target or moving a schema into a component is not a change. Whom a
change breaks is a table (``spec._diff_kinds.KINDS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ._diff_kinds import KINDS
from ._diff_schema import SchemaChange, SchemaDiffer

if TYPE_CHECKING:
    from ._model import MediaType, Operation, Parameter
    from ._spec import Spec

_TEMPLATE = re.compile(r"\{([^}]*)\}")


@dataclass(frozen=True)
class Change:
    """One change: its kind, the operation, where it is in each document, and why it matters."""

    kind: str
    operation_id: str
    old_pointer: str | None
    new_pointer: str | None
    message: str
    breaking_for_client: bool
    breaking_for_server: bool

    @property
    def breaking(self) -> bool:
        return self.breaking_for_client or self.breaking_for_server


@dataclass
class SpecDiff:
    """All changes from ``old`` to ``new``, in the order of the new document's operations."""

    old: dict[str, str]
    new: dict[str, str]
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def summary(self) -> dict[str, int]:
        return {
            "changes": len(self.changes),
            "breaking_for_client": sum(c.breaking_for_client for c in self.changes),
            "breaking_for_server": sum(c.breaking_for_server for c in self.changes),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "summary": self.summary(),
            "changes": [asdict(c) for c in self.changes],
        }


def _key(op: Operation) -> tuple[str, str]:
    return op.method, _TEMPLATE.sub("{}", op.path)


def _label(spec: Spec) -> dict[str, str]:
    return {"name": spec.name, "location": spec.location, "version": spec.version, "sha256": spec.sha256}


class _Differ:
    def __init__(self, old: Spec, new: Spec) -> None:
        self.old, self.new = old, new
        self.schemas = SchemaDiffer(old, new)

    def change(self, kind: str, op_id: str, old_ptr: str | None, new_ptr: str | None, message: str) -> Change:
        client, server = KINDS[kind]
        return Change(kind, op_id, old_ptr, new_ptr, message, client, server)

    def run(self) -> Iterator[Change]:
        old_ops = {_key(op): op for op in self.old.operations}
        new_ops = {_key(op): op for op in self.new.operations}
        for key, op in old_ops.items():
            if key not in new_ops:
                yield self.change(
                    "operation_removed", op.operation_id, op.pointer, None, f"{op.method} {op.path} removed"
                )
        for key, op in new_ops.items():
            before = old_ops.get(key)
            if before is None:
                yield self.change("operation_added", op.operation_id, None, op.pointer, f"{op.method} {op.path} added")
            else:
                yield from self.operation(before, op)

    def operation(self, old: Operation, new: Operation) -> Iterator[Change]:
        op_id = new.operation_id
        if old.operation_id != new.operation_id:
            yield self.change(
                "operation_id_changed",
                op_id,
                old.pointer,
                new.pointer,
                f"operationId {old.operation_id!r} -> {new.operation_id!r}",
            )
        if old.deprecated != new.deprecated:
            kind = "operation_deprecated" if new.deprecated else "operation_undeprecated"
            yield self.change(
                kind,
                op_id,
                old.pointer,
                new.pointer,
                f"{new.method} {new.path} {'deprecated' if new.deprecated else 'no longer deprecated'}",
            )
        yield from self.parameters(op_id, old, new)
        yield from self.request_body(op_id, old, new)
        yield from self.responses(op_id, old, new)

    def parameters(self, op_id: str, old: Operation, new: Operation) -> Iterator[Change]:
        before, after = _by_key(old), _by_key(new)
        for key, p in before.items():
            if key not in after:
                yield self.change("parameter_removed", op_id, p.pointer, None, f"{_param(p)} removed")
        for key, p in after.items():
            was = before.get(key)
            if was is None:
                kind = "parameter_added_required" if p.required else "parameter_added_optional"
                yield self.change(
                    kind, op_id, None, p.pointer, f"{_param(p)} added ({'required' if p.required else 'optional'})"
                )
                continue
            if was.required != p.required:
                made = "required" if p.required else "optional"
                yield self.change(f"parameter_made_{made}", op_id, was.pointer, p.pointer, f"{_param(p)} made {made}")
            for found in self.schemas.compare(was.schema, p.schema, was.pointer, p.pointer):
                yield self.schema_change("parameter", op_id, found, _param(p))

    def request_body(self, op_id: str, old: Operation, new: Operation) -> Iterator[Change]:
        before = old.request_body.content if old.request_body else {}
        after = new.request_body.content if new.request_body else {}
        if old.request_body and new.request_body and old.request_body.required != new.request_body.required:
            made = "required" if new.request_body.required else "optional"
            yield self.change(f"request_body_made_{made}", op_id, new.pointer, new.pointer, f"request body made {made}")
        yield from self.media("request", op_id, before, after, "request body")

    def responses(self, op_id: str, old: Operation, new: Operation) -> Iterator[Change]:
        for status in old.responses:
            if status not in new.responses:
                yield self.change(
                    "response_status_removed",
                    op_id,
                    f"{old.pointer}/responses/{status}",
                    None,
                    f"response {status} removed",
                )
        for status, response in new.responses.items():
            was = old.responses.get(status)
            if was is None:
                yield self.change(
                    "response_status_added",
                    op_id,
                    None,
                    f"{new.pointer}/responses/{status}",
                    f"response {status} added",
                )
                continue
            yield from self.media("response", op_id, was.content, response.content, f"response {status}")

    def media(
        self, place: str, op_id: str, before: dict[str, MediaType], after: dict[str, MediaType], label: str
    ) -> Iterator[Change]:
        for content_type, media in before.items():
            if content_type not in after:
                yield self.change(
                    f"{place}_content_type_removed",
                    op_id,
                    media.pointer or None,
                    None,
                    f"{label}: content type {content_type} removed",
                )
        for content_type, media in after.items():
            was = before.get(content_type)
            if was is None:
                yield self.change(
                    f"{place}_content_type_added",
                    op_id,
                    None,
                    media.pointer or None,
                    f"{label}: content type {content_type} added",
                )
            elif was.schema is not None and media.schema is not None:
                for found in self.schemas.compare(was.schema, media.schema, was.pointer, media.pointer):
                    yield self.schema_change(place, op_id, found, label)

    def schema_change(self, place: str, op_id: str, found: SchemaChange, label: str) -> Change:
        where = _path(found.path)
        subject = f"{label} property {where}" if where else label
        return self.change(
            f"{place}_{found.what}", op_id, found.old_pointer, found.new_pointer, f"{subject}: {found.detail}"
        )


def _by_key(op: Operation) -> dict[tuple[str, str], Parameter]:
    """Parameters by location and name; path parameters by their place in the template,
    since renaming ``{engine_id}`` to ``{model}`` changes no URL."""
    places = {name: i for i, name in enumerate(_TEMPLATE.findall(op.path))}
    return {
        (p.location, f"#{places[p.name]}" if p.location == "path" and p.name in places else p.name): p
        for p in op.parameters
    }


def _param(p: Parameter) -> str:
    return f"{p.location} parameter {p.name!r}"


def _path(steps: tuple[str, ...]) -> str:
    out = ""
    for step in steps:
        out += "[]" if step == "[]" else (f".{step}" if out else step)
    return out


def diff_specs(old: Spec, new: Spec) -> SpecDiff:
    """Every change from ``old`` to ``new``, each classified for clients and servers.

    Example: ``diff_specs(load_spec("openai-1.3.0"), load_spec("openai-2.0.0")).breaking``
    lists, among others, the removed engines, search, answers and
    classifications operations. A document diffed with itself gives no change.
    """
    return SpecDiff(old=_label(old), new=_label(new), changes=list(_Differ(old, new).run()))
