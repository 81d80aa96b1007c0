"""Wall-clock throttling for redraws, adaptive to what a redraw costs.

A fixed "every N batches" rule is wrong for both fast and slow models. This
rule waits at least ``interval`` seconds between redraws, and longer when a
redraw is expensive, so that drawing never takes more than ``max_busy``
of the wall time (the fastprogress idea, applied to plots).

One expensive redraw does not set the pace: the first one builds the figure
(ten times a normal frame), and a garbage collection or a busy machine can
slow any single one. The wait follows the cheaper of the last two redraws, so
it grows only when redraws are expensive twice in a row; a single slow one
costs at most one interval's worth of extra drawing.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Throttle:
    """Decide when the next redraw is due.

    Args:
        interval: minimum seconds between redraws (default 1.0).
        max_busy: largest fraction of wall time redraws may use (default 0.03).
        clock: a ``time.monotonic``-like function (tests pass a fake one).

    Example:
        >>> now = [0.0]
        >>> throttle = Throttle(interval=1.0, max_busy=0.1, clock=lambda: now[0])
        >>> throttle.due()
        True
        >>> throttle.start()             # a redraw starts at t=0 ...
        >>> throttle.due()
        False
        >>> throttle.done(cost=0.5)      # ... and was slow, but the first: wait 1 s
        >>> now[0] = 1.0; throttle.due()
        True
        >>> throttle.start(); throttle.done(cost=0.5)   # slow twice: 0.5 / 0.1 = 5 s
        >>> now[0] = 5.0; throttle.due()
        False
        >>> now[0] = 6.0; throttle.due()
        True
    """

    def __init__(self, interval: float = 1.0, max_busy: float = 0.03,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not interval >= 0:
            raise ValueError(f"redraw interval must be >= 0 seconds, got {interval!r}")
        if not 0 < max_busy <= 1:
            raise ValueError(f"max_busy must be in (0, 1], got {max_busy!r}")
        self.interval = float(interval)
        self.max_busy = float(max_busy)
        self._clock = clock
        self._last: float | None = None
        self._wait = self.interval
        self._previous_cost: float | None = None

    @property
    def wait(self) -> float:
        """Seconds the next redraw waits after the last one started (``interval`` or more)."""
        return self._wait

    def due(self) -> bool:
        """True when a redraw may happen now."""
        return self._last is None or self._clock() - self._last >= self._wait

    def due_at(self) -> float:
        """The clock's time from which a redraw is due (``-inf``: now, never started).

        Example:
            >>> throttle = Throttle(interval=2.0, clock=lambda: 10.0)
            >>> throttle.due_at()
            -inf
            >>> throttle.start(); throttle.due_at()
            12.0
        """
        return float("-inf") if self._last is None else self._last + self._wait

    def start(self) -> None:
        """Note that a redraw was just started (it is not due again until the wait passed)."""
        self._last = self._clock()

    def done(self, cost: float) -> None:
        """Note that the redraw took ``cost`` seconds; the wait grows with expensive ones
        (two in a row: see the module docstring)."""
        if self._last is None:
            self._last = self._clock()
        previous, self._previous_cost = self._previous_cost, float(cost)
        steady = 0.0 if previous is None else min(previous, self._previous_cost)
        self._wait = max(self.interval, steady / self.max_busy)

    def reset(self) -> None:
        """Make the next call to :meth:`due` return True."""
        self._last = None
