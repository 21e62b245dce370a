"""Errors the reference server answers with, and the one table that renders them.

    APIError                    status, type, code, param
      InvalidRequest            400 invalid_request_error
      Unauthorized              401 invalid_request_error (invalid_api_key)
      Forbidden                 403 invalid_request_error
      NotFound                  404 invalid_request_error
      MethodNotAllowed          405 invalid_request_error
      PayloadTooLarge           413 invalid_request_error
      RequestTimeout            408 invalid_request_error
      RateLimited               429 rate_limit_error
      ServerError               500 server_error (a bug, or the ``server_error`` fault)

Handlers raise these; ``error_body`` turns any of them (and Starlette's own
``HTTPException``) into OpenAI's ``{"error": {...}}`` envelope.
"""

from __future__ import annotations

from typing import Any


class APIError(Exception):
    """An error answer: what OpenAI would say; subclasses fix the status and type."""

    status = 400
    type = "invalid_request_error"

    def __init__(
        self, message: str, *, param: str | None = None, code: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code
        self.headers = headers or {}


class InvalidRequest(APIError):
    status = 400


class Unauthorized(APIError):
    status = 401


class Forbidden(APIError):
    status = 403


class NotFound(APIError):
    status = 404


class MethodNotAllowed(APIError):
    status = 405


class PayloadTooLarge(APIError):
    status = 413


class RateLimited(APIError):
    status = 429
    type = "rate_limit_error"


class RequestTimeout(APIError):
    status = 408


class ServerError(APIError):
    status = 500
    type = "server_error"


# Starlette raises HTTPException for routing and parsing failures; this table
# says how each status reads to an OpenAI client.
HTTP_STATUS_ERRORS: dict[int, tuple[type[APIError], str]] = {
    400: (InvalidRequest, "Could not parse the request body: {detail}"),
    404: (NotFound, "Invalid URL ({method} {path})"),
    405: (MethodNotAllowed, "Method {method} is not allowed for {path}"),
    413: (PayloadTooLarge, "Request body too large"),
}


def from_http_status(status: int, detail: str, method: str, path: str) -> APIError:
    """The ``APIError`` for a Starlette ``HTTPException`` of ``status``."""
    cls, template = HTTP_STATUS_ERRORS.get(status, (InvalidRequest, "{detail}"))
    return cls(template.format(detail=detail, method=method, path=path))


def error_body(error: APIError) -> dict[str, Any]:
    """The OpenAI error envelope for ``error``."""
    return {"error": {"message": error.message, "type": error.type, "param": error.param, "code": error.code}}
