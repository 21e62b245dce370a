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
