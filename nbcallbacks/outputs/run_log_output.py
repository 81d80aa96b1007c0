"""The dashboard output that writes the run to ``log_dir`` as it trains.

It reads what the other outputs show (the store's new rows at each status
update, a few times a second; the events; how the fit ended) and appends it to
the run's directory (:mod:`nbcallbacks.runs.run_directory`). A failure to
write is reported once, like any output's, and training goes on. Status updates
come from the render thread while one runs, the rest from the training thread:
one lock keeps the writes to the directory in order.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from nbcallbacks.outputs.dashboard_output import DashboardOutput, StatusReport
from nbcallbacks.records.events import Event
from nbcallbacks.records.metric_store import MetricStore
from nbcallbacks.runs.fit_hyperparameters import fit_hyperparameters
from nbcallbacks.runs.run_directory import RunDirectoryWriter
from nbcallbacks.runs.run_record import fit_ending

if TYPE_CHECKING:
    from nbcallbacks.compat.click_route import ClickRoute


class RunLogOutput(DashboardOutput):
    """Writes a dashboard's run to ``log_dir/<run name>/``.

    ``given``: hyperparameters the person passed; they win over what is read
    from the fit.
    """

    name = "run log"

    def __init__(self, store: MetricStore, log_dir: str | os.PathLike[str], run_name: str,
                 given: dict | None = None) -> None:
        self.store = store
        self.log_dir = log_dir
        self.run_name = run_name
        self.given = dict(given or {})
        self.writer: RunDirectoryWriter | None = None
        self._events: list[Event] = []
        self._state = ""   # the latest status report's: "stopped by an error" comes before end
        self._lock = threading.Lock()

    def begin(self, model: Any, click_route: ClickRoute | None = None) -> None:
        hyperparameters = {**fit_hyperparameters(model), **self.given}
        with self._lock:
            if self.writer is None:
                self.writer = RunDirectoryWriter(self.log_dir, self.run_name, hyperparameters)
            else:   # a next fit of the same dashboard continues the run
                self.writer.update(status="running",
                                   hyperparameters={**hyperparameters, **self.writer.meta[
                                       "hyperparameters"]})

    def status(self, report: StatusReport) -> None:
        with self._lock:
            self._state = report.state
            if self.writer is None:
                return
            # The fit's batch size and epochs arrive with its first status report.
            known = self.writer.meta["hyperparameters"]
            learned = {name: value for name, value in (("batch_size", report.clock.batch_size),
                                                       ("epochs", report.epochs))
                       if value is not None and name not in known}
            if learned:
                self.writer.update(hyperparameters={**known, **learned})
            self.writer.write_new_rows(self.store)

    def epoch(self, epoch: int, epochs: int | None, logs: dict, seconds: float | None) -> None:
        with self._lock:
            if self.writer is not None:
                self.writer.write_new_rows(self.store)

    def event(self, event: Event, control_reply: bool = False) -> None:
        with self._lock:
            if self.writer is None:
                return
            self.writer.write_event(event)
            self._events.append(event)

    def end(self, summary: str, png: bytes | None) -> None:
        with self._lock:
            if self.writer is None:
                return
            self.writer.write_new_rows(self.store)
            fit = self.store.fits[-1] if self.store.fits else None
            status = fit_ending(fit, self._events, error=self._state == "stopped by an error")
            self.writer.finish(status, seconds=self.store.training_seconds())
