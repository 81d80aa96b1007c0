"""What a :class:`~nbcallbacks.Dashboard`'s latest ``fit`` was trained with, for a run table.

The model tells the optimizer, batch size and parameter count
(:func:`~nbcallbacks.runs.fit_hyperparameters.fit_hyperparameters`), but by the
time a run table asks, a scheduler or the rate control may have changed the
rate: the rate the fit started with is the first one recorded in it.
"""

from __future__ import annotations

from typing import Any

from nbcallbacks.records.metric_store import FitRecord, MetricStore
from nbcallbacks.runs.fit_hyperparameters import fit_hyperparameters


def latest_fit_hyperparameters(model: Any, fit: FitRecord | None, batch_size: int | None,
                               history: MetricStore, given: dict) -> dict:
    """``model``'s optimizer, learning rate at ``fit``'s start, ``batch_size``, epochs and
    parameter count, then what was ``given`` (which wins); only ``given`` before a fit.

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
        >>> history = MetricStore()
        >>> latest_fit_hyperparameters(model, None, None, history, {"dropout": 0.2})
        {'dropout': 0.2}
        >>> fit = history.begin_fit(0, epochs=3)
        >>> history.record_learning_rate(0.0, 0.05)   # the fit began at 0.05; now it is 0.01
        >>> latest_fit_hyperparameters(model, fit, 8, history, {"dropout": 0.2})
        {'optimizer': 'SGD', 'learning_rate': 0.05, 'batch_size': 8, 'epochs': 3,
         'parameters': 5, 'dropout': 0.2}
    """
    if fit is None:
        return dict(given)
    read = fit_hyperparameters(model, batch_size=batch_size, epochs=fit.epochs)
    rates = history.learning_rates.snapshot()
    if "learning_rate" in rates:   # the rate it started with, not one a callback set
        started = rates.column("step") >= fit.first_step
        if started.any():
            read["learning_rate"] = float(f"{rates.column('learning_rate')[started][0]:.6g}")
    return {**read, **given}
