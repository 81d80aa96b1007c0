"""The order metrics are listed in, wherever they are listed as columns.

The widget's metric table and the console's epoch lines show the same keys in
the same order; both import it from here, so the console needs nothing from
the widget layer.
"""

from __future__ import annotations

from collections.abc import Iterable

from nbcallbacks.records.metric_names import panel_names
from nbcallbacks.records.metric_store import POSITION_COLUMNS


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
