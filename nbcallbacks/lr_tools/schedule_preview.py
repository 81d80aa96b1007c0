"""``preview_schedule``: see the learning rate of every epoch (or step) before training.

Every form a Keras schedule takes is accepted and replayed with Keras' own
rules, so ``preview.learning_rates`` holds the very float32 values a real
``fit`` applies:

* a ``schedule(epoch, lr)`` function (or the old ``schedule(epoch)``), as
  ``keras.callbacks.LearningRateScheduler`` takes it, or such a callback;
* a list of ``(epoch, learning_rate)`` pairs (the TensorFlow guide's
  ``LR_SCHEDULE``), turned into a :class:`~nbcallbacks.core.piecewise_schedule.PiecewiseSchedule`;
* a ``keras.optimizers.schedules.LearningRateSchedule``, evaluated per
  optimizer step (``steps_per_epoch`` places steps in epochs);
* a ``keras.callbacks.ReduceLROnPlateau``, replayed over a recorded curve
  (``history=``) to show where it would have cut the rate.

A schedule that breaks training — a value Keras 3 rejects (tensor, int,
string, None), an exception, NaN, inf or a negative rate — is reported with
the first epoch where it happens, the reason and the fix.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence

import keras
import numpy as np

from nbcallbacks.lr_tools.step_schedule_replay import replay_step_schedule
from nbcallbacks.compat.ipywidgets_versions import widget_mimebundle
from nbcallbacks.core.epoch_schedule_replay import replay_epoch_schedule
from nbcallbacks.core.metric_names import higher_is_better
from nbcallbacks.core.piecewise_schedule import PiecewiseSchedule
from nbcallbacks.core.plateau_simulation import (PlateauReplay, Reduction,
                                                 simulate_reduce_lr_on_plateau)
from nbcallbacks.core.schedule_problems import ScheduleProblem
from nbcallbacks.render.schedule_chart import MonitoredCurve, ScheduleChartData, schedule_chart_png
from nbcallbacks.ui.frontend import detect_frontend
from nbcallbacks.ui.value_table import value_table_html

# Keras' most common optimizer default (Adam, RMSprop, Nadam, AdamW); SGD's is 0.01.
DEFAULT_INITIAL_LR = 0.001
TEXT_ROWS = 12


def format_rate(value) -> str:
    """A rate as the optimizer stores it, in the shortest exact float32 form.

    Example:
        >>> format_rate(0.1), format_rate(np.float32(0.009048374)), format_rate(float("nan"))
        ('0.1', '0.009048374', 'nan')
    """
    value = float(value)
    if math.isnan(value):
        return "nan"
    with np.errstate(over="ignore"):
        return str(np.float32(value))


class SchedulePreview:
    """The learning rate a schedule applies, epoch by epoch (or step by step).

    Created by :func:`preview_schedule`. In a notebook it displays itself as
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
            :class:`~nbcallbacks.core.piecewise_schedule.PiecewiseSchedule`),
            the ``LearningRateSchedule`` for the optimizer, or the callback
            that was previewed (``LearningRateScheduler``, ``ReduceLROnPlateau``).
        kind: ``"function"``, ``"LearningRateScheduler"``, ``"pairs"``,
            ``"LearningRateSchedule"`` or ``"ReduceLROnPlateau"``.
        name: a short description of the schedule.
        initial_lr: the starting rate used (None for a ``LearningRateSchedule``).
        problems: every :class:`~nbcallbacks.core.schedule_problems.ScheduleProblem`
            in epoch order (a fatal one, where Keras stops, can only be last).
        problem: the first of them, or None.
        plateau: for ``ReduceLROnPlateau``, the
            :class:`~nbcallbacks.core.plateau_simulation.PlateauReplay`
            (monitored curve, cuts, wait counters); else None.
        monitor: for ``ReduceLROnPlateau``, the monitored key; else None.
        first_epoch: the first epoch index (``initial_epoch``).
        notes: remarks about assumptions made (e.g. a default initial rate).
    """

    def __init__(self, *, learning_rates, epochs, steps, per_step, steps_per_epoch, schedule,
                 kind, name, initial_lr, problems=(), plateau=None, monitor=None,
                 first_epoch=0, notes=()):
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
        self._panel = None

    # -- what a person asks -------------------------------------------------------
    @property
    def problem(self) -> ScheduleProblem | None:
        """The first problem, or None."""
        return self.problems[0] if self.problems else None

    @property
    def reductions(self) -> list:
        """For ``ReduceLROnPlateau``: the cuts (epoch, old and new rate); else empty."""
        return list(self.plateau.reductions) if self.plateau is not None else []

    def check(self) -> "SchedulePreview":
        """Raise ``ValueError`` describing the problem, if there is one; else return self.

        Example:
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
        span = f"{self.first_epoch}-{self.first_epoch + self._epoch_count() - 1}"
        text = f"{self.name}: {len(self.learning_rates)} {unit} (epochs {span})"
        if self.per_step:
            text += f", {self.steps_per_epoch} steps per epoch"
        if len(finite):
            text += (f"; rate {format_rate(finite[0])} -> {format_rate(finite[-1])}"
                     f" (min {format_rate(finite.min())}, max {format_rate(finite.max())})")
        stop = self._stop_epoch()
        if stop is not None:
            text += f"; Keras stops at epoch {stop}"
        if self.plateau is not None:
            text += f"; {len(self.plateau.reductions)} cut(s) on {self.monitor}"
        return text

    def table_rows(self) -> tuple[list[str], list[list[str]], dict[int, str]]:
        """Columns, formatted rows (one per epoch) and row marks, for tables."""
        row_marks: dict[int, str] = {}
        if self.plateau is not None:
            replay = self.plateau
            cut_epochs = {r.epoch: r.new_lr for r in replay.reductions}
            columns = ["epoch", self.monitor, "new best", "wait", "learning rate", "cut to"]
            rows = []
            for index, epoch in enumerate(self.epochs.tolist()):
                value = replay.monitored[index]
                cut = cut_epochs.get(epoch)
                rows.append([str(epoch), "—" if np.isnan(value) else f"{value:.5g}",
                             "yes" if replay.improved[index] else "",
                             str(int(replay.wait[index])),
                             format_rate(replay.learning_rates[index]),
                             "" if cut is None else format_rate(cut)])
                if cut is not None:
                    row_marks[index] = "changed"
            return columns, rows, row_marks
        if self.per_step:
            columns = ["epoch", "steps", "rate at first step", "rate at last step"]
            rows = []
            per_epoch = self.steps_per_epoch
            for index in range(self._epoch_count()):
                chunk = self.learning_rates[index * per_epoch:(index + 1) * per_epoch]
                first_step = int(self.steps[index * per_epoch])
                rows.append([str(self.first_epoch + index),
                             f"{first_step}-{first_step + per_epoch - 1}",
                             format_rate(chunk[0]), format_rate(chunk[-1])])
            return columns, rows, row_marks
        columns = ["epoch"] + (["first step"] if self.steps is not None else []) + \
            ["learning rate"]
        rows = []
        previous = None
        problems = {p.epoch: p for p in self.problems}
        stop = self._stop_epoch()
        for index, epoch in enumerate(self.epochs.tolist()):
            rate = self.learning_rates[index]
            row = [str(epoch)] + ([str(int(self.steps[index]))] if self.steps is not None else [])
            if stop is not None and epoch >= stop:
                rows.append(row + ["stops here" if epoch == stop else "—"])
                if epoch == stop:
                    row_marks[index] = "problem"
                continue
            rows.append(row + [format_rate(rate)])
            if epoch in problems:
                row_marks[index] = "problem"
            elif previous is not None and rate != previous:
                row_marks[index] = "changed"
            previous = rate
        return columns, rows, row_marks

    def _stop_epoch(self) -> int | None:
        fatal = [p.epoch for p in self.problems if p.fatal]
        return fatal[0] if fatal else None

    def png(self, log_scale: bool = False, width: int = 760) -> bytes:
        """The chart as PNG bytes."""
        markers = []
        first = self.problem
        if first is not None and not first.fatal:
            markers.append((first.epoch, first.label, False))
        fatal = [p for p in self.problems if p.fatal]
        if fatal:
            markers.append((fatal[0].epoch, f"{fatal[0].label} — Keras stops here", True))
        monitored = None
        if self.plateau is not None:
            monitored = MonitoredCurve(self.monitor, self.plateau.monitored, self.plateau.improved,
                                       [r.epoch for r in self.plateau.reductions],
                                       [r.new_lr for r in self.plateau.reductions])
        data = ScheduleChartData(
            learning_rates=self.learning_rates, first_epoch=self.first_epoch,
            per_step=self.per_step, steps_per_epoch=self.steps_per_epoch,
            title=f"Learning rate · {self.name}",
            problems=markers, monitored=monitored)
        return schedule_chart_png(data, log_scale=log_scale, width=width)

    # -- display ------------------------------------------------------------------
    @property
    def widget(self):
        """The ipywidgets view (built on first use)."""
        if self._panel is None:
            from nbcallbacks.ui.schedule_preview_panel import SchedulePreviewPanel

            self._panel = SchedulePreviewPanel(self.png)
            self._panel.show(*self._panel_content())
        return self._panel.widget

    def _panel_content(self) -> tuple[str, str, str]:
        import html

        notes = "".join(f"<br><small style='color:#666'>{html.escape(n)}</small>"
                        for n in self.notes)
        summary = (f"<b>Learning-rate preview</b> &nbsp;·&nbsp; "
                   f"{html.escape(self.summary())}{notes}")
        return summary, self._problem_text(), value_table_html(*self.table_rows())

    def _problem_text(self) -> str:
        if not self.problems:
            return ""
        text = str(self.problem)
        later = self.problems[1:]
        if later:
            fatal = [p for p in later if p.fatal]
            text += f" ({len(later)} more problem epoch(s)"
            text += f"; training stops at epoch {fatal[0].epoch}: {fatal[0].reason})" if fatal \
                else ")"
        return text

    def __str__(self) -> str:
        lines = [self.summary()]
        lines += [f"note: {n}" for n in self.notes]
        if self.problems:
            lines.append(f"PROBLEM at {self._problem_text()}")
        columns, rows, marks = self.table_rows()
        if len(rows) > TEXT_ROWS:
            # The first and last rows, and every marked row (problems, cuts), with "..." gaps.
            keep = sorted(set(range(TEXT_ROWS - 4)) | set(range(len(rows) - 3, len(rows)))
                          | set(marks))
            shown, last = [], -1
            for index in keep:
                if index != last + 1:
                    shown.append(["..."] * len(columns))
                shown.append(rows[index])
                last = index
            rows = shown
        widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
        lines.append("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
        lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in rows]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<SchedulePreview {self.summary()}>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"image/png": base64.b64encode(self.png()).decode("ascii")}
        frontend = detect_frontend()
        if frontend.kernel and frontend.widgets:
            bundle.update(widget_mimebundle(self.widget))
        bundle["text/plain"] = str(self)
        return bundle

    def _epoch_count(self) -> int:
        if self.per_step:
            return len(self.learning_rates) // max(1, self.steps_per_epoch or 1)
        return len(self.learning_rates)


