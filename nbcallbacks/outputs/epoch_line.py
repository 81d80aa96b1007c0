"""Compact per-epoch lines for terminals and scripts (no widget frontend).

One line per epoch keeps a terminal log readable next to Keras' own output
(``verbose=0`` is the usual choice with a dashboard); the console output
(:class:`nbcallbacks.outputs.console_output.ConsoleOutput`) prints them.
"""

from __future__ import annotations

from nbcallbacks.records.formatting import format_duration, format_value
from nbcallbacks.records.metric_columns import table_columns


def epoch_line(epoch: int, epochs: int | None, logs: dict, seconds: float | None = None) -> str:
    """One line summarising an epoch.

    Example:
        >>> epoch_line(2, 10, {"loss": 0.25, "val_loss": 0.3, "learning_rate": 0.001}, 4.2)
        'epoch 3/10  4.2s  loss 0.2500  val_loss 0.3000  learning_rate 1.00e-03'
    """
    total = f"/{epochs}" if epochs else ""
    parts = [f"epoch {epoch + 1}{total}"]
    if seconds is not None:
        parts.append(f"{seconds:.1f}s" if seconds < 60 else format_duration(seconds))
    parts += [f"{key} {format_value(logs[key])}" for key in table_columns(list(logs))]
    return "  ".join(parts)
