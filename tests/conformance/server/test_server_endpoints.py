"""Every other operation over HTTP: edits, embeddings, moderations, images, files,
fine-tunes, models, engines and the deprecated search, answers, classifications."""

from __future__ import annotations

import base64
import io
import json
import math

import pytest
from PIL import Image
from server_helpers import TRAINING, events, png, upload_file


def test_edit_n_choices_and_usage(client, check_schema) -> None:
    body = {
        "model": "text-davinci-edit-001",
        "input": "What day of the wek is it?",
        "instruction": "Fix the spelling mistakes",
        "n": 3,
    }
    response = client.post("/edits", json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    check_schema("createEdit", answer)
    assert [c["index"] for c in answer["choices"]] == [0, 1, 2]
    usage = answer["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


@pytest.mark.parametrize(
    ("given", "count"),
    [("one text", 1), (["a", "b", "c"], 3), ([1, 2, 3], 1), ([[1, 2], [3]], 2)],
    ids=["string", "strings", "tokens", "token-arrays"],
)
def test_embeddings_one_unit_vector_per_input_in_order(client, check_schema, given, count) -> None:
    response = client.post("/embeddings", json={"model": "text-embedding-ada-002", "input": given})
    assert response.status_code == 200, response.text
    answer = response.json()
    check_schema("createEmbedding", answer)
    assert [item["index"] for item in answer["data"]] == list(range(count))
    for item in answer["data"]:
        assert len(item["embedding"]) == 1536
        assert math.isclose(math.fsum(x * x for x in item["embedding"]), 1.0, rel_tol=1e-9)
    again = client.post("/embeddings", json={"model": "text-embedding-ada-002", "input": given})
    assert again.json()["data"] == answer["data"]


def test_embedding_dimension_is_per_model(client) -> None:
    answer = client.post("/embeddings", json={"model": "ada", "input": "x"}).json()
    assert len(answer["data"][0]["embedding"]) == 1024


def test_moderation_results_are_consistent(client, check_schema) -> None:
    inputs = ["I want to kill them.", "What a lovely day"]
    response = client.post("/moderations", json={"input": inputs})
    assert response.status_code == 200, response.text
    answer = response.json()
    check_schema("createModeration", answer)
    assert len(answer["results"]) == 2
    for result in answer["results"]:
        assert result["flagged"] == any(result["categories"].values())
        assert len(result["categories"]) == len(result["category_scores"]) == 7
    assert [r["flagged"] for r in answer["results"]] == [True, False]


@pytest.mark.parametrize("size", ["256x256", "512x512", "1024x1024"])
def test_image_generation_b64_has_the_asked_size(client, check_schema, size) -> None:
    body = {"prompt": "An otter", "n": 2, "size": size, "response_format": "b64_json"}
    answer = client.post("/images/generations", json=body).json()
    check_schema("createImage", answer)
    assert len(answer["data"]) == 2
    for item in answer["data"]:
        image = Image.open(io.BytesIO(base64.b64decode(item["b64_json"])))
        assert image.format == "PNG" and image.size == tuple(map(int, size.split("x")))


def test_image_url_is_served_by_the_server(client) -> None:
    answer = client.post("/images/generations", json={"prompt": "An otter", "size": "256x256"})
    url = answer.json()["data"][0]["url"]
    assert url.startswith(client.server.base_url)
    fetched = client.session.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(fetched.content)).size == (256, 256)


def test_image_edit_and_variation_take_multipart(client, check_schema) -> None:
    edit = client.post(
        "/images/edits",
        files={"image": ("i.png", png(), "image/png")},
        data={"prompt": "A hat", "n": "2", "size": "256x256"},
    )
    assert edit.status_code == 200, edit.text
    check_schema("createImageEdit", edit.json())
    assert len(edit.json()["data"]) == 2
    masked = client.post(
        "/images/edits",
        data={"prompt": "A hat", "size": "256x256"},
        files={"image": ("i.png", png(alpha=False), "image/png"), "mask": ("m.png", png(), "image/png")},
    )
    assert masked.status_code == 200, masked.text
    variation = client.post(
        "/images/variations",
        files={"image": ("i.png", png(), "image/png")},
        data={"response_format": "b64_json", "size": "512x512"},
    )
    assert variation.status_code == 200, variation.text
    check_schema("createImageVariation", variation.json())


@pytest.mark.parametrize(
    ("files", "param"),
    [
        ({"image": ("i.png", png(64, height=32), "image/png")}, "image"),
        ({"image": ("i.jpg", png(alpha=False, fmt="JPEG"), "image/jpeg")}, "image"),
        ({"image": ("i.png", b"not an image", "image/png")}, "image"),
        ({"image": ("i.png", png(alpha=False), "image/png")}, "image"),
        ({"image": ("i.png", png(64), "image/png"), "mask": ("m.png", png(32), "image/png")}, "mask"),
        ({"image": ("i.png", b"\x89PNG" + b"0" * (4 * 1024 * 1024), "image/png")}, "image"),
    ],
    ids=["not-square", "jpeg", "garbage", "opaque-without-mask", "mask-size", "over-4MB"],
)
def test_image_edit_rules(client, files, param) -> None:
    response = client.post("/images/edits", files=files, data={"prompt": "A hat"})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == param


def test_file_lifecycle_keeps_exact_bytes(client, check_schema) -> None:
    data = b'{"text": "caf\xc3\xa9"}\r\n\x00binary-ish\n'
    created = upload_file(client, data, purpose="search", name="odd.jsonl")
    assert created.status_code == 200, created.text
    check_schema("createFile", created.json())
    file_id = created.json()["id"]
    assert created.json()["bytes"] == len(data)
    assert file_id in [f["id"] for f in client.get("/files").json()["data"]]
    check_schema("listFiles", client.get("/files").json())
    check_schema("retrieveFile", client.get(f"/files/{file_id}").json())
    assert client.get(f"/files/{file_id}/content").content == data
    deleted = client.delete(f"/files/{file_id}")
    check_schema("deleteFile", deleted.json())
    assert deleted.json() == {"id": file_id, "object": "file", "deleted": True}
    for path in (f"/files/{file_id}", f"/files/{file_id}/content"):
        gone = client.get(path)
        assert gone.status_code == 404 and "error" in gone.json()
    assert client.delete(f"/files/{file_id}").status_code == 404


@pytest.mark.parametrize(
    "data",
    [b"", b"not json\n", b'{"prompt": "only"}\n', b"[1, 2]\n"],
    ids=["empty", "not-json", "no-completion", "not-object"],
)
def test_fine_tune_files_must_be_prompt_completion_jsonl(client, data) -> None:
    response = upload_file(client, data)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == "file"


def _fine_tune(client) -> dict:
    file_id = upload_file(client, TRAINING).json()["id"]
    created = client.post("/fine-tunes", json={"training_file": file_id, "model": "ada"})
    assert created.status_code == 200, created.text
    return created.json()


def test_fine_tune_moves_to_succeeded_and_adds_a_model(client, check_schema) -> None:
    job = _fine_tune(client)
    check_schema("createFineTune", job)
    statuses = [job["status"]]
    for _ in range(3):
        retrieved = client.get(f"/fine-tunes/{job['id']}").json()
        check_schema("retrieveFineTune", retrieved)
        statuses.append(retrieved["status"])
    assert statuses == ["pending", "running", "succeeded", "succeeded"]
    model = retrieved["fine_tuned_model"]
    assert model.startswith("ada:ft-conformance-")
    assert len(retrieved["events"]) > len(job["events"])
    listed = client.get("/models").json()
    assert model in [m["id"] for m in listed["data"]]
    assert client.get(f"/models/{model}").json()["id"] == model
    deleted = client.delete(f"/models/{model}")
    check_schema("deleteModel", deleted.json())
    assert deleted.json()["deleted"] is True
    assert client.get(f"/models/{model}").status_code == 404
    assert job["id"] in [j["id"] for j in client.get("/fine-tunes").json()["data"]]
    check_schema("listFineTunes", client.get("/fine-tunes").json())


def test_fine_tune_cancel(client, check_schema) -> None:
    job = _fine_tune(client)
    cancelled = client.post(f"/fine-tunes/{job['id']}/cancel")
    assert cancelled.status_code == 200
    check_schema("cancelFineTune", cancelled.json())
    assert cancelled.json()["status"] == "cancelled"
    assert client.get(f"/fine-tunes/{job['id']}").json()["status"] == "cancelled"
    again = client.post(f"/fine-tunes/{job['id']}/cancel")
    assert again.status_code == 400 and "error" in again.json()


def test_fine_tune_from_unknown_or_wrong_file(client) -> None:
    unknown = client.post("/fine-tunes", json={"training_file": "file-nope"})
    assert unknown.status_code == 404
    search_file = upload_file(client, b"{}\n", purpose="search").json()["id"]
    wrong = client.post("/fine-tunes", json={"training_file": search_file})
    assert wrong.status_code == 400
    assert client.get("/fine-tunes/ft-nope").status_code == 404


def test_fine_tune_events_plain_and_streamed(client, check_schema) -> None:
    job = _fine_tune(client)
    plain = client.get(f"/fine-tunes/{job['id']}/events").json()
    check_schema("listFineTuneEvents", plain)
    assert len(plain["data"]) == len(job["events"])
    streamed = client.get(f"/fine-tunes/{job['id']}/events", params={"stream": "true"})
    assert streamed.headers["content-type"].startswith("text/event-stream")
    data = events(streamed)
    assert data[-1] == "[DONE]"
    messages = [json.loads(item)["message"] for item in data[:-1]]
    assert messages[-1] == "Job succeeded."
    assert client.get(f"/fine-tunes/{job['id']}").json()["status"] == "succeeded"
    bad = client.get(f"/fine-tunes/{job['id']}/events", params={"stream": "maybe"})
    assert bad.status_code == 400


def test_models_and_engines(client, check_schema) -> None:
    models = client.get("/models").json()
    check_schema("listModels", models)
    ids = [m["id"] for m in models["data"]]
    for needed in ("text-davinci-003", "text-embedding-ada-002", "VAR_model_id", "davinci"):
        assert needed in ids
    for model in models["data"][:5]:
        retrieved = client.get(f"/models/{model['id']}").json()
        check_schema("retrieveModel", retrieved)
        assert retrieved == model
    assert client.get("/models/no-such-model").status_code == 404
    assert client.delete("/models/davinci").status_code == 403
    assert client.delete("/models/no-such-model").status_code == 404
    engines = client.get("/engines").json()
    check_schema("listEngines", engines)
    check_schema("retrieveEngine", client.get("/engines/davinci").json())
    assert client.get("/engines/nope").status_code == 404


def test_search(client, check_schema) -> None:
    body = {"documents": ["White House", "hospital", "school"], "query": "the White House"}
    answer = client.post("/engines/davinci/search", json=body).json()
    check_schema("createSearch", answer)
    assert [d["document"] for d in answer["data"]] == [0, 1, 2]
    assert answer["data"][0]["score"] > answer["data"][1]["score"]
    file_id = upload_file(client, b'{"text": "White House"}\n{"text": "a tree"}\n', purpose="search").json()["id"]
    from_file = client.post("/engines/ada/search", json={"file": file_id, "query": "house"})
    assert len(from_file.json()["data"]) == 2
    assert client.post("/engines/ada/search", json={"query": "x"}).status_code == 400
    assert client.post("/engines/nope/search", json=body).status_code == 404


def test_answers_and_classifications(client, check_schema) -> None:
    answer = client.post(
        "/answers",
        json={
            "documents": ["Puppy A is happy.", "Puppy B is sad."],
            "question": "which puppy is happy?",
            "search_model": "ada",
            "model": "curie",
            "examples_context": "In 2017, life was 78.",
            "examples": [["What is life expectancy?", "78 years."]],
            "max_tokens": 5,
            "n": 2,
        },
    )
    assert answer.status_code == 200, answer.text
    check_schema("createAnswer", answer.json())
    assert len(answer.json()["answers"]) == 2
    assert answer.json()["selected_documents"][0]["document"] == 0
    classified = client.post(
        "/classifications",
        json={
            "examples": [["A happy moment", "Positive"], ["I am sad.", "Negative"]],
            "labels": ["Positive", "Negative", "Neutral"],
            "query": "I am so sad",
            "model": "curie",
        },
    )
    assert classified.status_code == 200, classified.text
    check_schema("createClassification", classified.json())
    assert classified.json()["label"] == "Negative"
    rejected = client.post("/classifications", json={"model": "curie", "query": "x", "bad": 1})
    assert rejected.status_code == 400 and rejected.json()["error"]["param"] is None


def test_objects_the_spec_examples_name_exist(server_factory, client_for, check_schema) -> None:
    client = client_for(server_factory())
    for file_id in ("file-XjGxS3KTG0uNmNOK362iJua3", "file-XGinujblHPwGLSztz8cPS8XY"):
        check_schema("retrieveFile", client.get(f"/files/{file_id}").json())
    job = client.get("/fine-tunes/ft-AF1WoRqd3aJAHsqc9NY7iL8F").json()
    check_schema("retrieveFineTune", job)
    assert job["training_files"][0]["id"] == "file-XGinujblHPwGLSztz8cPS8XY"
    model = "curie:ft-acmeco-2021-03-03-21-44-20"
    assert client.get(f"/models/{model}").status_code == 200
    assert client.delete(f"/models/{model}").json()["deleted"] is True
    assert client.get(f"/models/{model}").status_code == 404
