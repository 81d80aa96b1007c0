"""What a Keras optimizer keeps privately about its learning rate, read in one place.

Keras 3's public ``optimizer.learning_rate`` is the *current value*: for an
optimizer built on a ``LearningRateSchedule`` it is ``schedule(iterations)``,
and setting it raises. To tell a settable rate from a schedule, to swap a
schedule out for a while and put the same object back, nbcallbacks needs what
the optimizer was built with. Keras keeps that only in the private
``_learning_rate`` attribute (a ``keras.Variable``, a ``LearningRateSchedule``
or a callable), and, under mixed precision, on the optimizer *inside* the
``LossScaleOptimizer`` that ``compile`` wraps around it (the wrapper's own
``_learning_rate`` is a placeholder 0.0 variable it never uses).

Verified on Keras 3.12.4 (the floor), 3.13.2 (Colab's stack) and 3.15.1:
``optimizers/base_optimizer.py`` (``_learning_rate``, set in ``__init__`` and
by the ``learning_rate`` setter, which stores a schedule or callable as it
is), ``optimizers/loss_scale_optimizer.py`` (``inner_optimizer``) and
``backend/*/trainer.py`` (``make_train_function`` traces again when
``train_function`` is None) — run on the TensorFlow backend, and read in the
JAX and PyTorch trainers of both versions (the optimizer files are shared by
all backends). ``tests/test_keras_internals.py`` checks each on the installed
Keras.

When the internal is missing (a custom optimizer not derived from
``keras.optimizers.Optimizer``, or a Keras that renamed it),
:func:`stored_learning_rate` raises ``AttributeError`` with a message naming
the versions above; callers catch it and fall back to the public API (the
controls then try the public setter; a learning-rate override refuses with
that message).
"""

from __future__ import annotations

from typing import Any

VERIFIED_ON = "Keras 3.12.4, 3.13.2 and 3.15.1"


def rate_owner(optimizer: Any) -> Any:
    """The optimizer that owns the learning rate: a ``LossScaleOptimizer``'s inner one.

    Any other optimizer owns its rate and is returned as it is.

    Example:
        >>> import keras
        >>> sgd = keras.optimizers.SGD(0.1)
        >>> rate_owner(keras.optimizers.LossScaleOptimizer(sgd)) is sgd, rate_owner(sgd) is sgd
        (True, True)
    """
    # ``inner_optimizer`` is the wrapper's documented constructor argument, kept
    # under that name; a wrapper of a wrapper is unwrapped to the innermost.
    while getattr(optimizer, "inner_optimizer", None) is not None:
        optimizer = optimizer.inner_optimizer
    return optimizer


def stored_learning_rate(optimizer: Any) -> Any:
    """What the rate owner was built with: a ``keras.Variable``, a schedule or a callable.

    Raises:
        AttributeError: the optimizer keeps no ``_learning_rate`` (a custom
            optimizer, or a Keras other than the versions verified).

    Example:
        >>> import keras
        >>> schedule = keras.optimizers.schedules.CosineDecay(0.1, 10)
        >>> stored_learning_rate(keras.optimizers.Adam(schedule)) is schedule
        True
        >>> isinstance(stored_learning_rate(keras.optimizers.SGD(0.1)), keras.Variable)
        True
        >>> stored_learning_rate(object())
        Traceback (most recent call last):
        ...
        AttributeError: object keeps no _learning_rate: nbcallbacks reads it as Keras ...
    """
    owner = rate_owner(optimizer)
    try:
        return owner._learning_rate
    except AttributeError:
        raise AttributeError(
            f"{type(owner).__name__} keeps no _learning_rate: nbcallbacks reads it as "
            f"{VERIFIED_ON} do; with a custom optimizer derive it from "
            "keras.optimizers.Optimizer, or pass the learning rate as a float") from None


def set_stored_learning_rate(optimizer: Any, value: Any) -> None:
    """Make the rate owner use ``value`` (a schedule or a callable), exactly that object.

    Goes through the public ``learning_rate`` setter, which stores a schedule
    or a callable as it is (so :func:`stored_learning_rate` returns the same
    object afterwards): the way to put back what :func:`stored_learning_rate`
    returned.

    Example:
        >>> import keras
        >>> optimizer = keras.optimizers.SGD(keras.optimizers.schedules.CosineDecay(0.1, 10))
        >>> other = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
        >>> set_stored_learning_rate(optimizer, other)
        >>> stored_learning_rate(optimizer) is other
        True
    """
    rate_owner(optimizer).learning_rate = value


def forget_traced_train_step(model: Any) -> None:
    """Drop the model's traced train function: the next ``fit`` traces it again.

    A traced step captured the rate owner's schedule or variable when it was
    traced; after :func:`set_stored_learning_rate` it must be traced again to
    use the new one (``make_train_function`` traces when ``train_function`` is
    None).

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> forget_traced_train_step(model)
        >>> model.train_function is None
        True
    """
    model.train_function = None
