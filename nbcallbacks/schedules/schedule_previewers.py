"""One previewer per form of schedule ``preview_schedule`` accepts.

Each turns what the person passed into a
:class:`~nbcallbacks.schedules.schedule_preview_result.SchedulePreview`, with
Keras' own rules for that form: a per-epoch schedule as
``LearningRateScheduler`` calls it (a function, the callback, or
``(epoch, rate)`` pairs), a ``LearningRateSchedule`` per optimizer step, and
a ``ReduceLROnPlateau`` replayed over a recorded curve.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import keras
import numpy as np

from nbcallbacks.model_access.learning_rate_override import rate_source
from nbcallbacks.records.formatting import format_learning_rate
from nbcallbacks.records.metric_names import higher_is_better
from nbcallbacks.schedules.epoch_schedule_replay import EpochScheduleReplay, replay_epoch_schedule
from nbcallbacks.schedules.monitored_history import first_recorded_epoch, monitored_values
from nbcallbacks.schedules.piecewise_schedule import PiecewiseSchedule
from nbcallbacks.schedules.plateau_simulation import Reduction, simulate_reduce_lr_on_plateau
from nbcallbacks.schedules.schedule_preview_result import SchedulePreview
from nbcallbacks.schedules.schedule_problems import ScheduleProblem
from nbcallbacks.schedules.step_schedule_replay import replay_step_schedule

# Keras' most common optimizer default (Adam, RMSprop, Nadam, AdamW); SGD's is 0.01.
DEFAULT_INITIAL_LR = 0.001


def preview_epoch_schedule(schedule: Any, epochs: int, initial_lr: Any,
                           steps_per_epoch: int | None, initial_epoch: int) -> SchedulePreview:
    """A per-epoch schedule: a ``schedule(epoch, lr)`` function, a ``LearningRateScheduler``
    or ``(epoch, learning_rate)`` pairs, replayed as ``LearningRateScheduler`` calls it.

    Example:
        >>> preview_epoch_schedule([(0, 0.1), (2, 0.01)], 4, None, None, 0).learning_rates.tolist()
        [0.10000000149011612, 0.10000000149011612, 0.009999999776482582, 0.009999999776482582]
    """
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


def preview_step_schedule(schedule: Any, epochs: int, steps_per_epoch: int | None,
                          initial_epoch: int, initial_lr: Any) -> SchedulePreview:
    """A ``keras.optimizers.schedules.LearningRateSchedule``: the rate of every optimizer step."""
    if steps_per_epoch is None:
        raise ValueError(
            f"{type(schedule).__name__} changes the rate at every optimizer step: pass "
            "steps_per_epoch= (ceil(number of samples / batch_size), or len(dataset)) so "
            "steps can be placed in epochs")
    notes: list[str] = []
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


def _first_bad_step_rate(rates: np.ndarray, steps_per_epoch: int,
                         initial_epoch: int) -> ScheduleProblem | None:
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


def preview_plateau(callback: Any, epochs: int | None, initial_lr: Any, history: object,
                    initial_epoch: int) -> SchedulePreview:
    """A ``ReduceLROnPlateau`` replayed over a recorded curve: where it would cut the rate."""
    if history is None:
        raise ValueError(
            "ReduceLROnPlateau reacts to a monitored curve: pass history= (the History "
            "returned by an earlier fit, its .history dict, or a list of values of "
            f"{callback.monitor!r})")
    values, learning_rates = monitored_values(history, callback.monitor)
    recorded_first = first_recorded_epoch(history)
    if initial_epoch == 0 and recorded_first is not None:
        initial_epoch = recorded_first
    if epochs is not None:
        epochs = whole_number(epochs, "epochs", minimum=1)
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


def _resolve_mode(callback: Any) -> str:
    """``"min"``/``"max"`` as Keras resolves it (from the callback, if it ran already)."""
    if callback.mode in ("min", "max"):
        return callback.mode
    if getattr(callback, "monitor_op", None) is not None:
        return "min" if callback.monitor_op is keras.ops.less else "max"
    # Keras looks at the compiled metric's direction; Keras' metrics agree with this rule.
    name = callback.monitor.removeprefix("val_")
    return "min" if name == "loss" or not higher_is_better(name) else "max"



# -- small helpers ----------------------------------------------------------------------
def _initial_rate(initial_lr: Any, fallback: float | None) -> tuple[float, list[str]]:
    if initial_lr is None:
        if fallback is not None:
            return float(fallback), [
                f"initial_lr taken from the history: {format_learning_rate(fallback)}"]
        return DEFAULT_INITIAL_LR, [
            f"initial_lr not given: assumed {DEFAULT_INITIAL_LR} (Adam's default; SGD's is 0.01)"]
    optimizer = getattr(initial_lr, "optimizer", None) or initial_lr
    if hasattr(optimizer, "learning_rate") and not isinstance(optimizer, (int, float)):
        if _follows_schedule(optimizer):
            raise ValueError("this optimizer's rate comes from a LearningRateSchedule, which "
                             "LearningRateScheduler cannot set; preview the schedule itself")
        return float(keras.ops.convert_to_numpy(optimizer.learning_rate)), []
    if isinstance(initial_lr, bool) or not isinstance(initial_lr, (int, float, np.number)):
        raise TypeError(f"initial_lr must be a number, an optimizer or a compiled model; "
                        f"got {type(initial_lr).__name__}")
    return float(initial_lr), []


def _ignores_initial_rate(function: Callable, epochs: int, initial_epoch: int,
                          dtype: type[np.floating[Any]], replay: EpochScheduleReplay) -> bool:
    """Whether the schedule gives the same rates from another starting rate (it ignores ``lr``)."""
    try:
        other = replay_epoch_schedule(function, epochs, DEFAULT_INITIAL_LR * 3, initial_epoch,
                                      dtype=dtype)
    except Exception:  # noqa: BLE001 - then keep the note
        return False
    return np.array_equal(other.learning_rates, replay.learning_rates, equal_nan=True)


def _is_pairs(value: object) -> bool:
    if not isinstance(value, (list, tuple)) or not value:
        return False
    return all(isinstance(item, (list, tuple)) and len(item) == 2 for item in value)


def whole_number(value: object, name: str, minimum: int = 0) -> int:
    """``value`` as an int, or ``ValueError`` naming the argument (bools are not numbers here).

    Example:
        >>> whole_number(3, "epochs"), whole_number(True, "epochs")
        Traceback (most recent call last):
        ...
        ValueError: epochs must be an integer >= 0; got True
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _callable_name(function: object) -> str:
    name = getattr(function, "__name__", None)
    if name == "<lambda>":
        return "lambda"
    if name:
        return name
    if isinstance(function, PiecewiseSchedule):
        return repr(function)
    return type(function).__name__


def _schedule_object_name(schedule: Any) -> str:
    try:
        config = schedule.get_config()
    except Exception:  # noqa: BLE001 - a custom schedule without get_config
        return type(schedule).__name__
    shown = {k: v for k, v in config.items()
             if k != "name" and isinstance(v, (int, float)) and not isinstance(v, bool)}
    arguments = ", ".join(f"{k}={v:g}" for k, v in list(shown.items())[:3])
    more = ", ..." if len(shown) > 3 else ""
    return f"{type(schedule).__name__}({arguments}{more})"


def _follows_schedule(optimizer: Any) -> bool:
    # Under mixed precision, asked of the optimizer inside the LossScaleOptimizer;
    # an optimizer keeping its rate elsewhere is read through its public rate.
    try:
        return rate_source(optimizer) == "schedule"
    except AttributeError:
        return False
