"""Fixtures of the server's tests: clients and response validation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from server_helpers import KEY, Client

from openai_conformance.server import RunningServer
from openai_conformance.spec import Spec


@pytest.fixture
def client(reference_server: RunningServer) -> Iterator[Client]:
    api = Client(reference_server)
    yield api
    api.session.close()


@pytest.fixture
def client_for() -> Iterator[Callable[..., Client]]:
    made: list[Client] = []

    def make(server: RunningServer, key: str | None = KEY) -> Client:
        made.append(Client(server, key))
        return made[-1]

    yield make
    for api in made:
        api.session.close()


@pytest.fixture(scope="session")
def check_schema(seed_spec: Spec) -> Callable[[str, Any], None]:
    """Assert ``body`` is valid for the 200 response of ``operation_id``."""

    def check(operation_id: str, body: Any) -> None:
        media = seed_spec.operation(operation_id).responses["200"].content["application/json"]
        errors = list(seed_spec.validator(media.pointer).iter_errors(body))
        assert not errors, f"{operation_id}: {[e.message for e in errors][:3]}"

    return check


# --- the newest shipped document (the 2.x hand-written surface) ---------------
NEWEST = "openai-2.3.0-2026-08-21"


@pytest.fixture(scope="session")
def spec_230() -> Spec:
    from openai_conformance.spec import load_spec

    return load_spec(NEWEST)


@pytest.fixture(scope="session")
def server_230(spec_230: Spec) -> Iterator[RunningServer]:
    """A reference server of the newest document without faults, shared by the session."""
    from openai_conformance.server import serve_in_thread

    with serve_in_thread(spec=spec_230) as server:
        yield server


@pytest.fixture(scope="session")
def check_230(spec_230: Spec) -> Callable[..., None]:
    """Assert ``body`` is valid for ``operation_id``'s 200 response (or a stream event)
    in the newest document: ``check_230("createChatCompletion", body, media=...)``."""

    def check(operation_id: str, body: Any, media: str = "application/json") -> None:
        pointer = spec_230.operation(operation_id).responses["200"].content[media].pointer
        errors = list(spec_230.validator(pointer).iter_errors(body))
        assert not errors, f"{operation_id}: {[e.message[:200] for e in errors][:3]}"

    return check
