"""The schema-driven handler: every 2.3.0 operation without a hand-written handler
answers a minimal valid request with a body valid against its documented schema,
and collections keep what was created until it is deleted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from server_helpers import Client
from surface2_probes import SPEC

from openai_conformance.server import serve_in_thread
from openai_conformance.server._app import ENDPOINTS
from openai_conformance.server._templates import instances, template
from openai_conformance.spec import Operation, Spec, load_spec

MULTIPART = "multipart/form-data"


@pytest.fixture(scope="module")
def modern() -> Spec:
    return load_spec(SPEC)


@pytest.fixture(scope="module")
def api(modern: Spec) -> Iterator[Client]:
    with serve_in_thread(spec=modern) as server:
        client = Client(server)
        yield client
        client.session.close()


def _generic_ops(spec: Spec) -> list[Operation]:
    return [
        op
        for op in spec.operations
        if op.operation_id not in ENDPOINTS and op.operation_id.removeprefix("beta_") not in ENDPOINTS
    ]


def _send(api: Client, spec: Spec, op: Operation) -> Any:
    path = op.path
    for param in op.parameters_in("path"):
        path = path.replace("{" + param.name + "}", "x1")
    query = {**op.fixed_query}
    for param in op.parameters_in("query"):
        if param.required:
            query[param.name] = str(instances(spec).of(param.schema))
    kwargs: dict[str, Any] = {"params": query}
    body = template(spec, op).request
    if op.request_body is not None:
        media = MULTIPART if MULTIPART in op.request_body.content else next(iter(op.request_body.content))
        if media == MULTIPART:
            properties = spec.resolve(op.request_body.content[media].schema).get("properties", {})
            binary = {k for k, v in properties.items() if spec.resolve(v).get("format") == "binary"}
            # (None, text): a text part, so that the body is multipart even with no file
            kwargs["files"] = {
                k: ("f.bin", b"data") if k in binary else (None, v if isinstance(v, str) else json.dumps(v))
                for k, v in body.items()
            } or {"_": (None, "")}
        elif "json" in media:
            kwargs["json"] = body
        else:
            kwargs["data"] = b"v=0\r\n"
            kwargs["headers"] = {"Content-Type": media}
    return api.request(op.method, path, **kwargs)


def test_every_generic_operation_answers_its_documented_schema(api: Client, modern: Spec) -> None:
    ops = _generic_ops(modern)
    assert len(ops) > 150
    wrong = []
    for op in ops:
        answer = _send(api, modern, op)
        if answer.status_code == 404:  # an item of a collection nothing created yet
            error = answer.json()["error"]
            if error["param"] != op.path.rsplit("{", 1)[-1].rstrip("}"):
                wrong.append(f"{op.operation_id}: 404 {error}")
            continue
        tpl = template(modern, op)
        if answer.status_code != tpl.status:
            wrong.append(f"{op.operation_id}: {answer.status_code} {answer.text[:200]}")
        elif tpl.pointer is not None:
            errors = list(modern.validator(tpl.pointer).iter_errors(answer.json()))
            if errors:
                wrong.append(f"{op.operation_id}: {errors[0].message[:200]}")
    assert wrong == []


@pytest.mark.parametrize(
    ("collection", "create", "field"),
    [("/vector_stores", {"name": "docs"}, "name"), ("/assistants", {"model": "gpt-4o", "name": "helper"}, "name")],
)
def test_create_retrieve_list_delete_roundtrip(
    modern: Spec, collection: str, create: dict[str, Any], field: str
) -> None:
    with serve_in_thread(spec=modern) as server:
        api = Client(server)
        _roundtrip(api, collection, create, field)
        api.session.close()


def _roundtrip(api: Client, collection: str, create: dict[str, Any], field: str) -> None:
    made = [api.post(collection, json=create).json() for _ in range(3)]
    assert all(m[field] == create[field] for m in made)
    first = made[0]["id"]
    assert api.get(f"{collection}/{first}").json() == made[0]
    listed = api.get(collection, params={"limit": 2, "order": "asc"}).json()
    ids = [m["id"] for m in made]
    assert [x["id"] for x in listed["data"]] == ids[:2] and listed["has_more"] is True
    rest = api.get(collection, params={"after": listed["last_id"], "order": "asc"}).json()
    assert ids[2] in [x["id"] for x in rest["data"]] and ids[0] not in [x["id"] for x in rest["data"]]
    modified = api.post(f"{collection}/{first}", json={"metadata": {"k": "v"}}).json()
    assert modified["metadata"] == {"k": "v"} and api.get(f"{collection}/{first}").json()["metadata"] == {"k": "v"}
    deleted = api.delete(f"{collection}/{first}").json()
    assert deleted["id"] == first and deleted["deleted"] is True
    gone = api.get(f"{collection}/{first}")
    assert gone.status_code == 404 and gone.json()["error"]["param"]
    assert first not in [x["id"] for x in api.get(collection).json()["data"]]


def test_a_required_query_parameter_left_out_is_refused(api: Client) -> None:
    missing = api.get("/organization/usage/completions", params={"limit": 2})
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "start_time"
    assert api.get("/organization/usage/completions", params={"start_time": 0}).status_code == 200


@pytest.mark.parametrize("name", ["include", "include[]"])
def test_an_array_query_parameter_is_read_from_its_repeated_values(api: Client, name: str) -> None:
    # the document's curls write include[]=content; requests repeats include=content
    made = api.post("/organization/certificates", json={"content": "-----BEGIN CERTIFICATE-----"})
    ident = made.json()["id"] if made.status_code == 200 else "cert_x"
    answer = api.get(f"/organization/certificates/{ident}", params=[(name, "content"), (name, "content")])
    assert answer.status_code in (200, 404), answer.text
    wrong = api.get(f"/organization/certificates/{ident}", params=[(name, "frobnicate")])
    assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "include"


def test_an_optional_body_may_be_left_out_but_not_sent_broken(api: Client) -> None:
    # updateConversation documents a body it does not require: none at all is valid
    made = api.post("/conversations", json={}).json()["id"]
    assert api.post(f"/conversations/{made}").status_code == 200
    assert api.post(f"/conversations/{made}", data="{", headers={"Content-Type": "application/json"}).status_code == 400
    # JSON null is a body, not a body left out: validated like any other
    assert api.post("/embeddings", data="null", headers={"Content-Type": "application/json"}).status_code == 400


def test_a_part_sent_as_an_image_must_be_one(api: Client) -> None:
    from server_helpers import png

    sent = {"file": ("image.png", b"this is not an image\n", "image/png")}
    refused = api.post("/content_provenance_checks", files=sent)
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "file"
    assert api.post("/content_provenance_checks", files={"file": ("image.png", png(), "image/png")}).status_code == 200
