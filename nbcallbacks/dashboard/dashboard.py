"""``Dashboard``: the Keras callback that turns a notebook cell into a live view of training.

The callback only translates Keras hooks into records — every ``logs`` value
into a :class:`~nbcallbacks.records.MetricStore`, everything that happened into an
:class:`~nbcallbacks.records.EventLog` — and tells its outputs
(:mod:`nbcallbacks.outputs`: the widget panel, console lines, a PNG file, or
nothing) through one interface. A batch, from hook to browser:
``on_train_batch_end`` records the logs and ticks the
:class:`~nbcallbacks.outputs.frame_pipeline.FramePipeline`, which, when an
update is due, has its render thread hand the store's snapshot to each output
that draws for itself (``data``: the browser chart sends the new rows on) and,
only where PNG frames are shown, draw the figure for each output's ``frame``.

What is not that translation lives beside it, one concept a module: the
arguments, checked when the dashboard is made (:mod:`.dashboard_settings`);
which learning rate is recorded, and where (:mod:`.learning_rate_recorder`);
the status line and the summary in words (:mod:`.fit_report`); what the latest
fit was trained with, for run tables (:mod:`.latest_fit_hyperparameters`).

Everything it starts for a ``fit`` — the render thread, the interrupt guard,
the widgets' click route — is taken down at train end, and nothing it leaves
behind (widgets, the signal handler) keeps a discarded dashboard alive.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

import keras

from nbcallbacks.compat.click_route import ClickRoute
from nbcallbacks.compat.keras_fit_frame import (
    batch_size_of,
    close_open_epoch,
    find_fit_callbacks,
    fit_epoch_iterator,
)
from nbcallbacks.compat.keras_tuner_trial import tuner_trial
from nbcallbacks.dashboard.builtin_callback_watcher import BuiltinCallbackWatcher
from nbcallbacks.dashboard.dashboard_settings import dashboard_settings
from nbcallbacks.dashboard.fit_progress import FitProgress
from nbcallbacks.dashboard.fit_report import fit_summary, status_note, status_report
from nbcallbacks.dashboard.latest_fit_hyperparameters import latest_fit_hyperparameters
from nbcallbacks.dashboard.learning_rate_recorder import LearningRateRecorder
from nbcallbacks.dashboard.requested_metrics import panels_to_hide
from nbcallbacks.distributed.cluster_role import cluster_role
from nbcallbacks.distributed.worker_sync import WorkerSync
from nbcallbacks.notebook.cell_end_hook import after_each_cell
from nbcallbacks.notebook.frontend import detect_frontend, output_mode
from nbcallbacks.outputs.dashboard_output import DashboardOutput
from nbcallbacks.outputs.dashboard_outputs import dashboard_outputs
from nbcallbacks.outputs.frame_pipeline import FramePipeline
from nbcallbacks.outputs.output_set import OutputSet
from nbcallbacks.outputs.throttle import Throttle
from nbcallbacks.outputs.weak_references import weak_callback, weak_or_none
from nbcallbacks.records.events import Event, EventLog
from nbcallbacks.records.metric_store import MetricStore, numeric_logs
from nbcallbacks.records.training_clock import TrainingClock
from nbcallbacks.render.dashboard_figure import shared_dashboard_figure
from nbcallbacks.render.view_options import ViewOptions
from nbcallbacks.run_control.threaded_fit import fit_in_thread
from nbcallbacks.run_control.training_controller import TrainingController
from nbcallbacks.run_control.training_signals import TrainingSignals
from nbcallbacks.ui.result_bundle import result_mimebundle


class Dashboard(keras.callbacks.Callback):
    """Live training curves, status and metric table in the notebook cell.

    Every metric in Keras' ``logs`` gets a panel with training values per
    batch and per epoch and validation values per epoch; the learning rate gets
    its own panel. The chart is drawn in the browser (``chart="auto"``, the
    default, wherever the frontend can show it): hover to read values, drag to
    zoom (double-click resets), log y, smoothing, steps, epochs or time on x,
    panel toggles, all while ``fit`` runs; the kernel only sends the new
    values. On Colab, and with ``chart="png"``, it is a picture redrawn in
    the kernel. Either way it updates at most every ``redraw_interval``
    seconds (longer when an update is expensive, so it stays under
    ``max_busy`` of the wall time) and always at the end of each epoch and of
    training. Calling ``fit`` again with the
    same dashboard continues the same curves.

    Controls act while ``fit`` runs: **Stop** (finish the batch, end training
    normally), **Pause/Resume**, a **learning rate** (applied at the next
    batch) and **Save now** (``.keras`` model or ``.weights.h5`` weights).
    Clicks reach a blocking ``model.fit`` on every ipykernel line from 6.17
    (Colab) to 7.4, whatever the frontend: a kernel subshell on 7.4, the
    main shell's pending messages handled between batches on 6.x and 7.0–7.3
    (:mod:`nbcallbacks.compat.click_route`); ``await dash.fit(model, ...)``
    does the same with the cell awaiting. Where no route is in place the
    panel says so. The first kernel interrupt (or Ctrl-C) stops
    gracefully and still returns the ``History``; a second one stops at once.
    Every action is recorded in :attr:`events`.

    Outside a Jupyter kernel (``python train.py``, the IPython terminal) it
    prints one line per epoch and, with ``png_path``, keeps a PNG of the plot
    up to date. Drawing problems never stop training: they are reported once
    and training goes on.

    Args:
        metrics: names of the metric panels to show (e.g. ``["loss", "accuracy"]``;
            ``"val_loss"`` counts as ``"loss"``). Default ``None``: every metric
            in ``logs``. A name that training does not log raises ``ValueError``
            at the first batch (or the first epoch end, for ``val_`` names),
            listing the available keys. Hidden panels can be shown again with
            the panel toggles.
        per_batch: record and draw per-batch training values (default ``True``);
            ``False`` keeps only per-epoch values.
        redraw_interval: minimum seconds between live redraws (default ``1.0``).
        max_busy: largest fraction of wall time spent drawing (default ``0.03``).
        output: ``"auto"`` (default: widgets in a Jupyter kernel, printed lines
            elsewhere), ``"widget"``, ``"console"`` or ``"none"`` (record only).
        png_path: optional file the current plot is written to at each epoch end
            and at the end of training (any output mode).
        title: the name shown on the panel (default: the ``run`` name, else ``"Training"``).
        width: plot width in pixels (default ``960``; the browser chart follows the
            cell's width up to this).
        chart: ``"auto"`` (default: the browser chart, except on Colab, where creating
            it would switch the whole notebook to Colab's custom widget manager, and
            without the ``anywidget`` package), ``"browser"`` (drawn in the browser;
            an error says what to install when it cannot be) or ``"png"`` (pictures
            drawn in the kernel). A browser chart that has not drawn within 10 s of
            being shown gives way to pictures, and says why.
        scale: size of the browser chart's text and lines (default ``1.0``; ``1.5``
            reads on a projector).
        controls: show the training controls (default ``True``). The interrupt
            handling and :attr:`signals` work either way.
        save_path: initial path of "Save now" (default ``"checkpoints/manual.keras"``).
        max_points: points drawn per series after min/max decimation (default ``2000``).
        run: the run's name, in comparisons and in ``log_dir`` (default: when the
            dashboard was made, ``"run 2026-12-03 14.05.01"``). Dashboards that train one
            after another in one notebook cell (a sweep written as a loop) are shown as
            one comparison from the second on; runs without a name are then named by
            what differs (``"lr=0.01"``), in memory only: ``log_dir`` keeps the first name.
        log_dir: a directory to write the run to as it trains (``log_dir/<run>/``: JSON
            lines pandas reads, see :mod:`nbcallbacks.runs.run_directory`), so that
            ``nbcallbacks.compare("runs/")`` shows it after a kernel restart. A name already
            there gets a suffix: nothing on disk is replaced.
        hyperparameters: what to record about the run besides what the fit tells
            (optimizer, learning rate, batch size, epochs, parameter count), e.g.
            ``{"dropout": 0.2}``.
        max_control_delay: multi-worker runs only: the longest time (seconds) a
            click on the chief waits for the batch where every worker applies it
            (default ``0.25``). Workers agree on the controls before every batch,
            or every few batches when batches are quick, so that agreeing costs
            at most 3 % of the training time; ``0`` agrees before every batch.

    Attributes:
        history: the :class:`~nbcallbacks.records.MetricStore` with every value
            (``dash.history.to_pandas()``, ``dash.history.to_csv("history.csv")``).
        run: the run's name (``log_dir`` may add a suffix on disk when it is taken).
        copies: the dashboards deep-copied from this one (a KerasTuner search's trials).
        events: the :class:`~nbcallbacks.records.EventLog` of what happened.
        signals: the :class:`~nbcallbacks.run_control.training_signals.TrainingSignals`
            the controls write to; code can use it too (``dash.signals.request_stop()``).
        role: this process's :class:`~nbcallbacks.distributed.ClusterRole`. With
            ``TF_CONFIG`` naming several workers (``MultiWorkerMirroredStrategy``),
            only the chief shows output and controls; every process applies the
            chief's Stop / Pause / learning rate / Save at the same batch.

    Example:
        >>> import numpy as np, keras
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> dash = Dashboard(output="none")
        >>> x, y = np.ones((32, 4)), np.zeros((32, 1))
        >>> _ = model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[dash])
        >>> dash.history.steps, len(dash.history.epoch_values("loss"))
        (8, 2)
    """

    def __init__(self, metrics: str | Iterable[str] | None = None, *, per_batch: bool = True,
                 redraw_interval: float = 1.0, max_busy: float = 0.03, output: str = "auto",
                 png_path: str | os.PathLike[str] | None = None,
                 title: str | None = None, width: int = 960, max_points: int = 2000,
                 controls: bool = True, save_path: str = "checkpoints/manual.keras",
                 max_control_delay: float = 0.25, chart: str = "auto", scale: float = 1.0,
                 run: str | None = None, log_dir: str | os.PathLike[str] | None = None,
                 hyperparameters: dict | None = None) -> None:
        super().__init__()
        # Every argument is checked now, not at the first fit; a copy is made with the
        # same settings (KerasTuner copies the callbacks for every trial).
        self._settings = settings = dashboard_settings(**{
            name: value for name, value in locals().items() if name not in ("self", "__class__")})
        self.copies: list[Dashboard] = []
        self.run = settings.run or time.strftime("run %Y-%m-%d %H.%M.%S")
        self.run_named = settings.run is not None   # else a sweep names it by what differs
        self.log_dir = settings.log_dir
        self.hyperparameters = dict(settings.hyperparameters)
        self.requested_metrics = list(settings.metrics) if settings.metrics is not None else None
        self.per_batch = settings.per_batch
        self.output = settings.output
        self.png_path = settings.png_path
        self.title = settings.title or settings.run or "Training"
        self.chart = settings.chart
        self.scale = settings.scale
        self.history = MetricStore()
        self.events = EventLog()
        self.signals = TrainingSignals()
        self.show_controls = settings.controls
        self.save_path = settings.save_path
        self.max_control_delay = settings.max_control_delay
        self.role = cluster_role()  # read now: a malformed TF_CONFIG is reported at once
        # What is shown, and how: chosen at the first fit (the frontend is known then).
        self._mode: str | None = None
        self._outputs = OutputSet[DashboardOutput]()
        self._frames = FramePipeline(self.history, self.events,
                                     shared_dashboard_figure(settings.width, settings.max_points),
                                     Throttle(settings.redraw_interval, settings.max_busy),
                                     report_problem=self._outputs.report)
        # The status line has its own, quicker, rhythm; it is sent from the render thread
        # (FramePipeline.show_status), so training does not wait for it.
        self._status_throttle = Throttle(0.25)
        # Training state of the running fit.
        self._controller = TrainingController(self.signals, self._on_control_event,
                                              idle=self._while_paused)
        self._watcher = BuiltinCallbackWatcher()
        self._learning_rates = LearningRateRecorder(self.history)
        self._clock = TrainingClock()
        self._training = False
        self._stop_after_cell = lambda: None   # see end_failed_fit
        self._progress = FitProgress()   # the running (or latest) fit: made at train begin
        self._awaited_route: ClickRoute | None = None   # the click route `await dash.fit` installed
        self._role_announced = False
        self.ended_by_error = False       # the latest fit raised (a run table says so)

    def __deepcopy__(self, memo: dict[int, Any]) -> Dashboard:
        """A new dashboard with the same settings, listed in this one's :attr:`copies`.

        KerasTuner deep-copies a search's callbacks for every trial: each copy is
        one trial's run (named ``trial <id>``, with the trial's hyperparameters), and
        ``nbcallbacks.compare(dash)`` shows them all.

        Example:
            >>> import copy
            >>> dash = Dashboard(output="none", run="search")
            >>> trial = copy.deepcopy(dash)
            >>> trial.run, dash.copies == [trial]
            ('search copy 1', True)
        """
        copy = Dashboard(**self._settings.arguments())
        copy.run = f"{self.run} copy {len(self.copies) + 1}"
        self.copies.append(copy)
        memo[id(self)] = copy
        return copy

    # -- Keras hooks --------------------------------------------------------------
    # The per-batch path uses the raw ``self._model``: ``self.model`` makes JAX
    # write its whole training state back on every access (see model_sync).
    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.end_failed_fit()   # a previous fit that raised, in a script that caught it
        if self._mode is None:   # a KerasTuner trial: named before its outputs are made
            trial = tuner_trial(find_fit_callbacks(owner=self))
            if trial is not None:
                self.run, self.run_named = f"trial {trial[0]}", True
                self.title = self._settings.title or self.run
                self.hyperparameters = {**trial[1], **self.hyperparameters}
        self._choose_outputs()
        params = self.params or {}
        record = self.history.begin_fit(0, params.get("epochs"), params.get("steps"))
        self._watcher = BuiltinCallbackWatcher.for_running_fit(self)
        epoch_iterator = fit_epoch_iterator()
        # Weakly: the fit's data are the fit's; _end_fit only closes what it left open.
        # Until its first epoch begins, a fit is placed where the previous one ended.
        self._progress = FitProgress(record, epoch=self._progress.epoch,
                                     thread=threading.current_thread(),
                                     epoch_iterator=weak_or_none(epoch_iterator))
        self._clock.start(total_steps=None, batch_size=batch_size_of(epoch_iterator))
        self._training = True
        self._controller.begin(self)
        self._controller.use_peers(WorkerSync.for_model(self._model, self.role),
                                   max_delay=self.max_control_delay)
        if not self.role.is_chief and not self._role_announced:
            self._role_announced = True
            print(f"nbcallbacks: this process is {self.role.describe()} (TF_CONFIG); the chief "
                  "shows the dashboard, and its controls apply here too.", flush=True)
        self._frames.start(list(self._outputs))
        self._outputs.tell("begin", self._model, self._awaited_route)
        # After the outputs began: a click route's own end-of-cell handler (registered
        # in begin) must run before ours, to hand queued cells back as the cell ends.
        self._stop_after_cell = after_each_cell(weak_callback(self._after_cell))
        self._show_status("starting")

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        progress = self._progress
        progress.epoch = int(epoch)
        progress.epoch_started = time.monotonic()
        self._add_events(self._watcher.before_epoch(progress.epoch, self.history.steps))
        if progress.first_epoch:
            progress.first_epoch = False
            record = progress.record
            assert record is not None   # on_train_begin made it
            record.initial_epoch = progress.epoch
            self._plan_remaining_steps(progress.epoch)

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        # The watcher looks first, so our own rate changes are not credited to Keras'.
        events = self._watcher.before_batch(self._progress.epoch, self.history.steps)
        if events:
            self._add_events(events)
        self._controller.before_batch(self._model, on_pause=self._on_pause_change)
        if batch == 0:
            # The rate this epoch's first batch is about to use: after every callback's
            # on_epoch_begin (schedulers) and our controls acted, before the step
            # counter moves (a LearningRateSchedule is read at the counter).
            self._learning_rates.record(self._model, self._progress,
                                        position=float(self._progress.epoch),
                                        step=self.history.steps)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        # Every call here is paid at every batch, with the caches cold from the step:
        # few calls, nothing read twice (README, "Performance").
        progress = self._progress
        self.history.record_batch(progress.epoch, batch, logs if self.per_batch else None)
        self._clock.steps += 1
        events = self._watcher.after_batch(progress.epoch, batch, self.history.steps, logs)
        if events:
            self._add_events(events)
        if not progress.checked_train_metrics and logs:
            self._check_requested_metrics(numeric_logs(logs), validation=False)
            progress.checked_train_metrics = True
        # One clock read a batch; the status line, the chart's updates and the
        # drawing thread's problems are looked at only when one of them is due.
        if time.monotonic() >= progress.next_look:
            self._look()
        if self._outputs.pumping:
            self._outputs.pump()
        self._controller.after_batch(self._model)

    def _look(self) -> None:
        """The status line, a chart update and problems to report, when due (at most
        every quarter second: the status line's pace)."""
        # The rate the next batch uses, read when a chart update is due: the chart's
        # rate curve then reaches as far as its loss curves. Not at the status line's
        # quicker pace: on TensorFlow a read costs 0.2-1 ms (an eager op).
        if self._frames.throttle.due():
            self._learning_rates.record(self._model, self._progress)
        if self._status_throttle.due():
            self._status_throttle.start()
            self._show_status("training")
        self._frames.tick()
        self._frames.report_problems()
        self._progress.next_look = min(self._status_throttle.due_at(),
                                       self._frames.throttle.due_at())

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        progress = self._progress
        progress.epoch = epoch = int(epoch)
        numbers = numeric_logs(logs)
        if not progress.checked_val_metrics:
            progress.checked_val_metrics = True
            self._check_requested_metrics(numbers, validation=True)
        self.history.record_epoch(epoch, numbers)
        self._learning_rates.record(self._model, progress, numbers, position=epoch + 1.0)
        self._add_events(self._watcher.after_epoch(epoch, self.history.steps, logs))
        # A stop requested during validation or at the epoch's end ends training
        # now, rather than after the first batch of the next epoch.
        self._controller.after_batch(self._model, epoch_end=True)
        if progress.steps_per_epoch is None:
            # Data of unknown length (a filtered tf.data pipeline): the first epoch
            # tells how many batches an epoch has, so the ETA is known from now on.
            progress.steps_per_epoch = self.history.batches_in_epoch(epoch) or None
            self._plan_remaining_steps(epoch + 1)
        started = progress.epoch_started
        seconds = None if started is None else time.monotonic() - started
        self._outputs.tell("epoch", epoch, progress.epochs, numbers, seconds)
        self._show_status("training")
        last_epoch = progress.epochs is not None and epoch + 1 >= progress.epochs
        if not last_epoch:  # the frame at train end shows the last epoch
            self._frames.request()
        self._frames.report_problems()

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        stopped = bool(getattr(self._model, "stop_training", False))
        self._add_events(self._watcher.after_train(self.history.steps))
        self._end_fit("stopped early" if stopped else "finished")

    def end_failed_fit(self) -> None:
        """Close what a ``fit`` that raised left open: Keras skips ``on_train_end`` then.

        The outputs show "stopped by an error" with the last frame, the controls
        are taken down, and the history keeps everything recorded until the error.
        Called for you: after the cell of a blocking ``fit`` in a notebook, by
        ``await dash.fit``, and by the next ``fit`` (a script that caught the error).
        Does nothing when no fit is open.

        Example:
            >>> dash = Dashboard(output="none")
            >>> dash.end_failed_fit()     # no fit open: nothing to do
        """
        if self._training:
            self._end_fit("stopped by an error")

    def _after_cell(self) -> None:
        # A subshell's cell ends on another thread while this fit may still train.
        if self._training and threading.current_thread() is self._progress.thread:
            self.end_failed_fit()

    def _end_fit(self, state: str) -> None:
        self._training = False
        self.ended_by_error = state == "stopped by an error"
        self._stop_after_cell()
        self._controller.end()
        self.history.end_fit(stopped_early=state != "finished")
        self._learning_rates.record(self._model, self._progress)
        self._frames.close()   # draws the final frame first
        self._frames.report_problems()
        self._show_status(state)
        self._outputs.tell("end", fit_summary(self.title, self.history), self._frames.last_png)
        # Stopped inside an epoch, Keras leaves its data pipeline to the cyclic garbage
        # collector, which with TensorFlow can freeze a later cell (close_open_epoch).
        self._outputs.guard("closing the fit's open epoch", close_open_epoch,
                            self._progress.epoch_iterator(), state == "stopped by an error")
        self._progress.epoch_iterator = lambda: None

    # -- outputs --------------------------------------------------------------------
    def _choose_outputs(self) -> None:
        if self._mode is not None:
            return
        # In a multi-worker run only the chief shows anything and owns the controls;
        # the other processes record quietly and follow the chief (WorkerSync).
        if not self.role.is_chief:
            self.png_path = None
        frontend = detect_frontend()
        self._mode = output_mode(self.output if self.role.is_chief else "none", frontend)
        self._outputs.use(dashboard_outputs(
            self, self._mode, frontend, view=self._frames.view,
            on_view_change=self._on_view_change, width=self._frames.figure.width))

    @property
    def outputs(self) -> tuple[DashboardOutput, ...]:
        """Where this dashboard shows what it records (:mod:`nbcallbacks.outputs`).

        Chosen at the first ``fit``, when the frontend is known: empty before it.

        Example:
            >>> Dashboard(output="none").outputs
            ()
        """
        return tuple(self._outputs)

    def fit_hyperparameters(self) -> dict:
        """What the latest ``fit`` was trained with (optimizer, learning rate at its start,
        batch size, epochs, parameter count) and the ``hyperparameters`` given; ``{}``
        before the first ``fit``."""
        return latest_fit_hyperparameters(self._model, self._progress.record,
                                          self._clock.batch_size, self.history,
                                          self.hyperparameters)

    @property
    def click_route(self) -> ClickRoute | None:
        """How clicks on the controls reached Python in the latest ``fit`` (None: no controls)."""
        return next((o.click_route for o in self._outputs if o.click_route is not None), None)

    def _show_status(self, state: str) -> None:
        # Only a multi-worker run's chief has peers: its note says a click reaches them all.
        workers = self.role.training_processes if self._controller.peers is not None else None
        report = status_report(state, self._progress, self._clock, self.history,
                               note=status_note(workers, self._watcher.status()))
        self._frames.show_status(report, self._outputs.tell)

    def _add_events(self, events: Sequence[Event], recorded: bool = False,
                    control_reply: bool = False) -> None:
        """Record events (from the watcher, controls or the user) and show them."""
        if not events:
            return
        for event in events:
            if not recorded:
                event = self.events.add(event.epoch, event.step, event.kind, event.message)
            self._outputs.tell("event", event, control_reply)
        self._frames.request(urgent=control_reply)  # a click's marker shows at once

    def _on_view_change(self, options: ViewOptions) -> None:
        self._frames.change_view(options)

    def figure_png(self) -> bytes:
        """The current plot as PNG bytes (drawn now, in the calling thread)."""
        return self._frames.figure_png()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        summary = fit_summary(self.title, self.history)
        for output in self._outputs:
            bundle = output.mimebundle(summary)
            if bundle is not None:
                return bundle
        return result_mimebundle(summary)

    # -- controls -----------------------------------------------------------------
    async def fit(self, model: Any, *args: Any, **kwargs: Any) -> Any:
        """``history = await dash.fit(model, x, y, ...)``: train in a worker thread.

        Takes ``model.fit``'s arguments (this dashboard is added to
        ``callbacks``). The cell awaits while training runs, so controls answer
        in every frontend; output stays in the cell, exceptions are raised in
        it, and the first kernel interrupt stops gracefully.
        """
        return await fit_in_thread(self, model, *args, **kwargs)

    def use_click_route(self, route: ClickRoute | None) -> None:
        """Let the controls take ``route`` during the next fits instead of installing their own.

        ``await dash.fit`` installs its route in the cell's thread (where it must be
        installed), hands it over here and takes it down itself; ``None`` goes back to
        the dashboard installing one per fit.
        """
        self._awaited_route = route

    def mark(self, text: str) -> None:
        """Put your own marker on the curves at the current step (event kind ``mark``).

        Example:
            >>> dash = Dashboard(output="none")
            >>> dash.mark("switched to fine-tuning")
            >>> [(e.kind, e.message) for e in dash.events]
            [('mark', 'switched to fine-tuning')]
        """
        event = self.events.add(self._progress.epoch, self.history.steps, "mark", str(text))
        self._add_events([event], recorded=True)

    def _on_control_event(self, kind: str, message: str) -> None:
        """Training thread: a control request was applied (or refused)."""
        if kind == "lr_change":
            self._learning_rates.record(self._model, self._progress, step=self.history.steps)
        self._add_events([self.events.add(self._progress.epoch, self.history.steps, kind, message)],
                         recorded=True, control_reply=True)

    def _on_pause_change(self, paused: bool) -> None:
        if paused:
            self._clock.pause()
        else:
            self._clock.resume()
        self._show_status("paused" if paused else "training")

    def _while_paused(self) -> None:
        self._outputs.pump(paused=True)

    # -- records ------------------------------------------------------------------------
    def _plan_remaining_steps(self, from_epoch: int) -> None:
        """Tell the clock how many batches are left (for the ETA), once both counts are known."""
        remaining = self._progress.remaining_steps(from_epoch)
        if remaining is not None:
            self._clock.total_steps = self._clock.steps + remaining

    def _check_requested_metrics(self, numbers: dict, validation: bool) -> None:
        """Hide the panels ``metrics=`` leaves out; a name training does not log raises."""
        if self.requested_metrics is None:
            return
        hidden = panels_to_hide(self.requested_metrics, numbers, validation,
                                training_checked=self._progress.checked_train_metrics)
        view = self._frames.view
        self._frames.view = view = view.with_(hidden=view.hidden | hidden)
        self._outputs.tell("view", view)
