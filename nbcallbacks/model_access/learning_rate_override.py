"""Set an optimizer's learning rate freely for a while, whatever it was built with.

An optimizer built with a float keeps its rate in a float32 variable: the
override assigns that variable (its old value is part of the saved model
state). An optimizer built with a ``LearningRateSchedule`` (or a callable)
has no variable to assign — Keras raises ``TypeError`` — so the override
swaps in a callable that returns a temporary variable, and puts the original
schedule object back afterwards. The compiled train function captured the
schedule when it was traced, so it is dropped on the way in and on the way
out; the next ``fit`` traces it again (about a second), with the schedule.
The swap reads the optimizer's private ``_learning_rate`` attribute, the only
place Keras 3 keeps the schedule object.
"""

from __future__ import annotations

from contextlib import contextmanager

import keras


def _rate_owner(optimizer):
    # A LossScaleOptimizer (mixed precision) delegates its rate to the inner optimizer.
    return getattr(optimizer, "inner_optimizer", optimizer)


def uses_schedule(optimizer) -> bool:
    """True when the optimizer's rate comes from a schedule or a callable, not a variable.

    Example:
        >>> uses_schedule(keras.optimizers.SGD(0.1))
        False
        >>> uses_schedule(keras.optimizers.SGD(keras.optimizers.schedules.CosineDecay(0.1, 10)))
        True
    """
    return not isinstance(getattr(_rate_owner(optimizer), "_learning_rate", None),
                          keras.Variable)


@contextmanager
def learning_rate_override(model):
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
    owner = _rate_owner(model.optimizer)
    if not uses_schedule(owner):
        variable = owner._learning_rate

        def set_rate(rate: float) -> float:
            variable.assign(rate)
            return float(keras.ops.convert_to_numpy(variable.value))

        yield set_rate
        return
    original = owner._learning_rate
    variable = keras.Variable(0.0, dtype=keras.backend.floatx(), trainable=False,
                              name="lr_range_test_rate")

    def set_temporary_rate(rate: float) -> float:
        variable.assign(rate)
        return float(keras.ops.convert_to_numpy(variable.value))

    owner.learning_rate = lambda: variable  # the setter accepts callables as they are
    model.train_function = None  # traced with the schedule: trace again with the variable
    try:
        yield set_temporary_rate
    finally:
        owner.learning_rate = original  # a LearningRateSchedule or callable, set back as is
        model.train_function = None
