"""The order metrics are listed in, and the chart panels they fill.

The widget's metric table and the console's epoch lines show the same keys in
the same order; the PNG figure, the browser chart and the panel toggles show
the same panels. All of them import the rule from here, so no output needs
another output's layer to know it.
"""

from __future__ import annotations

from collections.abc import Iterable

from nbcallbacks.records.metric_names import panel_names
from nbcallbacks.records.metric_store import POSITION_COLUMNS, StoreSnapshot

# The panel of the learning rate, after every metric's panel.
LEARNING_RATE_PANEL = "learning rate"


def table_columns(keys: Iterable[str]) -> list[str]:
    """Log keys in display order: per metric, training then validation; rate last.

    Example:
        >>> table_columns(["val_loss", "learning_rate", "accuracy", "loss", "epoch"])
        ['loss', 'val_loss', 'accuracy', 'learning_rate']
    """
    keys = [k for k in keys if k not in POSITION_COLUMNS]
    ordered: list[str] = []
    for panel in panel_names(keys):
        for key in (panel, "val_" + panel):
            if key in keys:
                ordered.append(key)
    ordered += [k for k in keys if k not in ordered]
    return ordered


def available_panels(snapshot: StoreSnapshot) -> list[str]:
    """Metric panels the data supports, plus the learning-rate panel when a rate is known.

    Example:
        >>> from nbcallbacks.records import MetricStore
        >>> store = MetricStore()
        >>> store.record_epoch(0, {"val_accuracy": 0.5, "loss": 1.0, "learning_rate": 0.01})
        >>> available_panels(store.snapshot())
        ['loss', 'accuracy', 'learning rate']
    """
    keys = [n for n in snapshot.batches.names + snapshot.epochs.names
            if n not in POSITION_COLUMNS]
    # Known from the recorder's own rows, or from the column Keras 3 logs each epoch.
    has_rate = snapshot.learning_rates.rows > 0 or "learning_rate" in snapshot.epochs.names
    return panel_names(keys) + ([LEARNING_RATE_PANEL] if has_rate else [])
