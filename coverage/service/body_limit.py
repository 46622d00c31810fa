"""An ASGI middleware that refuses a request body over the limit before it is read whole.

A declared ``Content-Length`` over the limit answers 413 at once, without
reading a byte of the body. A body sent without a length (chunked) is
counted as it arrives; once it passes the limit the app sees the client as
gone, its answer is dropped, and the client gets the 413.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .problems import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _too_large(limit: int) -> str:
    return f"The request body is over the limit of {limit:,} bytes."


async def send_error(send: Send, status: int, message: str, request_id: str, headers: dict[str, str]) -> None:
    """Send a complete JSON error answer on a raw ASGI ``send``."""
    body = error_body(status, message, request_id)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def request_id_of(scope: Scope) -> str:
    """The request's ``X-Request-ID`` (a client's own, if sane), assigned once and kept in the scope."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        ok = 0 < len(given) <= 64 and all(c.isalnum() or c in "-_." for c in given)
        state["request_id"] = given if ok else uuid.uuid4().hex
    return str(state["request_id"])


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with 413 (see the module docstring).

    Args:
        app: The wrapped ASGI app.
        limit: Largest body accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id_of(scope)
        headers = {"x-request-id": rid}
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await send_error(send, 413, _too_large(self.limit), rid, headers | {"connection": "close"})
            return
        received = 0
        over = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # the app's answer to a truncated body is dropped; the 413 follows
            started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await send_error(send, 413, _too_large(self.limit), rid, headers | {"connection": "close"})
