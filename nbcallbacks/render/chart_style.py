"""The look every chart shares, and the one way a drawn chart becomes PNG bytes.

The dashboard figure, the schedule preview and the LR range test all draw on
their own Agg canvas (no pyplot, so the user's figures and the inline backend
are never touched), with the same light grid, no top/right spines and grey
ticks, in the colours of :mod:`nbcallbacks.render.palette`.
"""

from __future__ import annotations

import io
import math

from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from nbcallbacks.render import palette
from nbcallbacks.render.log_ticks import use_log_ticks

TITLE_SIZE = 10.5      # points: panel and chart titles
LABEL_SIZE = 8.5       # axis labels, legends of the dashboard
TICK_SIZE = 8          # tick labels, small annotations
GRID_WIDTH = 0.8


def new_figure(width_px: int, height_px: int, dpi: int = 96) -> Figure:
    """A white figure of the given pixel size on its own Agg canvas."""
    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi,
                    facecolor=palette.BACKGROUND)
    FigureCanvasAgg(figure)
    return figure


def style_axes(axes: Axes) -> None:
    """Grid, spines and tick colours of every chart."""
    axes.grid(True, color=palette.GRID, linewidth=GRID_WIDTH)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(which="both", labelsize=TICK_SIZE, colors=palette.TICK)


def compact_number(value: float, digits: int = 3) -> str:
    """Short tick label: ``0.001``, ``0.0005``, ``1e-05`` -> ``1e-5``, ``2.5``.

    Example:
        >>> [compact_number(v) for v in (0.0, 0.001, 0.00025, 1e-05, 2.5, 12000.0)]
        ['0', '0.001', '0.00025', '1e-5', '2.5', '1.2e+4']
        >>> compact_number(0.01005, digits=4)
        '0.01005'
    """
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{'-' if exponent.startswith('-') else '+'}{exponent[1:].lstrip('0')}"
        if text.endswith("+"):
            text = mantissa
    return text


def use_rate_axis(axis: Axis, log: bool, max_ticks: int | None = None) -> None:
    """Tick labels for a learning-rate axis, as compact numbers.

    In log scale the ticks of :mod:`~nbcallbacks.render.log_ticks`: a few
    distinct labels whether the rates span ten decades or none.
    """
    if log:
        use_log_ticks(axis, lambda value, digits: compact_number(value, max(3, digits + 1)),
                      **({"max_ticks": max_ticks} if max_ticks else {}))
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _: compact_number(v)))


def encode_png(canvas: FigureCanvasAgg, few_colours: bool = False) -> bytes:
    """PNG bytes of what ``canvas`` last drew (``savefig`` would draw it again).

    ``few_colours`` stores a 256-colour palette: a one-off chart of a few flat
    colours loses nothing visible and its PNG is several times smaller (saved
    notebooks hold each chart twice, as the widget's image and the static
    fallback). Live dashboard frames skip it: quantizing costs more than a
    frame's drawing, and a fast zlib level keeps encoding a few milliseconds.
    """
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    if few_colours:
        image = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        image.save(buffer, format="png", optimize=True)
    else:
        image.convert("RGB").save(buffer, format="png", compress_level=3)
    return buffer.getvalue()


def figure_png(figure: Figure) -> bytes:
    """Draw a one-off chart and return it as a small (256-colour) PNG."""
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg), "charts are drawn on the Agg canvas of new_figure"
    canvas.draw()
    return encode_png(canvas, few_colours=True)
