"""The rate a ``keras.optimizers.schedules.LearningRateSchedule`` gives at each optimizer step.

The optimizer evaluates ``schedule(iterations)`` inside the compiled train
step, before incrementing ``iterations``: step ``k`` (0-based) uses
``schedule(k)``. Compiled and eager evaluation can differ in the last bit
(TensorFlow's graph kernels for ``pow`` differ from the eager ones), so each
step is evaluated the way training does — in a compiled function with the
step as an integer scalar of the optimizer's ``iterations`` dtype. Vectorising
over all steps at once would change the kernels, so it is avoided; on
TensorFlow the steps run one by one inside a single graph loop
(``tf.map_fn`` with one iteration at a time: the same scalar kernels, ten
times faster than one call per step), with one call per step as the fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import DTypeLike


def _compiled(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` compiled the way the backend's train step is (eager for torch)."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.function(function, reduce_retracing=True)
    if backend == "jax":
        import jax

        return jax.jit(function)
    return function


def _iteration_dtype() -> str:
    import keras

    # The optimizer's iteration counter: dtype "int" is int64 on TensorFlow, int32 on JAX.
    return "int64" if keras.backend.backend() == "tensorflow" else "int32"


def replay_step_schedule(schedule: Callable[[Any], Any], first_step: int, steps: int,
                         dtype: DTypeLike = "float32") -> np.ndarray:
    """``schedule(k)`` for ``k`` from ``first_step`` on, ``steps`` values, as training computes it.

    Args:
        schedule: a ``LearningRateSchedule`` (or any ``schedule(step)`` callable).
        first_step: the optimizer's ``iterations`` at the first step.
        steps: how many steps.
        dtype: the dtype the rates are returned in (default float32).

    Example:
        >>> import keras
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
        >>> replay_step_schedule(decay, 0, 5)
        array([0.1       , 0.07071068, 0.05      , 0.03535534, 0.025     ], dtype=float32)
    """
    import keras

    if keras.backend.backend() == "tensorflow" and steps > 0:
        try:
            return _replay_in_graph_loop(schedule, first_step, steps).astype(dtype)
        except Exception:  # noqa: BLE001 - a schedule the loop cannot trace: one call per step
            pass
    evaluate = _compiled(lambda step: keras.ops.cast(schedule(step), "float32"))
    iteration_dtype = _iteration_dtype()
    rates = np.empty(steps, dtype=dtype)
    for index in range(steps):
        step = keras.ops.convert_to_tensor(first_step + index, dtype=iteration_dtype)
        rates[index] = keras.ops.convert_to_numpy(evaluate(step))
    return rates


def _replay_in_graph_loop(schedule: Callable[[Any], Any], first_step: int,
                          steps: int) -> np.ndarray:
    import tensorflow as tf

    @tf.function
    def evaluate(indices: Any) -> Any:
        return tf.map_fn(lambda step: tf.cast(schedule(step), tf.float32), indices,
                         parallel_iterations=1, fn_output_signature=tf.float32)

    indices = tf.range(first_step, first_step + steps, dtype=tf.int64)
    return evaluate(indices).numpy()
