"""``run --compare-to``: what the target answers differently from the reference, to the same case.

Pure: two ``Response`` objects and the per-response checks' verdicts on each go in, failures
come out. Only differences of kind and shape count (status class, error vs success, schema
validity and the other checks' verdicts, the set of keys, a stream's event types): ids,
timestamps, generated text, token counts and the order of keys are values and never compared.
A key is there or not whatever its value: a nullable field filled in as an object moves on
(``fine_tuned_model``) is there all along, and a gateway that drops nulls changes the set.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from openai_conformance.spec import escape_token

from ..checks._chat_reading import json_events
from ..results._tally import Failure

if TYPE_CHECKING:
    from ..checks._base import Response

SCHEMA_CHECK = "response_schema"
_CLASSES = {1: "informational", 2: "success", 3: "redirect", 4: "client error", 5: "server error"}


def differences(
    target: Response, reference: Response, target_verdicts: Mapping[str, bool], reference_verdicts: Mapping[str, bool]
) -> list[Failure]:
    """The differences that matter between two answers to one case, one failure each.

    Args:
        target: what the target answered; reference: what the ``--compare-to`` server answered.
        target_verdicts, reference_verdicts: check name -> passed, for the per-response checks
            that applied on that side.

    Example: ``differences(ours, theirs, {"response_schema": False}, {"response_schema": True})``.
    A different kind of answer (a 4xx for a 2xx) is the only failure: the shapes of an error
    and of a success have nothing more to say to each other.
    """
    ours, theirs = kind(target), kind(reference)
    if ours != theirs:
        return [
            Failure(
                f"The target answered {target.status} ({ours}); the reference answered {reference.status} ({theirs})",
                expected=f"{theirs}, as the reference",
                got=ours,
            )
        ]
    return [*_shape_differences(target, reference), *_verdict_differences(target_verdicts, reference_verdicts)]


def kind(response: Response) -> str:
    """The kind of an answer: its status class, and an error envelope under a 2xx as its own kind."""
    label = _CLASSES.get(response.status // 100, "unknown status")
    body = response.json
    if (
        label == "success"
        and isinstance(body, dict)
        and _present(body) == {"error"}
        and isinstance(body["error"], dict)
    ):
        return "error envelope under a success status"
    return label


def _shape_differences(target: Response, reference: Response) -> Iterator[Failure]:
    streamed, theirs_streamed = target.events is not None, reference.events is not None
    if streamed != theirs_streamed:
        here, there = ("a stream", "a single body") if streamed else ("a single body", "a stream")
        yield Failure(
            f"The target answered {here}; the reference answered {there}",
            expected=f"{there}, as the reference",
            got=here,
        )
        return
    if streamed:
        events, their_events = json_events(target.events or []), json_events(reference.events or [])
        yield from _key_differences(_keys_of(events), _keys_of(their_events), "", "the stream's events")
        yield from _event_type_differences(_event_types(target, events), _event_types(reference, their_events))
        return
    body, theirs = target.json, reference.json
    if isinstance(body, dict) != isinstance(theirs, dict):
        here, there = (
            ("a JSON object", "no JSON object") if isinstance(body, dict) else ("no JSON object", "a JSON object")
        )
        yield Failure(
            f"The target's body is {here}; the reference's is {there}", expected=f"{there}, as the reference", got=here
        )
        return
    if not isinstance(body, dict) or not isinstance(theirs, dict):
        return  # a file's bytes, audio, text: nothing of shape to hold side by side
    yield from _key_differences(_present(body), _present(theirs), "", "the answer")
    first, their_first = _first_item(body), _first_item(theirs)
    if first is not None and their_first is not None:
        yield from _key_differences(_present(first), _present(their_first), "/data/0", "the first item of data")


def _key_differences(ours: set[str], theirs: set[str], prefix: str, where: str) -> Iterator[Failure]:
    for key in sorted(theirs - ours):
        yield Failure(
            f"No {key!r} in {where}; the reference's has it",
            pointer=f"{prefix}/{escape_token(key)}",
            expected=f"{key} present, as on the reference",
            got=f"{key} absent",
        )
    for key in sorted(ours - theirs):
        yield Failure(
            f"{key!r} in {where}; the reference's has no such key",
            pointer=f"{prefix}/{escape_token(key)}",
            expected=f"{key} absent, as on the reference",
            got=f"{key} present",
        )


def _event_type_differences(ours: set[str], theirs: set[str]) -> Iterator[Failure]:
    for name in sorted(theirs - ours):
        yield Failure(
            f"No {name!r} event in the stream; the reference's stream has one",
            expected=f"events of type {name}, as on the reference",
            got="none",
        )
    for name in sorted(ours - theirs):
        yield Failure(
            f"{name!r} events in the stream; the reference's stream has none",
            expected=f"no events of type {name}, as on the reference",
            got="some",
        )


def _verdict_differences(ours: Mapping[str, bool], theirs: Mapping[str, bool]) -> Iterator[Failure]:
    """A check failing here and passing there; for the schema, valid on one side only, either way."""
    for name, passed in ours.items():
        their_verdict = theirs.get(name)
        if their_verdict is None or passed == their_verdict:
            continue  # did not apply there, or the same verdict: not the target's own doing
        if not passed:
            yield Failure(
                f"{name} fails on the target and passes on the reference",
                expected=f"{name} passes, as on the reference",
                got=f"{name} fails",
            )
        elif name == SCHEMA_CHECK:
            yield Failure(
                "The target's answer is valid against the documented schema; the reference's is not",
                expected=f"{name} fails, as on the reference",
                got=f"{name} passes",
            )


def _present(body: dict[str, Any]) -> set[str]:
    return {str(key) for key in body}


def _first_item(body: dict[str, Any]) -> dict[str, Any] | None:
    items = body.get("data")
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else None


def _keys_of(objects: list[dict[str, Any]]) -> set[str]:
    """The keys of the assembled result, loosely: every key some event carries."""
    return set().union(*(_present(item) for item in objects))


def _event_types(response: Response, objects: list[dict[str, Any]]) -> set[str]:
    """The SSE event names, else the events' ``type`` (Responses API), else their ``object``."""
    named = {event.event for event in response.sse or [] if event.event and event.event != "message"}
    if named:
        return named
    return {str(item.get("type") or item.get("object")) for item in objects if item.get("type") or item.get("object")}
