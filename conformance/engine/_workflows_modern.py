"""Stateful workflows of the 2.x surface: stored chat completions, Responses, batches, jobs.

Each is a plain function over the runner (the ``Driver`` of ``_stateful``, plus
its ``spec`` and ``pools``), reached through the 2.x profile. Request bodies
start from the operation's own curl example (its model, its shape), so a new
document brings its own values; every object made is deleted or cancelled.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from .._bodies import objects_in
from ..checks._base import Response
from ..checks._responses_reading import output_text
from ..results._tally import Failure
from ._stateful import Driver, _body, _case

if TYPE_CHECKING:
    from openai_conformance.spec import Spec
    from openai_conformance.strategies import Pools


class ModernDriver(Driver, Protocol):
    spec: Spec
    pools: Pools


def _model(driver: ModernDriver, operation_id: str, fallback: str) -> str:
    """The model of the operation's curl example, if the target lists it; else one it lists."""
    from openai_conformance.spec import CurlParseError, operation_examples, parse_curl

    shown = fallback
    for example in operation_examples(driver.spec.operation(operation_id), "curl"):
        try:
            body = parse_curl(example.text).json
        except CurlParseError:
            continue
        if isinstance(body, dict) and isinstance(body.get("model"), str):
            shown = body["model"]
            break
    listed = driver.pools.models
    return shown if shown in listed or not listed else listed[0]


def _ok(response: Response | None) -> bool:
    return response is not None and 200 <= response.status < 300


def _same(label: str, want: Any, got: Any, pointer: str) -> Failure | None:
    return None if want == got else Failure(f"{label} differs", repr(want)[:120], repr(got)[:120], pointer=pointer)


def response_roundtrip_workflow(driver: ModernDriver) -> None:
    """Create a stored response, retrieve it, list its input items, delete it, then 404.

    First a response cut by the smallest ``max_output_tokens`` the document allows,
    for ``response_status`` (which every exchange applies): it must end incomplete.
    """
    from ..profiles import request_keyword

    w = "responses"
    model = _model(driver, "createResponse", "gpt-4.1")
    least = request_keyword(driver.spec, driver.spec.operation("createResponse"), "max_output_tokens", "minimum")
    short = {
        "model": model,
        "input": "Write a long story about the sea.",
        "store": False,
        "max_output_tokens": least if isinstance(least, int) else 16,
    }
    driver.exchange(
        "createResponse",
        _case(w, "createResponse", "/responses", method="POST", media_type="application/json", json=short),
    )
    prompt = "Say hello to the conformance suite."
    body = {"model": model, "input": prompt, "store": True}
    create = _case(w, "createResponse", "/responses", method="POST", media_type="application/json", json=body)
    made = _body(driver.exchange("createResponse", create))
    rid = made.get("id")
    if not isinstance(rid, str):
        return
    params = {"response_id": rid}
    get = _case(w, "getResponse", f"/responses/{rid}", method="GET", path_parameters=params)
    got = driver.exchange("getResponse", get)
    fetched = _body(got)
    failure = None
    for key in ("id", "created_at", "status", "model"):
        failure = failure or _same(f"Retrieved response's {key}", made.get(key), fetched.get(key), f"/{key}")
    failure = failure or _same("Retrieved response's text", output_text(made), output_text(fetched), "/output")
    driver.verdict("response_roundtrip", "getResponse", get, got, failure)

    items = _case(w, "listInputItems", f"/responses/{rid}/input_items", method="GET", path_parameters=params)
    listed = driver.exchange("listInputItems", items)
    texts = json.dumps(objects_in(_body(listed)))
    failure = (
        None
        if prompt in texts
        else Failure("Input items lack the input sent", repr(prompt), texts[:120], pointer="/data")
    )
    driver.verdict("response_roundtrip", "listInputItems", items, listed, failure)
    _delete_then_gone(driver, w, "response_roundtrip", ("deleteResponse", "getResponse"), f"/responses/{rid}", params)


