"""An ASGI middleware that refuses a request body over the limit, and makes sure every refusal is read.

A declared ``Content-Length`` over the limit is refused with 413 without
keeping a byte of the body. A body sent without a length (chunked) is
counted as it arrives; once it passes the limit the app sees the client as
gone, its answer is dropped, and the client gets the 413.

**Refusals reach the client.** Most clients (urllib, requests) send the
whole body before they read an answer. A server that answers early and
closes with the body still arriving resets the connection, and such a
client sees "Connection reset by peer" instead of the 413 and its JSON.
So, like nginx's lingering close, whenever an answer (a 413, a 401, a 404,
any other) is about to start while the request's body is still arriving,
the rest of the body is read and discarded first, for at most
:data:`DRAIN_SECONDS` and :data:`DRAIN_BYTES`; then the answer is sent
and, for a refused body, the connection closed. Nothing read is kept, so
memory stays flat. A client that sent ``Expect: 100-continue`` and has not
been asked for its body yet is answered at once (it sends no body).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .problems import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


DRAIN_SECONDS = 30.0
"""Longest time spent reading and discarding a body the answer does not need."""
DRAIN_BYTES = 1 << 30
"""Most bytes read and discarded before answering (1 GiB); past it, the answer goes out and we close."""


async def drain(receive: Receive, *, seconds: float = DRAIN_SECONDS, limit: int = DRAIN_BYTES) -> int:
    """Read and discard the rest of a request body, within the bounds; returns the bytes discarded."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    discarded = 0
    while discarded <= limit:
        left = end - loop.time()
        if left <= 0:
            break
        try:
            message = await asyncio.wait_for(receive(), left)
        except TimeoutError:
            break
        if message["type"] != "http.request":
            break  # the client left
        discarded += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return discarded


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
        fields = dict(scope.get("headers") or [])
        declared = fields.get(b"content-length", b"")
        length = int(declared) if declared.isdigit() else None  # the declared body size, if any
        chunked = b"chunked" in fields.get(b"transfer-encoding", b"").lower()
        waits = fields.get(b"expect", b"").lower() == b"100-continue"  # sends its body only when asked
        asked = False  # whether anything read the body yet (for 100-continue: the client was asked)
        done = not chunked and not length

        async def tracked_receive() -> Message:
            nonlocal asked, done
            asked = True
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                done = True
            return message

        async def finish_reading() -> None:
            """Discard what is left of the body before an answer starts, so the client reads the answer."""
            if not done and not (waits and not asked):
                await drain(tracked_receive)

        if length is not None and length > self.limit:
            await finish_reading()
            await send_error(send, 413, _too_large(self.limit), rid, headers | {"connection": "close"})
            return
        received = 0
        over = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await tracked_receive()
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
            if message["type"] == "http.response.start":
                await finish_reading()  # an answer before the body was read (401, 404, ...)
            started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await finish_reading()
            await send_error(send, 413, _too_large(self.limit), rid, headers | {"connection": "close"})
