"""Where a running ``fit`` is: the per-fit state of a :class:`~nbcallbacks.Dashboard`.

One record is made at train begin and replaced by the next fit's, so nothing
of one ``fit`` (its epoch, its data iterator, which metric names were checked)
can leak into the next. The last one stays readable after train end: a
``dash.mark`` after training is placed at the last epoch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nbcallbacks.records.metric_store import FitRecord


@dataclass
class FitProgress:
    """The state of one ``fit`` call, as its hooks see it.

    Example:
        >>> progress = FitProgress(FitRecord(first_step=0, initial_epoch=0, epochs=3,
        ...                                  steps_per_epoch=None))
        >>> progress.epoch_fraction(batches_done=5)   # batches per epoch not known yet
        0.0
        >>> progress.steps_per_epoch = 10
        >>> progress.epoch_fraction(5), progress.remaining_steps(from_epoch=1)
        (0.5, 20)
    """

    record: FitRecord | None = None   # the store's record: epochs, first step, ...
    epoch: int = 0
    epoch_started: float | None = None   # time.monotonic() at the epoch's begin
    steps_per_epoch: int | None = None   # Keras' count, or learned from the first epoch
    first_epoch: bool = True             # no epoch has begun in this fit yet
    checked_train_metrics: bool = False  # `metrics=` checked against a batch's logs
    checked_val_metrics: bool = False    # ... and against an epoch end's
    next_look: float = 0.0               # time.monotonic() when the dashboard looks next
    thread: threading.Thread | None = None   # the thread that trains
    # A weak reference to Keras' epoch iterator: the fit's data are the fit's.
    epoch_iterator: Callable[[], Any] = field(default=lambda: None)

    def __post_init__(self) -> None:
        if self.steps_per_epoch is None and self.record is not None:
            self.steps_per_epoch = self.record.steps_per_epoch

    @property
    def epochs(self) -> int | None:
        """The ``epochs`` the fit was asked for (None before the first fit)."""
        return self.record.epochs if self.record is not None else None

    def epoch_fraction(self, batches_done: int) -> float:
        """How far through the current epoch ``batches_done`` batches are (0 when unknown)."""
        steps = self.steps_per_epoch
        return min(1.0, batches_done / steps) if steps else 0.0

    def remaining_steps(self, from_epoch: int) -> int | None:
        """Batches left from the start of ``from_epoch``, once both counts are known."""
        if self.epochs is None or not self.steps_per_epoch:
            return None
        return max(0, self.epochs - from_epoch) * self.steps_per_epoch
