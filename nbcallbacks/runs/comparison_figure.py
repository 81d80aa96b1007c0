"""The static picture of a comparison: one panel per metric, one colour per run.

Validation curves are solid (what runs are compared on), training curves
dashed and lighter; the x axis is the epoch. The browser draws the same
overlay interactively; this picture is what Colab, saved notebooks and scripts
show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from nbcallbacks.records.metric_names import base_name, is_fraction, is_validation, panel_names
from nbcallbacks.render import palette
from nbcallbacks.render.chart_style import (
    LABEL_SIZE,
    TITLE_SIZE,
    figure_png,
    new_figure,
    style_axes,
)
from nbcallbacks.runs.run_record import RunRecord

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.typing import LineStyleType

PANEL_HEIGHT = 230   # pixels, legend row excluded


def run_colour(index: int) -> str:
    """The colour of the ``index``-th run (0-based) in every comparison.

    Example:
        >>> run_colour(0), run_colour(len(palette.RUNS)) == run_colour(0)
        ('#1f77b4', True)
    """
    return palette.RUNS[index % len(palette.RUNS)]


def comparison_panels(runs: list[RunRecord], metrics: str | Sequence[str] | None = None
                      ) -> list[str]:
    """The metric panels a comparison shows: ``metrics`` (base names), or every metric
    any run logged per epoch, ``loss`` first."""
    keys = [key for run in runs for key in run.metric_names()]
    panels = panel_names(keys)
    if metrics:
        wanted = [base_name(m) for m in ([metrics] if isinstance(metrics, str) else metrics)]
        missing = [m for m in wanted if m not in panels]
        if missing:
            raise ValueError(f"no run logged {', '.join(map(repr, missing))}; the runs have "
                             f"{', '.join(map(repr, panels)) or 'no metrics'}")
        panels = wanted
    return panels


def comparison_png(runs: list[RunRecord], panels: list[str], width: int = 960) -> bytes:
    """PNG of ``runs`` overlaid, one panel per name in ``panels`` (two panels a row)."""
    columns = 1 if len(panels) == 1 else 2
    rows = max(1, -(-len(panels) // columns))
    figure = new_figure(width, rows * PANEL_HEIGHT + 40)
    axes_list = figure.subplots(rows, columns, squeeze=False).ravel()
    for axes, panel in zip(axes_list, panels):
        style_axes(axes)
        axes.set_title(panel, fontsize=TITLE_SIZE, loc="left")
        axes.set_xlabel("epoch", fontsize=LABEL_SIZE)
        for index, run in enumerate(runs):
            columns_of_run = run.history.columns("epoch")
            epochs = columns_of_run["epoch"].astype(float)
            for key in (panel, "val_" + panel):
                values = columns_of_run.get(key)
                if values is None or not np.isfinite(values).any():
                    continue
                validation = is_validation(key)
                axes.plot(epochs, values, color=run_colour(index), linewidth=1.8,
                          linestyle="-" if validation else (0, (4, 2)),
                          alpha=1.0 if validation else 0.55, marker="o" if len(epochs) < 30
                          else None, markersize=3)
        if is_fraction(panel):
            axes.set_ylim(0, 1)
        axes.ticklabel_format(axis="y", useOffset=False, style="plain")
    for axes in axes_list[len(panels):]:
        axes.set_visible(False)
    handles = [_line(figure, run_colour(i), "-") for i in range(len(runs))]
    labels = [run.name for run in runs]
    handles += [_line(figure, palette.TICK, "-"), _line(figure, palette.TICK, (0, (4, 2)))]
    labels += ["validation", "training"]
    figure.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6),
                  fontsize=LABEL_SIZE, frameon=False)
    figure.subplots_adjust(left=0.07, right=0.98, top=1 - 28 / figure.bbox.height,
                           bottom=(60 + 12) / figure.bbox.height, hspace=0.45, wspace=0.18)
    return figure_png(figure)


def _line(figure: Figure, colour: str, style: LineStyleType) -> Line2D:
    from matplotlib.lines import Line2D

    return Line2D([], [], color=colour, linestyle=style, linewidth=1.8)
