"""Min/max decimation: reduce a long series to a bounded number of points for drawing.

Drawing a million points costs far more than the pixels can show. Each bin of
consecutive points is replaced by its minimum and its maximum, in the order
they occurred, so spikes stay visible at any zoom-out. Non-finite values
(NaN, ±inf) become gaps: a bin that holds one keeps its finite min/max and is
followed by a NaN, which matplotlib draws as a break in the line.
"""

from __future__ import annotations

import numpy as np


def minmax_decimate(x: np.ndarray, y: np.ndarray, max_points: int = 2000
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Return at most ``max_points`` (+ gap markers) points that keep every bin's extremes.

    Args:
        x: positions, increasing.
        y: values; NaN and ±inf are drawn as gaps.
        max_points: upper bound on the returned points (excluding NaN gap
            markers, at most one per bin). Short series are returned unchanged
            except that ±inf is turned into NaN.

    Example:
        >>> x = np.arange(10.0); y = np.array([0, 9, 1, 2, 3, 4, 5, 6, -7, 8.0])
        >>> xs, ys = minmax_decimate(x, y, max_points=4)
        >>> ys.tolist()
        [0.0, 9.0, -7.0, 8.0]
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    finite = np.isfinite(y)
    if len(y) <= max_points:
        return x, np.where(finite, y, np.nan)
    bins = max(1, max_points // 2)
    size = -(-len(y) // bins)  # ceil: every bin but the last is full
    bins = -(-len(y) // size)
    pad = bins * size - len(y)
    yb = np.pad(y, (0, pad), constant_values=np.nan).reshape(bins, size)
    fb = np.pad(finite, (0, pad), constant_values=False).reshape(bins, size)
    low = np.argmin(np.where(fb, yb, np.inf), axis=1)
    high = np.argmax(np.where(fb, yb, -np.inf), axis=1)
    any_finite = fb.any(axis=1)
    has_gap = np.zeros(bins, dtype=bool)   # an array: numpy types all(axis=1) as array-or-scalar
    has_gap[:] = ~fb[:, : size].all(axis=1)
    if pad:  # padding in the last bin is not a gap
        has_gap[-1] = ~fb[-1, : size - pad].all()

    first = np.minimum(low, high)
    second = np.maximum(low, high)
    base = np.arange(bins) * size
    idx = np.stack([base + first, base + second], axis=1)          # (bins, 2)
    xs = x[np.minimum(idx, len(x) - 1)]
    ys = y[np.minimum(idx, len(y) - 1)]
    ys[~any_finite] = np.nan
    # Append a NaN after every bin that contained a non-finite value.
    gap_x = x[np.minimum(base + size - 1, len(x) - 1)][:, None]
    gap_y = np.where(has_gap, np.nan, ys[:, 1])[:, None]
    gap_x = np.where(has_gap[:, None], gap_x, xs[:, 1:2])
    xs = np.concatenate([xs, gap_x], axis=1).ravel()
    ys = np.concatenate([ys, gap_y], axis=1).ravel()
    # Bins without a gap repeated their max as a third point: drop the repeats.
    keep = np.ones(len(xs), dtype=bool)
    keep[2::3] = has_gap
    return xs[keep], ys[keep]
