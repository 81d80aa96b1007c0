"""``SchedulePreview``: the learning rates a schedule applies (a plain result).

The result of :func:`~nbcallbacks.preview_schedule`, whatever form the
schedule took: the rates, the problems found, for ``ReduceLROnPlateau`` the
replay of the monitored curve. Its views live beside it, each in its own
module, and the result only hands itself to them:

* :mod:`~nbcallbacks.schedules.schedule_preview_chart`: the chart (PNG);
* :mod:`~nbcallbacks.schedules.schedule_preview_table`: the table and the text form;
* :mod:`~nbcallbacks.schedules.schedule_preview_panel`: the notebook widgets.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from nbcallbacks.records.formatting import format_learning_rate
from nbcallbacks.schedules.plateau_simulation import PlateauReplay
from nbcallbacks.schedules.schedule_preview_table import preview_table_rows, preview_text
from nbcallbacks.schedules.schedule_problems import ScheduleProblem
from nbcallbacks.ui.result_bundle import result_mimebundle

if TYPE_CHECKING:  # imported when first shown: it imports ipywidgets
    from nbcallbacks.schedules.schedule_preview_panel import SchedulePreviewPanel


class SchedulePreview:
    """The learning rate a schedule applies, epoch by epoch (or step by step).

    Created by :func:`~nbcallbacks.preview_schedule`. In a notebook it displays itself as
    a chart (epoch axis, step axis on top when ``steps_per_epoch`` is known),
    a log-scale toggle and a table of values; saved notebooks and terminals
    get a PNG and a text table.

    Attributes:
        learning_rates: NumPy array (the optimizer's dtype, float32 by
            default): the rate in effect during each epoch, or each step for
            a ``LearningRateSchedule``. NaN from the epoch where Keras would
            stop training.
        epochs: the epoch index (0-based, as Keras passes it) of each entry.
        steps: the optimizer step of each entry (for per-epoch schedules the
            epoch's first step), or None when ``steps_per_epoch`` is unknown.
        per_step: entries are optimizer steps.
        steps_per_epoch: as given, or None.
        schedule: what to hand to Keras: the function for
            ``LearningRateScheduler`` (for pairs, the
            :class:`~nbcallbacks.schedules.piecewise_schedule.PiecewiseSchedule`),
            the ``LearningRateSchedule`` for the optimizer, or the callback
            that was previewed (``LearningRateScheduler``, ``ReduceLROnPlateau``).
        kind: ``"function"``, ``"LearningRateScheduler"``, ``"pairs"``,
            ``"LearningRateSchedule"`` or ``"ReduceLROnPlateau"``.
        name: a short description of the schedule.
        initial_lr: the starting rate used (None for a ``LearningRateSchedule``).
        problems: every :class:`~nbcallbacks.schedules.schedule_problems.ScheduleProblem`
            in epoch order (a fatal one, where Keras stops, can only be last).
        problem: the first of them, or None.
        plateau: for ``ReduceLROnPlateau``, the
            :class:`~nbcallbacks.schedules.plateau_simulation.PlateauReplay`
            (monitored curve, cuts, wait counters); else None.
        monitor: for ``ReduceLROnPlateau``, the monitored key; else None.
        first_epoch: the first epoch index (``initial_epoch``).
        notes: remarks about assumptions made (e.g. a default initial rate).
    """

    def __init__(self, *, learning_rates: np.ndarray, epochs: np.ndarray,
                 steps: np.ndarray | None, per_step: bool, steps_per_epoch: int | None,
                 schedule: Any, kind: str, name: str, initial_lr: float | None,
                 problems: Iterable[ScheduleProblem] = (), plateau: PlateauReplay | None = None,
                 monitor: str | None = None, first_epoch: int = 0,
                 notes: Iterable[str] = ()) -> None:
        self.learning_rates = learning_rates
        self.epochs = epochs
        self.steps = steps
        self.per_step = per_step
        self.steps_per_epoch = steps_per_epoch
        self.schedule = schedule
        self.kind = kind
        self.name = name
        self.initial_lr = initial_lr
        self.problems: list[ScheduleProblem] = list(problems)
        self.plateau: PlateauReplay | None = plateau
        self.monitor = monitor
        self.first_epoch = first_epoch
        self.notes = list(notes)
        self._panel: SchedulePreviewPanel | None = None

    # -- what a person asks -------------------------------------------------------
    @property
    def problem(self) -> ScheduleProblem | None:
        """The first problem, or None."""
        return self.problems[0] if self.problems else None

    @property
    def reductions(self) -> list:
        """For ``ReduceLROnPlateau``: the cuts (epoch, old and new rate); else empty."""
        return list(self.plateau.reductions) if self.plateau is not None else []

    def check(self) -> SchedulePreview:
        """Raise ``ValueError`` describing the problem, if there is one; else return self.

        Example:
            >>> from nbcallbacks import preview_schedule
            >>> preview_schedule(lambda epoch, lr: lr * 0.9, 5, initial_lr=0.1).check().kind
            'function'
        """
        if self.problems:
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            raise ValueError(f"{self.name}: {self.problem}{more}")
        return self

    def summary(self) -> str:
        """One line: what was previewed and the range of rates."""
        finite = self.learning_rates[np.isfinite(self.learning_rates)]
        unit = "steps" if self.per_step else "epochs"
        span = f"{self.first_epoch}-{self.first_epoch + self.epoch_count - 1}"
        text = f"{self.name}: {len(self.learning_rates)} {unit} (epochs {span})"
        if self.per_step:
            text += f", {self.steps_per_epoch} steps per epoch"
        if len(finite):
            first, last, low, high = (format_learning_rate(rate) for rate in
                                      (finite[0], finite[-1], finite.min(), finite.max()))
            text += f"; rate {first} -> {last} (min {low}, max {high})"
        stop = self.stop_epoch
        if stop is not None:
            text += f"; Keras stops at epoch {stop}"
        if self.plateau is not None:
            text += f"; {len(self.plateau.reductions)} cut(s) on {self.monitor}"
        return text

    def table_rows(self) -> tuple[list[str], list[list[str]], dict[int, str]]:
        """Columns, formatted rows (one per epoch) and row marks, for tables.

        See :func:`~nbcallbacks.schedules.schedule_preview_table.preview_table_rows`.
        """
        return preview_table_rows(self)

    @property
    def stop_epoch(self) -> int | None:
        """The epoch where Keras would stop training (the fatal problem's), or None."""
        fatal = [p.epoch for p in self.problems if p.fatal]
        return fatal[0] if fatal else None

    @property
    def epoch_count(self) -> int:
        """How many epochs the preview covers."""
        if self.per_step:
            return len(self.learning_rates) // max(1, self.steps_per_epoch or 1)
        return len(self.learning_rates)

    def png(self, log_scale: bool = False, width: int = 760) -> bytes:
        """The chart as PNG bytes (see :mod:`~nbcallbacks.schedules.schedule_preview_chart`)."""
        from nbcallbacks.schedules.schedule_preview_chart import preview_png

        return preview_png(self, log_scale=log_scale, width=width)

    # -- display ------------------------------------------------------------------
    @property
    def widget(self) -> Any:
        """The ipywidgets view (built on first use)."""
        if self._panel is None:
            from nbcallbacks.schedules.schedule_preview_panel import SchedulePreviewPanel

            self._panel = SchedulePreviewPanel()
            self._panel.show_preview(self)
        return self._panel.widget

    def __str__(self) -> str:
        return preview_text(self)

    def __repr__(self) -> str:
        return f"<SchedulePreview {self.summary()}>"

    def _repr_mimebundle_(self, include: Collection[str] | None = None,
                          exclude: Collection[str] | None = None) -> dict[str, Any]:
        return result_mimebundle(str(self), png=self.png(), widget=lambda: self.widget)
