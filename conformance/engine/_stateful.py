"""The stateful mode: workflows whose later calls use what earlier ones created.

Each workflow is a plain function over a ``Driver`` (the runner), so a check
that needs several requests (``file_roundtrip``, ``delete_effective``,
``fine_tune_lifecycle``, ``models_consistent``) reads as the steps it takes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from openai_conformance.strategies import Case, FilePart

from .._bodies import objects_in
from ..checks._base import Response
from ..results._tally import Failure
from ._fixtures import training_jsonl


class Driver(Protocol):
    def exchange(self, operation_id: str, case: Case) -> Response | None: ...
    def verdict(
        self, check: str, operation_id: str, case: Case, response: Response | None, failure: Failure | None
    ) -> None: ...
    def created(self, kind: str, identifier: str) -> None: ...
    def forget(self, kind: str, identifier: str) -> None: ...
    def has(self, operation_id: str) -> bool: ...


def _case(workflow: str, operation_id: str, path: str, **fields: Any) -> Case:
    method = fields.pop("method")
    return Case(operation_id=operation_id, method=method, path=path, mode=f"stateful:{workflow}", **fields)


def _body(response: Response | None) -> dict[str, Any]:
    return response.json if response is not None and isinstance(response.json, dict) else {}


def upload_training_file(driver: Driver, workflow: str) -> tuple[str | None, bytes]:
    content = training_jsonl()
    case = _case(
        workflow,
        "createFile",
        "/files",
        method="POST",
        media_type="multipart/form-data",
        form={"purpose": "fine-tune", "file": FilePart("training.jsonl", "application/jsonl", content)},
    )
    response = driver.exchange("createFile", case)
    file_id = _body(response).get("id")
    if isinstance(file_id, str) and response is not None and response.status < 300:
        driver.created("file", file_id)
        return file_id, content
    return None, content


def create_fine_tune(driver: Driver, workflow: str) -> str | None:
    """Upload a training file and start a fine-tune on it; its id, kept for cleanup."""
    file_id, _ = upload_training_file(driver, workflow)
    if file_id is None:
        return None
    create = _case(
        workflow,
        "createFineTune",
        "/fine-tunes",
        method="POST",
        media_type="application/json",
        json={"training_file": file_id},
    )
    got = driver.exchange("createFineTune", create)
    ft_id = _body(got).get("id")
    if not isinstance(ft_id, str) or got is None or got.status >= 300:
        return None
    driver.created("fine-tune", ft_id)
    return ft_id


def files_workflow(driver: Driver) -> None:
    """Upload, list, retrieve, download, delete, then retrieve again: 404."""
    w = "files"
    file_id, content = upload_training_file(driver, w)
    if file_id is None:
        return
    listed = driver.exchange("listFiles", _case(w, "listFiles", "/files", method="GET"))
    ids = [f.get("id") for f in objects_in(_body(listed))]
    failure = (
        None
        if file_id in ids
        else Failure("Uploaded file not listed", f"{file_id} in GET /files", f"{len(ids)} other files", pointer="/data")
    )
    case = _case(w, "listFiles", "/files", method="GET")
    driver.verdict("file_roundtrip", "listFiles", case, listed, failure)

    retrieve = _case(w, "retrieveFile", f"/files/{file_id}", method="GET", path_parameters={"file_id": file_id})
    got = driver.exchange("retrieveFile", retrieve)
    meta = _body(got)
    failure = None
    if meta.get("id") != file_id or meta.get("bytes") != len(content):
        failure = Failure(
            "Retrieved file metadata differs",
            f"id {file_id}, bytes {len(content)}",
            f"id {meta.get('id')}, bytes {meta.get('bytes')}",
        )
    driver.verdict("file_roundtrip", "retrieveFile", retrieve, got, failure)

    download = _case(w, "downloadFile", f"/files/{file_id}/content", method="GET", path_parameters={"file_id": file_id})
    got = driver.exchange("downloadFile", download)
    failure = None
    if got is None or got.content != content:
        received = got.content[:80] if got is not None else b"nothing"
        failure = Failure(
            "Downloaded bytes differ from the upload",
            f"{len(content)} bytes as uploaded",
            f"{len(got.content) if got else 0} bytes: {received!r}",
        )
    driver.verdict("file_roundtrip", "downloadFile", download, got, failure)
    delete_and_confirm(
        driver, w, "deleteFile", "retrieveFile", f"/files/{file_id}", {"file_id": file_id}, "file", file_id
    )


def delete_and_confirm(
    driver: Driver,
    w: str,
    delete_op: str,
    retrieve_op: str,
    path: str,
    params: dict[str, str],
    kind: str,
    identifier: str,
) -> None:
    delete = _case(w, delete_op, path, method="DELETE", path_parameters=params)
    got = driver.exchange(delete_op, delete)
    if got is None or got.status >= 300 or _body(got).get("deleted") is not True:
        return
    driver.forget(kind, identifier)
    again = _case(w, retrieve_op, path, method="GET", path_parameters=params)
    after = driver.exchange(retrieve_op, again)
    failure = None
    if after is not None and after.status != 404:
        failure = Failure(f"Deleted {kind} still retrievable", "404 after delete", f"Received: {after.status}")
    driver.verdict("delete_effective", delete_op, delete, after, failure)


def fine_tunes_workflow(driver: Driver) -> None:
    """Create from an uploaded file, retrieve, list, events, cancel, then check it cancelled."""
    w = "fine-tunes"
    ft_id = create_fine_tune(driver, w)
    if ft_id is None:
        return
    params = {"fine_tune_id": ft_id}
    # Cancel first: a real fine-tune may finish (and refuse a cancel) while we look at it.
    cancel = _case(w, "cancelFineTune", f"/fine-tunes/{ft_id}/cancel", method="POST", path_parameters=params)
    cancelled = driver.exchange("cancelFineTune", cancel)
    retrieve = _case(w, "retrieveFineTune", f"/fine-tunes/{ft_id}", method="GET", path_parameters=params)
    got = driver.exchange("retrieveFineTune", retrieve)
    body = _body(got)
    failure = (
        None
        if body.get("id") == ft_id
        else Failure("Retrieved fine-tune differs", ft_id, str(body.get("id")), pointer="/id")
    )
    driver.verdict("fine_tune_lifecycle", "retrieveFineTune", retrieve, got, failure)
    if cancelled is not None and cancelled.status < 300:
        failure = (
            None
            if body.get("status") == "cancelled"
            else Failure("Cancel did not cancel", "status cancelled", f"status {body.get('status')}", pointer="/status")
        )
        driver.verdict("fine_tune_lifecycle", "cancelFineTune", cancel, got, failure)

    listing = _case(w, "listFineTunes", "/fine-tunes", method="GET")
    got = driver.exchange("listFineTunes", listing)
    ids = [f.get("id") for f in objects_in(_body(got))]
    failure = (
        None
        if ft_id in ids
        else Failure(
            "Created fine-tune not listed", f"{ft_id} in GET /fine-tunes", f"{len(ids)} others", pointer="/data"
        )
    )
    driver.verdict("fine_tune_lifecycle", "listFineTunes", listing, got, failure)

    events = _case(w, "listFineTuneEvents", f"/fine-tunes/{ft_id}/events", method="GET", path_parameters=params)
    got = driver.exchange("listFineTuneEvents", events)
    failure = (
        None
        if _body(got).get("data")
        else Failure("A created fine-tune has no events", "at least one event", "none", pointer="/data")
    )
    driver.verdict("fine_tune_lifecycle", "listFineTuneEvents", events, got, failure)
    streamed = _case(
        w,
        "listFineTuneEvents",
        f"/fine-tunes/{ft_id}/events",
        method="GET",
        path_parameters=params,
        query={"stream": True},
    )
    driver.exchange("listFineTuneEvents", streamed)


def fine_tuned_model_workflow(driver: Driver) -> None:
    """A fine-tune run to success yields a model that is listed, retrievable, deletable."""
    w = "fine-tuned-model"
    ft_id = create_fine_tune(driver, w)
    if ft_id is None:
        return
    retrieve = _case(
        w, "retrieveFineTune", f"/fine-tunes/{ft_id}", method="GET", path_parameters={"fine_tune_id": ft_id}
    )
    model = None
    for _ in range(5):  # the status moves as it is polled; a real API takes hours
        body = _body(driver.exchange("retrieveFineTune", retrieve))
        if body.get("status") == "succeeded":
            model = body.get("fine_tuned_model")
            break
    if not isinstance(model, str):
        return
    driver.created("model", model)
    delete_and_confirm(driver, w, "deleteModel", "retrieveModel", f"/models/{model}", {"model": model}, "model", model)


def models_workflow(driver: Driver, *, limit: int = 20) -> None:
    """Every listed model (up to ``limit``) retrieved and compared with the list."""
    for list_op, get_op, root, param in (
        ("listModels", "retrieveModel", "/models", "model"),
        ("listEngines", "retrieveEngine", "/engines", "engine_id"),
    ):
        if not (driver.has(list_op) and driver.has(get_op)):
            continue
        w = root.strip("/")
        listed = driver.exchange(list_op, _case(w, list_op, root, method="GET"))
        for entry in objects_in(_body(listed))[:limit]:
            model_id = str(entry.get("id"))
            case = _case(w, get_op, f"{root}/{model_id}", method="GET", path_parameters={param: model_id})
            got = driver.exchange(get_op, case)
            body = _body(got)
            differs = [k for k in entry if k in body and body[k] != entry[k]] if body else ["(not retrievable)"]
            failure = None
            if differs:
                failure = Failure(
                    f"{model_id}: retrieve differs from list in {', '.join(differs)}",
                    f"{ {k: entry.get(k) for k in differs} }",
                    f"{ {k: body.get(k) for k in differs} }",
                )
            driver.verdict("models_consistent", get_op, case, got, failure)


WORKFLOWS: dict[str, tuple[Callable[[Driver], None], tuple[str, ...]]] = {
    # name -> (workflow, operations it needs)
    "files": (files_workflow, ("createFile", "listFiles", "retrieveFile", "downloadFile", "deleteFile")),
    "fine-tunes": (fine_tunes_workflow, ("createFile", "createFineTune", "retrieveFineTune", "cancelFineTune")),
    "fine-tuned-model": (
        fine_tuned_model_workflow,
        ("createFile", "createFineTune", "retrieveFineTune", "deleteModel"),
    ),
    "models": (models_workflow, ()),
}
