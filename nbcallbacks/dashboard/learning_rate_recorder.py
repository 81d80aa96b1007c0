"""The learning-rate curve of a :class:`~nbcallbacks.Dashboard`: which rate, placed where.

Keras does not put the rate in ``logs`` unless one of its own callbacks
(``ReduceLROnPlateau``, ``LearningRateScheduler``) does; otherwise the rate is
read from the optimizer, which on TensorFlow costs 0.1 ms or more (an eager
op). So the dashboard records it only at chosen moments (an epoch's first
batch, an epoch's end, a chart update, a control's change, train end), never
at every batch, and places each reading at the fit's position in epochs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from nbcallbacks.dashboard.fit_progress import FitProgress
from nbcallbacks.model_access.learning_rate import read_learning_rate
from nbcallbacks.records.metric_names import LEARNING_RATE_KEYS
from nbcallbacks.records.metric_store import MetricStore


class LearningRateRecorder:
    """Records the rate a fit trains with in ``history``'s learning-rate table.

    Example:
        >>> history = MetricStore()
        >>> progress = FitProgress(history.begin_fit(0, epochs=2, steps_per_epoch=4))
        >>> rates = LearningRateRecorder(history)
        >>> rates.record(None, progress, {"loss": 0.3, "lr": 0.01}, position=1.0)
        >>> history.record_batch(epoch=0, batch=0, logs={"loss": 0.3})
        >>> rates.record(None, progress, {"learning_rate": 0.005})   # a quarter into epoch 0
        >>> rates.record(None, progress)     # no rate in logs, and no model to read one from
        >>> table = history.learning_rates
        >>> table.column("epoch").tolist(), table.column("learning_rate").tolist()
        ([1.0, 0.25], [0.01, 0.005])
    """

    def __init__(self, history: MetricStore) -> None:
        self.history = history

    def record(self, model: Any, progress: FitProgress,
               numbers: Mapping[str, float] | None = None, position: float | None = None,
               step: int | None = None) -> None:
        """Note the current rate: ``numbers``' (an epoch's or a batch's logs) when Keras'
        own callbacks put it there, else the optimizer's. ``position`` in epochs
        (default: how far the current epoch is), ``step`` (default: the store's)."""
        rate = None
        for key in LEARNING_RATE_KEYS:
            if numbers and key in numbers:
                rate = numbers[key]
                break
        if rate is None:
            rate = read_learning_rate(model)
        if rate is not None and math.isfinite(rate):
            if position is None:
                position = progress.epoch + progress.epoch_fraction(
                    self.history.batches_in_epoch(progress.epoch))
            self.history.record_learning_rate(position, rate, step)
