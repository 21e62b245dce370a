"""Fixtures every test package shares: the seed spec and the reference server.

seed_spec          session: load_spec("openai-1.1.0")
reference_server   session: a reference server without faults (RunningServer)
server_factory     function: start(faults=..., api_keys=...) -> RunningServer,
                   each stopped at teardown
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator

import pytest
from hypothesis import settings

from openai_conformance.server import RunningServer, serve_in_thread
from openai_conformance.spec import Spec, load_spec

ServerFactory = Callable[..., RunningServer]

# In CI the property tests draw the same examples every time: a red build then
# means the change broke something, not that a new random draw found an old bug
# (that is for local runs, which stay random).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def seed_spec() -> Spec:
    return load_spec("openai-1.1.0")


@pytest.fixture(scope="session")
def reference_server(seed_spec: Spec) -> Iterator[RunningServer]:
    """The reference server without faults, shared by the session: its state
    (files, fine-tunes) grows as tests use it, so tests create what they read."""
    with serve_in_thread(spec=seed_spec) as server:
        yield server


@pytest.fixture
def server_factory(seed_spec: Spec) -> Iterator[ServerFactory]:
    """Start reference servers with faults or keys: ``server_factory(faults=["ignore_n"])``."""
    with contextlib.ExitStack() as stack:

        def start(
            *, faults: Iterable[str] = (), api_keys: Iterable[str] | None = None, spec: Spec | None = None
        ) -> RunningServer:
            return stack.enter_context(serve_in_thread(spec=spec or seed_spec, faults=faults, api_keys=api_keys))

        yield start
