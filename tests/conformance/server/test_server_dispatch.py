"""The indexed router picks, for every operation's path, the route Starlette's full scan
picks, and answers unknown paths and methods as Starlette does (404, 405)."""

from __future__ import annotations

import re

import pytest
import requests
from starlette.routing import Match, Route

from openai_conformance.server import serve_in_thread
from openai_conformance.server._app import create_app
from openai_conformance.server._dispatch import IndexedRouter, first_segment
from openai_conformance.spec import load_spec

KEY = {"Authorization": "Bearer sk-dispatch"}


def _concrete(path: str) -> str:
    """A request path for a route's template: each parameter an id-like value."""
    return re.sub(r"\{[^}]+\}", "x1", path)


def _linear(routes: list[Route], scope: dict) -> Route | None:
    """Starlette's choice: the first full match, else the first partial (a 405)."""
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return partial


def _indexed(router: IndexedRouter, scope: dict) -> Route | None:
    key = first_segment(scope["path"], router.base)
    group = router.groups.get(key) if key is not None else None
    return _linear(group.routes if group is not None else router.routes, scope)


@pytest.mark.parametrize("name", ["openai-1.1.0", "openai-2.3.0-2026-08-21"])
def test_every_route_is_found_as_the_full_scan_finds_it(name: str) -> None:
    app = create_app(load_spec(name))
    router = app.router
    assert isinstance(router, IndexedRouter)
    routes = [r for r in router.routes if isinstance(r, Route)]
    checked = 0
    for route in routes:
        for method in sorted(route.methods or {"GET"}) + ["PATCH"]:
            scope = {"type": "http", "path": _concrete(route.path), "method": method, "root_path": ""}
            assert _indexed(router, scope) is _linear(routes, scope), (method, route.path)
            checked += 1
    assert checked > len(routes)
    # the point of the index: no group holds more than a small part of the routes
    assert max(len(g.routes) for g in router.groups.values()) < len(routes) / 2


def test_first_segment() -> None:
    assert first_segment("/v1/files/abc", "/v1") == "files"
    assert first_segment("/v1/files", "/v1") == "files"
    assert first_segment("/v2/files", "/v1") is None
    assert first_segment("/v1/{id}/x", "/v1") is None


def test_unknown_path_and_method_answer_404_and_405_in_openai_shape(seed_spec) -> None:
    with serve_in_thread(spec=seed_spec) as server:
        missing = requests.get(server.base_url + "/no-such-thing", headers=KEY, timeout=5)
        outside = requests.get(server.url + "/elsewhere", headers=KEY, timeout=5)
        wrong = requests.put(server.base_url + "/completions", headers=KEY, timeout=5)
        found = requests.get(server.base_url + "/models", headers=KEY, timeout=5)
    assert (missing.status_code, outside.status_code, wrong.status_code, found.status_code) == (404, 404, 405, 200)
    assert "error" in missing.json() and "error" in wrong.json()
