"""One training run: its name, hyperparameters, history and how it ended."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from nbcallbacks.records.events import Event
from nbcallbacks.records.metric_names import higher_is_better
from nbcallbacks.records.metric_store import FitRecord, MetricStore

# How a fit ended, from the event that ended it (a fit only says "stopped early").
_ENDING_EVENTS = {"stop": "stopped by a click", "interrupt": "interrupted",
                  "nan": "NaN", "early_stopping": "early-stopped"}


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



def fit_ending(fit: FitRecord | None, events: Iterable[Event] = (), error: bool = False) -> str:
    """How a fit ended, in the run table's words: ``"running"``, ``"finished"``,
    ``"early-stopped"``, ``"stopped by a click"``, ``"interrupted"``, ``"NaN"``,
    ``"stopped by an error"`` or ``"stopped early"`` (by a callback we do not know).

    ``events``: the run's events (anything with ``kind`` and ``step``); the last one of a
    known ending kind recorded during the fit says why it stopped early.

    Example:
        >>> from types import SimpleNamespace as Event
        >>> fit = FitRecord(first_step=0, initial_epoch=0, epochs=10, steps_per_epoch=5,
        ...                 last_step=20, stopped_early=True)
        >>> fit_ending(fit, [Event(kind="checkpoint", step=10), Event(kind="nan", step=20)])
        'NaN'
        >>> fit_ending(None)
        'not started'
    """
    if fit is None:
        return "not started"
    if fit.last_step is None:
        return "running"
    if error:
        return "stopped by an error"
    if not fit.stopped_early:
        return "finished"
    ending = "stopped early"
    for event in events:
        if event.step >= fit.first_step and event.kind in _ENDING_EVENTS:
            ending = _ENDING_EVENTS[event.kind]
    return ending
