"""Read and set an optimizer's learning rate through backend-neutral Keras 3 APIs.

Keras 3 removed ``optimizer.lr`` and ``keras.backend.set_value``; the rate is
``optimizer.learning_rate`` (a variable, or the current value of a schedule).
"""

from __future__ import annotations

import math

from nbcallbacks.model_access.model_sync import synced


def read_learning_rate(model) -> float | None:
    """The learning rate the optimizer uses now, or None when there is none to read.

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        >>> round(read_learning_rate(model), 6)
        0.05
    """
    optimizer = getattr(synced(model), "optimizer", None) if model is not None else None
    if optimizer is None:
        return None
    try:
        import keras

        value = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    except Exception:  # noqa: BLE001 - a custom optimizer without a readable rate
        return None
    return value if math.isfinite(value) else None
