"""Short human-readable numbers and durations for status lines and tables."""

from __future__ import annotations

import math
from typing import SupportsFloat

import numpy as np


def format_duration(seconds: float | None) -> str:
    """``75.2`` -> ``'01:15'``; hours when needed; ``'--:--'`` when unknown.

    Example:
        >>> format_duration(75.2), format_duration(3725), format_duration(None)
        ('01:15', '1:02:05', '--:--')
    """
    if seconds is None or not math.isfinite(seconds):
        return "--:--"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def format_value(value: float | None, digits: int = 4) -> str:
    """Compact value: fixed point for ordinary sizes, scientific for tiny/huge ones.

    Example:
        >>> format_value(0.123456), format_value(1e-4), format_value(float("nan"))
        ('0.1235', '1.00e-04', 'nan')
    """
    if value is None:
        return "—"
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if value != 0 and (abs(value) < 0.01 or abs(value) >= 10 ** 5):
        return f"{value:.2e}"
    return f"{value:.{digits}f}"


def format_rate(value: float | None, unit: str) -> str:
    """A throughput: ``1234.5, 'samples/s'`` -> ``'1,234 samples/s'``.

    (A learning rate is :func:`format_learning_rate`.)
    """
    if value is None:
        return f"— {unit}"
    return f"{value:,.0f} {unit}" if value >= 10 else f"{value:.2f} {unit}"


def format_learning_rate(value: SupportsFloat) -> str:
    """A learning rate as the optimizer stores it, in the shortest exact float32 form.

    Example:
        >>> format_learning_rate(0.1), format_learning_rate(np.float32(0.009048374))
        ('0.1', '0.009048374')
        >>> format_learning_rate(float("nan"))
        'nan'
    """
    value = float(value)
    if math.isnan(value):
        return "nan"
    with np.errstate(over="ignore"):
        return str(np.float32(value))
