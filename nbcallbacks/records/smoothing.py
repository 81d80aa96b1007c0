"""Exponential moving average for noisy curves, as TensorBoard's smoothing slider.

The average is debiased (the first points are not pulled towards zero) and
skips gaps: a NaN input yields a NaN output and leaves the average unchanged,
so gaps stay visible in the smoothed line.
"""

from __future__ import annotations

import numpy as np


def ema(values: np.ndarray, weight: float) -> np.ndarray:
    """Debiased exponential moving average of ``values`` with smoothing ``weight`` in [0, 1).

    ``weight=0`` returns the input unchanged; 0.9 averages over roughly the last
    ten points. Non-finite inputs give NaN and do not disturb the average.

    Example:
        >>> ema(np.array([1.0, 3.0, np.nan, 3.0]), 0.5).round(3).tolist()
        [1.0, 2.333, nan, 2.714]
    """
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"smoothing weight must be in [0, 1), got {weight!r}")
    values = np.asarray(values, dtype=np.float64)
    if weight == 0.0 or len(values) == 0:
        return values.copy()
    out = np.full(len(values), np.nan)
    average, debias = 0.0, 0.0
    # A plain loop: the renderer calls this on decimated series (a few thousand
    # points), where it costs well under a millisecond.
    for i, value in enumerate(values.tolist()):
        if value != value or value in (np.inf, -np.inf):
            continue
        average = weight * average + (1.0 - weight) * value
        debias = weight * debias + (1.0 - weight)
        out[i] = average / debias
    return out
