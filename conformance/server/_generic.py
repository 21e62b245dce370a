"""The schema-driven handler: every operation of the served document without a
hand-written one answers a body valid against its documented response schema.

Stateful where the path shape says so: a POST to a collection that has an item path
creates (an id of the example's prefix, the asked fields put back), the item's GET /
POST / DELETE retrieve, modify and delete it (404 once deleted), and the collection's
GET lists what was created with ``after`` / ``limit`` / ``order``. Collections with no
create hold pre-existing objects: any id is found until deleted.
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ._errors import NotFound
from ._images import require_image
from ._paging import page
from ._registry import Call, Endpoint
from ._responses import render_json, sse
from ._templates import Template, template
from ._validation import Upload

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

    from ._store import Store

BINARY = {
    "application/zip": b"PK\x05\x06" + b"\x00" * 18,
    "application/sdp": b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n",
}
_PREFIX = re.compile(r"^([A-Za-z]+(?:_[a-z]+)?)([_-])")


def _collection(op: Operation) -> str:
    """The collection path template an item operation belongs to (itself for the rest)."""
    head, _, last = op.path.rpartition("/")
    return head if last.startswith("{") else op.path


_MEMO: weakref.WeakKeyDictionary[Spec, dict[tuple[str, str], Any]] = weakref.WeakKeyDictionary()


def _memo(spec: Spec, kind: str, key: str, make: Any) -> Any:
    """Path-shape answers of one document, worked out once (they walk every operation)."""
    table = _MEMO.setdefault(spec, {})
    if (kind, key) not in table:
        table[kind, key] = make()
    return table[kind, key]


def _shape(spec: Spec, op: Operation) -> str:
    return _memo(spec, "shape", op.operation_id, lambda: _work_out_shape(spec, op))


def _work_out_shape(spec: Spec, op: Operation) -> str:
    last = op.path.rsplit("/", 1)[-1]
    if last.startswith("{"):
        return {"GET": "retrieve", "POST": "modify", "DELETE": "delete"}.get(op.method, "other")
    has_items = any(
        o.path.startswith(op.path + "/{") and o.path.count("/") == op.path.count("/") + 1 for o in spec.operations
    )
    if op.method == "POST" and has_items:
        return "create"
    if (
        op.method == "GET"
        and isinstance(template(spec, op).body, dict)
        and isinstance(template(spec, op).body.get("data"), list)
    ):
        return "list"
    return "other"


def _stateful(spec: Spec, collection: str) -> bool:
    """Whether a create makes the collection's objects (else they pre-exist)."""
    return _memo(spec, "stateful", collection, lambda: _has_create(spec, collection))


def _has_create(spec: Spec, collection: str) -> bool:
    for op in spec.operations:
        if op.path == collection and op.method == "POST" and _shape(spec, op) == "create":
            body = template(spec, op).body
            return isinstance(body, dict) and isinstance(body.get("id"), str)
    return False


def _concrete(template_path: str, path: dict[str, str]) -> str:
    for name, value in path.items():
        template_path = template_path.replace("{" + name + "}", value)
    return template_path


def _put(spec: Spec, pointer: str | None, obj: Any, fields: dict[str, Any]) -> Any:
    """``obj`` with each of ``fields`` the schema has set, where it stays valid."""
    if pointer is None or not isinstance(obj, dict):
        return obj
    for name, value in fields.items():
        candidate = {**obj, name: value}
        if candidate != obj and spec.is_valid(pointer, candidate):
            obj = candidate
    return obj


def _new_id(store: Store, body: Any, collection: str) -> str:
    found = _PREFIX.match(body.get("id", "")) if isinstance(body, dict) else None
    if found:
        return store.records.new_id(found.group(1), sep=found.group(2))
    return store.records.new_id(collection.rstrip("/").rsplit("/", 1)[-1][:8] or "obj")


def _is_upload(value: Any) -> bool:
    """A file part, or repeated ones (an array of files)."""
    parts = value if isinstance(value, list) else [value]
    return bool(parts) and all(isinstance(p, Upload) for p in parts)


