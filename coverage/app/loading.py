"""Load the model in the background, so the dashboard's page is usable before the model is.

Loading bge-m3 (or even the bundled MiniLM) and importing torch takes
seconds; a page that waits for it shows nothing. :class:`ModelLoader`
starts the load on a worker thread the moment the page asks for a model,
and warms what the first check would otherwise pay for (nltk's Punkt, the
encoder's first call). The page renders its shell at once, shows the load
as a status, and a check started before the model is ready waits for it
with a progress bar.

Once loaded, the model's objects (torch, transformers and the weights'
Python wrappers: about half a million objects) are moved out of the
garbage collector's sight with :func:`gc.freeze`: they live as long as the
server, and a full collection that walks them takes 0.3 s of the GIL, which
every open page would wait for.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from ..checker import Checker
from ..segment.sentences import split_sentences


class ModelLoader:
    """A checker being built on a background thread.

    Args:
        build: Makes the checker (loads the model); its exception, if any, is
            kept and raised by :meth:`result`.
    """

    def __init__(self, build: Callable[[], Checker]) -> None:
        self.started = time.monotonic()
        self._future: Future[Checker] = Future()
        self._build = build
        self._thread = threading.Thread(target=self._run, name="model-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            checker = self._build()
            warm_up(checker)
            gc.collect()
            gc.freeze()  # the model lives as long as the server: no collection needs to walk it again
        except BaseException as exc:  # handed to the page, which shows it
            self._future.set_exception(exc)
        else:
            self._future.set_result(checker)

    def ready(self) -> bool:
        """Whether loading has finished (successfully or not)."""
        return self._future.done()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; return whether loading has finished."""
        try:
            self._future.exception(timeout=timeout)
        except TimeoutError:
            return False
        return True

    def result(self) -> Checker:
        """The checker, waiting for it if needed; raises the loading error."""
        return self._future.result()

    @property
    def elapsed(self) -> float:
        """Seconds since loading started."""
        return time.monotonic() - self.started


def warm_up(checker: Checker) -> None:
    """Pay the first-call costs before the first check: Punkt (imports nltk) and one encoder call."""
    split_sentences("Warm up. Done.")
    checker.encoder.encode(["warm up"])
    judge, _reason = checker.support_judge()  # the support judge loads with the model
    if judge is not None:
        judge.probabilities([("warm up", "warm up")])
