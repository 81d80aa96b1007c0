"""The look shared by the one-off charts (schedule preview, LR range test), and PNG out.

Same choices as the dashboard figure: an Agg canvas per figure and no pyplot,
light grid, no top/right spines, grey ticks. These charts are drawn once per
request, so a fresh figure each time keeps them simple.
"""

from __future__ import annotations

import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

TEXT_COLOR = "#333333"
TICK_COLOR = "#555555"
GRID_COLOR = "#e6e6e6"
MUTED_COLOR = "#7a7a7a"
PROBLEM_COLOR = "#c62828"


def new_figure(width_px: int, height_px: int, dpi: int = 96) -> Figure:
    """A white figure of the given pixel size on its own Agg canvas."""
    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def style_axes(axes) -> None:
    """Grid, spines and tick colours of every chart."""
    axes.grid(True, color=GRID_COLOR, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(which="both", labelsize=8, colors=TICK_COLOR)


def compact_number(value: float) -> str:
    """Short tick label: ``0.001``, ``0.0005``, ``1e-05`` -> ``1e-5``, ``2.5``.

    Example:
        >>> [compact_number(v) for v in (0.0, 0.001, 0.00025, 1e-05, 2.5, 12000.0)]
        ['0', '0.001', '0.00025', '1e-5', '2.5', '1.2e+4']
    """
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{'-' if exponent.startswith('-') else '+'}{exponent[1:].lstrip('0')}"
        if text.endswith("+"):
            text = mantissa
    return text


def use_rate_axis(axis, log: bool, decades: float = 1.0) -> None:
    """Tick labels for a learning-rate axis, as compact numbers.

    In log scale: 1, 2 and 5 x 10^k over up to three decades, powers of ten
    beyond (more labels would overlap).
    """
    formatter = FuncFormatter(lambda v, _: compact_number(v))
    if log:
        subs = (1.0, 2.0, 5.0) if decades <= 3 else (1.0,)
        axis.set_major_locator(LogLocator(base=10, subs=subs))
        axis.set_minor_formatter(NullFormatter())
    axis.set_major_formatter(formatter)


def figure_png(figure: Figure) -> bytes:
    """Draw ``figure`` and return PNG bytes, with a 256-colour palette.

    A chart of a few flat colours loses nothing visible in a palette, and its
    PNG is several times smaller: saved notebooks hold each chart twice (as
    the widget's image and as the static fallback).
    """
    from PIL import Image

    canvas = figure.canvas
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    palette.save(buffer, format="png", optimize=True)
    return buffer.getvalue()
