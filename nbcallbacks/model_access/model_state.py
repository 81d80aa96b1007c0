"""Save everything training changes in a model, and put it back bit for bit.

"Everything" is every variable whose value a training step can change: the
model's variables (weights, non-trainable statistics such as BatchNorm's
moving averages, and the seed generator states behind Dropout), the
optimizer's variables (``iterations``, the learning rate, moments,
accumulators) and the compiled metrics' accumulators. Values are copied to
NumPy and assigned back, so they return exactly, not approximately. Values
are read through the variable itself, not ``.value``: under a tf.distribute
strategy a metric accumulator is a sync-on-read variable whose ``.value``
NumPy cannot convert.

One piece of state lives outside the model on the PyTorch backend: a
``Dropout`` built without a seed draws from torch's global generator, so its
state is saved and put back as well (TensorFlow and JAX keep that state in
a seed-generator variable of the model).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import keras
import numpy as np


def _unique(variables: Iterable[Any]) -> list:
    seen, unique = set(), []
    for variable in variables:
        if id(variable) not in seen:
            seen.add(id(variable))
            unique.append(variable)
    return unique


def _tracked_variables(model: Any) -> list:
    optimizer = getattr(model, "optimizer", None)
    return _unique(list(model.variables)
                   + (list(optimizer.variables) if optimizer is not None else [])
                   + list(getattr(model, "metrics_variables", [])))


def _backend_random_state() -> Any:
    """The global generator state the backend's unseeded random ops consume, if any."""
    if keras.backend.backend() != "torch":
        return None
    import torch

    return torch.get_rng_state()


def _set_backend_random_state(state: Any) -> None:
    if state is not None:
        import torch

        torch.set_rng_state(state)


class ModelState:
    """A copy of a model's training state, restorable with :meth:`restore`.

    The optimizer is built first when it is not yet (as the first ``fit``
    would), so that its moments and accumulators exist and are saved with
    their initial values.

    Example:
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="adam", loss="mse")
        >>> state = ModelState.capture(model)
        >>> _ = model.train_on_batch(np.ones((4, 2)), np.ones((4, 1)))
        >>> len(state.changed()) > 0
        True
        >>> state.restore()
        >>> state.changed()
        []
    """

    def __init__(self, model: Any, variables: list, values: list[np.ndarray],
                 random_state: Any = None) -> None:
        self.model = model
        self._variables = variables
        self._values = values
        self._random_state = random_state

    @classmethod
    def capture(cls, model: Any) -> ModelState:
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and not optimizer.built and model.built:
            optimizer.build(model.trainable_variables)
        variables = _tracked_variables(model)
        values = [np.array(keras.ops.convert_to_numpy(v), copy=True) for v in variables]
        return cls(model, variables, values, _backend_random_state())

    def restore(self) -> None:
        """Assign every saved value back; reset metrics created since the capture."""
        for variable, value in zip(self._variables, self._values):
            variable.assign(value)
        _set_backend_random_state(self._random_state)
        saved = {id(v) for v in self._variables}
        for metric in getattr(self.model, "metrics", []):
            if any(id(v) not in saved for v in metric.variables):
                metric.reset_state()

    def changed(self) -> list[str]:
        """Paths of saved variables whose value differs now (empty when all are equal)."""
        return [variable.path for variable, value in zip(self._variables, self._values)
                if not np.array_equal(keras.ops.convert_to_numpy(variable), value,
                                      equal_nan=True)]