def preview_schedule(schedule, epochs: int | None = None, initial_lr=None,
                     steps_per_epoch: int | None = None, *, history=None,
                     initial_epoch: int = 0) -> SchedulePreview:
    """Preview the learning rate ``schedule`` applies in ``fit(..., epochs=epochs)``.

    The schedule is called exactly as Keras calls it (same order, same ``lr``
    argument, same float32 rounding), so ``.learning_rates`` equals what a
    real ``fit`` applies. Problems (a value Keras 3 rejects, an exception,
    NaN, inf, a negative rate) are reported in ``.problem`` and on the chart,
    with the first epoch concerned and the fix; nothing is trained.

    Args:
        schedule: a ``schedule(epoch, lr)`` function, a
            ``keras.callbacks.LearningRateScheduler``, a list of
            ``(epoch, learning_rate)`` pairs, a
            ``keras.optimizers.schedules.LearningRateSchedule`` (per step), or
            a ``keras.callbacks.ReduceLROnPlateau`` (needs ``history``).
        epochs: the ``epochs`` you pass to ``fit``. Required, except for
            ``ReduceLROnPlateau`` (default: the length of the curve).
        initial_lr: the optimizer's starting rate: a number, an optimizer
            or a compiled model (its rate is read). Default ``None``: 0.001
            (Adam's default), or the first ``learning_rate`` in ``history``.
            Not used by a ``LearningRateSchedule``.
        steps_per_epoch: batches per epoch (``ceil(samples / batch_size)``,
            or ``len(dataset)``). Required for a ``LearningRateSchedule``;
            adds a step axis otherwise. Default ``None``.
        history: for ``ReduceLROnPlateau``: the monitored curve — a Keras
            ``History``, its ``.history`` dict, a
            :class:`~nbcallbacks.core.MetricStore`, or a list of values.
        initial_epoch: the ``initial_epoch`` you pass to ``fit`` (default 0;
            for ``ReduceLROnPlateau``, the first epoch of the curve, read
            from a Keras ``History`` when it starts later).

    Returns:
        A :class:`SchedulePreview`.

    Example:
        >>> def scheduler(epoch, lr):     # Keras' LearningRateScheduler example, fixed for Keras 3
        ...     return lr if epoch < 10 else lr * math.exp(-0.1)
        >>> preview = preview_schedule(scheduler, epochs=15, initial_lr=0.01)
        >>> [format_rate(rate) for rate in preview.learning_rates[[0, 9, 10, 14]]]
        ['0.01', '0.01', '0.009048374', '0.0060653067']
        >>> bad = preview_schedule(lambda epoch, lr: lr * keras.ops.exp(-0.1), 3, 0.01)
        >>> bad.problem.epoch, bad.problem.fatal
        (0, True)
    """
    if isinstance(schedule, keras.callbacks.ReduceLROnPlateau):
        return _preview_plateau(schedule, epochs, initial_lr, history, initial_epoch)
    if history is not None:
        raise ValueError("history= is only used with a ReduceLROnPlateau callback; "
                         f"got a {type(schedule).__name__}")
    if epochs is None:
        raise ValueError("preview_schedule needs epochs=: the `epochs` you will pass to fit")
    epochs = _whole_number(epochs, "epochs")
    initial_epoch = _whole_number(initial_epoch, "initial_epoch")
    if steps_per_epoch is not None:
        steps_per_epoch = _whole_number(steps_per_epoch, "steps_per_epoch", minimum=1)
    if epochs <= initial_epoch:
        raise ValueError(f"epochs ({epochs}) must be greater than initial_epoch "
                         f"({initial_epoch}): fit trains epochs initial_epoch..epochs-1")
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return _preview_step_schedule(schedule, epochs, steps_per_epoch, initial_epoch,
                                      initial_lr)

    kind = "function"
    function = schedule
    if isinstance(schedule, keras.callbacks.LearningRateScheduler):
        kind, function = "LearningRateScheduler", schedule.schedule
        name = f"LearningRateScheduler({_callable_name(function)})"
    elif _is_pairs(schedule):
        kind, function = "pairs", PiecewiseSchedule(schedule)
        schedule = function
        name = f"{len(function.pairs)} (epoch, rate) pairs"
    elif callable(schedule):
        name = _callable_name(schedule)
    else:
        raise TypeError(
            f"cannot preview a {type(schedule).__name__}: pass a schedule(epoch, lr) function, "
            "a keras.callbacks.LearningRateScheduler, a list of (epoch, learning_rate) pairs, "
            "a keras.optimizers.schedules.LearningRateSchedule, or a "
            "keras.callbacks.ReduceLROnPlateau with history=")
    start, notes = _initial_rate(initial_lr, None)
    dtype = np.dtype(keras.backend.floatx()).type
    replay = replay_epoch_schedule(function, epochs, start, initial_epoch, dtype=dtype)
    if initial_lr is None and notes and _ignores_initial_rate(function, epochs, initial_epoch,
                                                               dtype, replay):
        notes = []  # the assumed starting rate changes nothing: no need to mention it
    problems = replay.problems
    if problems and isinstance(function, keras.optimizers.schedules.LearningRateSchedule):
        problems = [ScheduleProblem(p.epoch, p.value, p.kind, p.reason, (
            "a LearningRateSchedule is meant for the optimizer, not for LearningRateScheduler: "
            "keras.optimizers.Adam(learning_rate=schedule). Preview it with "
            "preview_schedule(schedule, epochs, steps_per_epoch=...)."), p.fatal)
            for p in problems]
    steps = None if steps_per_epoch is None else replay.epochs * steps_per_epoch
    return SchedulePreview(
        learning_rates=replay.learning_rates, epochs=replay.epochs, steps=steps,
        per_step=False, steps_per_epoch=steps_per_epoch, schedule=schedule if kind != "pairs"
        else function, kind=kind, name=name, initial_lr=start, problems=problems,
        first_epoch=initial_epoch, notes=notes)


