"""One training run: its name, hyperparameters, history and how it ended."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nbcallbacks.core.metric_names import higher_is_better
from nbcallbacks.core.metric_store import MetricStore


@dataclass
class RunRecord:
    """A run as a comparison sees it.

    Attributes:
        name: what the run is called (unique within a comparison).
        history: every value it logged.
        hyperparameters: what it was trained with (``{"learning_rate": 0.01, ...}``).
        status: how it ended: ``"running"``, ``"finished"``, ``"stopped early"``,
            ``"stopped by an error"``, ``"interrupted"`` (its process was killed), or
            ``""`` when the source does not say.
        seconds: training time, when the source records it.
        source: where it was read from (a path, ``"History"``, ``"Dashboard"``).
        skipped_lines: lines of a run file that could not be read (torn or corrupt).

    Example:
        >>> store = MetricStore.from_rows(epochs=[{"epoch": 0, "step": 1, "loss": 0.9},
        ...                                       {"epoch": 1, "step": 2, "loss": 0.4}])
        >>> run = RunRecord("lr=0.01", store)
        >>> run.best("loss")
        (0.4000000059604645, 1)
    """

    name: str
    history: MetricStore
    hyperparameters: dict = field(default_factory=dict)
    status: str = ""
    seconds: float | None = None
    source: str = ""
    skipped_lines: int = 0

    def metric_names(self) -> list[str]:
        """The per-epoch metrics, in the order they were logged."""
        return [n for n in self.history.columns("epoch") if n not in ("epoch", "step", "seconds")]

    def best(self, metric: str) -> tuple[float, int] | None:
        """The best per-epoch value of ``metric`` and its epoch (highest for accuracy-like
        metrics, lowest otherwise); None when it never had a finite value."""
        columns = self.history.columns("epoch")
        values = columns.get(metric)
        if values is None or not np.isfinite(values).any():
            return None
        finite = np.where(np.isfinite(values), values, np.nan)
        index = int(np.nanargmax(finite) if higher_is_better(metric) else np.nanargmin(finite))
        return float(values[index]), int(columns["epoch"][index])

    def duration(self) -> float | None:
        """Seconds of training: recorded, or the last row's ``seconds``."""
        if self.seconds is not None:
            return self.seconds
        seconds = self.history.columns("epoch").get("seconds")
        if seconds is None or not len(seconds) or not math.isfinite(float(seconds[-1])):
            return None
        return float(seconds[-1])

