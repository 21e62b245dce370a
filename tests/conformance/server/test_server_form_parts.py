"""The reference server reads multipart forms as clients send them: file parts without a
Content-Type (RFC 7578 allows it), repeated parts as an array, ``true`` as a boolean under ``anyOf``."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from server_helpers import TRAINING, Client, png
from surface2_probes import SPEC

from openai_conformance.server import RunningServer, serve_in_thread
from openai_conformance.spec import load_spec


@pytest.fixture(scope="module")
def modern() -> Iterator[Client]:
    with serve_in_thread(spec=load_spec(SPEC)) as server:
        yield Client(server)


def test_file_parts_without_a_content_type_are_taken(reference_server: RunningServer) -> None:
    api = Client(reference_server)
    made = api.post("/files", files={"file": ("train.jsonl", TRAINING)}, data={"purpose": "fine-tune"})
    assert made.status_code == 200 and made.json()["filename"] == "train.jsonl", made.text
    varied = api.post("/images/variations", files={"image": ("image.png", png(256))}, data={"n": "1"})
    assert varied.status_code == 200, varied.text
    assert b"Content-Type" not in varied.request.body.split(b"\r\n\r\n", 1)[0]  # requests sent none


def test_repeated_parts_are_an_array_and_true_is_a_boolean(modern: Client) -> None:
    audio = io.BytesIO()
    import wave

    with wave.open(audio, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(16000)
        handle.writeframes(b"\x00\x00" * 1600)
    form = [("model", "gpt-4o-transcribe"), ("include", "logprobs"), ("languages", "en"), ("languages", "fr")]
    sent = modern.post("/audio/transcriptions", files={"file": ("a.wav", audio.getvalue())}, data=form)
    assert sent.status_code == 200, sent.text
    streamed = modern.post(
        "/audio/transcriptions", files={"file": ("a.wav", audio.getvalue())}, data=[*form, ("stream", "true")]
    )
    assert streamed.status_code == 200 and streamed.headers["content-type"].startswith("text/event-stream")
    # every part of an array is read, not only the last: a bad first item is refused
    bad = [("model", "gpt-4o-transcribe"), ("include", "no-such-thing"), ("include", "logprobs")]
    refused = modern.post("/audio/transcriptions", files={"file": ("a.wav", audio.getvalue())}, data=bad)
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "include", refused.text


def test_an_array_of_file_parts_is_no_answers_field(modern: Client) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("SKILL.md", "---\nname: a\ndescription: b\n---\n")
    parts = [("files", ("a.zip", archive.getvalue(), "application/zip")), ("files", ("b.zip", archive.getvalue()))]
    made = modern.post("/skills", files=parts)
    assert made.status_code == 200, made.text
    assert "Upload(" not in json.dumps(made.json())


@pytest.mark.parametrize(
    "expires",
    [
        {"expires_after": '{"anchor": "created_at", "seconds": 3600}'},  # an object as its JSON text
        {"expires_after[anchor]": "created_at", "expires_after[seconds]": "3600"},  # as the curl example writes it
    ],
)
def test_an_object_field_of_a_form_is_read_from_json_or_brackets(modern: Client, expires: dict[str, str]) -> None:
    made = modern.post("/files", files={"file": ("t.jsonl", b'{"a": 1}\n')}, data={"purpose": "batch", **expires})
    assert made.status_code == 200, made.text
    wrong = {k: v.replace("created_at", "yesterday") for k, v in expires.items()}
    refused = modern.post("/files", files={"file": ("t.jsonl", b'{"a": 1}\n')}, data={"purpose": "batch", **wrong})
    assert refused.status_code == 400 and "expires_after" in refused.text  # read as the object, then validated


def test_an_object_in_the_query_is_read_as_deep_object(modern: Client) -> None:
    assert modern.get("/organization/audit_logs?effective_at[gt]=5&effective_at[lte]=9").status_code == 200
    refused = modern.get("/organization/audit_logs?effective_at[gt]=soon")
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "effective_at"
    assert modern.get("/chat/completions?metadata[key_1]=a").status_code == 200


def test_a_text_body_of_a_documented_media_type_is_taken(modern: Client) -> None:
    sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n"
    answered = modern.post("/realtime/calls", data=sdp, headers={"Content-Type": "application/sdp"})
    assert answered.status_code != 400 or "multipart" not in answered.text, answered.text
    assert answered.status_code < 300, answered.text