# -- the forms --------------------------------------------------------------------------
def _preview_step_schedule(schedule, epochs, steps_per_epoch, initial_epoch, initial_lr):
    if steps_per_epoch is None:
        raise ValueError(
            f"{type(schedule).__name__} changes the rate at every optimizer step: pass "
            "steps_per_epoch= (ceil(number of samples / batch_size), or len(dataset)) so "
            "steps can be placed in epochs")
    notes = []
    if initial_lr is not None:
        notes.append("initial_lr is not used: a LearningRateSchedule sets every step's rate")
    first_step = initial_epoch * steps_per_epoch
    count = (epochs - initial_epoch) * steps_per_epoch
    rates = replay_step_schedule(schedule, first_step, count, dtype=keras.backend.floatx())
    steps = np.arange(first_step, first_step + count)
    problem = _first_bad_step_rate(rates, steps_per_epoch, initial_epoch)
    return SchedulePreview(
        learning_rates=rates, epochs=steps // steps_per_epoch, steps=steps, per_step=True,
        steps_per_epoch=steps_per_epoch, schedule=schedule, kind="LearningRateSchedule",
        name=_schedule_object_name(schedule), initial_lr=None,
        problems=[problem] if problem else [],
        first_epoch=initial_epoch, notes=notes)


def _first_bad_step_rate(rates, steps_per_epoch, initial_epoch):
    bad = np.flatnonzero(~np.isfinite(rates) | (rates < 0))
    if not len(bad):
        return None
    index = int(bad[0])
    value = float(rates[index])
    epoch = initial_epoch + index // steps_per_epoch
    kind, what = (("nan", "NaN") if math.isnan(value) else
                  ("inf", "infinite") if math.isinf(value) else ("negative", "negative"))
    return ScheduleProblem(epoch, value, kind, (
        f"the rate at step {initial_epoch * steps_per_epoch + index} is {what} ({value!r}); "
        "training would not recover from it."),
        "check the schedule's arguments (decay steps, powers, end rate).", False)


