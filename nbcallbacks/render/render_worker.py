"""A background thread that redraws on request, so training never waits for a frame.

Drawing a frame costs tens of milliseconds; doing it inside a Keras hook would
stall the training loop that long. Hooks call :meth:`RenderWorker.request`
(which returns at once); requests that arrive while a frame is being drawn
merge into one. :meth:`RenderWorker.flush` waits for a frame that includes
everything recorded before the call (used at the end of training).

Requests are spaced by ``min_interval`` (the dashboard raises it after an
expensive frame, to keep drawing within its share of the wall time). That
spacing is for the training loop's sake: a frame a person asked for (a view
toggle, a pause) is requested ``urgent`` and drawn as soon as the thread is
free, or the person would wait out an interval of tens of seconds for the
click to show.

The thread exists only while it is needed: it starts with the first request,
and :meth:`RenderWorker.close` (at train end) draws what is pending and ends
it; the next request starts a new one. The thread holds the worker, and so
``draw`` and whatever ``draw`` belongs to, only while it draws a frame: a
dashboard that is dropped is freed even if nobody closed its worker, and its
thread then ends.

Smaller jobs that must not wait out the frames' spacing (the status line, a few
times a second) are handed over with :meth:`RenderWorker.post`: the thread runs
the latest one as soon as it is free, and only the latest (a newer status line
makes an older one pointless).

An exception raised while drawing or in a job is kept (see :meth:`take_error`)
for the training thread to report once; the worker keeps serving later requests.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable

from nbcallbacks.compat.thread_context import thread_in_this_context


class _Requests:
    """What the worker and its thread share; nothing here refers to ``draw``."""

    def __init__(self, min_interval: float) -> None:
        self.condition = threading.Condition()
        self.requested = 0
        self.completed = 0
        self.urgent = False
        self.closing = False
        self.running = False  # a thread serves these requests (set and cleared under the lock)
        self.min_interval = min_interval
        self.last_start = float("-inf")
        self.job: Callable[[], None] | None = None   # the latest posted job, not yet run
        self.errors: list[BaseException] = []

    def close(self) -> None:
        with self.condition:
            self.closing = True
            self.condition.notify_all()


class RenderWorker:
    """Run ``draw()`` on a daemon thread whenever requested.

    Args:
        draw: called with no arguments on the worker thread.
        on_drawn: optional, called with the seconds a successful draw took.
        name: the thread's name.
        min_interval: least seconds between the starts of two frames (default 0).
            A request arriving sooner is drawn when the interval has passed,
            never dropped; :meth:`flush`, :meth:`close` and urgent requests do
            not wait for it.

    Example:
        >>> frames = []
        >>> worker = RenderWorker(lambda: frames.append(len(frames)))
        >>> worker.request(); worker.flush(timeout=5)
        True
        >>> len(frames) >= 1
        True
        >>> worker.close()
        >>> worker.alive
        False
    """

    def __init__(self, draw: Callable[[], None], on_drawn: Callable[[float], None] | None = None,
                 name: str = "nbcallbacks-render", min_interval: float = 0.0) -> None:
        self._draw = draw
        self._on_drawn = on_drawn
        self._name = name
        self._requests = _Requests(min_interval)
        self._thread: threading.Thread | None = None
        # Dropped without close (a fit that died by an exception): end the thread.
        finalizer = weakref.finalize(self, self._requests.close)
        finalizer.atexit = False

    @property
    def min_interval(self) -> float:
        return self._requests.min_interval

    @min_interval.setter
    def min_interval(self, seconds: float) -> None:
        with self._requests.condition:
            self._requests.min_interval = seconds
            self._requests.condition.notify_all()  # a deferred request may be due sooner now

    def request(self, urgent: bool = False) -> None:
        """Ask for a frame; returns immediately.

        ``urgent``: draw it as soon as the thread is free, without waiting out
        ``min_interval`` (for frames a person is waiting for).
        """
        requests = self._requests
        with requests.condition:
            requests.requested += 1
            requests.urgent = requests.urgent or urgent
            self._serve()
            requests.condition.notify_all()

    def post(self, job: Callable[[], None]) -> None:
        """Run ``job()`` on the thread as soon as it is free, without waiting out
        ``min_interval``; returns immediately. A job posted before this one ran is
        replaced by it. A job still waiting when the worker closes runs before the
        thread ends.

        Example:
            >>> seen = []
            >>> worker = RenderWorker(lambda: None)
            >>> worker.post(lambda: seen.append("status line")); worker.close()
            >>> seen
            ['status line']
        """
        requests = self._requests
        with requests.condition:
            requests.job = job
            self._serve()
            requests.condition.notify_all()

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Request a frame and wait until it is drawn; False on timeout."""
        requests = self._requests
        with requests.condition:
            requests.requested += 1
            requests.urgent = True
            target = requests.requested
            self._serve()
            requests.condition.notify_all()
            return requests.condition.wait_for(lambda: requests.completed >= target, timeout)

    @property
    def has_error(self) -> bool:
        """Whether an error waits to be taken; lock-free, for per-batch checks."""
        return bool(self._requests.errors)

    def take_error(self) -> BaseException | None:
        """The oldest drawing error not yet taken, if any."""
        with self._requests.condition:
            errors = self._requests.errors
            return errors.pop(0) if errors else None

    def close(self, timeout: float | None = 60.0) -> None:
        """Draw a pending request, end the thread and wait for it (at most ``timeout`` s).

        Closing twice, or a worker that never drew, is harmless; a later
        :meth:`request` starts a new thread.
        """
        requests = self._requests
        with requests.condition:
            thread = self._thread
            requests.closing = True
            requests.condition.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def alive(self) -> bool:
        """Whether a thread is serving requests now."""
        return self._thread is not None and self._thread.is_alive()

    def _serve(self) -> None:
        """Under the lock: make sure a thread will draw the request just counted."""
        requests = self._requests
        if requests.running:
            # Still running, even if closing: the thread draws every request
            # counted before it ends.
            return
        requests.running = True
        requests.closing = False
        # In the requesting cell's context: ipykernel 7.0 needs it to send widget updates.
        self._thread = thread_in_this_context(_serve_requests,
                                              args=(requests, weakref.ref(self)),
                                              name=self._name)
        self._thread.start()


