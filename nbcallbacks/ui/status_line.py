"""The dashboard's status line: where training is, how fast, how long to go."""

from __future__ import annotations

import html

from nbcallbacks.records.formatting import format_duration, format_rate
from nbcallbacks.records.training_clock import TrainingClock
from nbcallbacks.render.palette import THEMED

# Progress-bar colour for each training state.
STATE_STYLES = {"finished": "success", "stopped early": "warning", "paused": "warning",
                "stopped by an error": "danger"}


def status_line(state: str, clock: TrainingClock, epoch: int | None = None,
                epochs: int | None = None, batch: int | None = None,
                steps_per_epoch: int | None = None, note: str | None = None
                ) -> tuple[str, float | None, str]:
    """HTML of the status line, the progress fraction (or None) and the bar style.

    Example:
        >>> clock = TrainingClock(); clock.start(total_steps=100)
        >>> text, progress, style = status_line("paused", clock, epoch=2, epochs=10,
        ...                                     batch=5, steps_per_epoch=10)
        >>> "epoch <b>3/10</b>" in text and "batch 5/10" in text, progress, style
        (True, 0.0, 'warning')
    """
    parts = []
    if epoch is not None:
        parts.append(f"epoch <b>{epoch + 1}{f'/{epochs}' if epochs else ''}</b>")
        parts.append(f"batch {batch or 0}{f'/{steps_per_epoch}' if steps_per_epoch else ''}")
    parts.append(f"elapsed {format_duration(clock.elapsed)}")
    if state == "training":
        parts.append(f"ETA {format_duration(clock.eta)}")
    rate = clock.samples_per_second
    parts.append(format_rate(rate, "samples/s") if rate
                 else format_rate(clock.steps_per_second, "batches/s"))
    parts.append(f"<i>{html.escape(state)}</i>")
    if note:
        parts.append(f'<span style="color:{THEMED.ROUTINE}">{html.escape(note)}</span>')
    progress = clock.steps / clock.total_steps if clock.total_steps else None
    if state == "finished":
        progress = 1.0
    return " &nbsp;·&nbsp; ".join(parts), progress, STATE_STYLES.get(state, "info")