def _preview_plateau(callback, epochs, initial_lr, history, initial_epoch):
    if history is None:
        raise ValueError(
            "ReduceLROnPlateau reacts to a monitored curve: pass history= (the History "
            "returned by an earlier fit, its .history dict, or a list of values of "
            f"{callback.monitor!r})")
    values, learning_rates = _monitored_values(history, callback.monitor)
    recorded_epochs = getattr(history, "epoch", None)  # a Keras History knows its epoch numbers
    if initial_epoch == 0 and isinstance(recorded_epochs, list) and recorded_epochs:
        initial_epoch = int(recorded_epochs[0])
    if epochs is not None:
        epochs = _whole_number(epochs, "epochs", minimum=1)
        if epochs > len(values):
            raise ValueError(f"the curve has {len(values)} values of {callback.monitor!r}, "
                             f"fewer than epochs={epochs}; pass epochs={len(values)} or fewer")
        values = values[:epochs]
    lr_from_history = learning_rates[0] if learning_rates else None
    start, notes = _initial_rate(initial_lr, lr_from_history)
    mode = _resolve_mode(callback)
    dtype = np.dtype(keras.backend.floatx()).type
    replay = simulate_reduce_lr_on_plateau(
        values, start, mode=mode, factor=callback.factor, patience=callback.patience,
        min_delta=abs(callback.min_delta), cooldown=callback.cooldown,
        min_lr=callback.min_lr, dtype=dtype)
    indices = np.arange(initial_epoch, initial_epoch + len(values))
    # Epoch numbers as fit counts them (the replay counts from 0).
    replay.reductions = [Reduction(r.epoch + initial_epoch, r.old_lr, r.new_lr)
                         for r in replay.reductions]
    name = (f"ReduceLROnPlateau on {callback.monitor} ({mode}): factor {callback.factor:g}, "
            f"patience {callback.patience}"
            + (f", cooldown {callback.cooldown}" if callback.cooldown else "")
            + (f", min_lr {callback.min_lr:g}" if callback.min_lr else ""))
    return SchedulePreview(
        learning_rates=replay.learning_rates, epochs=indices, steps=None, per_step=False,
        steps_per_epoch=None, schedule=callback, kind="ReduceLROnPlateau", name=name,
        initial_lr=start, plateau=replay, monitor=callback.monitor, first_epoch=initial_epoch,
        notes=notes)


