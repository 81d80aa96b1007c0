"""Which panels the browser chart shows, and what each plots: decided in Python, once.

The same naming rules as the PNG figure (:func:`~nbcallbacks.records.metric_names.panel_names`:
``loss`` first, ``val_`` values beside their training values, the learning rate on its
own panel) so that both renderers show the same panels in the same order.

Example:
    >>> from nbcallbacks.records import MetricStore
    >>> store = MetricStore()
    >>> store.record_batch(epoch=0, batch=0, logs={"loss": 0.9, "accuracy": 0.5})
    >>> store.record_epoch(epoch=0, logs={"loss": 0.8, "accuracy": 0.6, "val_loss": 0.85})
    >>> [(p["name"], p["batch"], p["val"], p["bounded"]) for p in chart_panels(store.snapshot())]
    [('loss', 'loss', 'val_loss', False), ('accuracy', 'accuracy', None, True)]
"""

from __future__ import annotations

from nbcallbacks.records.metric_columns import LEARNING_RATE_PANEL
from nbcallbacks.records.metric_names import (
    VALIDATION_PREFIX,
    higher_is_better,
    is_fraction,
    panel_names,
)
from nbcallbacks.records.metric_store import POSITION_COLUMNS, StoreSnapshot


def chart_panels(snapshot: StoreSnapshot) -> list[dict]:
    """The ``panels`` trait of :class:`~nbcallbacks.chart.chart_widget.ChartWidget`."""
    batch_names = set(snapshot.batches.names) - set(POSITION_COLUMNS)
    epoch_names = set(snapshot.epochs.names) - set(POSITION_COLUMNS)
    panels = []
    for name in panel_names([n for n in snapshot.batches.names + snapshot.epochs.names
                             if n not in POSITION_COLUMNS]):
        validation = VALIDATION_PREFIX + name
        panels.append({
            "name": name,
            "batch": name if name in batch_names else None,
            "epoch": name if name in epoch_names else None,
            "val": validation if validation in epoch_names else None,
            "rate": False,
            "bounded": is_fraction(name),
            "higher_is_better": higher_is_better(name),
        })
    if snapshot.learning_rates.rows > 0:
        panels.append({"name": LEARNING_RATE_PANEL, "batch": None, "epoch": None, "val": None,
                       "rate": True, "bounded": False, "higher_is_better": False})
    return panels
