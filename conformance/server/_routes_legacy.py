"""Search, answers and classifications (deprecated in the seed): deterministic,
ranked by word overlap with the query, documents taken inline or from a file."""

from __future__ import annotations

import json
from typing import Any

from ._common import require_model, value
from ._completions import require_context, stops_of
from ._errors import InvalidRequest, NotFound
from ._registry import Call, Registry
from ._routes_files import find_file
from ._text import count_tokens, cut_at_stop, generate, seed_of

routes = Registry()


def _words(text: str) -> set[str]:
    return {word.strip(".,;:!?\"'()").lower() for word in text.split()} - {""}


def score(query: str, document: str) -> float:
    """Overlap of words, times 100, plus a stable fraction that breaks ties."""
    overlap = len(_words(query) & _words(document))
    return round(overlap * 100 + (seed_of(query, document) % 1000) / 1000, 3)


def _file_lines(call: Call, file_id: str, key: str) -> list[dict[str, Any]]:
    """The JSONL records of an uploaded file (lines that are not objects are skipped)."""
    records = []
    for line in find_file(call.store, file_id, "file").data.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get(key), str):
            records.append(record)
    return records


def _documents(call: Call) -> list[str] | None:
    body = call.body
    if body.get("documents") is not None:
        return list(body["documents"])
    if body.get("file") is not None:
        return [r["text"] for r in _file_lines(call, body["file"], "text")]
    return None


@routes.handles("createSearch", fallback={"query": "the president", "documents": ["White House"]})
async def create_search(call: Call) -> Any:
    engine = call.path["engine_id"]
    if not call.store.has_model(engine):
        raise NotFound(f"No engine with id '{engine}'", param="engine_id")
    documents = _documents(call)
    if documents is None:
        raise InvalidRequest("You should specify either 'documents' or a 'file'.", param="documents")
    if call.body.get("documents") is None:  # max_rerank applies to files only
        documents = documents[: value(call.body, "max_rerank", 200)]
    query = call.body["query"]
    data = [{"object": "search_result", "document": i, "score": score(query, doc)} for i, doc in enumerate(documents)]
    return {"object": "list", "model": engine, "data": data}


def _generate_answer(model: str, question: str, body: dict[str, Any], index: int) -> str:
    words = generate(seed_of(model, question, index), value(body, "max_tokens", 16))
    text, _ = cut_at_stop("".join(words), stops_of(body.get("stop")))
    return text.lstrip()


@routes.handles(
    "createAnswer",
    fallback={
        "model": "curie",
        "question": "which puppy is happy?",
        "examples_context": "x",
        "examples": [["What is human life expectancy in the United States?", "78 years."]],
    },
)
async def create_answer(call: Call) -> Any:
    body = call.body
    model = require_model(call, body["model"])
    search_model = require_model(call, value(body, "search_model", "ada"), "search_model")
    documents = _documents(call) or []
    question = body["question"]
    require_context(model, count_tokens(question), value(body, "max_tokens", 16))
    ranked = sorted(range(len(documents)), key=lambda i: -score(question, documents[i]))
    return {
        "object": "answer",
        "model": model,
        "search_model": search_model,
        "completion": call.store.new_id("cmpl"),
        "answers": [_generate_answer(model, question, body, i) for i in range(value(body, "n", 1))],
        "selected_documents": [{"document": i, "text": documents[i]} for i in ranked[: value(body, "max_rerank", 200)]],
    }


@routes.handles(
    "createClassification",
    fallback={
        "model": "curie",
        "query": "It is a raining day :(",
        "examples": [["A happy moment", "Positive"], ["I am sad.", "Negative"]],
    },
)
async def create_classification(call: Call) -> Any:
    body = call.body
    model = require_model(call, body["model"])
    search_model = require_model(call, value(body, "search_model", "ada"), "search_model")
    if body.get("examples") is not None:
        examples = [(text, label) for text, label in body["examples"]]
    elif body.get("file") is not None:
        examples = [(r["text"], str(r.get("label", ""))) for r in _file_lines(call, body["file"], "text")]
    else:
        raise InvalidRequest("You should specify either 'examples' or a 'file'.", param="examples")
    query = body["query"]
    ranked = sorted(range(len(examples)), key=lambda i: -score(query, examples[i][0]))
    ranked = ranked[: value(body, "max_examples", 200)]
    labels = [label.capitalize() for label in (body.get("labels") or [])]
    best = examples[ranked[0]][1].capitalize() if ranked else ""
    # The label must be one of ``labels`` when they are given.
    label = best if not labels or best in labels else labels[seed_of(query) % len(labels)]
    return {
        "object": "classification",
        "model": model,
        "search_model": search_model,
        "completion": call.store.new_id("cmpl"),
        "label": label,
        "selected_examples": [
            {"document": i, "text": examples[i][0], "label": examples[i][1].capitalize()} for i in ranked
        ],
    }
