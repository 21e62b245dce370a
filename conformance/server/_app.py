"""``create_app``: the Starlette app that answers every operation of a spec.

Each operation with a registered handler becomes one route under the spec's
base path (``/v1``). One endpoint wrapper does what every operation shares:
auth, body size cap, parsing, validation against the spec, injected faults.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from openai_conformance.spec import DEFAULT_SPEC, Operation, Spec, load_spec

from . import (
    _batches,
    _fine_tuning,
    _generic,
    _routes_chat,
    _routes_files,
    _routes_fine_tunes,
    _routes_legacy,
    _routes_media,
    _routes_models,
    _routes_responses,
    _routes_text,
    _stored_chat,
    _uploads,
)
from ._dispatch import IndexedRouter
from ._errors import APIError, InvalidRequest, NotFound, RateLimited, ServerError, from_http_status
from ._faults import check_faults
from ._intake import authenticate, read, validated
from ._modern import ModernState
from ._registry import Call, Endpoint, merge
from ._responses import render_error, render_json
from ._store import Store

SLOW_DELAY = 2.0
RATE_LIMIT_EVERY = 5

ENDPOINTS: dict[str, Endpoint] = merge(
    _routes_chat.routes,
    _routes_responses.routes,
    _routes_text.routes,
    _routes_media.routes,
    _routes_files.routes,
    _routes_fine_tunes.routes,
    _routes_models.routes,
    _routes_legacy.routes,
    _uploads.routes,
    _batches.routes,
    _fine_tuning.routes,
    _stored_chat.routes,
)


@dataclass(frozen=True)
class ServerConfig:
    spec: Spec
    faults: frozenset[str]
    api_keys: frozenset[str] | None
    store: Store


def create_app(
    spec: Spec | None = None, *, faults: Iterable[str] = (), api_keys: Iterable[str] | None = None
) -> Starlette:
    """The reference server as an ASGI app.

    Args:
        spec: the document to serve (the seed ``openai-1.1.0`` by default).
        faults: names from ``FAULTS`` to switch on; unknown names raise ``ValueError``.
        api_keys: the keys accepted; ``None`` accepts any ``Bearer sk-...``.

    Example: ``uvicorn.run(create_app(faults=["ignore_n"]), port=8000)``.
    Each app has its own in-memory state, empty at start.
    """
    spec = spec or load_spec(DEFAULT_SPEC)
    config = ServerConfig(
        spec=spec,
        faults=check_faults(faults),
        api_keys=None if api_keys is None else frozenset(api_keys),
        store=Store(modern=ModernState.for_spec(spec)),
    )
    base = config.spec.base_path
    skipped = {"createEdit"} if "edits_not_implemented" in config.faults else set()
    routes = _routes(config, [op for op in config.spec.operations if op.operation_id not in skipped])
    routes.append(Route(base + "/_images/{image_id}.png", _image, methods=["GET"]))
    middleware = [Middleware(_FaultMiddleware, config=config)] if config.faults else []
    app = Starlette(
        routes=routes,
        middleware=middleware,
        # Starlette types each handler as taking any Exception; ours take the class they are for
        exception_handlers={HTTPException: _http_error, APIError: _api_error, Exception: _crash},  # type: ignore[dict-item]
    )
    # ``/responses/`` (an empty id) is a missing object, not a redirect to the collection:
    # the indexed router never redirects slashes
    app.router = IndexedRouter(routes, base)
    app.state.config = config
    return app


def _routes(config: ServerConfig, ops: list[Operation]) -> list[Route]:
    """One route per method and path: the hand-written handler or the schema-driven one.
    Operations that share both (``/responses`` and ``/responses?beta=true``) share a
    route that picks by the query the path key fixes."""
    base, routes = config.spec.base_path, []
    groups: dict[tuple[str, str], list[Operation]] = {}
    for op in _generic.route_order(ops):
        groups.setdefault((op.method, op.path), []).append(op)
    for (method, path), group in groups.items():
        answers = [
            (op.fixed_query, _endpoint(config, op, _generic.endpoint_for(config.spec, op, ENDPOINTS))) for op in group
        ]
        routes.append(Route(base + path, _by_query(answers), methods=[method], name=group[0].operation_id))
        if path.endswith("}"):  # an empty id ("/assistants/"): not found, not a redirect
            name = path.rsplit("{", 1)[1].rstrip("}")
            routes.append(Route(base + path.rsplit("{", 1)[0], _empty_id(config, name), methods=[method]))
    return routes


def _empty_id(config: ServerConfig, name: str):  # noqa: ANN202
    async def answer(request: Request) -> Response:
        if "no_auth" not in config.faults:
            authenticate(request, config.api_keys)
        raise NotFound(f"No such object: '' (an empty {name})", param=name)

    return answer


def _by_query(answers: list[tuple[dict[str, str], Any]]) -> Any:
    if len(answers) == 1:
        return answers[0][1]
    answers = sorted(answers, key=lambda a: -len(a[0]))

    async def pick(request: Request) -> Response:
        query = request.query_params
        return await next(answer for fixed, answer in answers if all(query.get(k) == v for k, v in fixed.items()))(
            request
        )

    return pick


def _endpoint(config: ServerConfig, op: Operation, endpoint: Endpoint):  # noqa: ANN202
    faults = config.faults
    created = op.method == "POST" and op.operation_id.startswith("create")

    async def answer(request: Request) -> Response:
        if "no_auth" not in faults:
            authenticate(request, config.api_keys)
        call = Call(config.spec, op, request, None, dict(request.path_params), {}, config.store, faults)
        try:
            call = await read(call)
            call = validated(call)
        except InvalidRequest:
            if "no_validation" not in faults:
                raise
            call = call.with_body(_fallback(endpoint, config.store, call.body))
        if "reject_valid_searches" in faults and op.operation_id == "createSearch":
            raise InvalidRequest("Invalid request: rejected by the reject_valid_searches fault.")
        if "server_error" in faults and _server_error_input(call.body):
            raise ServerError("The server had an error while processing your request.")
        try:
            result = await endpoint.handler(call)
        except InvalidRequest:
            if "no_validation" not in faults:
                raise
            result = await endpoint.handler(call.with_body(_fallback(endpoint, config.store, call.body)))
        if isinstance(result, Response):
            return result
        status = 201 if created and "undocumented_status" in faults else 200
        return render_json(result, faults, status)

    return answer


def _fallback(endpoint: Endpoint, store: Store, sent: Any) -> Any:
    """What the ``no_validation`` fault answers instead: the operation's minimal valid
    request, streamed if the invalid one asked for a stream."""
    body = endpoint.fallback(store)
    if isinstance(sent, dict) and sent.get("stream") is True and isinstance(body, dict):
        body = {**body, "stream": True}
    return body


def _server_error_input(body: Any) -> bool:
    """The valid inputs the ``server_error`` fault fails on."""
    if not isinstance(body, dict):
        return False
    return "temperature" in body or any(isinstance(body.get(key), list) for key in ("prompt", "input"))


async def _image(request: Request) -> Response:
    """Images generated by this server, by the URL it answered (no key needed, as
    OpenAI's signed image URLs need none)."""
    config: ServerConfig = request.app.state.config
    png = config.store.images.get(request.path_params["image_id"])
    if png is None:
        raise NotFound("No such image (image URLs expire).")
    return Response(png, media_type="image/png")


class _FaultMiddleware:
    """Operational faults that touch every request: rate limits and slowness."""

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        faults = self.config.faults
        if "slow_responses" in faults:
            await asyncio.sleep(SLOW_DELAY)
        if "rate_limited" in faults:
            self.config.store.requests += 1
            if self.config.store.requests % RATE_LIMIT_EVERY == 0:
                error = RateLimited(
                    "Rate limit reached for requests. Please retry shortly.",
                    code="rate_limit_exceeded",
                    headers={"Retry-After": "0.05"},
                )
                await render_error(error, faults)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _faults_of(request: Request) -> frozenset[str]:
    return request.app.state.config.faults


async def _api_error(request: Request, exc: APIError) -> Response:
    return render_error(exc, _faults_of(request))


async def _http_error(request: Request, exc: HTTPException) -> Response:
    error = from_http_status(exc.status_code, str(exc.detail), request.method, request.url.path)
    return render_error(error, _faults_of(request))


async def _crash(request: Request, exc: Exception) -> Response:
    # A bug of ours: still answered in OpenAI's shape, and re-raised by Starlette to the log.
    error = ServerError("The server had an error while processing your request.")
    return render_error(error, _faults_of(request))