def _delete_then_gone(
    driver: ModernDriver, w: str, check: str, ops: tuple[str, str], path: str, params: dict[str, str]
) -> None:
    """Delete; a delete that answers deleted: true must leave a 404 behind."""
    delete_op, get_op = ops
    delete = _case(w, delete_op, path, method="DELETE", path_parameters=params)
    answer = driver.exchange(delete_op, delete)
    if not _ok(answer) or _body(answer).get("deleted") is not True:
        failure = Failure(
            "Delete did not answer deleted: true", "deleted: true", repr(_body(answer))[:120], pointer="/deleted"
        )
        driver.verdict(check, delete_op, delete, answer, failure)
        return
    again = _case(w, get_op, path, method="GET", path_parameters=params)
    after = driver.exchange(get_op, again)
    gone = (
        None
        if after is None or after.status == 404
        else Failure("Deleted object still retrievable", "404 after delete", f"Received: {after.status}")
    )
    driver.verdict(check, delete_op, delete, after, gone)


def stored_completion_workflow(driver: ModernDriver) -> None:
    """store: true chat completion -> retrieve -> list -> update metadata -> messages -> delete -> 404."""
    w = "stored-completions"
    question = "Say this is a stored test."
    body = {
        "model": _model(driver, "createChatCompletion", "gpt-4o"),
        "store": True,
        "metadata": {"suite": "openai-conformance"},
        "messages": [{"role": "user", "content": question}],
    }
    create = _case(
        w, "createChatCompletion", "/chat/completions", method="POST", media_type="application/json", json=body
    )
    made = _body(driver.exchange("createChatCompletion", create))
    cid = made.get("id")
    if not isinstance(cid, str):
        return
    params, path = {"completion_id": cid}, f"/chat/completions/{cid}"
    get = _case(w, "getChatCompletion", path, method="GET", path_parameters=params)
    got = driver.exchange("getChatCompletion", get)
    driver.verdict(
        "stored_completion_roundtrip",
        "getChatCompletion",
        get,
        got,
        _same("Retrieved completion's id", cid, _body(got).get("id"), "/id"),
    )

    listing = _case(w, "listChatCompletions", "/chat/completions", method="GET", query={"limit": 100})
    listed = driver.exchange("listChatCompletions", listing)
    ids = [c.get("id") for c in objects_in(_body(listed))]
    failure = (
        None
        if cid in ids
        else Failure(
            "Stored completion not listed", f"{cid} in GET /chat/completions", f"{len(ids)} others", pointer="/data"
        )
    )
    driver.verdict("stored_completion_roundtrip", "listChatCompletions", listing, listed, failure)

    metadata = {"suite": "openai-conformance", "step": "updated"}
    update = _case(
        w,
        "updateChatCompletion",
        path,
        method="POST",
        path_parameters=params,
        media_type="application/json",
        json={"metadata": metadata},
    )
    updated = driver.exchange("updateChatCompletion", update)
    driver.verdict(
        "stored_completion_roundtrip",
        "updateChatCompletion",
        update,
        updated,
        _same("Updated metadata", metadata, _body(updated).get("metadata"), "/metadata"),
    )

    messages = _case(w, "getChatCompletionMessages", f"{path}/messages", method="GET", path_parameters=params)
    said = driver.exchange("getChatCompletionMessages", messages)
    contents = [m.get("content") for m in objects_in(_body(said))]
    failure = (
        None
        if question in contents
        else Failure("Stored messages lack the request's", repr(question), repr(contents)[:120], pointer="/data")
    )
    driver.verdict("stored_completion_roundtrip", "getChatCompletionMessages", messages, said, failure)
    _delete_then_gone(
        driver, w, "stored_completion_roundtrip", ("deleteChatCompletion", "getChatCompletion"), path, params
    )


def _workflows() -> dict[str, tuple[Any, tuple[str, ...]]]:
    from ._workflows_jobs import batch_workflow, fine_tuning_job_workflow

    return {
        # name -> (workflow, operations it needs)
        "stored-completions": (
            stored_completion_workflow,
            (
                "createChatCompletion",
                "getChatCompletion",
                "listChatCompletions",
                "updateChatCompletion",
                "getChatCompletionMessages",
                "deleteChatCompletion",
            ),
        ),
        "responses": (
            response_roundtrip_workflow,
            ("createResponse", "getResponse", "listInputItems", "deleteResponse"),
        ),
        "batches": (batch_workflow, ("createFile", "createBatch", "retrieveBatch", "downloadFile")),
        "fine-tuning-jobs": (
            fine_tuning_job_workflow,
            (
                "createFile",
                "createFineTuningJob",
                "listFineTuningEvents",
                "cancelFineTuningJob",
                "retrieveFineTuningJob",
            ),
        ),
    }


MODERN_WORKFLOWS = _workflows()
