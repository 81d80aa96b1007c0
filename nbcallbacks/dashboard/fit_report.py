"""What a :class:`~nbcallbacks.Dashboard` says about its fit in words.

While it trains, a status line (:class:`~nbcallbacks.outputs.dashboard_output.StatusReport`:
where training is, plus a note); once it ended, a one-line summary (the last
epoch's values), which the outputs show at the end and the dashboard's own
``repr`` falls back to. Both are read from the records alone, so they say the
same in every output.
"""

from __future__ import annotations

from nbcallbacks.dashboard.fit_progress import FitProgress
from nbcallbacks.outputs.dashboard_output import StatusReport
from nbcallbacks.records.formatting import format_value
from nbcallbacks.records.metric_store import POSITION_COLUMNS, MetricStore
from nbcallbacks.records.training_clock import TrainingClock


def status_report(state: str, progress: FitProgress, clock: TrainingClock,
                  history: MetricStore, note: str | None = None) -> StatusReport:
    """Where the fit ``progress`` follows is, for the status line (``state``: "training", ...).

    Example:
        >>> history = MetricStore()
        >>> progress = FitProgress(history.begin_fit(0, epochs=3, steps_per_epoch=10))
        >>> history.record_batch(epoch=0, batch=0, logs={"loss": 1.0})
        >>> report = status_report("training", progress, TrainingClock(), history)
        >>> report.epoch, report.epochs, report.batch, report.steps_per_epoch
        (0, 3, 1, 10)
    """
    return StatusReport(
        state, clock, epoch=progress.epoch if progress.record else None,
        epochs=progress.epochs, batch=history.batches_in_epoch(progress.epoch),
        steps_per_epoch=progress.steps_per_epoch, note=note)


def status_note(workers: int | None, watched: str | None) -> str | None:
    """What the status line adds: the cluster when this is the chief of ``workers``
    processes (so the person knows a click reaches them all), and what the watched
    callbacks are counting; None when there is neither.

    Example:
        >>> status_note(2, "early stopping: 1/3 epochs without improvement in val_loss")
        'chief of 2 workers: the controls apply on every worker · early stopping: 1/3 epochs ...'
        >>> status_note(None, None) is None
        True
    """
    parts = []
    if workers is not None:
        parts.append(f"chief of {workers} workers: the controls apply on every worker")
    if watched:
        parts.append(watched)
    return " · ".join(parts) or None


def fit_summary(title: str, history: MetricStore) -> str:
    """One line about the run: how many epochs, and the last one's values.

    Example:
        >>> history = MetricStore()
        >>> fit_summary("Training", history)
        'Training: no epoch finished'
        >>> history.record_epoch(0, {"loss": 0.5, "val_loss": 0.75})
        >>> fit_summary("Training", history)
        'Training: 1 epochs; last: loss 0.5000, val_loss 0.7500'
    """
    rows = history.epoch_rows()
    if not rows:
        return f"{title}: no epoch finished"
    last = rows[-1]
    values = ", ".join(f"{k} {format_value(v)}" for k, v in last.items()
                       if k not in POSITION_COLUMNS)
    return f"{title}: {len(rows)} epochs; last: {values}"
