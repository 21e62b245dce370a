"""The A2 faults on a 2.3.0 server: each shows, and only its own probe fires."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from server_helpers import Client
from surface2_probes import MODERN_PROBES, SPEC

from openai_conformance.server import FAULTS, serve_in_thread
from openai_conformance.spec import load_spec


@contextlib.contextmanager
def _server(faults: tuple[str, ...] = ()) -> Iterator[tuple[Client, Any]]:
    apps: list[Any] = []

    def keep(app: Any) -> Any:
        apps.append(app)
        return app

    with serve_in_thread(spec=load_spec(SPEC), faults=faults, wrap=keep) as server:
        client = Client(server)
        yield client, apps[0].state.config.store
        client.session.close()


def test_modern_faults_are_catalogued_with_their_checks() -> None:
    assert FAULTS["batch_output_mismatch"].check == "batch_lifecycle"
    assert FAULTS["fine_tuning_cancel_noop"].check == "fine_tuning_job_lifecycle"
    assert FAULTS["stored_completion_not_listed"].check == "stored_completion_roundtrip"


def test_clean_server_shows_no_modern_fault() -> None:
    with _server() as (client, store):
        assert [n for n, probe in MODERN_PROBES.items() if probe(client, store)] == []


@pytest.mark.parametrize("fault", sorted(MODERN_PROBES))
def test_modern_fault_shows_alone(fault: str) -> None:
    with _server((fault,)) as (client, store):
        assert MODERN_PROBES[fault](client, store), f"{fault} did not show"
        others = [n for n, probe in MODERN_PROBES.items() if n != fault and probe(client, store)]
        assert others == []
