"""Elapsed time, throughput and ETA of a training run, excluding paused time."""

from __future__ import annotations

import time
from collections.abc import Callable


class TrainingClock:
    """Measure progress of one ``fit`` call.

    Paused time (see :meth:`pause`) is excluded from the rate and the ETA.

    Example:
        >>> now = [0.0]
        >>> clock = TrainingClock(clock=lambda: now[0])
        >>> clock.start(total_steps=100, batch_size=32)
        >>> now[0] = 10.0; clock.step_done()   # a 10 s batch
        >>> clock.pause(); now[0] = 70.0; clock.resume()   # paused a minute
        >>> now[0] = 80.0; clock.step_done()
        >>> clock.steps_per_second, clock.samples_per_second, clock.eta
        (0.1, 3.2, 980.0)
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.total_steps: int | None = None
        self.batch_size: int | None = None
        self.steps = 0
        self._start: float | None = None
        self._paused_total = 0.0
        self._paused_since: float | None = None

    def start(self, total_steps: int | None = None, batch_size: int | None = None) -> None:
        self.total_steps = total_steps
        self.batch_size = batch_size
        self.steps = 0
        self._start = self._clock()
        self._paused_total = 0.0
        self._paused_since = None

    def step_done(self, count: int = 1) -> None:
        self.steps += count

    def pause(self) -> None:
        if self._paused_since is None:
            self._paused_since = self._clock()

    def resume(self) -> None:
        if self._paused_since is not None:
            self._paused_total += self._clock() - self._paused_since
            self._paused_since = None

    @property
    def paused(self) -> bool:
        return self._paused_since is not None

    @property
    def elapsed(self) -> float:
        """Wall seconds since start, paused time included."""
        return 0.0 if self._start is None else self._clock() - self._start

    @property
    def active(self) -> float:
        """Seconds spent training (paused time excluded)."""
        if self._start is None:
            return 0.0
        paused = self._paused_total
        if self._paused_since is not None:
            paused += self._clock() - self._paused_since
        return max(0.0, self.elapsed - paused)

    @property
    def steps_per_second(self) -> float | None:
        active = self.active
        return self.steps / active if self.steps and active > 0 else None

    @property
    def samples_per_second(self) -> float | None:
        rate = self.steps_per_second
        return rate * self.batch_size if rate and self.batch_size else None

    @property
    def eta(self) -> float | None:
        """Seconds of training left, or None while unknown."""
        rate = self.steps_per_second
        if not rate or self.total_steps is None:
            return None
        return max(0, self.total_steps - self.steps) / rate
