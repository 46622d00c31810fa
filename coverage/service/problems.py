"""The one shape of every error answer: ``{"error": {"code", "message", "request_id"}}``.

| status | code | when |
| --- | --- | --- |
| 400 | ``bad_request`` | malformed JSON, a missing or mistyped field, bad settings |
| 401 | ``unauthorized`` | the bearer token is missing or wrong |
| 404 | ``not_found`` | no such endpoint |
| 405 | ``method_not_allowed`` | wrong HTTP method |
| 413 | ``too_large`` | body over the byte limit, or a text over the character limit |
| 415 | ``unsupported_media_type`` | a content type or file type the endpoint does not take |
| 422 | ``unreadable_input`` | the library's :class:`~summary_coverage.errors.InputError` sentence |
| 429 | ``overloaded`` | the queue is full (with ``Retry-After``) |
| 504 | ``over_budget`` | the check ran past its time budget |
| 500 | ``internal`` | a bug; the body carries only the request id, the log has the traceback |
"""

from __future__ import annotations

import json

CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unreadable_input",
    429: "overloaded",
    500: "internal",
    503: "not_ready",
    504: "over_budget",
}


class ApiError(Exception):
    """An error answer: HTTP status, a one-sentence message, and optional headers.

    Args:
        status: The HTTP status.
        message: One clear sentence for the client.
        headers: Extra response headers (``Retry-After``, ``WWW-Authenticate``).
    """

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    @property
    def code(self) -> str:
        """The machine-readable code of the status (see the module table)."""
        return CODES.get(self.status, "error")


def error_body(status: int, message: str, request_id: str) -> bytes:
    """The JSON bytes of an error answer."""
    payload = {"error": {"code": CODES.get(status, "error"), "message": message, "request_id": request_id}}
    return json.dumps(payload).encode("utf-8")
