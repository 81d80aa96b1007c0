"""A background thread that redraws on request, so training never waits for a frame.

Drawing a frame costs tens of milliseconds; doing it inside a Keras hook would
stall the training loop that long. Hooks call :meth:`RenderWorker.request`
(which returns at once); requests that arrive while a frame is being drawn
merge into one. :meth:`RenderWorker.flush` waits for a frame that includes
everything recorded before the call (used at the end of training).

An exception raised while drawing is kept (see :meth:`take_error`) for the
training thread to report once; the worker keeps serving later requests.
"""

from __future__ import annotations

import threading
import time
from typing import Callable


class RenderWorker:
    """Run ``draw()`` on a daemon thread whenever requested.

    Args:
        draw: called with no arguments on the worker thread.
        on_drawn: optional, called with the seconds a successful draw took.
        min_interval: least seconds between the starts of two frames (default 0).
            A request arriving sooner is drawn when the interval has passed,
            never dropped; :meth:`flush` does not wait for it.

    Example:
        >>> frames = []
        >>> worker = RenderWorker(lambda: frames.append(len(frames)))
        >>> worker.request(); worker.flush(timeout=5)
        True
        >>> len(frames) >= 1
        True
        >>> worker.close()
    """

    def __init__(self, draw: Callable[[], None], on_drawn: Callable[[float], None] | None = None,
                 name: str = "nbcallbacks-render", min_interval: float = 0.0):
        self._draw = draw
        self._on_drawn = on_drawn
        self.min_interval = min_interval
        self._last_start = float("-inf")
        self._urgent = False
        self._condition = threading.Condition()
        self._requested = 0
        self._completed = 0
        self._closed = False
        self._errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def request(self) -> None:
        """Ask for a frame; returns immediately."""
        with self._condition:
            self._requested += 1
            self._condition.notify_all()

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Request a frame and wait until it is drawn; False on timeout."""
        with self._condition:
            self._requested += 1
            self._urgent = True
            target = self._requested
            self._condition.notify_all()
            return self._condition.wait_for(
                lambda: self._completed >= target or self._closed, timeout)

    @property
    def has_error(self) -> bool:
        """Whether an error waits to be taken; lock-free, for per-batch checks."""
        return bool(self._errors)

    def take_error(self) -> BaseException | None:
        """The oldest drawing error not yet taken, if any."""
        with self._condition:
            return self._errors.pop(0) if self._errors else None

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._requested > self._completed or self._closed)
                while not (self._urgent or self._closed):
                    remaining = self._last_start + self.min_interval - time.monotonic()
                    if remaining <= 0:
                        break
                    self._condition.wait(remaining)
                if self._closed:
                    return
                self._urgent = False
                target = self._requested
                self._last_start = time.monotonic()
            start = time.perf_counter()
            try:
                self._draw()
                if self._on_drawn is not None:
                    self._on_drawn(time.perf_counter() - start)
            except BaseException as error:  # noqa: BLE001 - kept for the training thread
                with self._condition:
                    self._errors.append(error)
            with self._condition:
                self._completed = target
                self._condition.notify_all()
