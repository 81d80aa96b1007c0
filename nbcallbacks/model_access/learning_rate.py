"""Read an optimizer's current learning rate through backend-neutral Keras 3 APIs.

Setting it is :mod:`~nbcallbacks.model_access.learning_rate_override` (a rate
the person chose, kept until they let go), applied between batches by
:class:`~nbcallbacks.run_control.training_controller.TrainingController`.

Keras 3 removed ``optimizer.lr`` and ``keras.backend.set_value``; the rate is
``optimizer.learning_rate`` (a variable, or the current value of a schedule),
read on the optimizer that owns it (under mixed precision, the one inside the
``LossScaleOptimizer``: :func:`nbcallbacks.compat.keras_optimizer.rate_owner`).

For a ``LearningRateSchedule`` the value is the schedule at the optimizer's
step counter, i.e. the rate of the *next* training step: read it before a
batch for that batch's rate (the dashboard does), not after it.
"""

from __future__ import annotations

import math
from typing import Any

from nbcallbacks.compat.keras_optimizer import rate_owner
from nbcallbacks.model_access.model_sync import synced


def read_learning_rate(model: Any) -> float | None:
    """The learning rate the optimizer uses now, or None when there is none to read.

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        >>> round(read_learning_rate(model), 6)
        0.05
        >>> schedule = keras.optimizers.schedules.ExponentialDecay(1e-2, 10, 0.5)
        >>> model.compile(optimizer=keras.optimizers.Adam(schedule), loss="mse")
        >>> round(read_learning_rate(model), 6)   # step 0: the first batch's rate
        0.01
    """
    optimizer = getattr(synced(model), "optimizer", None) if model is not None else None
    if optimizer is None:
        return None
    try:
        rate = rate_owner(optimizer).learning_rate
        try:
            # float() of a Keras variable or a backend scalar reads it directly: during a
            # TensorFlow fit, a third of what keras.ops.convert_to_numpy costs (~0.1 ms).
            value = float(rate)
        except TypeError:
            import keras

            value = float(keras.ops.convert_to_numpy(rate))
    except Exception:  # noqa: BLE001 - a custom optimizer without a readable rate
        return None
    return value if math.isfinite(value) else None
