"""The callback tracer in a notebook: the live timeline, shown once per cell, updated in place.

The timeline (:class:`~nbcallbacks.tracer.tracer_timeline.TracerTimeline`) is
made on first use, so scripts never import ipywidgets. It is shown in the cell
where a ``fit``/``evaluate``/``predict`` starts, redrawn at most every
``refresh_interval`` seconds while calls arrive, and at the end of each method
call; the display then also carries a static HTML copy for saved notebooks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nbcallbacks.notebook.cell_display import CellDisplay
from nbcallbacks.outputs.throttle import Throttle
from nbcallbacks.tracer.hook_call import BEGIN_HOOK_METHODS, HookCall
from nbcallbacks.tracer.tracer_output import TracerOutput
from nbcallbacks.ui.result_bundle import result_mimebundle

if TYPE_CHECKING:  # imported when first shown: it imports ipywidgets
    from nbcallbacks.tracer.tracer_timeline import TracerTimeline


class TracerWidgetOutput(TracerOutput):
    """The tracer's timeline widget in the notebook cell.

    Args:
        calls: returns the stored calls now (a copy, taken under the tracer's lock).
        show_batches: whether the timeline starts with batch-level calls shown.
        note: returns a line shown under the timeline ("… calls counted, not stored").
        describe: returns the tracer's ``text/plain`` form.
        refresh_interval: minimum seconds between redraws while calls arrive.
    """

    name = "timeline"

    def __init__(self, calls: Callable[[], list[HookCall]], show_batches: bool,
                 note: Callable[[], str], describe: Callable[[], str],
                 refresh_interval: float) -> None:
        self._calls, self._show_batches = calls, show_batches
        self._note, self._describe = note, describe
        self._throttle = Throttle(refresh_interval, max_busy=0.1)
        self._timeline: TracerTimeline | None = None
        self._display = CellDisplay(self.mimebundle)

    @property
    def timeline(self) -> TracerTimeline:
        """The timeline widget (made on first use)."""
        if self._timeline is None:
            from nbcallbacks.tracer.tracer_timeline import TracerTimeline

            self._timeline = TracerTimeline(self._calls, self._show_batches, note=self._note)
        return self._timeline

    def recorded(self, call: HookCall, stored: bool, finished: bool) -> None:
        timeline = self.timeline
        if call.hook in BEGIN_HOOK_METHODS and call.depth == 0:
            self._display.show()
        if finished or self._throttle.due():
            self._throttle.start()
            started = time.perf_counter()
            timeline.refresh()
            self._throttle.done(time.perf_counter() - started)
        if finished:
            # Saved notebooks (GitHub, nbviewer) cannot show widgets: the bundle
            # carries a static copy of the timeline too.
            self._display.update()

    def cleared(self) -> None:
        if self._timeline is not None:
            self._timeline.refresh()

    def mimebundle(self) -> dict[str, Any]:
        timeline = self.timeline
        return result_mimebundle(self._describe(), html=timeline.html(),
                                 widget=lambda: timeline.widget, shows_widgets=True)
