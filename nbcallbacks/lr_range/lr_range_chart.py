"""The learning-rate range test chart: loss against rate (log x), the suggestion marked.

The y range follows the useful part of the curve — from a little below the
lowest loss to a little above the starting loss — so the final blow-up, often
orders of magnitude larger, does not squash the descent that matters.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.transforms import blended_transform_factory

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

# Margins around the axes, in inches (room for tick labels and the title).
LEFT_IN, RIGHT_IN, TOP_IN, BOTTOM_IN = 0.75, 0.25, 0.5, 0.5
TITLE_DROP_IN = 0.12   # the title's top edge below the figure's
MAX_RATE_TICKS = 8     # a wide x axis has room for more rate labels than a panel's y axis


def lr_range_chart_png(learning_rates: npt.ArrayLike, losses: npt.ArrayLike,
                       smoothed: npt.ArrayLike, suggestion_index: int | None = None,
                       title: str = "", diverged: bool = False, width: int = 760,
                       height: int = 330, dpi: int = 96) -> bytes:
    """Draw loss (raw and smoothed) against learning rate and return PNG bytes.

    Args:
        learning_rates: the rates tried, increasing.
        losses: the loss of each step.
        smoothed: the smoothed loss of each step.
        suggestion_index: where the suggested rate is (marked), or None.
        title: the line above the chart.
        diverged: the test stopped because the loss blew up (the last point is marked).

    Example:
        >>> rates = np.geomspace(1e-5, 1.0, 50)
        >>> loss = 2 - np.tanh(np.log10(rates) + 3)
        >>> lr_range_chart_png(rates, loss, loss, suggestion_index=20)[:4] == b"\\x89PNG"
        True
    """
    rates = np.asarray(learning_rates, dtype=np.float64)
    raw = np.asarray(losses, dtype=np.float64)
    smooth = np.asarray(smoothed, dtype=np.float64)
    figure = new_figure(width, height, dpi)
    height_in = height / dpi
    width_in = figure.get_figwidth()
    figure.subplots_adjust(left=LEFT_IN / width_in, right=1 - RIGHT_IN / width_in,
                           top=1 - TOP_IN / height_in, bottom=BOTTOM_IN / height_in)
    axes = figure.add_subplot(1, 1, 1)
    style_axes(axes)
    figure.text(LEFT_IN / width_in, 1 - TITLE_DROP_IN / height_in, title, ha="left", va="top",
                fontsize=TITLE_SIZE, fontweight="bold", color=palette.TEXT)
    axes.plot(rates, raw, color=palette.TRAIN, linewidth=0.9, alpha=0.35, label="loss (per batch)")
    axes.plot(rates, smooth, color=palette.TRAIN, linewidth=1.9, label="loss (smoothed)")
    axes.set_xscale("log")
    use_rate_axis(axes.xaxis, log=True, max_ticks=MAX_RATE_TICKS)
    axes.set_xlabel("learning rate (log scale)", fontsize=LABEL_SIZE, color=palette.TICK)
    axes.set_ylabel("loss", fontsize=LABEL_SIZE, color=palette.TICK)
    if len(rates):
        axes.set_xlim(rates[0], rates[-1] * 1.05)
    _set_loss_limits(axes, raw, smooth)
    transform = blended_transform_factory(axes.transData, axes.transAxes)
    if suggestion_index is not None and 0 <= suggestion_index < len(rates):
        rate = rates[suggestion_index]
        axes.axvline(rate, color=palette.SUGGESTION, linestyle="--", linewidth=1.0, zorder=2)
        axes.plot([rate], [smooth[suggestion_index]], marker="o", markersize=8,
                  color=palette.SUGGESTION, zorder=5, label=f"suggestion {compact_number(rate)}")
        axes.text(rate, 0.04, f" suggested {compact_number(rate)} ", transform=transform,
                  fontsize=LABEL_SIZE, color=palette.SUGGESTION, ha="left", va="bottom",
                  fontweight="bold", zorder=6,
                  bbox=dict(facecolor=palette.BACKGROUND, edgecolor="none", alpha=0.85, pad=1.0))
    if diverged and len(rates):
        axes.axvline(rates[-1], color=palette.PROBLEM, linestyle=":", linewidth=1.0)
        axes.text(rates[-1], 0.97, "diverged ", transform=transform, fontsize=TICK_SIZE,
                  color=palette.MUTED, ha="right", va="top")
    axes.legend(loc="lower left", fontsize=TICK_SIZE, frameon=False)
    return figure_png(figure)


def _set_loss_limits(axes: Axes, raw: np.ndarray, smooth: np.ndarray) -> None:
    finite = smooth[np.isfinite(smooth)]
    if len(finite) == 0:
        return
    lowest = min(float(finite.min()), float(np.nanmin(np.where(np.isfinite(raw), raw, np.nan)))
                 if np.isfinite(raw).any() else float(finite.min()))
    start = float(finite[0])
    top = max(start, float(np.percentile(finite, 10)))
    span = (top - lowest) or abs(top) or 1.0
    axes.set_ylim(lowest - 0.08 * span, top + 0.35 * span)
