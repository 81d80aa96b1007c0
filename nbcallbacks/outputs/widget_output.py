"""The dashboard as live ipywidgets in a Jupyter cell: the panel, the controls, the click route.

What this output owns for one ``fit``, and gives back at its end:

* the :class:`~nbcallbacks.ui.dashboard_panel.DashboardPanel` (status line,
  plot, view toggles, metric table, event log), shown once per cell through
  :class:`~nbcallbacks.notebook.cell_display.CellDisplay`, with the final frame
  added as a static PNG at the end;
* its plot: the browser chart (:class:`~nbcallbacks.chart.chart_widget.ChartWidget`),
  fed the store's new rows on the render thread and a snapshot of the whole run at
  epoch ends — or, with ``chart="png"`` or when the chart has not said it drew within
  :data:`CHART_RENDER_TIMEOUT` seconds of being shown, PNG frames drawn in the kernel;
* the :class:`~nbcallbacks.ui.training_controls.TrainingControls` (Stop,
  Pause, learning rate, Save now), enabled while the fit runs;
* the click route (:mod:`nbcallbacks.compat.click_route`) that lets clicks
  reach a blocking ``fit``, installed at ``begin`` and taken down at ``end``
  (``await dash.fit`` brings its own and takes it down itself), pumped
  between batches where the route needs it.

Widgets stay registered with the kernel after the dashboard is gone (their
views live on in the notebook), so the callbacks they hold must not keep the
dashboard alive: the view toggles reach it through a weak reference.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nbcallbacks.chart.chart_panels import chart_panels
from nbcallbacks.compat.click_route import SUBSHELL, ClickRoute, start_click_route
from nbcallbacks.compat.subshell_routing import route_widgets
from nbcallbacks.model_access.learning_rate import read_learning_rate
from nbcallbacks.notebook.cell_display import CellDisplay
from nbcallbacks.outputs.dashboard_output import DashboardOutput, StatusReport
from nbcallbacks.outputs.weak_references import weak_callback
from nbcallbacks.records.events import Event, EventLog
from nbcallbacks.records.metric_columns import available_panels
from nbcallbacks.records.metric_store import MetricStore, StoreSnapshot
from nbcallbacks.render.view_options import ViewOptions
from nbcallbacks.run_control.training_signals import TrainingSignals
from nbcallbacks.ui.dashboard_panel import DashboardPanel
from nbcallbacks.ui.event_log import event_log_html
from nbcallbacks.ui.metric_table import metric_table_html
from nbcallbacks.ui.status_line import status_line

if TYPE_CHECKING:
    from nbcallbacks.chart.chart_widget import ChartWidget
    from nbcallbacks.ui.training_controls import TrainingControls

# Seconds a newly shown browser chart has to say it drew before PNG frames take over.
CHART_RENDER_TIMEOUT = 10.0
# Seconds between two refreshes of the chart's snapshot trait (what a view opened later and
# saved widget state show), at least; longer when one is expensive (a very long run), so
# that refreshing costs the training thread at most 2 % of its time.
SNAPSHOT_INTERVAL = 5.0
SNAPSHOT_SHARE = 0.02
# Events the chart marks (the most recent; the event log lists them all).
CHART_EVENTS = 500


def controls_hint(route: ClickRoute | None) -> str:
    """HTML telling the person when the buttons cannot answer during this fit, and what does.

    Example:
        >>> from nbcallbacks.compat.click_route import ClickRoute
        >>> controls_hint(ClickRoute("subshell", live=True, verified=True, kernel_version="7.4.0"))
        ''
        >>> "only after the cell ends" in controls_hint(ClickRoute(
        ...     "none", live=False, verified=False, kernel_version=None, reason="no kernel"))
        True

        When the route's mechanism failed during the fit (see ``ClickRoute.problem``):

        >>> from nbcallbacks.compat.click_mechanism import ClickMechanism
        >>> class Broken(ClickMechanism):
        ...     active = True
        ...     def start(self): return True
        ...     def stop(self): pass
        ...     def _handle_waiting(self): raise OSError("socket closed")
        >>> route = ClickRoute("main-shell-drain", live=True, verified=True,
        ...                    kernel_version="7.3.0", _mechanism=Broken())
        >>> route.pump(force=True)
        0
        >>> print(controls_hint(route))
        Clicks on these buttons stopped reaching Python during training: handling the waiting
        messages failed (OSError: socket closed); clicks may wait until the cell ends. The
        kernel's interrupt button (■) always stops training gracefully and keeps the History.

        On ipykernel 7.4 the clicks come through a subshell, and the failed drain only
        served what a page sends the busy main shell:

        >>> route = ClickRoute("subshell", live=True, verified=True, kernel_version="7.4.0",
        ...                    _mechanism=Broken())
        >>> route.pump(force=True)
        0
        >>> "still arrive through the kernel's subshell" in controls_hint(route)
        True
    """
    if route is None:
        return ""
    interrupt = ("The kernel's interrupt button (■) always stops training gracefully and "
                 "keeps the History.")
    if route.problem is not None and route.name == SUBSHELL:
        return (f"A page reopened during training may not get its widgets back: "
                f"{html.escape(route.problem)}. Clicks on this page still arrive through "
                f"the kernel's subshell. {interrupt}")
    if route.problem is not None:
        return (f"Clicks on these buttons stopped reaching Python during training: "
                f"{html.escape(route.problem)}. {interrupt}")
    if route.verified:
        return ""  # clicks are handled while training: nothing to explain
    kernel = f"ipykernel {route.kernel_version}" if route.kernel_version else "this kernel"
    if route.live:
        return (f"These buttons reach Python during training by a route not yet tested on "
                f"{kernel}: if they do not answer, use the interrupt. {interrupt}")
    text = (f"Clicks on these buttons reach this kernel ({kernel}) only after the cell "
            f"ends: {html.escape(route.reason)}. {interrupt}")
    if not route.awaiting and route.await_fit:
        text += (" For live buttons, train with "
                 "<code>history = await dash.fit(model, x, y, …)</code>.")
    return text


class WidgetOutput(DashboardOutput):
    """Show a dashboard as widgets, with controls that act while ``fit`` runs.

    Args:
        history: the dashboard's metric store (read for the table and panel toggles).
        events: the dashboard's event log (read for the event list).
        signals: where the controls' requests go.
        title: the panel's name.
        view: the initial view options.
        on_view_change: ``on_view_change(options)`` when the person changes the
            view (held weakly, see module doc).
        width: plot width in pixels.
        controls: show the training controls.
        save_path: initial path of "Save now".
        chart: ``"browser"`` (the chart drawn in the browser) or ``"png"`` (frames
            drawn in the kernel); see :func:`~nbcallbacks.chart.chart_choice.choose_chart`.
        scale: the browser chart's font and line scale (``1.5`` for a projector).

    Example:
        >>> from nbcallbacks.records.training_clock import TrainingClock
        >>> output = WidgetOutput(MetricStore(), EventLog(), TrainingSignals(), title="demo")
        >>> output.status(StatusReport("training", TrainingClock(), epoch=0, epochs=3))
        >>> "epoch <b>1/3</b>" in output.panel.status.value
        True
    """

    name = "widget"
    wants_final_frame = True   # the static copy for saved notebooks

    def __init__(self, history: MetricStore, events: EventLog, signals: TrainingSignals, *,
                 title: str = "Training", view: ViewOptions = ViewOptions(),
                 on_view_change: Callable[[ViewOptions], None] | None = None, width: int = 960,
                 controls: bool = True, save_path: str = "checkpoints/manual.keras",
                 chart: str = "png", scale: float = 1.0) -> None:
        self._history = history
        self._events = events
        self._signals = signals
        self._show_controls = bool(controls)
        self._save_path = save_path
        self._on_view_change = weak_callback(on_view_change)
        self.chart: ChartWidget | None = None
        if chart == "browser":
            from nbcallbacks.chart.chart_widget import ChartWidget

            # No title of its own: the panel's status line, just above, names the run.
            self.chart = ChartWidget(title="", view=_view_trait(view), scale=float(scale))
            # Weakly, as the view toggles: the chart stays registered with the kernel
            # (its views live on), and must not keep this output and the run's store alive.
            self.chart.observe(weak_callback(self._chart_view_changed), names="view")
            route_widgets(self.chart)   # its messages must reach a busy kernel, as clicks do
        # When a chart that has not drawn gives way to PNGs.
        self._chart_deadline: float | None = None
        self._next_snapshot = 0.0   # when an epoch's end may refresh the chart's snapshot
        self.panel = DashboardPanel(title, view, self._on_view_change, width=width,
                                    chart=self.chart)
        self.controls: TrainingControls | None = None   # made at the first fit, kept after
        self.click_route = None
        self._owns_route = False
        self._model: Any = None
        self._summary = f"{title}: no epoch finished"
        self._display = CellDisplay(lambda: self.panel.mimebundle(self._summary))

    @property
    def wants_frames(self) -> bool:
        return self.chart is None

    @property
    def wants_data(self) -> bool:
        return self.chart is not None

    # -- the fit's lifecycle ------------------------------------------------------------
    def begin(self, model: Any, click_route: ClickRoute | None = None) -> None:
        self._model = model
        if self.chart is not None:
            self._refresh_chart(self._history.snapshot())
            if not self.chart.rendered:
                self._chart_deadline = time.monotonic() + CHART_RENDER_TIMEOUT
        if self._show_controls and self.controls is None:
            from nbcallbacks.ui.training_controls import TrainingControls

            self.controls = TrainingControls(self._signals, self._save_path)
            self.panel.controls_row.children = [self.controls.widget]
        if self._show_controls or self.chart is not None:
            # The route carries clicks, and the chart's messages (it drew; the person
            # changed the view): in place before the panel is shown, so that a view's
            # first message finds it. `await dash.fit` installs its route in the cell's
            # thread and takes it down itself.
            self._owns_route = click_route is None
            self.click_route = start_click_route() if click_route is None else click_route
        # Each cell that trains shows the panel once (a second fit in another cell
        # shows the same, continuing, panel there too).
        self._display.show()
        if self.controls is not None:
            self.controls.set_running(True)
            self.controls.show_learning_rate(read_learning_rate(model))
            self.controls.show_hint(controls_hint(self.click_route))

    def end(self, summary: str, png: bytes | None) -> None:
        if self._owns_route and self.click_route is not None:
            self.click_route.stop()   # queued cells then run in order
        self._owns_route = False
        if self.controls is not None:
            self.controls.set_running(False)
            self.controls.show_hint("")
            self.controls.show_learning_rate(read_learning_rate(self._model))
        self.panel.show_table(metric_table_html(self._history.epoch_rows()))
        self._model = None   # the model is the caller's: do not keep it past the fit
        self._chart_deadline = None
        if self.chart is not None:
            self._refresh_chart(self._history.snapshot())
        if png is not None:
            self._summary = summary
            self.panel.set_static_frame(png)
            self._display.update()

    def fold(self) -> None:
        """Fold the panel to its status line (a later run of the cell's sweep started)."""
        self.panel.fold()
        self._display.update()

    def pump(self, paused: bool = False) -> None:
        # Only a blocking fit's route pumps; `await dash.fit` pumps from the awaiting cell.
        route = self.click_route
        if route is None or not route.pumps:
            return
        known = route.problem
        route.pump(force=paused)
        if known is None and route.problem is not None and self.controls is not None:
            # Once, when the route first fails: buttons that stop answering say why.
            self.controls.show_hint(controls_hint(route))

    # -- what happened ------------------------------------------------------------------
    def status(self, report: StatusReport) -> None:
        text, progress, style = status_line(
            report.state, report.clock, epoch=report.epoch, epochs=report.epochs,
            batch=report.batch, steps_per_epoch=report.steps_per_epoch, note=report.note)
        self.panel.show_status(text, progress, style)
        if self.chart is None:
            # The kernel-side panel toggles exist only beside PNG frames (with the browser
            # chart, a snapshot here would cost the training thread ~0.2 ms four times a
            # second, for nothing).
            view_controls = self.panel.view_controls
            assert view_controls is not None   # the panel shows PNG frames: it has them
            view_controls.set_panels(available_panels(self._history.snapshot()))
        self._give_up_on_a_silent_chart()

    def epoch(self, epoch: int, epochs: int | None, logs: dict, seconds: float | None) -> None:
        self.panel.show_table(metric_table_html(self._history.epoch_rows()))
        if self.chart is not None and time.monotonic() >= self._next_snapshot:
            self._refresh_chart(self._history.snapshot())

    def event(self, event: Event, control_reply: bool = False) -> None:
        self.panel.show_events(event_log_html(self._events.snapshot()))
        if self.chart is not None:
            self.chart.events = [{"epoch": e.epoch, "step": e.step, "kind": e.kind,
                                  "message": e.message}
                                 for e in self._events.snapshot()[-CHART_EVENTS:]]
        if control_reply and self.controls is not None:
            self.controls.show_message(event.message)
            self.controls.show_hint("")  # clicks evidently work
            if event.kind == "lr_change":
                self.controls.show_learning_rate(read_learning_rate(self._model))

    def notice(self, message: str) -> None:
        self.panel.show_notice(message)

    def frame(self, png: bytes) -> None:
        self.panel.show_frame(png)

    def data(self, snapshot: StoreSnapshot) -> None:
        chart = self.chart
        if chart is not None:
            panels = chart_panels(snapshot)
            if panels != chart.panels:
                chart.panels = panels
            chart.send_new_rows(snapshot)

    def view(self, options: ViewOptions) -> None:
        self.panel.view_options = options
        if self.chart is not None:
            self.chart.view = _view_trait(options)

    # -- the browser chart ------------------------------------------------------------------
    def _refresh_chart(self, snapshot: StoreSnapshot) -> None:
        """Everything a view that opens now needs: panels, fits and the run's snapshot."""
        chart = self.chart
        assert chart is not None   # called only while the browser chart is shown
        with chart.hold_sync():
            chart.panels = chart_panels(snapshot)
            chart.fits = [{"first_step": f.first_step, "initial_epoch": f.initial_epoch,
                           "epochs": f.epochs, "last_step": f.last_step}
                          for f in snapshot.fits]
        started = time.monotonic()
        chart.store_snapshot(snapshot)
        cost = time.monotonic() - started
        self._next_snapshot = started + max(SNAPSHOT_INTERVAL, cost / SNAPSHOT_SHARE)

    def _give_up_on_a_silent_chart(self) -> None:
        """PNG frames, with a line saying why, when the chart has not drawn in time."""
        chart = self.chart
        if chart is None or chart.rendered or self._chart_deadline is None \
                or time.monotonic() < self._chart_deadline:
            return
        self.chart = None   # from now on the dashboard draws frames for this panel
        self._chart_deadline = None
        self.panel.use_png_frames(available_panels(self._history.snapshot()))
        self.panel.show_notice(
            f"The interactive chart did not draw within {CHART_RENDER_TIMEOUT:.0f} s, so the "
            "curves are shown as pictures. If anywidget was installed while Jupyter was "
            "running, restart Jupyter and reload the page; otherwise reload the page, or "
            "pass Dashboard(chart='png') to always use pictures.")

    def _chart_view_changed(self, change: dict[str, Any]) -> None:
        """The person changed the view in the browser: the final PNG shows the same."""
        try:
            options = _view_options(change["new"])
        except (TypeError, ValueError):
            return   # a malformed message from a page: keep the current view
        self.panel.view_options = options
        if self._on_view_change is not None:
            self._on_view_change(options)

    def mimebundle(self, summary: str) -> dict:
        return self.panel.mimebundle(summary)


def _view_trait(options: ViewOptions) -> dict:
    return {"log_scale": options.log_scale, "smoothing": options.smoothing,
            "x_axis": options.x_axis, "hidden": sorted(options.hidden)}


def _view_options(trait: dict) -> ViewOptions:
    """The chart's ``view`` trait as :class:`ViewOptions` (ValueError when malformed).

    Example:
        >>> _view_options({"log_scale": True, "smoothing": 0.6, "x_axis": "epochs",
        ...                "hidden": ["accuracy"]}).hidden
        frozenset({'accuracy'})
    """
    return ViewOptions(log_scale=bool(trait.get("log_scale", False)),
                       smoothing=float(trait.get("smoothing", 0.0)),
                       x_axis=str(trait.get("x_axis", "steps")),
                       hidden=frozenset(str(name) for name in trait.get("hidden", ())))

