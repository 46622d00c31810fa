"""The bounded queue in front of the encoder.

At most ``capacity`` requests are admitted at once (one running, the rest
waiting); one more is refused at once with :class:`Overloaded`, so load never
piles up. Checks run one at a time on a single worker thread: the encoder
already uses every core, and two checks at once would only slow both.

A request whose client has gone is dropped before it starts, and a running
check stops at its next progress step (:class:`ClientGone`), so a
disconnect costs nothing further.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class Overloaded(Exception):
    """The queue is full."""


class ClientGone(Exception):
    """The client disconnected; the work was dropped."""


class WorkQueue:
    """Admission control and the worker thread.

    Args:
        capacity: Requests admitted at once (running or waiting).
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._depth = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summary-coverage-check")

    @property
    def depth(self) -> int:
        """Requests admitted and not yet answered."""
        return self._depth

    @property
    def full(self) -> bool:
        """Whether the next request would be refused."""
        return self._depth >= self.capacity

    def acquire(self) -> Callable[[], None]:
        """Take one place in the queue; returns the function that gives it back (safe to call twice).

        Raises:
            Overloaded: The queue is full.
        """
        if self._depth >= self.capacity:
            raise Overloaded
        self._depth += 1  # called on the event loop only: no lock needed
        held = [True]

        def release() -> None:
            if held[0]:
                held[0] = False
                self._depth -= 1

        return release

    async def run(self, work: Callable[[Callable[..., None]], T], gone: Callable[[], Any]) -> T:
        """Run ``work(progress)`` on the worker thread, watching for the client to leave.

        ``work`` gets a progress callback to pass to the checker: it raises
        :class:`ClientGone` once the client has disconnected. ``gone`` is an
        async function that says whether the client has gone.

        Raises:
            ClientGone: The client left before or during the work.
        """
        left = threading.Event()

        def progress(*_: Any) -> None:
            if left.is_set():
                raise ClientGone

        def guarded() -> T:
            if left.is_set():
                raise ClientGone
            return work(progress)

        future = asyncio.wrap_future(self._executor.submit(guarded))
        try:
            while True:
                done, _ = await asyncio.wait({future}, timeout=0.05)
                if done:
                    return future.result()
                if await gone():
                    left.set()
                    with contextlib.suppress(ClientGone, Exception):
                        await future
                    raise ClientGone
        except asyncio.CancelledError:  # the server cancelled the request (its client left)
            left.set()
            raise

    def close(self) -> None:
        """Stop the worker thread once its current work is done."""
        self._executor.shutdown(wait=False, cancel_futures=True)
