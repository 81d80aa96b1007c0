"""The one interface every dashboard output answers, and the status record it receives.

The ``Dashboard`` callback translates Keras hooks into records (the metric
store, the event log) and then tells each of its outputs, in this order:

* ``begin(model, click_route)`` — a ``fit`` starts;
* ``status(report)`` — where training is now (a few times a second; on the render
  thread while one runs, so training does not wait for it);
* ``epoch(epoch, epochs, logs, seconds)`` — an epoch ended, with its logs;
* ``event(event, control_reply)`` — something happened (a callback acted, a control);
* ``notice(message)`` — a problem the person should see (training goes on);
* ``data(snapshot)`` — the store has new rows (on the render thread; only when
  ``wants_data``: the browser chart sends them on);
* ``frame(png)`` — a new plot (on the render thread; only when ``wants_frames``);
* ``end(summary, png)`` — the ``fit`` ended, with the final frame (or None).

Besides these, ``pump(paused)`` runs between batches (a widget output
handles queued clicks there), ``view(options)`` reflects view options the
dashboard chose (panels hidden by ``metrics=``), and ``mimebundle(summary)``
lets an output show the dashboard again as a cell's value.

Every method has a do-nothing default, so an output implements only what it
shows. The dashboard runs each call guarded: an output that fails is reported
once and training goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nbcallbacks.records.events import Event
from nbcallbacks.records.metric_store import StoreSnapshot
from nbcallbacks.records.training_clock import TrainingClock
from nbcallbacks.render.view_options import ViewOptions

if TYPE_CHECKING:
    from nbcallbacks.compat.click_route import ClickRoute


@dataclass
class StatusReport:
    """Where training is: what an output's status line shows.

    Attributes:
        state: ``"starting"``, ``"training"``, ``"paused"``, ``"finished"`` or
            ``"stopped early"``.
        clock: elapsed time, throughput and ETA.
        epoch: the current epoch index (None before the first fit).
        epochs: the planned number of epochs, if known.
        batch: training batches done in ``epoch``.
        steps_per_epoch: batches per epoch, if known (learned after the first
            epoch when the data's length is unknown).
        note: extra text (watched callbacks, the cluster), or None.
    """

    state: str
    clock: TrainingClock
    epoch: int | None = None
    epochs: int | None = None
    batch: int = 0
    steps_per_epoch: int | None = None
    note: str | None = None


class DashboardOutput:
    """Base of every output: each method does nothing until an output overrides it.

    Attributes:
        name: what the output is, in problem reports (``"the dashboard's png
            file step failed ..."``).
        wants_frames: True when the output shows plot frames; the dashboard
            draws only when some output wants them.
        wants_data: True when the output draws the curves itself from the store's
            rows (the browser chart); it is given each new snapshot on the render
            thread, at the pace frames would have been drawn.
        wants_final_frame: True when the output needs a PNG of the final plot at
            ``end`` even though it did not want frames (a static copy for saved
            notebooks).
        click_route: how clicks on this output's controls reach Python during
            the latest fit (:class:`~nbcallbacks.compat.click_route.ClickRoute`),
            None for outputs without controls.

    Example:
        >>> from nbcallbacks.records.training_clock import TrainingClock
        >>> output = DashboardOutput()
        >>> output.status(StatusReport("training", TrainingClock()))   # does nothing
        >>> output.mimebundle("Training: 2 epochs") is None, output.wants_frames
        (True, False)
    """

    name = "output"
    wants_final_frame = False
    click_route: ClickRoute | None = None

    # Properties, so that an output can answer from its state (the widget output's chart
    # gives way to PNG frames); a class attribute (``wants_frames = True``) overrides them.
    @property
    def wants_frames(self) -> bool:
        return False

    @property
    def wants_data(self) -> bool:
        return False

    def begin(self, model: Any, click_route: ClickRoute | None = None) -> None:
        """A ``fit`` starts. ``click_route``: the route ``await dash.fit`` installed, if any."""

    def status(self, report: StatusReport) -> None:
        """Training's position, speed and state changed."""

    def epoch(self, epoch: int, epochs: int | None, logs: dict, seconds: float | None) -> None:
        """Epoch ``epoch`` ended with these numeric ``logs``, after ``seconds``."""

    def event(self, event: Event, control_reply: bool = False) -> None:
        """An event was recorded; ``control_reply``: it answers a control request."""

    def notice(self, message: str) -> None:
        """A problem the person should see; training goes on."""

    def data(self, snapshot: StoreSnapshot) -> None:
        """The store's rows now (called on the render thread)."""

    def frame(self, png: bytes) -> None:
        """A new plot frame (called on the render thread)."""

    def end(self, summary: str, png: bytes | None) -> None:
        """The ``fit`` ended; ``png`` is its final frame (None when nothing was drawn)."""

    def pump(self, paused: bool = False) -> None:
        """Between batches (and repeatedly while paused): a chance to handle queued input."""

    def view(self, options: ViewOptions) -> None:
        """The dashboard changed the view options (e.g. panels hidden by ``metrics=``)."""

    def mimebundle(self, summary: str) -> dict | None:
        """How to show the dashboard as a cell's value, or None to leave it to others."""
        return None
