"""``find_lr``: the learning-rate range test, leaving the model exactly as it was.

One batch per rate, the rate growing exponentially from ``start_lr`` to
``end_lr``; each step's loss (of the batch, before its update) is recorded
and smoothed, and the test stops once the smoothed loss has blown up. The
model's weights, optimizer state (moments, ``iterations``, learning rate) and
metric accumulators are saved first and restored afterwards — also when the
test fails or is interrupted — so the next ``fit`` starts where it would
have without the test.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import keras
import numpy as np
from numpy.typing import ArrayLike

from nbcallbacks.distributed.cluster_role import cluster_role
from nbcallbacks.distributed.worker_sync import multi_worker_strategy
from nbcallbacks.lr_range.lr_range_math import (
    exponential_ramp,
    has_diverged,
    smooth_range_test_losses,
    steepest_descent,
)
from nbcallbacks.lr_range.lr_range_result import LRRangeTest
from nbcallbacks.lr_range.training_batches import (
    array_batches,
    count_array_batches,
    dataset_batches,
    dataset_length,
    is_dataset_like,
)
from nbcallbacks.model_access.learning_rate_override import learning_rate_override, uses_schedule
from nbcallbacks.model_access.model_state import ModelState
from nbcallbacks.records.smoothing import ema

DEFAULT_STEPS = 100
MIN_STEPS = 10


def find_lr(model: Any, x: Any, y: Any = None, *, batch_size: int = 32,
            steps: int | None = None, start_lr: float = 1e-7, end_lr: float = 10.0,
            smoothing: float = 0.8, diverge_threshold: float = 4.0,
            sample_weight: ArrayLike | None = None, shuffle: bool = True,
            seed: int = 0) -> LRRangeTest:
    """Run an LR range test on ``model`` and suggest a learning rate.

    Trains one batch at each of ``steps`` rates spaced evenly in log scale
    from ``start_lr`` to ``end_lr``, recording each batch's loss. The test
    stops early when the running, bias-corrected exponential moving average
    of the loss exceeds ``diverge_threshold`` times its lowest value (or a
    loss is NaN/inf). The recorded curve is then smoothed by the same average
    run forwards and backwards, which removes the running average's delay,
    after capping exploded losses at the divergence level (see
    :mod:`nbcallbacks.lr_range.lr_range_math`).

    Suggestion rule: the rate where the smoothed loss falls fastest per
    decade of learning rate, among the points before the smoothed loss's
    minimum, ignoring the first 10 % of the steps. Use it as the base rate of
    a ``fit``, or as the peak of a warm-up/one-cycle schedule; the rate at
    the minimum (``.lowest_loss_lr``) is already close to unstable.

    The model is left exactly as it was: weights, optimizer variables
    (including ``iterations`` and the learning rate) and metric state are
    restored bit for bit, even when the test raises. An optimizer built with
    a ``LearningRateSchedule`` is tested with a temporary fixed rate and gets
    its schedule object back (its train function is traced again at the next
    ``fit``).

    Args:
        model: a compiled Keras model.
        x: input arrays (NumPy, or a list/dict of them), a batched
            ``tf.data.Dataset`` yielding ``(x, y)`` or ``(x, y, sample_weight)``,
            or another iterable of such batches (generator, ``PyDataset``).
        y: targets, with array ``x``; ``None`` with a dataset.
        batch_size: samples per step, with array data (default 32).
        steps: rates tried, one batch each. Default ``None``: 100, or every
            full batch when the data has fewer (at least 10 are needed).
        start_lr: the first rate (default 1e-7).
        end_lr: the last rate (default 10.0).
        smoothing: EMA weight in [0, 1) (default 0.8: an average over about
            five steps, applied in both directions).
        diverge_threshold: stop when the smoothed loss exceeds this multiple
            of its lowest value (default 4.0).
        sample_weight: per-sample weights, with array data (default None).
        shuffle: shuffle array data before batching (default True; a local
            generator seeded by ``seed`` is used, global random state is untouched).
        seed: the shuffling seed (default 0).

    Returns:
        An :class:`~nbcallbacks.lr_range.lr_range_result.LRRangeTest` with
        ``.learning_rates``, ``.losses``, ``.smoothed_losses`` and
        ``.suggestion``; it displays a log-x chart with the suggestion marked.

    Raises:
        ValueError: the model is not compiled, the data has fewer batches
            than ``steps`` (or than 10), or an argument is out of range.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(2048, 4)).astype("float32")
        >>> y = x @ np.float32([1.0, -2.0, 0.5, 3.0])
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> before = model.get_weights()
        >>> result = find_lr(model, x, y, start_lr=1e-4, end_lr=10.0, steps=60)
        >>> 1e-2 < result.suggestion < 1.0           # SGD on this problem diverges above ~1
        True
        >>> all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
        True
    """
    _check_model(model)
    if not 0.0 <= smoothing < 1.0:
        raise ValueError(f"smoothing must be in [0, 1), got {smoothing}")
    if diverge_threshold <= 1.0:
        raise ValueError(f"diverge_threshold must be above 1, got {diverge_threshold}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    steps, batches, notes = _plan_batches(x, y, sample_weight, batch_size, steps, shuffle, seed)
    if 1.0 / (1.0 - smoothing) > steps / 5:
        notes.append(f"smoothing={smoothing:g} averages over about {1 / (1 - smoothing):.0f} of "
                     f"the {steps} steps, which flattens the curve: use a lower smoothing or "
                     "more steps")
    rates = exponential_ramp(start_lr, end_lr, steps)

    _build_if_needed(model, x, y, sample_weight, batch_size)
    state = ModelState.capture(model)
    if uses_schedule(model.optimizer):
        notes.append("the optimizer's LearningRateSchedule was replaced by fixed rates during "
                     "the test and is back in place")
    applied, losses = [], []
    stop_reason = f"all {steps} steps done"
    try:
        with learning_rate_override(model) as set_rate:
            for rate, (batch_x, batch_y, batch_weight) in zip(rates, batches):
                applied.append(set_rate(float(rate)))
                logs = model.train_on_batch(batch_x, batch_y, sample_weight=batch_weight,
                                            return_dict=True)
                loss = float(logs["loss"])
                losses.append(loss)
                if not math.isfinite(loss):
                    stop_reason = f"the loss became {loss} at rate {applied[-1]:.3g} (diverged)"
                    break
                if has_diverged(ema(np.array(losses), smoothing), diverge_threshold):
                    stop_reason = (f"the smoothed loss diverged (over {diverge_threshold:g}x "
                                   f"its lowest value) at rate {applied[-1]:.3g}")
                    break
    finally:
        state.restore()

    learning_rates = np.array(applied, dtype=keras.backend.floatx())
    loss_values = np.array(losses, dtype=np.float64)
    smoothed = smooth_range_test_losses(loss_values, smoothing, diverge_threshold)
    suggestion = steepest_descent(learning_rates, smoothed, skip_start=steps // 10)
    return LRRangeTest(learning_rates=learning_rates, losses=loss_values, smoothed_losses=smoothed,
                       suggestion=suggestion.learning_rate, suggestion_index=suggestion.index,
                       reason=suggestion.reason, stop_reason=stop_reason, steps_planned=steps,
                       start_lr=float(start_lr), end_lr=float(end_lr), smoothing=smoothing,
                       notes=notes)


def _check_model(model: Any) -> None:
    if not isinstance(model, keras.Model):
        raise TypeError(f"find_lr needs a keras.Model, got {type(model).__name__}")
    if cluster_role().multi_worker and multi_worker_strategy(model) is not None:
        raise ValueError(
            "find_lr cannot run under MultiWorkerMirroredStrategy: Keras 3's train_on_batch, "
            "which the range test steps with, fails there (keras-team/keras#20585). Run the "
            "range test in one process without the strategy (same model, same data) and give "
            "the suggested rate to the workers.")
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", False):
        raise ValueError("find_lr needs a compiled model: call model.compile(optimizer=..., "
                         "loss=...) first")


def _plan_batches(x: Any, y: Any, sample_weight: ArrayLike | None, batch_size: int,
                  steps: int | None, shuffle: bool,
                  seed: int) -> tuple[int, Iterator[tuple], list[str]]:
    """``(steps, batch iterator, notes)``, with clear errors when the data is too small."""
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int)
                              or steps < MIN_STEPS):
        raise ValueError(f"steps must be an integer >= {MIN_STEPS}, got {steps!r}")
    notes: list[str] = []
    if is_dataset_like(x):
        if y is not None or sample_weight is not None:
            raise ValueError("with a dataset, y and sample_weight come from the dataset's "
                             "batches: leave y=None and sample_weight=None")
        available = dataset_length(x)
        wanted = steps if steps is not None else DEFAULT_STEPS
        if available is not None and available < MIN_STEPS:
            raise ValueError(f"the dataset has {available} batches; the range test needs at "
                             f"least {MIN_STEPS}: use smaller batches or dataset.repeat()")
        if available is not None and available < wanted:
            if steps is not None:
                raise ValueError(
                    f"the dataset has {available} batches, fewer than steps={steps}: pass "
                    f"steps={available} or fewer, use smaller batches, or dataset.repeat()")
            wanted = available
        if available is None and steps is None:
            notes.append(f"the dataset's length is unknown: planned {DEFAULT_STEPS} steps")
        return wanted, dataset_batches(x, wanted), notes
    if y is None:
        raise ValueError("find_lr with arrays needs y (the targets); with a dataset, pass it "
                         "as x")
    samples, available = count_array_batches(x, batch_size)
    wanted = steps if steps is not None else min(DEFAULT_STEPS, available)
    if available < wanted or available < MIN_STEPS:
        smaller = max(1, samples // max(wanted, MIN_STEPS))
        raise ValueError(
            f"x has {samples} samples: {available} full batches of {batch_size}, but the range "
            f"test needs {max(wanted, MIN_STEPS)} (one batch per rate). Pass "
            + (f"steps={available} or fewer, " if available >= MIN_STEPS else "")
            + f"a smaller batch_size (batch_size={smaller} gives "
            f"{samples // smaller} batches), or more data.")
    return wanted, array_batches(x, y, sample_weight, batch_size, wanted, shuffle, seed), notes


def _build_if_needed(model: Any, x: Any, y: Any, sample_weight: ArrayLike | None,
                     batch_size: int) -> None:
    """Build an unbuilt model on a sample of the inputs, so its weights exist to be saved."""
    if model.built:
        return
    if is_dataset_like(x):
        raise ValueError("the model is not built yet, so its weights cannot be saved and "
                         "restored: start it with keras.Input(shape) or call "
                         "model.build(input_shape) before find_lr")
    sample = next(array_batches(x, y, sample_weight, batch_size, 1, shuffle=False))[0]
    model(sample)  # builds the layers with their initializers, as fit would
