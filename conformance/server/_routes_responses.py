"""The Responses API: create (plain, background, streamed), retrieve, delete,
cancel and input items, stateful and chained by ``previous_response_id``."""

from __future__ import annotations

from typing import Any

from ._common import require_model
from ._errors import InvalidRequest, NotFound
from ._modern import EXAMPLE_INPUT, EXAMPLE_RESPONSE_IDS, StoredResponse
from ._registry import Call, Registry
from ._responses_api import generate, input_items, previous, response_object
from ._responses_stream import stream
from ._routes_chat import answered_model

routes = Registry()

# A background response moves one step per retrieve, as a real one moves with time.
NEXT = {"queued": "in_progress"}


def _new_id(call: Call) -> Any:
    return lambda prefix: call.store.new_id(prefix, 48).replace("-", "_", 1)


@routes.handles("createResponse", fallback={"model": "gpt-4o-mini", "input": "Say this"})
async def create_response(call: Call) -> Any:
    body = call.body
    model = require_model(call, body.get("model"))
    return _create(call, body, model, None)


def _create(call: Call, body: dict[str, Any], model: str, response_id: str | None) -> Any:
    """Make (and keep, unless ``store: false``) one response; ``response_id`` fixes its id."""
    responses = call.store.modern.responses
    new_id = _new_id(call)
    items = input_items(body.get("input"), new_id)
    history = previous(responses, body.get("previous_response_id")) + items
    made = generate(body, model, history, new_id, call.faults)
    response_id = response_id or new_id("resp")
    status = "queued" if body.get("background") else None
    answer = response_object(body, response_id, answered_model(call, model), made, status)
    if call.has("responses_text_mismatch"):
        answer["output_text"] = "output_text of another answer"
    if body.get("store") is not False or body.get("background"):
        responses[response_id] = StoredResponse(answer, items, history + made.output, (body, made) if status else None)
    if body.get("stream"):
        return stream(answer, call.faults)
    return answer


def _stored(call: Call) -> StoredResponse:
    modern = call.store.modern
    if not modern.examples_added:
        modern.examples_added = True
        for example_id in EXAMPLE_RESPONSE_IDS:
            _create(call, {"input": EXAMPLE_INPUT}, "gpt-4o", example_id)
    response_id = call.path["response_id"]
    found = call.store.modern.responses.get(response_id)
    if found is None:
        raise NotFound(f"Response with id '{response_id}' not found.", param="response_id")
    return found


@routes.handles("getResponse")
async def get_response(call: Call) -> Any:
    found = _stored(call)
    if found.pending is not None:
        body, made = found.pending
        status = NEXT.get(found.response["status"], made.status)
        model = found.response["model"]
        found.response = response_object(body, found.response["id"], model, made, status)
        if status == made.status:
            found.pending = None
    return found.response


@routes.handles("deleteResponse")
async def delete_response(call: Call) -> Any:
    found = _stored(call)
    if not call.has("responses_delete_noop"):
        del call.store.modern.responses[found.response["id"]]
    return {"id": found.response["id"], "object": "response.deleted", "deleted": True}


@routes.handles("cancelResponse")
async def cancel_response(call: Call) -> Any:
    found = _stored(call)
    if not found.response.get("background"):
        raise InvalidRequest("Only responses created with background=true can be cancelled.", param="response_id")
    if found.pending is not None:
        found.response = {**found.response, "status": "cancelled", "output": [], "output_text": ""}
        found.response.pop("usage", None)
        found.pending = None
    return found.response


@routes.handles("listInputItems")
async def list_input_items(call: Call) -> Any:
    items = list(_stored(call).input_items)
    if call.query.get("order", "desc") == "desc":
        items.reverse()
    after = call.query.get("after")
    if after is not None:
        ids = [item["id"] for item in items]
        items = items[ids.index(after) + 1 :] if after in ids else []
    limit = int(call.query.get("limit") or 20)
    page = items[:limit]
    return {
        "object": "list",
        "data": page,
        "has_more": len(items) > limit,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
    }
