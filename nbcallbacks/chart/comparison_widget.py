"""``ComparisonWidget``: runs compared, drawn in the browser by the vendored uPlot.

The front end (``js/comparison_widget.js``) draws one panel per metric with every run in
its colour, reads every run at the hovered epoch, hides runs from their chips or the
table's checkboxes, highlights a run when its table row is clicked and sorts the table
by any column, all in the browser. The kernel syncs what to draw: each run's per-epoch
columns (small: one value per epoch), the panel names and the run table.

Example:
    >>> widget = ComparisonWidget()
    >>> widget.runs, widget.panels
    ([], [])
"""

from __future__ import annotations

import anywidget
import traitlets

from nbcallbacks.chart.esm_bundle import chart_css, chart_esm


class ComparisonWidget(anywidget.AnyWidget):
    """Traits (synced with the browser): ``runs`` (per run ``name``, ``status``,
    ``epochs`` and ``series``: one list a logged key, None for NaN and infinities),
    ``panels`` (metric names, in display order), ``table`` (``columns`` and ``rows``,
    one row a run, in the order of ``runs``), ``title`` and ``scale``."""

    _esm = chart_esm("comparison_widget.js")
    _css = chart_css("comparison.css")
    runs = traitlets.List(traitlets.Dict()).tag(sync=True)
    panels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    table = traitlets.Dict().tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    scale = traitlets.Float(1.0).tag(sync=True)

