"""A ``SchedulePreview`` as a chart: which problems to mark, the plateau's curve, the PNG.

:mod:`~nbcallbacks.schedules.schedule_chart` draws from plain data and knows
nothing of previews; this module says what of a preview goes on the chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nbcallbacks.schedules.schedule_chart import (
    MonitoredCurve,
    ScheduleChartData,
    schedule_chart_png,
)

if TYPE_CHECKING:  # schedule_preview_result imports this module when drawing
    from nbcallbacks.schedules.schedule_preview_result import SchedulePreview


def preview_chart_data(preview: SchedulePreview) -> ScheduleChartData:
    """What the chart shows: the rates, the first problem, where Keras stops, the plateau.

    Example:
        >>> from nbcallbacks import preview_schedule
        >>> data = preview_chart_data(preview_schedule(lambda epoch, lr: lr / 2, 3,
        ...                                            initial_lr=0.1))
        >>> data.title, data.problems, data.monitored
        ('Learning rate · lambda', [], None)
    """
    markers: list[tuple[int, str, bool]] = []
    first = preview.problem
    if first is not None and not first.fatal:
        markers.append((first.epoch, first.label, False))
    fatal = [p for p in preview.problems if p.fatal]
    if fatal:
        markers.append((fatal[0].epoch, f"{fatal[0].label} — Keras stops here", True))
    monitored = None
    plateau = preview.plateau
    if plateau is not None:
        assert preview.monitor is not None  # a ReduceLROnPlateau preview names its monitor
        monitored = MonitoredCurve(preview.monitor, plateau.monitored, plateau.improved,
                                   [r.epoch for r in plateau.reductions],
                                   [r.new_lr for r in plateau.reductions])
    return ScheduleChartData(
        learning_rates=preview.learning_rates, first_epoch=preview.first_epoch,
        per_step=preview.per_step, steps_per_epoch=preview.steps_per_epoch,
        title=f"Learning rate · {preview.name}", problems=markers, monitored=monitored)


def preview_png(preview: SchedulePreview, log_scale: bool = False, width: int = 760) -> bytes:
    """The preview's chart as PNG bytes."""
    return schedule_chart_png(preview_chart_data(preview), log_scale=log_scale, width=width)
