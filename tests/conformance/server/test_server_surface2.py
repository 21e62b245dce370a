"""Files, uploads, batches, fine-tuning jobs and stored completions of 2.3.0, with the
official ``openai`` client against a real server on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from surface2_probes import CHAT_REQUEST, SPEC, fixture_completion

from openai_conformance.server import serve_in_thread
from openai_conformance.server._stored_chat import remember_chat_completion
from openai_conformance.spec import load_spec

CHAT_LINE = b'{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}\n'


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[openai.OpenAI, Any]]:
    apps: list[Any] = []
    with serve_in_thread(spec=load_spec(SPEC), wrap=lambda app: apps.append(app) or app) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0)
        yield client, apps[0].state.config.store
        client.close()


def test_batch_completes_with_answers_by_custom_id(served) -> None:
    client, _ = served
    lines = [
        {
            "custom_id": f"c{i}",
            "method": "POST",
            "url": "/v1/embeddings",
            "body": {"model": "text-embedding-ada-002", "input": "x" * (i + 1)},
        }
        for i in range(3)
    ]
    source = client.files.create(
        file=("in.jsonl", "".join(json.dumps(x) + "\n" for x in lines).encode()), purpose="batch"
    )
    assert source.purpose == "batch"
    batch = client.batches.create(input_file_id=source.id, endpoint="/v1/embeddings", completion_window="24h")
    assert batch.status == "validating"
    done = client.batches.retrieve(batch.id)
    assert done.status == "completed" and done.request_counts.completed == 3
    assert done.in_progress_at <= done.finalizing_at <= done.completed_at
    answers = [json.loads(x) for x in client.files.content(done.output_file_id).text.splitlines()]
    assert sorted(a["custom_id"] for a in answers) == ["c0", "c1", "c2"]
    for answer in answers:
        assert answer["response"]["status_code"] == 200
        assert answer["response"]["body"]["data"][0]["object"] == "embedding"
    assert batch.id in [b.id for b in client.batches.list()]


def test_batch_with_a_bad_line_fails(served) -> None:
    client, _ = served
    source = client.files.create(file=("bad.jsonl", b"not json\n"), purpose="batch")
    batch = client.batches.create(input_file_id=source.id, endpoint="/v1/embeddings", completion_window="24h")
    failed = client.batches.retrieve(batch.id)
    assert failed.status == "failed" and failed.errors.data[0].line == 1


def test_upload_in_parts_becomes_one_file(served) -> None:
    client, _ = served
    upload = client.uploads.create(bytes=10, filename="u.txt", mime_type="text/plain", purpose="assistants")
    parts = [client.uploads.parts.create(upload_id=upload.id, data=d).id for d in (b"01234", b"56789")]
    done = client.uploads.complete(upload_id=upload.id, part_ids=parts[::-1])
    assert done.status == "completed"
    assert client.files.content(done.file.id).content == b"5678901234"
    with pytest.raises(openai.BadRequestError):
        client.uploads.parts.create(upload_id=upload.id, data=b"late")
    short = client.uploads.create(bytes=99, filename="s.txt", mime_type="text/plain", purpose="assistants")
    part = client.uploads.parts.create(upload_id=short.id, data=b"abc").id
    with pytest.raises(openai.BadRequestError):
        client.uploads.complete(upload_id=short.id, part_ids=[part])
    assert client.uploads.cancel(upload_id=short.id).status == "cancelled"


def test_fine_tuning_job_lifecycle(served) -> None:
    client, _ = served
    source = client.files.create(file=("t.jsonl", CHAT_LINE), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=source.id)
    statuses = [job.status] + [client.fine_tuning.jobs.retrieve(job.id).status for _ in range(3)]
    assert statuses == ["validating_files", "queued", "running", "succeeded"]
    done = client.fine_tuning.jobs.retrieve(job.id)
    assert client.models.retrieve(done.fine_tuned_model).id == done.fine_tuned_model
    events = [e.message for e in client.fine_tuning.jobs.list_events(job.id)]
    assert events[0] == "The job has successfully completed" and len(events) >= 5
    checkpoints = client.fine_tuning.jobs.checkpoints.list(job.id).data
    assert {c.fine_tuning_job_id for c in checkpoints} == {job.id}
    other = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=source.id)
    assert client.fine_tuning.jobs.cancel(other.id).status == "cancelled"
    assert client.fine_tuning.jobs.retrieve(other.id).status == "cancelled"
    assert {job.id, other.id} <= {j.id for j in client.fine_tuning.jobs.list()}


def test_fine_tuning_job_on_bad_data_fails(served) -> None:
    client, _ = served
    source = client.files.create(file=("t.jsonl", CHAT_LINE), purpose="fine-tune")
    store = served[1]
    store.files[source.id].data = b'{"text": "no format"}\n'  # as if uploaded elsewhere
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=source.id)
    failed = client.fine_tuning.jobs.retrieve(job.id)
    assert failed.status == "failed" and failed.error.param == "training_file"


def test_stored_completion_roundtrip(served) -> None:
    client, store = served
    request = {**CHAT_REQUEST, "metadata": {"topic": "a"}, "temperature": 0.5}
    remember_chat_completion(store, request, fixture_completion("chatcmpl-stored1"))
    got = client.chat.completions.retrieve("chatcmpl-stored1")
    assert got.choices[0].message.content == "hi" and got.metadata == {"topic": "a"}
    assert "chatcmpl-stored1" in [c.id for c in client.chat.completions.list()]
    assert [c.id for c in client.chat.completions.list(metadata={"topic": "b"})] == []
    updated = client.chat.completions.update("chatcmpl-stored1", metadata={"topic": "b"})
    assert updated.metadata == {"topic": "b"}
    messages = client.chat.completions.messages.list("chatcmpl-stored1").data
    assert [(m.id, m.content) for m in messages] == [("chatcmpl-stored1-0", "hello")]
    assert client.chat.completions.delete("chatcmpl-stored1").deleted is True
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.retrieve("chatcmpl-stored1")
