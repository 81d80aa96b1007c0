"""Set an optimizer's learning rate freely for a while, whatever it was built with.

An optimizer built with a float keeps its rate in a float32 variable: the
override assigns that variable (its old value is part of the saved model
state). An optimizer built with a ``LearningRateSchedule`` (or a callable)
has no variable to assign — Keras raises ``TypeError`` — so the override
swaps in a callable that returns a temporary variable, and puts the original
schedule object back afterwards. The compiled train function captured the
schedule when it was traced, so it is dropped on the way in and on the way
out; the next ``fit`` traces it again (about a second), with the schedule.
What the optimizer was built with is private Keras state, read through
:mod:`nbcallbacks.compat.keras_optimizer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import keras

from nbcallbacks.compat.keras_optimizer import (
    forget_traced_train_step,
    rate_owner,
    set_stored_learning_rate,
    stored_learning_rate,
)


def rate_source(optimizer: Any) -> str:
    """Where the rate comes from: ``"variable"`` (settable), ``"schedule"`` or ``"callable"``.

    A ``LossScaleOptimizer`` (mixed precision) answers for the optimizer inside it.

    Raises:
        AttributeError: the optimizer keeps its rate where Keras 3 does not
            (see :func:`~nbcallbacks.compat.keras_optimizer.stored_learning_rate`).

    Example:
        >>> rate_source(keras.optimizers.SGD(0.1))
        'variable'
        >>> rate_source(keras.optimizers.SGD(keras.optimizers.schedules.CosineDecay(0.1, 10)))
        'schedule'
        >>> rate_source(keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(lambda: 0.1)))
        'callable'
    """
    stored = stored_learning_rate(optimizer)
    if isinstance(stored, keras.Variable):
        return "variable"
    if isinstance(stored, keras.optimizers.schedules.LearningRateSchedule):
        return "schedule"
    return "callable"


def uses_schedule(optimizer: Any) -> bool:
    """True when the optimizer's rate comes from a schedule or a callable, not a variable.

    Example:
        >>> uses_schedule(keras.optimizers.SGD(0.1))
        False
        >>> uses_schedule(keras.optimizers.SGD(keras.optimizers.schedules.CosineDecay(0.1, 10)))
        True
    """
    return rate_source(optimizer) != "variable"


@contextmanager
def learning_rate_override(model: Any) -> Iterator[Callable[[float], float]]:
    """Yield ``set_rate(rate) -> float``: sets the rate, returns the value the optimizer holds.

    The returned value is what the train step will use (rounded to the
    optimizer variable's dtype). On exit a schedule-based optimizer gets its
    schedule back; a variable-based one keeps the last rate set (restore the
    saved model state to undo it).

    Example:
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        >>> with learning_rate_override(model) as set_rate:
        ...     set_rate(0.3)
        0.30000001192092896
    """
    optimizer = rate_owner(model.optimizer)
    original = stored_learning_rate(optimizer)
    if isinstance(original, keras.Variable):

        def set_rate(rate: float) -> float:
            original.assign(rate)
            return float(keras.ops.convert_to_numpy(original.value))

        yield set_rate
        return
    variable = keras.Variable(0.0, dtype=keras.backend.floatx(), trainable=False,
                              name="lr_range_test_rate")

    def set_temporary_rate(rate: float) -> float:
        variable.assign(rate)
        return float(keras.ops.convert_to_numpy(variable.value))

    set_stored_learning_rate(optimizer, lambda: variable)
    forget_traced_train_step(model)  # traced with the schedule: trace again with the variable
    try:
        yield set_temporary_rate
    finally:
        set_stored_learning_rate(optimizer, original)  # the same schedule or callable object
        forget_traced_train_step(model)