def _serve_requests(requests: _Requests, worker_ref: weakref.ref[RenderWorker]) -> None:
    """The thread's loop. It holds ``requests`` and a weak reference to the worker,
    and the worker itself only while drawing, so the owner of ``draw`` can be freed."""
    condition = requests.condition
    while True:
        with condition:
            condition.wait_for(lambda: requests.job is not None
                               or requests.requested > requests.completed or requests.closing)
            job, requests.job = requests.job, None
            if job is None:
                if requests.requested <= requests.completed:  # closing, nothing pending
                    requests.running = False
                    condition.notify_all()
                    return
                remaining = requests.last_start + requests.min_interval - time.monotonic()
                if remaining > 0 and not (requests.urgent or requests.closing):
                    # The frame waits; a job, an urgent request or closing wakes us sooner.
                    condition.wait(remaining)
                    continue
                requests.urgent = False
                target = requests.requested
                requests.last_start = time.monotonic()
        if job is not None:
            _run_kept(job, requests)
            del job   # whatever the job refers to is not kept alive by this thread
            continue
        worker = worker_ref()
        if worker is None:  # dropped: nobody is left to see the frame
            with condition:
                requests.running = False
                requests.completed = requests.requested
                condition.notify_all()
            return
        _draw_once(worker, requests)
        del worker
        with condition:
            requests.completed = max(requests.completed, target)
            condition.notify_all()


def _draw_once(worker: RenderWorker, requests: _Requests) -> None:
    start = time.perf_counter()

    def draw() -> None:
        worker._draw()
        if worker._on_drawn is not None:
            worker._on_drawn(time.perf_counter() - start)

    _run_kept(draw, requests)


def _run_kept(function: Callable[[], None], requests: _Requests) -> None:
    """Run ``function``; an exception is kept for the training thread, not raised."""
    try:
        function()
    except BaseException as error:  # noqa: BLE001 - kept for the training thread
        with requests.condition:
            requests.errors.append(error)
