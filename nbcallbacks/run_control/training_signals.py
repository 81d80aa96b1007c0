"""Requests from the person to the training loop: stop, pause, resume, new rate, save.

Widget handlers may run on another thread than training (a kernel subshell, the
event loop while ``await dash.fit`` runs, a signal handler). They only *signal*
here; the training thread takes the requests at the next batch boundary and
applies them. Everything is guarded by one lock or a ``threading.Event``.
Every request also counts in :attr:`TrainingSignals.requests_made`, so that a
batch with nothing new costs the training thread one attribute read.
"""

from __future__ import annotations

import math
import os
import threading
from typing import SupportsFloat

SAVE_SUFFIXES = (".keras", ".weights.h5")


class TrainingSignals:
    """Thread-safe mailbox between controls (any thread) and training (one thread).

    Example:
        >>> signals = TrainingSignals()
        >>> signals.request_learning_rate(3e-4)
        >>> signals.take_learning_rate()
        0.0003
        >>> signals.take_learning_rate() is None    # taken once
        True
        >>> signals.request_learning_rate(-1)
        Traceback (most recent call last):
        ...
        ValueError: learning rate must be a positive finite number, got -1
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Requests of any kind so far: the training thread compares this count with
        # the one it last acted on instead of taking every lock at every batch.
        self.requests_made = 0
        self._stop_reason: str | None = None
        self._hard_stop = False
        self._learning_rate: float | None = None
        self._save_path: str | None = None
        self._running = threading.Event()
        self._running.set()

    # -- requests (any thread) ---------------------------------------------------
    def request_stop(self, reason: str = "stop") -> None:
        """Finish the current batch, then end training normally."""
        with self._lock:
            if self._stop_reason is None:
                self._stop_reason = reason
            self.requests_made += 1
        self._running.set()  # a paused run must wake up to stop

    def request_hard_stop(self) -> None:
        """Abort at the next batch boundary (a second interrupt)."""
        with self._lock:
            self._hard_stop = True
            if self._stop_reason is None:
                self._stop_reason = "interrupt"
            self.requests_made += 1
        self._running.set()

    def request_pause(self) -> None:
        with self._lock:
            self.requests_made += 1
        self._running.clear()

    def request_resume(self) -> None:
        with self._lock:
            self.requests_made += 1
        self._running.set()

    def request_learning_rate(self, rate: SupportsFloat | str) -> None:
        """Ask for a new learning rate; refuses non-positive, NaN and infinite values."""
        try:
            value = float(rate)
        except (TypeError, ValueError):
            raise ValueError(f"learning rate must be a number, got {rate!r}") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"learning rate must be a positive finite number, got {rate!r}")
        with self._lock:
            self._learning_rate = value
            self.requests_made += 1

    def request_save(self, path: str | os.PathLike[str]) -> None:
        """Ask for the model (``.keras``) or its weights (``.weights.h5``) to be saved."""
        path = os.fspath(path)
        if not path.endswith(SAVE_SUFFIXES):
            raise ValueError(
                f"save path must end in '.keras' (whole model) or '.weights.h5' (weights "
                f"only), got {path!r}")
        with self._lock:
            self._save_path = path
            self.requests_made += 1

    # -- state (any thread) ---------------------------------------------------------
    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stop_reason(self) -> str | None:
        with self._lock:
            return self._stop_reason

    @property
    def hard_stop(self) -> bool:
        with self._lock:
            return self._hard_stop

    # -- taking requests (the training thread) -------------------------------------
    def take_learning_rate(self) -> float | None:
        with self._lock:
            value, self._learning_rate = self._learning_rate, None
        return value

    def take_save_path(self) -> str | None:
        with self._lock:
            path, self._save_path = self._save_path, None
        return path

    def wait_while_paused(self, timeout: float) -> bool:
        """Block up to ``timeout`` s while paused; True once running again."""
        return self._running.wait(timeout)

    def reset(self) -> None:
        """Forget stop requests (a new ``fit`` starts); pause state and pending
        rate/save requests are kept, so a pause set between fits still holds."""
        with self._lock:
            self._stop_reason = None
            self._hard_stop = False
