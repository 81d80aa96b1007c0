"""The dashboard as ipywidgets: status line, live plot, view controls, metric table.

The plot is the browser chart (:class:`~nbcallbacks.chart.chart_widget.ChartWidget`,
which brings its own view toolbar) or an ``ipywidgets.Image`` whose ``value`` is
replaced in place, so nothing is cleared and nothing flickers; a chart that never
draws is swapped for the image (:meth:`DashboardPanel.use_png_frames`). At the end of
training the panel's display output is updated once to also carry the final frame as plain
``image/png`` (:meth:`DashboardPanel.mimebundle`): widget frontends keep showing
the live widget, while static viewers (GitHub, nbviewer, nbconvert) that cannot
render widgets show the PNG.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from nbcallbacks.render.palette import THEMED
from nbcallbacks.render.view_options import ViewOptions
from nbcallbacks.ui.result_bundle import result_mimebundle
from nbcallbacks.ui.theme_style import theme_style
from nbcallbacks.ui.view_controls import ViewControls

if TYPE_CHECKING:
    from nbcallbacks.chart.chart_widget import ChartWidget

_HEADER_STYLE = ("font:13px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;"
                 f"color:{THEMED.BODY_TEXT};")


class DashboardPanel:
    """The widget tree of one dashboard.

    Example:
        >>> panel = DashboardPanel(title="demo")
        >>> panel.show_status("epoch 1/3", progress=0.33)
        >>> round(panel.progress.value, 2)
        0.33
    """

    def __init__(self, title: str = "Training", options: ViewOptions = ViewOptions(),
                 on_view_change: Callable[[ViewOptions], None] | None = None, width: int = 960,
                 chart: ChartWidget | None = None) -> None:
        self.title = title
        self._width = width
        self._view = (options, on_view_change)
        self.status = widgets.HTML(layout=widgets.Layout(margin="0 0 0 4px"))
        self.progress = widgets.FloatProgress(
            value=0.0, min=0.0, max=1.0, bar_style="info",
            layout=widgets.Layout(width="100%", max_width=f"{width}px", height="10px"))
        self.chart = chart
        # The image and the kernel-side view controls exist only where PNG frames are
        # shown (the browser chart brings its own toolbar): made when first needed, they
        # cost a panel drawn by the browser a third of its widgets.
        self.image: widgets.Image | None = None
        self.view_controls: ViewControls | None = None
        self.plot = widgets.Box([], layout=widgets.Layout(width="100%"))
        self.table = widgets.HTML()
        self.events = widgets.HTML()
        self.notices = widgets.HTML()
        self.controls_row = widgets.HBox([])  # training controls are added here
        self.widget = widgets.VBox(
            [theme_style(), self.status, self.progress, self.controls_row, self.plot,
             self.table, self.events, self.notices],
            layout=widgets.Layout(width="100%", max_width=f"{width + 20}px"))
        if chart is None:
            self.use_png_frames()
        else:
            self.plot.children = [chart]
        self._final_png: bytes | None = None
        self.show_status("waiting for training to start")

    @property
    def view_options(self) -> ViewOptions:
        """What the plot shows (log y, smoothing, x axis, hidden panels)."""
        return self._view[0] if self.view_controls is None else self.view_controls.options

    @view_options.setter
    def view_options(self, options: ViewOptions) -> None:
        self._view = (options, self._view[1])
        if self.view_controls is not None:
            self.view_controls.options = options

    def show_status(self, text_html: str, progress: float | None = None,
                    state: str = "info") -> None:
        self.status.value = (f'<div style="{_HEADER_STYLE}"><b>{html.escape(self.title)}</b>'
                             f" &nbsp;·&nbsp; {text_html}</div>")
        if progress is not None:
            # To a thousandth (a pixel of the bar): a long fit's bar then sends an update
            # only when it visibly moves.
            self.progress.value = round(max(0.0, min(1.0, progress)), 3)
        self.progress.bar_style = state

    def show_frame(self, png: bytes) -> None:
        assert self.image is not None, "frames are shown after use_png_frames()"
        self.image.value = png

    def use_png_frames(self, panels: Sequence[str] = ()) -> None:
        """Show PNG frames and the kernel-side view controls (with a toggle per name of
        ``panels``) instead of the browser chart."""
        if self.image is None:
            self.image = widgets.Image(format="png", layout=widgets.Layout(
                width="100%", max_width=f"{self._width}px", height="auto"))
            self.view_controls = ViewControls(*self._view)
            children = list(self.widget.children)
            children.insert(children.index(self.plot) + 1, self.view_controls.widget)
            self.widget.children = children
        assert self.view_controls is not None, "made with the image, just above"
        self.view_controls.set_panels(list(panels))
        self.chart = None
        self.plot.children = [self.image]

    def show_table(self, table_html: str) -> None:
        if table_html != self.table.value:
            self.table.value = table_html

    def show_events(self, events_html: str) -> None:
        if events_html != self.events.value:
            self.events.value = events_html

    def show_notice(self, text: str) -> None:
        self.notices.value = (f'<div style="{_HEADER_STYLE}color:{THEMED.NOTICE_TEXT};'
                              f'background:{THEMED.NOTICE_BACKGROUND};'
                              f'padding:4px 8px;border-radius:4px">{html.escape(text)}</div>')

    def fold(self) -> None:
        """Show only the status line (and notices): a later run of a sweep took over the
        cell, whose comparison shows this run's curves. The static frame goes too."""
        for part in (self.progress, self.controls_row, self.plot, self.table, self.events):
            part.layout.display = "none"
        if self.view_controls is not None:
            self.view_controls.widget.layout.display = "none"
        self._final_png = None

    def set_static_frame(self, png: bytes) -> None:
        """Carry ``png`` as plain ``image/png`` in :meth:`mimebundle` (see module doc)."""
        self._final_png = png

    def mimebundle(self, summary: str) -> dict:
        """The panel as a display bundle: the widget view, ``summary`` as text, the static frame."""
        return result_mimebundle(summary, png=self._final_png, widget=lambda: self.widget,
                                 shows_widgets=True)