def _resolve_mode(callback) -> str:
    """``"min"``/``"max"`` as Keras resolves it (from the callback, if it ran already)."""
    if callback.mode in ("min", "max"):
        return callback.mode
    if getattr(callback, "monitor_op", None) is not None:
        return "min" if callback.monitor_op is keras.ops.less else "max"
    # Keras looks at the compiled metric's direction; Keras' metrics agree with this rule.
    name = callback.monitor.removeprefix("val_")
    return "min" if name == "loss" or not higher_is_better(name) else "max"


def _monitored_values(history, monitor: str) -> tuple[list, list]:
    """The monitored curve and, when recorded, the learning rates, from any history form."""
    if hasattr(history, "epoch_values") and hasattr(history, "metric_names"):  # a MetricStore
        names = history.metric_names()
        if monitor not in names:
            raise ValueError(f"the history has no {monitor!r}; it has {names}")
        rates = (history.epoch_values("learning_rate").tolist()
                 if "learning_rate" in names else [])
        return history.epoch_values(monitor).tolist(), rates
    if not isinstance(history, Mapping) and hasattr(history, "history"):
        return _monitored_values(history.history, monitor)  # a History, or a Dashboard
    if isinstance(history, Mapping):
        if monitor not in history:
            raise ValueError(
                f"the history has no {monitor!r}; it has {sorted(history)}. Pass "
                "ReduceLROnPlateau(monitor=...) with one of those names (validation metrics "
                "need validation data in fit)")
        rates = list(history.get("learning_rate", []))
        return list(history[monitor]), rates
    if isinstance(history, (Sequence, np.ndarray)) and not isinstance(history, str):
        return [None if v is None else float(v) for v in history], []
    raise TypeError(f"history must be a Keras History, a dict of lists, a MetricStore or a "
                    f"list of values; got {type(history).__name__}")


