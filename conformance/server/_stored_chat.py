"""Stored chat completions: what ``store: true`` keeps, and the operations that read it.

``remember_chat_completion(store, request_body, completion)`` is the one entry point
createChatCompletion calls; the handlers here (get, list, update, delete, messages)
answer from what it kept, as the real API shows a stored completion: the answer and
the request's sampling parameters, metadata and messages.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._errors import NotFound
from ._paging import page
from ._registry import Call, Registry

if TYPE_CHECKING:
    from ._store import Store

routes = Registry()

# Request fields a stored completion shows beside the answer (null when not sent).
ECHOED = (
    "tool_choice",
    "seed",
    "top_p",
    "temperature",
    "presence_penalty",
    "frequency_penalty",
    "tools",
    "service_tier",
)


@dataclass
class StoredCompletion:
    completion: dict[str, Any]
    request: dict[str, Any]
    metadata: dict[str, str]
    messages: list[dict[str, Any]]


def remember_chat_completion(store: Store, request_body: dict[str, Any], completion: dict[str, Any]) -> None:
    """Keep ``completion`` (the answer to ``request_body``) for the stored-completion
    operations; call it when the request asked ``store: true``. Later changes to
    either argument do not reach what is kept."""
    body = copy.deepcopy(request_body)
    kept = StoredCompletion(
        copy.deepcopy(completion),
        body,
        dict(body.get("metadata") or {}),
        _messages(completion["id"], body.get("messages") or []),
    )
    store.records.stored_completions[completion["id"]] = kept


def _messages(completion_id: str, sent: list[Any]) -> list[dict[str, Any]]:
    """The request's messages as the messages list shows them (text in ``content``,
    parts in ``content_parts``), each with an id ``<completion id>-<index>``."""
    out = []
    for index, message in enumerate(sent):
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        parts = content if isinstance(content, list) else None
        text = "".join(p.get("text", "") for p in parts if isinstance(p, dict)) if parts else content
        out.append(
            {
                "id": f"{completion_id}-{index}",
                "role": message.get("role"),
                "content": text if isinstance(text, str) else None,
                "refusal": None,
                "name": message.get("name"),
                "content_parts": parts,
            }
        )
    return out


def stored_view(kept: StoredCompletion) -> dict[str, Any]:
    """The stored completion as get and list answer it."""
    view = copy.deepcopy(kept.completion)
    view.update({name: kept.request.get(name) for name in ECHOED})
    view["metadata"] = dict(kept.metadata)
    view["input_user"] = kept.request.get("user")
    return view


def _find(call: Call) -> StoredCompletion:
    completion_id = call.path["completion_id"]
    found = call.store.records.stored_completions.get(completion_id)
    if found is None:
        raise NotFound(f"Completion with id '{completion_id}' not found.", param="completion_id")
    return found


@routes.handles("getChatCompletion")
async def get_chat_completion(call: Call) -> Any:
    return stored_view(_find(call))


@routes.handles("listChatCompletions")
async def list_chat_completions(call: Call) -> Any:
    model, wanted = call.query.get("model"), dict(call.query.get("metadata") or {})
    wanted.update(
        {
            k[len("metadata[") : -1]: v
            for k, v in call.request.query_params.items()
            if k.startswith("metadata[") and k.endswith("]")
        }
    )  # the SDK's deepObject
    kept = (
        []
        if call.has("stored_completion_not_listed")
        else [
            stored_view(k)
            for k in call.store.records.stored_completions.values()
            if (model is None or k.request.get("model") == model)
            and all(k.metadata.get(key) == v for key, v in wanted.items())
        ]
    )
    return {"first_id": "", "last_id": "", **page(kept, call.query, order="asc")}


@routes.handles("updateChatCompletion", fallback={"metadata": {"topic": "test"}})
async def update_chat_completion(call: Call) -> Any:
    kept = _find(call)
    kept.metadata = dict(call.body.get("metadata") or {})
    return stored_view(kept)


@routes.handles("deleteChatCompletion")
async def delete_chat_completion(call: Call) -> Any:
    kept = _find(call)
    del call.store.records.stored_completions[kept.completion["id"]]
    return {"object": "chat.completion.deleted", "id": kept.completion["id"], "deleted": True}


@routes.handles("getChatCompletionMessages")
async def get_chat_completion_messages(call: Call) -> Any:
    listed = page(_find(call).messages, call.query, order="asc")
    return {"first_id": "", "last_id": "", **listed}
