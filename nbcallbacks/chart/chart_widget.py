"""``ChartWidget``: the live training chart, drawn in the browser by the vendored uPlot.

An anywidget whose front end (:mod:`nbcallbacks.chart.esm_bundle`) draws every panel,
and does everything a person does to the view — hover readout, drag-zoom, log y,
smoothing, x in steps, epochs or time, panel and series toggles — in the browser, so it
answers while the kernel is busy training. The kernel only sends what is new
(:class:`~nbcallbacks.chart.chart_wire.ChartFeed`, from the dashboard's drawing
thread) and keeps a decimated snapshot of the whole run in a synced trait, which a
reloaded page, a second view and saved widget state read.

Each view says ``ready`` (with the rows it has) once it has drawn; the first such
message sets :attr:`ChartWidget.rendered`. Until then nobody knows whether the
frontend can show the chart at all (anywidget installed into a running server,
a frontend without its extension): the dashboard falls back to PNG frames when it
stays False (:mod:`nbcallbacks.outputs.widget_output`).

Example:
    >>> from nbcallbacks.records import MetricStore
    >>> store = MetricStore()
    >>> store.record_batch(epoch=0, batch=0, logs={"loss": 0.5})
    >>> chart = ChartWidget()
    >>> chart.send_new_rows(store.snapshot())      # no view yet: nothing is sent
    False
    >>> chart.handle_view_message({"kind": "ready", "rows": {"batches": 0}})
    >>> chart.rendered
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

from nbcallbacks.chart.chart_wire import ChartFeed
from nbcallbacks.chart.esm_bundle import chart_css, chart_esm
from nbcallbacks.records.metric_store import StoreSnapshot


class ChartWidget(anywidget.AnyWidget):
    """The browser chart of one dashboard (see the module doc).

    Traits (synced with the browser): ``panels`` (the panels in display order, from
    :func:`~nbcallbacks.chart.chart_panels.chart_panels`), ``snapshot_header`` and
    ``snapshot`` (the whole run, decimated), ``events`` and ``fits`` (markers and fit
    boundaries), ``view`` (log y, smoothing, x axis, hidden panels: written by the
    browser when the person changes them), ``scale`` (fonts and lines, for a
    projector) and ``title``.
    """

    _esm = chart_esm()
    _css = chart_css()
    panels = traitlets.List(traitlets.Dict()).tag(sync=True)
    snapshot_header = traitlets.Dict().tag(sync=True)
    snapshot = traitlets.Bytes(b"").tag(sync=True)
    events = traitlets.List(traitlets.Dict()).tag(sync=True)
    fits = traitlets.List(traitlets.Dict()).tag(sync=True)
    view = traitlets.Dict().tag(sync=True)
    scale = traitlets.Float(1.0).tag(sync=True)
    title = traitlets.Unicode("Training").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rendered = False
        self._feed = ChartFeed()
        self._ready_listeners: list[Callable[[], object]] = []
        self.on_msg(lambda _widget, content, _buffers: self.handle_view_message(content))

    def on_ready(self, listener: Callable[[], object]) -> None:
        """Call ``listener()`` (once) when a view first says it has drawn."""
        self._ready_listeners.append(listener)

    def handle_view_message(self, content: object) -> None:
        """A message from a view: ``ready`` (it drew) or ``need`` (it misses rows)."""
        if not isinstance(content, dict):
            return
        rows = content.get("rows")
        first = content.get("kind") == "ready" and not self.rendered
        if isinstance(rows, dict):
            # The first view's rows are what has been delivered; later views can only
            # move the counters back (the others take a repeated row without harm).
            self._feed.rewind(rows, restart=first)
        if first:
            self.rendered = True
            listeners, self._ready_listeners = self._ready_listeners, []
            for listener in listeners:
                listener()

    def send_new_rows(self, snapshot: StoreSnapshot) -> bool:
        """Send the rows no view has yet, as one binary message. True if one was sent.

        Before any view has drawn, nothing is sent (the snapshot trait carries the
        run to the first view, which then asks for the rest).
        """
        if not self.rendered:
            return False
        update = self._feed.next_update(snapshot)
        if update is None:
            return False
        header, buffer = update
        self.send(header, buffers=[buffer])
        return True

    def store_snapshot(self, snapshot: StoreSnapshot) -> None:
        """Put the whole run (decimated) in the synced snapshot: what a reload shows."""
        header, buffer = ChartFeed.snapshot(snapshot)
        with self.hold_sync():
            self.snapshot_header = header
            self.snapshot = buffer
