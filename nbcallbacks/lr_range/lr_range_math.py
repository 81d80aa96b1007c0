"""The maths of the learning-rate range test: the ramp, divergence, and the suggestion.

The test (Smith, "Cyclical Learning Rates for Training Neural Networks", 2017)
trains one batch per rate while the rate grows exponentially, and records the
loss. The loss curve is noisy, so it is smoothed with a bias-corrected
exponential moving average (:func:`nbcallbacks.records.smoothing.ema`, the same
smoothing as the dashboard's slider). While the test runs, that running
average decides when the loss has blown up. Afterwards the curve is smoothed
once more, backwards: a running average trails the data by about
``weight / (1 - weight)`` steps (4 for 0.8, a third of a decade of learning
rate in a 100-step test), and running it in both directions cancels that delay, so the curve —
and the suggestion read from it — sits at the rates that caused it. Before
that, losses above the divergence level are capped at it: run backwards, one
exploding batch (often thousands of times the normal loss) would otherwise
lift the whole curve before it.

The suggestion is the rate where the smoothed loss falls fastest per decade of
learning rate — the steepest point of the curve's descent, before its minimum.
That rate still makes fast progress and sits well below where training
becomes unstable; the rate at the minimum itself is already at the edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nbcallbacks.records.smoothing import ema


def exponential_ramp(start: float, end: float, steps: int) -> np.ndarray:
    """``steps`` rates from ``start`` to ``end`` (both included), evenly spaced in log scale.

    Example:
        >>> exponential_ramp(1e-4, 1.0, 5).tolist()
        [0.0001, 0.001, 0.01, 0.1, 1.0]
    """
    if not (start > 0 and end > start):
        raise ValueError(f"need 0 < start_lr < end_lr; got start_lr={start}, end_lr={end}")
    if steps < 2:
        raise ValueError(f"need at least 2 steps, got {steps}")
    exponents = np.linspace(math.log10(start), math.log10(end), steps)
    rates = 10.0 ** exponents
    rates[0], rates[-1] = start, end  # exact end points despite the log round trip
    return rates


def centered_ema(values: ArrayLike, weight: float) -> np.ndarray:
    """The bias-corrected EMA run forwards, then backwards over the result: no delay.

    Example:
        >>> step = np.array([1.0] * 10 + [0.0] * 10)
        >>> forward = ema(step, 0.8)
        >>> bool(forward[10] > 0.5), bool(centered_ema(step, 0.8)[10] < 0.5)  # drop stays at 10
        (True, True)
    """
    forward = ema(np.asarray(values, dtype=np.float64), weight)
    return ema(forward[::-1], weight)[::-1]


def smooth_range_test_losses(losses: ArrayLike, weight: float,
                             diverge_threshold: float = 4.0) -> np.ndarray:
    """The range test's curve: exploded losses capped, then :func:`centered_ema`.

    Losses after the lowest point of the running average are capped at the
    divergence level, ``diverge_threshold`` times that lowest value; losses
    before it are left alone (the starting plateau may well be higher).

    Example:
        >>> losses = np.array([2.0, 1.9, 1.5, 1.0, 0.8, 1e6])
        >>> curve = smooth_range_test_losses(losses, 0.5)
        >>> bool(curve[:-1].max() < 10)        # the explosion does not leak backwards
        True
    """
    losses = np.asarray(losses, dtype=np.float64)
    running = ema(losses, weight)
    if not np.isfinite(running).any():
        return running
    lowest = int(np.nanargmin(np.where(np.isfinite(running), running, np.nan)))
    cap = diverge_threshold * float(running[lowest]) if running[lowest] > 0 else np.inf
    capped = np.where(np.isfinite(losses), losses, np.nan)
    capped[lowest + 1:] = np.minimum(capped[lowest + 1:], cap)
    return centered_ema(capped, weight)


def has_diverged(smoothed: np.ndarray, threshold: float = 4.0) -> bool:
    """Whether the last smoothed loss rose past ``threshold`` times the best so far.

    Written as "more than ``(threshold - 1) * |best|`` above the best", which is
    the same for positive losses and still means something for losses that
    can reach zero or go negative. A non-finite last value counts as diverged.

    Example:
        >>> has_diverged(np.array([2.0, 1.0, 3.9])), has_diverged(np.array([2.0, 1.0, 4.1]))
        (False, True)
    """
    if len(smoothed) == 0:
        return False
    last = smoothed[-1]
    if not np.isfinite(last):
        return True
    best = float(np.nanmin(smoothed))
    return bool(last - best > (threshold - 1.0) * abs(best))


@dataclass(frozen=True)
class Suggestion:
    """A suggested learning rate and why.

    Attributes:
        learning_rate: the suggested rate, or None when there is none.
        index: its position in the recorded rates, or None.
        reason: one sentence explaining the choice (or why there is none).
    """

    learning_rate: float | None
    index: int | None
    reason: str


SLOPE_HALF_WINDOW_DECADES = 0.25


def _window_slopes(log_rates: np.ndarray, losses: np.ndarray) -> np.ndarray:
    """Slope at each point over a window reaching a quarter decade either side.

    A step-to-step slope follows batch noise: a model whose first losses jump
    around (another initialisation, another backend) would get a "steepest
    descent" at a spike. Half a decade of rates spans the real descent but
    averages the noise away.
    """
    spacing = float(np.median(np.diff(log_rates))) if len(log_rates) > 1 else 1.0
    reach = max(1, int(round(SLOPE_HALF_WINDOW_DECADES / spacing))) if spacing > 0 else 1
    index = np.arange(len(losses))
    left = np.clip(index - reach, 0, len(losses) - 1)
    right = np.clip(index + reach, 0, len(losses) - 1)
    run = log_rates[right] - log_rates[left]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(run > 0, (losses[right] - losses[left]) / run, np.nan)


def steepest_descent(learning_rates: ArrayLike, smoothed: ArrayLike,
                     skip_start: int = 0) -> Suggestion:
    """The rate where ``smoothed`` falls fastest per decade, before its minimum.

    The slope is taken against ``log10(learning_rate)``, over a window of
    half a decade centred on each point (so batch noise does not win). Only points from
    ``skip_start`` up to the minimum of the smoothed loss are candidates: the
    first points carry the noise of the start, the ones after the minimum are
    the blow-up.

    Args:
        learning_rates: the rates tried, increasing.
        smoothed: the smoothed loss at each rate.
        skip_start: how many leading points are not candidates (default 0).

    Example:
        >>> rates = exponential_ramp(1e-4, 1.0, 9)
        >>> loss = np.array([2.0, 2.0, 1.9, 1.5, 0.9, 0.6, 0.5, 0.8, 3.0])
        >>> suggestion = steepest_descent(rates, loss)
        >>> suggestion.index, f"{suggestion.learning_rate:.1e}"
        (3, '3.2e-03')
    """
    rates = np.asarray(learning_rates, dtype=np.float64)
    losses = np.asarray(smoothed, dtype=np.float64)
    finite = np.isfinite(losses)
    if finite.sum() < 3:
        return Suggestion(None, None, "too few finite loss values to suggest a rate.")
    lowest = int(np.nanargmin(np.where(finite, losses, np.nan)))
    start = max(0, int(skip_start))
    if lowest - start < 2:
        return Suggestion(None, None, (
            "the loss did not go down after the first rates: the whole range is too high "
            "(lower start_lr), or the model cannot learn from this data."))
    slopes = _window_slopes(np.log10(rates[:lowest + 1]), losses[:lowest + 1])
    candidates = slopes[start:]
    if not np.isfinite(candidates).any() or np.nanmin(candidates) >= 0:
        return Suggestion(None, None, "the smoothed loss never decreased.")
    index = start + int(np.nanargmin(candidates))
    return Suggestion(float(rates[index]), index, (
        f"steepest descent of the smoothed loss ({-slopes[index]:.3g} per decade of "
        f"learning rate), before its minimum at {rates[lowest]:.2e}."))
