"""A recorded training curve, in whichever form the person has it at hand.

``ReduceLROnPlateau`` reacts to a monitored value, so its preview replays a
curve from an earlier run: a Keras ``History`` (what ``fit`` returns), its
``.history`` dict, a :class:`~nbcallbacks.records.MetricStore` (a Dashboard's
``.history``), or a plain list of values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def monitored_values(history: object, monitor: str) -> tuple[list, list]:
    """The monitored curve and, when recorded, the learning rates, from any history form.

    Example:
        >>> monitored_values({"loss": [1.0, 0.5], "learning_rate": [0.1, 0.1]}, "loss")
        ([1.0, 0.5], [0.1, 0.1])
        >>> monitored_values([0.9, None, 0.7], "val_loss")
        ([0.9, None, 0.7], [])
    """
    if hasattr(history, "epoch_values") and hasattr(history, "metric_names"):  # a MetricStore
        names = history.metric_names()
        if monitor not in names:
            raise ValueError(f"the history has no {monitor!r}; it has {names}")
        rates = (history.epoch_values("learning_rate").tolist()
                 if "learning_rate" in names else [])
        return history.epoch_values(monitor).tolist(), rates
    if not isinstance(history, Mapping) and hasattr(history, "history"):
        return monitored_values(history.history, monitor)  # a History, or a Dashboard
    if isinstance(history, Mapping):
        if monitor not in history:
            raise ValueError(
                f"the history has no {monitor!r}; it has {sorted(history)}. Pass "
                "ReduceLROnPlateau(monitor=...) with one of those names (validation metrics "
                "need validation data in fit)")
        rates = list(history.get("learning_rate", []))
        return list(history[monitor]), rates
    if isinstance(history, (Sequence, np.ndarray)) and not isinstance(history, str):
        return [None if v is None else float(v) for v in history], []
    raise TypeError(f"history must be a Keras History, a dict of lists, a MetricStore or a "
                    f"list of values; got {type(history).__name__}")


def first_recorded_epoch(history: object) -> int | None:
    """The epoch index the curve starts at, when the history knows it (a Keras ``History``).

    Example:
        >>> first_recorded_epoch([0.9, 0.8]) is None
        True
    """
    recorded = getattr(history, "epoch", None)  # a Keras History knows its epoch numbers
    if isinstance(recorded, list) and recorded:
        return int(recorded[0])
    return None