async def handle(call: Call) -> Any:
    """Answer ``call.operation`` from its template and the collection it touches."""
    spec, op, records = call.spec, call.operation, call.store.records
    tpl = template(spec, op)
    shape, collection = _shape(spec, op), _collection(op)
    items = records.collections.setdefault(_concrete(collection, call.path), {})
    ids = dict(call.path)
    form = call.body if isinstance(call.body, dict) else {}
    uploads = {k: v if isinstance(v, list) else [v] for k, v in form.items() if _is_upload(v)}
    for name, parts in uploads.items():
        for upload in parts:
            if upload.content_type.startswith("image/"):
                require_image(upload, name)
    asked = (
        {k: v for k, v in call.body.items() if k not in uploads} if isinstance(call.body, dict) else {}
    )  # file parts are no answer's fields
    body = tpl.fresh()
    if shape == "create" and _stateful(spec, op.path):
        body = _put(spec, tpl.pointer, body, {**ids, **asked, "id": _new_id(call.store, body, op.path)})
        items[body["id"]] = body
    elif shape in ("retrieve", "modify", "delete"):
        body = _item(call, tpl, items, shape, collection, ids, asked)
    elif shape == "list" and _stateful(spec, op.path):
        body = _list(spec, tpl, body, list(items.values()), call.query)
    else:
        body = _put(spec, tpl.pointer, body, {**ids, **asked})
    return _render(call, tpl, body)


def _item(
    call: Call,
    tpl: Template,
    items: dict[str, Any],
    shape: str,
    collection: str,
    ids: dict[str, str],
    asked: dict[str, Any],
) -> Any:
    spec, records = call.spec, call.store.records
    item_id = call.path[call.operation.path.rsplit("{", 1)[-1].rstrip("}")]
    key = (_concrete(collection, call.path), item_id)
    stored = items.get(item_id)
    if (stored is None and _stateful(spec, collection)) or key in records.deleted:
        raise NotFound(f"No such object: {item_id}", param=call.operation.path.rsplit("{", 1)[-1].rstrip("}"))
    fields = {**ids, "id": item_id}
    if shape == "delete":
        items.pop(item_id, None)
        records.deleted.add(key)
        return _put(spec, tpl.pointer, tpl.fresh(), {**fields, "deleted": True})
    if shape == "modify":
        base = stored if stored is not None else tpl.fresh()
        stored = _put(spec, tpl.pointer, base, {**fields, **asked})
        if item_id in items:
            items[item_id] = stored
        return stored
    if stored is not None and tpl.pointer and spec.is_valid(tpl.pointer, stored):
        return stored
    return _put(spec, tpl.pointer, tpl.fresh(), fields)


def _list(spec: Spec, tpl: Template, body: dict[str, Any], items: list[Any], query: dict[str, Any]) -> Any:
    """The created objects the list schema takes, one page of them; the template's
    cursors stay where the page is empty and the schema wants strings."""
    fits = [i for i in items if tpl.pointer and spec.is_valid(tpl.pointer, {**body, "data": [i]})]
    return _put(spec, tpl.pointer, body, page(fits, query))


def _render(call: Call, tpl: Template, body: Any) -> Any:
    # stream: true streams even where only JSON is documented (runs): the API does
    if isinstance(call.body, dict) and call.body.get("stream") is True:
        return sse([body] if tpl.pointer else [], call.faults)
    if tpl.media_type is None:
        return Response(b"", status_code=tpl.status)
    if tpl.pointer is None:
        return Response(BINARY.get(tpl.media_type, b"\x00" * 16), status_code=tpl.status, media_type=tpl.media_type)
    if tpl.status != 200 or "undocumented_status" in call.faults:
        return render_json(body, call.faults, tpl.status)
    return body


def endpoint(spec: Spec, op: Operation) -> Endpoint:
    """The generic endpoint of ``op``; its fallback is the minimal valid request."""
    return Endpoint(handle, lambda _store: template(spec, op).request)


def endpoint_for(spec: Spec, op: Operation, hand_written: dict[str, Endpoint]) -> Endpoint:
    """The hand-written handler, its non-beta twin's (``beta_createResponse``), or the
    generic one."""
    return (
        hand_written.get(op.operation_id)
        or hand_written.get(op.operation_id.removeprefix("beta_"))
        or endpoint(spec, op)
    )


def route_order(ops: list[Operation]) -> list[Operation]:
    """Literal segments before parameters (``/threads/runs`` before ``/threads/{id}``),
    so that Starlette's first match is the most specific one."""
    return sorted(ops, key=lambda op: [s.startswith("{") for s in op.path.split("/")])
