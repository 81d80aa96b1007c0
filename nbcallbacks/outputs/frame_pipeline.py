"""The dashboard's updates: when one is made, on which thread, and which outputs get it.

One object owns the pacing of a ``Dashboard``'s drawing. The training thread
only *asks* (:meth:`FramePipeline.tick` between batches, at most every
``redraw_interval``; :meth:`FramePipeline.request` at epoch ends, at once for a
click); a render thread
(:class:`~nbcallbacks.render.render_worker.RenderWorker`) answers: it hands the
store's snapshot to each output that draws for itself (``data``: the browser
chart sends the new rows on) and, only where PNG frames are shown, draws the
figure and hands the PNG to each output's ``frame``. An expensive update spaces
out the next ones (the throttle's ``max_busy``), so drawing stays a small share
of the wall time whatever the epochs' length. The status line goes the same way
when that thread runs (:meth:`FramePipeline.show_status`): a widget update costs
~0.5 ms during a fit, which the training thread need not wait for.

Failures on the render thread are kept and reported by the training thread
(:meth:`FramePipeline.report_problems`), once each, through the dashboard's
reporter: drawing never stops training.

Example:
    >>> from nbcallbacks.records import EventLog, MetricStore
    >>> from nbcallbacks.outputs.throttle import Throttle
    >>> from nbcallbacks.outputs.null_output import NullOutput
    >>> from nbcallbacks.render.dashboard_figure import DashboardFigure
    >>> store = MetricStore()
    >>> store.record_batch(0, 0, {"loss": 1.0})
    >>> frames = FramePipeline(store, EventLog(), DashboardFigure(), Throttle(1.0, 0.03),
    ...                        report_problem=print)
    >>> frames.start([NullOutput()])      # no output draws: no thread
    >>> frames.close()                    # the end of the fit
    >>> frames.figure_png()[:4]
    b'\\x89PNG'
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence

from nbcallbacks.outputs.dashboard_output import DashboardOutput, StatusReport
from nbcallbacks.outputs.throttle import Throttle
from nbcallbacks.outputs.weak_references import weak_callback
from nbcallbacks.records.events import EventLog
from nbcallbacks.records.metric_store import MetricStore, StoreSnapshot
from nbcallbacks.render.dashboard_figure import DashboardFigure
from nbcallbacks.render.render_worker import RenderWorker
from nbcallbacks.render.view_options import ViewOptions


class FramePipeline:
    """Updates of a dashboard's outputs, drawn off the training thread.

    Args:
        history: the store every update reads.
        events: the events the PNG figure marks.
        figure: the figure PNG frames are drawn with.
        throttle: spaces the timed updates (``redraw_interval``, ``max_busy``).
        report_problem: ``report_problem(what, error)``, called on the training thread.

    Attributes:
        view: what the person chose to see (the PNG frames follow it).
        last_png: the latest PNG frame drawn (None before the first).
    """

    def __init__(self, history: MetricStore, events: EventLog, figure: DashboardFigure,
                 throttle: Throttle, report_problem: Callable[[str, BaseException], None]
                 ) -> None:
        self.history = history
        self.events = events
        self.figure = figure
        self.throttle = throttle
        self.view = ViewOptions()
        self.last_png: bytes | None = None
        self._report_problem = report_problem
        self._outputs: list[DashboardOutput] = []
        self._training = False
        self._worker: RenderWorker | None = None      # one per fit, closed at its end
        self._worker_finalizer: weakref.finalize | None = None
        self._problems: list[tuple[str, BaseException]] = []   # from the render thread

    # -- the training thread ----------------------------------------------------------
    def start(self, outputs: Sequence[DashboardOutput]) -> None:
        """A fit begins: a render thread when some output draws (``frame`` or ``data``)."""
        self.close()   # a fit that raised never reached its end
        self._outputs = list(outputs)
        self._training = True
        if not any(output.wants_frames or output.wants_data for output in self._outputs):
            return
        # Epoch ends always ask for an update; with very short epochs they are drawn at
        # most once per redraw_interval (deferred, never dropped). The thread holds this
        # pipeline only weakly, and a pipeline dropped mid-fit closes it.
        worker = RenderWorker(weak_callback(self.draw), on_drawn=weak_callback(self._drawn),
                              min_interval=self.throttle.interval)
        self._worker = worker
        self._worker_finalizer = weakref.finalize(self, worker.close)

    def tick(self) -> None:
        """Between batches: ask for a timed update when one is due."""
        if self.throttle.due():
            self.throttle.start()
            self.request()

    def request(self, urgent: bool = False) -> None:
        """Ask for an update; ``urgent``: a person is waiting for it (a click, a toggle)."""
        if self._worker is not None:
            self._worker.request(urgent=urgent)

    def close(self) -> None:
        """The fit ended: draw the final update (in this thread, after what is pending)."""
        self._training = False
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.flush(timeout=60)
            worker.close()
            assert self._worker_finalizer is not None   # made with every worker
            self._worker_finalizer.detach()
            self._take_worker_error(worker)

    def show_status(self, report: StatusReport, tell: Callable[[str, StatusReport], None]
                    ) -> None:
        """Hand the status line to the outputs: on the render thread while it runs (the
        latest report wins and is not held back by the frames' spacing), else now
        with ``tell`` (the dashboard's guarded ``OutputSet.tell``)."""
        worker = self._worker
        if worker is None:
            tell("status", report)
            return
        # Weakly, as the worker holds `draw`: a pending status keeps no pipeline alive.
        hand_over, outputs = weak_callback(self._hand_over), self._outputs
        worker.post(lambda: hand_over("status", report, outputs))

    def change_view(self, view: ViewOptions) -> None:
        """The person changed the view: redraw now (after training: in this thread)."""
        self.view = view
        if self._worker is not None:
            self._worker.request(urgent=True)
            return
        try:
            self.draw()
        except Exception as error:  # noqa: BLE001 - reported, never raised into a click
            self._report_problem("drawing", error)
        self.report_problems()

    def report_problems(self) -> None:
        """Report what failed on the render thread (runs every batch: lock-free when quiet)."""
        while self._problems:
            what, error = self._problems.pop(0)
            self._report_problem(what, error)
        if self._worker is not None and self._worker.has_error:
            self._take_worker_error(self._worker)

    def figure_png(self) -> bytes:
        """The current plot as PNG bytes (drawn now, in the calling thread)."""
        return self._render(self.history.snapshot(), final=not self._training)

    def wait_drawn(self, timeout: float) -> bool:
        """Wait until an update includes everything recorded so far (True when it did)."""
        return self._worker.flush(timeout=timeout) if self._worker is not None else True

    # -- the render thread ------------------------------------------------------------
    def draw(self) -> None:
        """Hand the store's rows to the outputs that draw for themselves; draw the figure
        and hand the PNG to every output that shows frames (at the end: that keeps one).

        An output that fails to take its update does not keep the others from it.
        """
        snapshot = self.history.snapshot()
        final = not self._training
        outputs = self._outputs
        self._hand_over("data", snapshot, [o for o in outputs if o.wants_data])
        if not any(o.wants_frames or (final and o.wants_final_frame) for o in outputs):
            return
        png = self._render(snapshot, final)
        self.last_png = png
        self._hand_over("frame", png, [o for o in outputs if o.wants_frames])

    def _render(self, snapshot: StoreSnapshot, final: bool) -> bytes:
        # The figure may be another dashboard's too (shared_dashboard_figure).
        with self.figure.lock:
            self.figure.drawn_for(self)
            return self.figure.render_png(snapshot, self.view, self.events.snapshot(),
                                          final=final)

    def _drawn(self, cost: float) -> None:
        """An expensive update spaces out the next ones, epoch-end ones too, so drawing
        stays within ``max_busy`` of the wall time even with very short epochs."""
        self.throttle.done(cost)
        worker = self._worker
        if worker is not None:
            worker.min_interval = self.throttle.wait

    def _hand_over(self, method: str, value: object, outputs: Sequence[DashboardOutput]
                   ) -> None:
        for output in outputs:
            try:
                getattr(output, method)(value)
            except Exception as error:  # noqa: BLE001 - reported by the training thread
                self._problems.append((f"{output.name} {method}", error))

    def _take_worker_error(self, worker: RenderWorker) -> None:
        error = worker.take_error()
        if error is not None:
            self._report_problem("drawing", error)
