"""The learning-rate schedule chart: rate per epoch (or step), a step axis, problems marked.

Epoch ``e`` (0-based, as Keras passes it to the schedule) spans ``[e, e + 1)``
on the x axis, the way the dashboard places batches: a tick at 3 is "after 3
epochs". Per-epoch rates are drawn as steps, per-step rates as a line. When
the number of steps per epoch is known, a second x axis on top counts steps.

For ``ReduceLROnPlateau`` a panel above shows the monitored curve (a value at
each epoch end), the epochs that counted as a new best, and dashed lines where
the rate was cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from nbcallbacks.records.decimation import minmax_decimate
from nbcallbacks.render import palette
from nbcallbacks.render.chart_style import (
    LABEL_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    compact_number,
    figure_png,
    new_figure,
    style_axes,
    use_rate_axis,
)

MAX_POINTS = 4000
PANEL_HEIGHT_PX = 240
# Layout in inches: the gap between the two panels (the upper one has no tick
# labels below), the margins (the step axis on top needs more), the title.
PANEL_GAP_IN = 0.25
TOP_MARGIN_IN, TOP_MARGIN_WITH_STEPS_IN, BOTTOM_MARGIN_IN = 0.45, 0.8, 0.5
LEFT_MARGIN_IN, RIGHT_MARGIN_IN = 0.8, 0.25
TITLE_INSET_IN = 0.1


@dataclass
class MonitoredCurve:
    """The curve ``ReduceLROnPlateau`` watched, for the panel above the rates.

    Attributes:
        name: the monitored key (``"val_loss"``).
        values: one value per epoch (NaN where missing).
        improved: per epoch, whether it counted as a new best.
        reduction_epochs: epochs at whose end the rate was cut (as ``fit`` counts them).
        new_rates: the rate after each cut (for labels).
    """

    name: str
    values: np.ndarray
    improved: np.ndarray
    reduction_epochs: list[int] = field(default_factory=list)
    new_rates: list[float] = field(default_factory=list)


@dataclass
class ScheduleChartData:
    """Everything the chart draws.

    Attributes:
        learning_rates: the rate per epoch (``per_step=False``) or per step.
        first_epoch: the first epoch index (``initial_epoch``).
        per_step: rates are per optimizer step.
        steps_per_epoch: steps in an epoch, or None when unknown.
        title: the line above the chart.
        problems: ``(epoch, label, fatal)`` markers; ``fatal`` shades the
            epochs from there on (Keras would stop training there).
        monitored: the ``ReduceLROnPlateau`` curve, or None.
    """

    learning_rates: np.ndarray
    first_epoch: int = 0
    per_step: bool = False
    steps_per_epoch: int | None = None
    title: str = ""
    problems: list[tuple[int, str, bool]] = field(default_factory=list)
    monitored: MonitoredCurve | None = None


def schedule_chart_png(data: ScheduleChartData, log_scale: bool = False, width: int = 760,
                       dpi: int = 96) -> bytes:
    """Draw the chart and return PNG bytes.

    Example:
        >>> data = ScheduleChartData(np.array([0.1, 0.1, 0.05], dtype=np.float32),
        ...                          steps_per_epoch=10, title="step decay")
        >>> schedule_chart_png(data)[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
        True
    """
    return figure_png(schedule_chart_figure(data, log_scale, width, dpi))


def schedule_chart_figure(data: ScheduleChartData, log_scale: bool = False, width: int = 760,
                          dpi: int = 96) -> Figure:
    """The chart as a matplotlib figure on its own Agg canvas, not drawn yet."""
    panel_in = PANEL_HEIGHT_PX / dpi
    gap_in = PANEL_GAP_IN
    top_margin = TOP_MARGIN_WITH_STEPS_IN if data.steps_per_epoch else TOP_MARGIN_IN
    bottom_margin = BOTTOM_MARGIN_IN
    panels = 2 if data.monitored is not None else 1
    height_in = panels * panel_in + top_margin + bottom_margin + gap_in * (panels - 1)
    figure = new_figure(width, int(round(height_in * dpi)), dpi)
    width_in = figure.get_figwidth()
    figure.subplots_adjust(left=LEFT_MARGIN_IN / width_in, right=1 - RIGHT_MARGIN_IN / width_in,
                           top=1 - top_margin / height_in, bottom=bottom_margin / height_in,
                           hspace=gap_in / panel_in)
    if panels == 2:
        grid = figure.add_gridspec(2, 1)
        monitor_axes = figure.add_subplot(grid[0])
        rate_axes = figure.add_subplot(grid[1], sharex=monitor_axes)
    else:
        monitor_axes, rate_axes = None, figure.add_subplot(1, 1, 1)
    figure.text(TITLE_INSET_IN / width_in, 1 - TITLE_INSET_IN / height_in,
                fit_title(data.title, width), ha="left", va="top", fontsize=TITLE_SIZE,
                fontweight="bold", color=palette.TEXT)

    x, y = _rate_positions(data)
    _draw_rates(rate_axes, x, y, data, log_scale)
    top_axes = monitor_axes if monitor_axes is not None else rate_axes
    if data.steps_per_epoch:
        per_epoch = float(data.steps_per_epoch)
        secondary = top_axes.secondary_xaxis(
            "top", functions=(lambda e: np.multiply(e, per_epoch),
                              lambda s: np.divide(s, per_epoch)))
        secondary.set_xlabel("step", fontsize=LABEL_SIZE, color=palette.TICK)
        secondary.tick_params(labelsize=TICK_SIZE, colors=palette.TICK)
    if monitor_axes is not None:
        assert data.monitored is not None, "the panel is made only for a monitored curve"
        _draw_monitored(monitor_axes, data.monitored, data.first_epoch)
        _draw_cuts(monitor_axes, rate_axes, data.monitored, data.first_epoch, _end_epoch(data))
        monitor_axes.tick_params(labelbottom=False)
    end = max(_end_epoch(data), data.first_epoch + 1)
    rate_axes.set_xlim(data.first_epoch, end)
    rate_axes.xaxis.set_major_locator(MaxNLocator(10, integer=True))
    for epoch, label, fatal in data.problems:
        _mark_problem(rate_axes, epoch, label, fatal, end)
    return figure


def _rate_positions(data: ScheduleChartData) -> tuple[np.ndarray, np.ndarray]:
    rates = np.asarray(data.learning_rates, dtype=np.float64)
    if data.per_step:
        per_epoch = float(data.steps_per_epoch or 1)
        start = data.first_epoch * per_epoch
        x = (start + np.arange(len(rates) + 1)) / per_epoch
    else:
        x = data.first_epoch + np.arange(len(rates) + 1, dtype=np.float64)
    # steps-post needs the end of the last interval: repeat the last value there.
    y = np.append(rates, rates[-1] if len(rates) else np.nan)
    if len(x) > MAX_POINTS:
        x, y = minmax_decimate(x, y, MAX_POINTS)
    return x, y


def _draw_rates(axes: Axes, x: np.ndarray, y: np.ndarray, data: ScheduleChartData,
                log_scale: bool) -> None:
    style_axes(axes)
    positive = y[np.isfinite(y) & (y > 0)]
    log = log_scale and len(positive) > 0
    shown = np.where(np.isfinite(y) & ((y > 0) if log else True), y, np.nan)
    axes.plot(x, shown, color=palette.LEARNING_RATE, linewidth=1.8, drawstyle="steps-post",
              label="learning rate")
    if log:
        axes.set_yscale("log")
        low, high = float(positive.min()), float(positive.max())
        pad = 1.5 if high / low < 1.5 else 1.15
        axes.set_ylim(low / pad, high * pad)
    else:
        finite = y[np.isfinite(y)]
        if len(finite):
            low, high = min(0.0, float(finite.min())), float(finite.max())
            span = (high - low) or abs(high) or 1.0
            axes.set_ylim(low - 0.04 * span if low < 0 else 0.0, high + 0.08 * span)
    use_rate_axis(axes.yaxis, log)
    axes.set_ylabel("learning rate" + (" (log)" if log else ""), fontsize=LABEL_SIZE,
                    color=palette.TICK)
    axes.set_xlabel("epoch", fontsize=LABEL_SIZE, color=palette.TICK)
    if log_scale and not log:
        axes.text(0.99, 0.97, "no positive rate to show in log scale", transform=axes.transAxes,
                  ha="right", va="top", fontsize=TICK_SIZE, color=palette.MUTED)


def _draw_monitored(axes: Axes, curve: MonitoredCurve, first_epoch: int) -> None:
    style_axes(axes)
    values = np.asarray(curve.values, dtype=np.float64)
    x = first_epoch + np.arange(len(values)) + 1.0  # a value is known at the epoch's end
    axes.plot(x, values, color=palette.VALIDATION, linewidth=1.6, marker="o", markersize=3.5,
              label=curve.name)
    improved = np.asarray(curve.improved, dtype=bool)
    axes.plot(x[improved], values[improved], linestyle="none", marker="o", markersize=7,
              markerfacecolor="none", markeredgecolor=palette.BEST_EDGE, label="new best")
    axes.set_ylabel(curve.name, fontsize=LABEL_SIZE, color=palette.TICK)
    axes.legend(loc="best", fontsize=TICK_SIZE, frameon=False)


def _draw_cuts(monitor_axes: Axes, rate_axes: Axes, curve: MonitoredCurve, start: float,
               end: float) -> None:
    """A dashed line through both panels at each cut, labelled with the new rate."""
    transform = blended_transform_factory(rate_axes.transData, rate_axes.transAxes)
    for index, epoch in enumerate(curve.reduction_epochs):
        for axes in (monitor_axes, rate_axes):
            axes.axvline(epoch + 1, color=palette.MUTED, linestyle="--", linewidth=0.9, zorder=1)
        if index < len(curve.new_rates):
            # Alternate heights so labels of close cuts do not overlap.
            near_right = epoch + 1 > start + 0.85 * (end - start)
            label = f" {compact_number(curve.new_rates[index])} "
            rate_axes.text(epoch + 1, 0.96 - 0.09 * (index % 3), label,
                           transform=transform, fontsize=7.5, color=palette.MUTED,
                           ha="right" if near_right else "left", va="top")


def fit_title(title: str, width_px: int) -> str:
    """``title`` shortened with an ellipsis to fit ``width_px`` at the title font size.

    Example:
        >>> fit_title("x" * 200, 300).endswith("…"), fit_title("short", 300)
        (True, 'short')
    """
    limit = max(10, int(width_px / 7.6))  # ~7.6 px per bold 10.5 pt character at 96 dpi
    return title if len(title) <= limit else title[:limit - 1].rstrip() + "…"


def _end_epoch(data: ScheduleChartData) -> float:
    count = len(data.learning_rates)
    if data.per_step and data.steps_per_epoch:
        return data.first_epoch + count / data.steps_per_epoch
    return data.first_epoch + count


def _mark_problem(axes: Axes, epoch: int, label: str, fatal: bool, end: float) -> None:
    start = float(epoch)
    transform = blended_transform_factory(axes.transData, axes.transAxes)
    if fatal:
        axes.axvspan(start, max(end, start + 1), color=palette.PROBLEM, alpha=0.08, zorder=0)
    axes.axvline(start, color=palette.PROBLEM, linewidth=1.2, zorder=3)
    # Left of the line when the line is in the right half: the text stays inside the axes.
    right_half = start > axes.get_xlim()[0] + 0.55 * (end - axes.get_xlim()[0])
    axes.text(start, 0.5 if fatal else 0.8, f" {label} ", transform=transform,
              color=palette.PROBLEM, fontsize=LABEL_SIZE, ha="right" if right_half else "left",
              va="center", fontweight="bold", zorder=4,
              bbox=dict(facecolor=palette.BACKGROUND, edgecolor="none", alpha=0.85, pad=1.5))
