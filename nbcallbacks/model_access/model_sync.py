"""Make a model's variables current before reading or changing them mid-``fit``.

On the JAX backend Keras keeps the training state (weights, optimizer
variables) outside the model between the steps of an epoch, and only writes
it back when asked: ``Callback.model`` does that on every access. A callback
that touches the model on every batch would pay a pass over all variables
per batch, so nbcallbacks holds the raw model in its per-batch path and syncs
only when it reads or writes state (the learning rate, a save). On TensorFlow
and PyTorch the variables are always current and this is a no-op.
"""

from __future__ import annotations

from typing import Any


def synced(model: Any) -> Any:
    """``model``, after writing back any training state JAX holds outside it.

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> synced(model) is model
        True
    """
    sync = getattr(model, "jax_state_sync", None)
    if sync is not None:
        sync()
    return model