# -- small helpers ------------------------------------------------------------------------
def _initial_rate(initial_lr, fallback) -> tuple[float, list[str]]:
    if initial_lr is None:
        if fallback is not None:
            return float(fallback), [f"initial_lr taken from the history: {format_rate(fallback)}"]
        return DEFAULT_INITIAL_LR, [
            f"initial_lr not given: assumed {DEFAULT_INITIAL_LR} (Adam's default; SGD's is 0.01)"]
    optimizer = getattr(initial_lr, "optimizer", None) or initial_lr
    if hasattr(optimizer, "learning_rate") and not isinstance(optimizer, (int, float)):
        if isinstance(getattr(optimizer, "_learning_rate", None),
                      keras.optimizers.schedules.LearningRateSchedule):
            raise ValueError("this optimizer's rate comes from a LearningRateSchedule, which "
                             "LearningRateScheduler cannot set; preview the schedule itself")
        return float(keras.ops.convert_to_numpy(optimizer.learning_rate)), []
    if isinstance(initial_lr, bool) or not isinstance(initial_lr, (int, float, np.number)):
        raise TypeError(f"initial_lr must be a number, an optimizer or a compiled model; "
                        f"got {type(initial_lr).__name__}")
    return float(initial_lr), []


def _ignores_initial_rate(function, epochs, initial_epoch, dtype, replay) -> bool:
    """Whether the schedule gives the same rates from another starting rate (it ignores ``lr``)."""
    try:
        other = replay_epoch_schedule(function, epochs, DEFAULT_INITIAL_LR * 3, initial_epoch,
                                      dtype=dtype)
    except Exception:  # noqa: BLE001 - then keep the note
        return False
    return np.array_equal(other.learning_rates, replay.learning_rates, equal_nan=True)


def _is_pairs(value) -> bool:
    if not isinstance(value, (list, tuple)) or not value:
        return False
    return all(isinstance(item, (list, tuple)) and len(item) == 2 for item in value)


def _whole_number(value, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _callable_name(function) -> str:
    name = getattr(function, "__name__", None)
    if name == "<lambda>":
        return "lambda"
    if name:
        return name
    if isinstance(function, PiecewiseSchedule):
        return repr(function)
    return type(function).__name__


def _schedule_object_name(schedule) -> str:
    try:
        config = schedule.get_config()
    except Exception:  # noqa: BLE001 - a custom schedule without get_config
        return type(schedule).__name__
    shown = {k: v for k, v in config.items()
             if k != "name" and isinstance(v, (int, float)) and not isinstance(v, bool)}
    arguments = ", ".join(f"{k}={v:g}" for k, v in list(shown.items())[:3])
    more = ", ..." if len(shown) > 3 else ""
    return f"{type(schedule).__name__}({arguments}{more})"
