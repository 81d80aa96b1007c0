"""How often workers sync on the controls: rarely enough to be cheap, often enough to feel live.

The control all-reduce costs about the same whatever the model (a network
round trip: ~2 ms between two processes on one machine, more across hosts).
Before every batch of a model whose steps take 100 ms that is nothing; for
steps of 5 ms it would slow training by a third. So the chief picks, at each
sync, how many batches pass until the next one: enough that syncing takes at
most ``max_cost`` of the time, but never so many that a click waits longer
than ``max_delay`` seconds. Workers learn the number in the same all-reduce,
so everyone syncs at the same batches.
"""

from __future__ import annotations

import math


class SyncPacer:
    """The chief's choice of batches between control syncs, from measured times.

    Args:
        max_delay: longest wait (seconds) between a click and the batch where
            every worker applies it; ``0`` syncs before every batch.
        max_cost: largest fraction of training time spent syncing (default 3 %).

    Example:
        >>> pacer = SyncPacer(max_delay=0.25)
        >>> for _ in range(20):               # 2 ms syncs, 10 ms batches
        ...     pacer.measured(sync_seconds=0.002, batch_seconds=0.010)
        >>> pacer.batches_between_syncs()     # 2 ms / 7 = 3 % of 7 batches' time
        7
        >>> SyncPacer(max_delay=0).batches_between_syncs()
        1
    """

    def __init__(self, max_delay: float = 0.25, max_cost: float = 0.03, smoothing: float = 0.7):
        if not max_delay >= 0:
            raise ValueError(f"max_delay must be >= 0 seconds, got {max_delay!r}")
        self.max_delay = float(max_delay)
        self.max_cost = float(max_cost)
        self._smoothing = smoothing
        self._sync: float | None = None   # moving average of a sync's seconds
        self._batch: float | None = None  # moving average of a batch's seconds

    def measured(self, sync_seconds: float | None = None,
                 batch_seconds: float | None = None) -> None:
        """Fold in one sync's duration and/or one batch's duration (moving averages)."""
        if sync_seconds is not None:
            self._sync = self._average(self._sync, sync_seconds)
        if batch_seconds is not None:
            self._batch = self._average(self._batch, batch_seconds)

    def batches_between_syncs(self) -> int:
        if self.max_delay == 0 or not self._sync or not self._batch:
            return 1
        cheap_enough = math.ceil(self._sync / (self.max_cost * self._batch))
        live_enough = max(1, math.floor(self.max_delay / self._batch))
        return max(1, min(cheap_enough, live_enough))

    def _average(self, old: float | None, new: float) -> float:
        return new if old is None else self._smoothing * old + (1 - self._smoothing) * new
