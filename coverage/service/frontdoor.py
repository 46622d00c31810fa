"""The ASGI layer every request passes first: request id, bearer-token check, metrics, access log.

* Every answer carries ``X-Request-ID`` (the client's own, when it sent a
  sane one) and every log line names it.
* With an API key configured, ``/v1/*`` and ``/metrics`` need
  ``Authorization: Bearer <key>``, compared in constant time
  (:func:`hmac.compare_digest`); ``/healthz``, ``/readyz`` and the OpenAPI
  pages stay open (they carry no user data).
* Each answered request is counted by endpoint and status, with its latency.
"""

from __future__ import annotations

import hmac
import logging
import time

from .body_limit import ASGIApp, Message, Receive, Scope, Send, request_id_of, send_error
from .metrics import Metrics
from .problems import CODES

logger = logging.getLogger("summary_coverage.service")

ENDPOINTS = ("/v1/check", "/v1/batch", "/healthz", "/readyz", "/metrics", "/docs", "/openapi.json")
PROTECTED = ("/v1/", "/metrics")


def endpoint_of(path: str) -> str:
    """The metrics label of a path: a known endpoint, or ``other``."""
    return path if path in ENDPOINTS else "other"


class FrontDoor:
    """Request id, authentication, metrics and the access log (see the module docstring).

    Args:
        app: The wrapped ASGI app.
        metrics: Where requests are counted.
        api_key: The bearer token required on protected paths, or ``None``.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics, api_key: str | None) -> None:
        self.app = app
        self.metrics = metrics
        self._key = api_key.encode("utf-8") if api_key else None

    def _authorised(self, scope: Scope) -> bool:
        if self._key is None or not str(scope.get("path", "")).startswith(PROTECTED):
            return True
        header = dict(scope.get("headers") or []).get(b"authorization", b"")
        scheme, _, token = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(), self._key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        rid = request_id_of(scope)
        path = str(scope.get("path", ""))
        status = 0

        async def tracked_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers") or [])
                if not any(k.lower() == b"x-request-id" for k, _ in headers):
                    headers.append((b"x-request-id", rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            if not self._authorised(scope):
                await send_error(
                    tracked_send,
                    401,
                    "A valid bearer token is required (Authorization: Bearer <key>).",
                    rid,
                    {"www-authenticate": "Bearer"},
                )
            else:
                await self.app(scope, receive, tracked_send)
        finally:
            seconds = time.perf_counter() - start
            answered = status or 499  # 499: the client left before an answer started
            self.metrics.observe(endpoint_of(path), answered, seconds)
            if answered >= 400:
                self.metrics.error(CODES.get(answered, "client_closed" if answered == 499 else "error"))
            logger.info(
                "request",
                extra={
                    "request_id": rid,
                    "method": scope.get("method"),
                    "path": path,
                    "status": answered,
                    "seconds": round(seconds, 4),
                },
            )
