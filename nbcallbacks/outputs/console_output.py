"""Printed lines for terminals and scripts: one per epoch, one per event.

Where no widget frontend is there (``python train.py``, the IPython
terminal) the dashboard prints instead of drawing; each line is flushed at
once, so a log tailed from another terminal is always current.
"""

from __future__ import annotations

import sys
from typing import TextIO

from nbcallbacks.outputs.dashboard_output import DashboardOutput
from nbcallbacks.outputs.epoch_line import epoch_line
from nbcallbacks.records.events import Event


class ConsoleOutput(DashboardOutput):
    """Print epoch lines, events and notes to a stream (stdout by default).

    Example:
        >>> import io
        >>> stream = io.StringIO()
        >>> output = ConsoleOutput(stream)
        >>> output.epoch(0, 2, {"loss": 0.5}, 1.5)
        >>> output.note("dashboard plot written to plot.png")
        >>> print(stream.getvalue(), end="")
        epoch 1/2  1.5s  loss 0.5000
        dashboard plot written to plot.png
    """

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def note(self, text: str) -> None:
        """Print one line (other outputs announce through it, e.g. the PNG file)."""
        print(text, file=self._stream or sys.stdout, flush=True)

    def epoch(self, epoch: int, epochs: int | None, logs: dict, seconds: float | None) -> None:
        self.note(epoch_line(epoch, epochs, logs, seconds))

    def event(self, event: Event, control_reply: bool = False) -> None:
        self.note(f"[{event.kind}] {event.message}")
