"""What a run table shows about a fit, read from the model Keras trains."""

from __future__ import annotations

from typing import Any

from nbcallbacks.model_access.learning_rate import read_learning_rate


def fit_hyperparameters(model: Any, batch_size: int | None = None, epochs: int | None = None
                        ) -> dict:
    """What a run table shows about a fit: optimizer, rate, batch size, epochs, parameters.

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        >>> fit_hyperparameters(model, batch_size=8, epochs=3)
        {'optimizer': 'SGD', 'learning_rate': 0.05, 'batch_size': 8, 'epochs': 3, 'parameters': 5}
    """
    found: dict[str, str | float] = {}
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        found["optimizer"] = type(optimizer).__name__
        rate = read_learning_rate(model)
        if rate is not None:
            found["learning_rate"] = float(f"{rate:.6g}")   # float32 noise is not a setting
    if batch_size is not None:
        found["batch_size"] = int(batch_size)
    if epochs is not None:
        found["epochs"] = int(epochs)
    try:
        found["parameters"] = int(model.count_params())
    except (ValueError, AttributeError):   # a model not built yet
        pass
    return found
