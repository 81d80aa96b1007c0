"""``preview_schedule``: see the learning rate of every epoch (or step) before training.

Every form a Keras schedule takes is accepted and replayed with Keras' own
rules, so ``preview.learning_rates`` holds the very float32 values a real
``fit`` applies:

* a ``schedule(epoch, lr)`` function (or the old ``schedule(epoch)``), as
  ``keras.callbacks.LearningRateScheduler`` takes it, or such a callback;
* a list of ``(epoch, learning_rate)`` pairs (the TensorFlow guide's
  ``LR_SCHEDULE``), turned into a
  :class:`~nbcallbacks.schedules.piecewise_schedule.PiecewiseSchedule`;
* a ``keras.optimizers.schedules.LearningRateSchedule``, evaluated per
  optimizer step (``steps_per_epoch`` places steps in epochs);
* a ``keras.callbacks.ReduceLROnPlateau``, replayed over a recorded curve
  (``history=``) to show where it would have cut the rate.

A schedule that breaks training — a value Keras 3 rejects (tensor, int,
string, None), an exception, NaN, inf or a negative rate — is reported with
the first epoch where it happens, the reason and the fix.

This module takes the arguments and picks the form; each form's previewer is
in :mod:`~nbcallbacks.schedules.schedule_previewers`, the result object
(:class:`SchedulePreview`, re-exported here) in
:mod:`~nbcallbacks.schedules.schedule_preview_result`.
"""

from __future__ import annotations

from typing import Any

import keras

from nbcallbacks.schedules.schedule_preview_result import SchedulePreview
from nbcallbacks.schedules.schedule_previewers import (
    preview_epoch_schedule,
    preview_plateau,
    preview_step_schedule,
    whole_number,
)

__all__ = ["SchedulePreview", "preview_schedule"]


def preview_schedule(schedule: Any, epochs: int | None = None, initial_lr: Any = None,
                     steps_per_epoch: int | None = None, *, history: object = None,
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
            :class:`~nbcallbacks.records.MetricStore`, or a list of values.
        initial_epoch: the ``initial_epoch`` you pass to ``fit`` (default 0;
            for ``ReduceLROnPlateau``, the first epoch of the curve, read
            from a Keras ``History`` when it starts later).

    Returns:
        A :class:`SchedulePreview`.

    Example:
        >>> import math
        >>> from nbcallbacks.records.formatting import format_learning_rate
        >>> def scheduler(epoch, lr):     # Keras' LearningRateScheduler example, fixed for Keras 3
        ...     return lr if epoch < 10 else lr * math.exp(-0.1)
        >>> preview = preview_schedule(scheduler, epochs=15, initial_lr=0.01)
        >>> [format_learning_rate(rate) for rate in preview.learning_rates[[0, 9, 10, 14]]]
        ['0.01', '0.01', '0.009048374', '0.0060653067']
        >>> bad = preview_schedule(lambda epoch, lr: lr * keras.ops.exp(-0.1), 3, 0.01)
        >>> bad.problem.epoch, bad.problem.fatal
        (0, True)
    """
    if isinstance(schedule, keras.callbacks.ReduceLROnPlateau):
        return preview_plateau(schedule, epochs, initial_lr, history, initial_epoch)
    if history is not None:
        raise ValueError("history= is only used with a ReduceLROnPlateau callback; "
                         f"got a {type(schedule).__name__}")
    if epochs is None:
        raise ValueError("preview_schedule needs epochs=: the `epochs` you will pass to fit")
    epochs = whole_number(epochs, "epochs")
    initial_epoch = whole_number(initial_epoch, "initial_epoch")
    if steps_per_epoch is not None:
        steps_per_epoch = whole_number(steps_per_epoch, "steps_per_epoch", minimum=1)
    if epochs <= initial_epoch:
        raise ValueError(f"epochs ({epochs}) must be greater than initial_epoch "
                         f"({initial_epoch}): fit trains epochs initial_epoch..epochs-1")
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return preview_step_schedule(schedule, epochs, steps_per_epoch, initial_epoch,
                                     initial_lr)
    return preview_epoch_schedule(schedule, epochs, initial_lr, steps_per_epoch, initial_epoch)
