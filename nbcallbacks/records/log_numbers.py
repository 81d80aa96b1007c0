"""What counts as a number in a Keras ``logs`` value, decided in one place.

Keras hands callbacks Python floats, NumPy scalars, backend tensors and, from
custom callbacks, anything at all. Every reader (the store, the built-in
callback observers, the NaN watcher) asks :func:`as_number` so they agree on
which values are plotted, compared and checked.
"""

from __future__ import annotations

from typing import Any


def as_number(value: Any) -> float | None:
    """``value`` as a float, or None for values that are not numbers (strings, arrays).

    Strings are not numbers even when ``float()`` would parse them: a metric
    logged as ``"2.5"`` is a label, not a value to plot.

    Example:
        >>> import numpy as np
        >>> as_number(np.float32(0.5)), as_number(True), as_number("2.5"), as_number(None)
        (0.5, 1.0, None, None)
    """
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (str, bytes)):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
