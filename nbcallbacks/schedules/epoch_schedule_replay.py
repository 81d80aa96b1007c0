"""Replay a ``schedule(epoch, lr)`` function exactly as Keras' ``LearningRateScheduler`` runs it.

At the start of each epoch the callback reads the optimizer's rate as a
Python float (it went through the optimizer's float32 variable), calls
``schedule(epoch, lr)`` (falling back to ``schedule(epoch)`` on ``TypeError``,
the old one-argument API), checks the type of the result and assigns it to
the variable, which rounds it to float32. The rate passed to the next call is
therefore the *rounded* one, and rounding compounds over epochs. This module
does the same, in the same order, without Keras, so the preview shows the very
numbers a real ``fit`` applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nbcallbacks.schedules.schedule_problems import ScheduleProblem, diagnose_learning_rate


@dataclass
class EpochScheduleReplay:
    """The rates a ``LearningRateScheduler`` would apply, epoch by epoch.

    Attributes:
        epochs: epoch indices (0-based, as passed to the schedule).
        learning_rates: the rate in effect during each epoch, as stored by the
            optimizer (``dtype``); NaN from the epoch where Keras would stop.
        problems: every :class:`ScheduleProblem`, in epoch order; a fatal one
            (Keras stops training) can only be the last.
    """

    epochs: np.ndarray
    learning_rates: np.ndarray
    problems: list[ScheduleProblem]

    @property
    def problem(self) -> ScheduleProblem | None:
        """The first problem, or None."""
        return self.problems[0] if self.problems else None


def call_like_keras(schedule: Callable, epoch: int, lr: float) -> Any:
    """Call ``schedule`` as ``LearningRateScheduler`` does: ``(epoch, lr)``, else ``(epoch)``.

    Example:
        >>> call_like_keras(lambda epoch: 0.1 / (epoch + 1), 1, 0.5)   # old one-argument API
        0.05
    """
    try:
        return schedule(epoch, lr)
    except TypeError:  # the old API, exactly as Keras falls back
        return schedule(epoch)


def replay_epoch_schedule(schedule: Callable, epochs: int, initial_lr: float,
                          initial_epoch: int = 0,
                          dtype: type[np.floating[Any]] = np.float32) -> EpochScheduleReplay:
    """Run ``schedule`` over ``range(initial_epoch, epochs)`` like ``LearningRateScheduler``.

    A value Keras would reject (tensor, int, string, None) or an exception
    from the schedule ends the replay at that epoch: Keras would stop training
    there. NaN, infinite and negative rates are reported but the replay goes
    on, as training would.

    Args:
        schedule: ``schedule(epoch, lr) -> float`` (or the old ``schedule(epoch)``).
        epochs: the ``epochs`` argument of ``fit`` (the end index, exclusive).
        initial_lr: the optimizer's rate before training.
        initial_epoch: the ``initial_epoch`` argument of ``fit`` (default 0).
        dtype: the optimizer variable's dtype (default float32, Keras' floatx).

    Example:
        >>> def step_decay(epoch, lr):
        ...     return lr if epoch < 2 else lr * 0.5
        >>> replay = replay_epoch_schedule(step_decay, 4, initial_lr=0.1)
        >>> replay.learning_rates.tolist()     # float32 values, as the optimizer holds them
        [0.10000000149011612, 0.10000000149011612, 0.05000000074505806, 0.02500000037252903]
        >>> replay_epoch_schedule(lambda epoch, lr: 1, 3, 0.1).problem.reason[:21]
        'returned an int (1), '
    """
    if epochs < initial_epoch:
        raise ValueError(f"epochs ({epochs}) must be >= initial_epoch ({initial_epoch})")
    indices = np.arange(initial_epoch, epochs)
    rates = np.full(len(indices), np.nan, dtype=dtype)
    with np.errstate(over="ignore"):
        stored = dtype(initial_lr)
    problems: list[ScheduleProblem] = []
    for position, epoch in enumerate(indices.tolist()):
        lr = float(stored)
        try:
            value = call_like_keras(schedule, epoch, lr)
        except Exception as error:  # noqa: BLE001 - reported, as Keras would propagate it
            problems.append(ScheduleProblem(
                epoch, error, "exception", f"the schedule raised {type(error).__name__}: {error}",
                "make the schedule work for every epoch index from "
                f"{initial_epoch} to {epochs - 1}.", True))
            break
        diagnosis = diagnose_learning_rate(value)
        if diagnosis is not None and diagnosis.fatal:
            problems.append(ScheduleProblem(epoch, value, diagnosis.kind, diagnosis.reason,
                                            diagnosis.fix, True))
            break
        with np.errstate(over="ignore", invalid="ignore"):
            stored = dtype(value)  # the optimizer variable's rounding
        rates[position] = stored
        if diagnosis is not None:
            problems.append(ScheduleProblem(epoch, value, diagnosis.kind, diagnosis.reason,
                                            diagnosis.fix, False))
    return EpochScheduleReplay(indices, rates, problems)
