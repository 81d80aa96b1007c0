"""Apply the person's requests to a running Keras ``fit``, at batch boundaries.

This is the training-thread half of the controls: it takes what
:class:`~nbcallbacks.run_control.training_signals.TrainingSignals` collected (from
buttons, a kernel interrupt or a cancelled ``await``), changes the model
through public Keras APIs, and reports each action as an event.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from nbcallbacks.compat.keras_fit_frame import runs_inside_fit
from nbcallbacks.distributed.sync_pacer import SyncPacer
from nbcallbacks.distributed.worker_sync import ControlRequest, WorkerSync
from nbcallbacks.model_access.learning_rate import read_learning_rate
from nbcallbacks.model_access.learning_rate_override import rate_source
from nbcallbacks.model_access.model_sync import synced
from nbcallbacks.records.formatting import format_value
from nbcallbacks.run_control.interrupt_guard import InterruptGuard
from nbcallbacks.run_control.training_signals import TrainingSignals


def _refuse_unsettable_rate(optimizer: Any) -> None:
    """Raise ``TypeError`` saying why and what to use when the rate cannot be set by hand.

    Asked of the optimizer that owns the rate (under mixed precision the one
    inside the ``LossScaleOptimizer``), so the answer is the same with or
    without mixed precision. An optimizer keeping its rate where Keras does not
    is left to the public setter, which sets it or says why not.
    """
    try:
        source = rate_source(optimizer)
    except AttributeError:
        return
    followed = {"schedule": "follows a LearningRateSchedule",
                "callable": "takes its rate from a callable"}.get(source)
    if followed is not None:
        raise TypeError(f"the optimizer {followed}; its rate cannot be set by hand (use a "
                        "float learning rate or a LearningRateScheduler callback instead)")


def _write_model(model: Any, path: str) -> None:
    """The whole model (``.keras``) or its weights (``.weights.h5``), folder created."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if path.endswith(".weights.h5"):
        model.save_weights(path)
    else:
        model.save(path)


def _save_kind(path: str) -> str:
    return ".weights.h5" if path.endswith(".weights.h5") else ".keras"


def _save_and_discard(model: Any, kind: str) -> None:
    """A worker's part of a save: write the same file kind to a scratch folder, then delete it."""
    import shutil
    import tempfile

    scratch = tempfile.mkdtemp(prefix="nbcallbacks-worker-save-")
    try:
        _write_model(model, os.path.join(scratch, "model" + kind))
    except Exception:  # noqa: BLE001 - the chief reports saves; a worker's copy is scratch
        pass
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class TrainingController:
    """Take pending requests and apply them to ``model``.

    Args:
        signals: the shared mailbox.
        report: ``report(kind, message)`` records an event (kinds: ``stop``,
            ``pause``, ``resume``, ``lr_change``, ``save``, ``interrupt``) and
            shows the message; called on the training thread.
        idle: called repeatedly while paused (e.g. to pump kernel messages
            and refresh the status line).

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        >>> events = []
        >>> controller = TrainingController(TrainingSignals(), lambda k, m: events.append(k))
        >>> controller.signals.request_learning_rate(0.02)
        >>> controller.before_batch(model)
        >>> events, round(float(model.optimizer.learning_rate), 6)
        (['lr_change'], 0.02)
    """

    def __init__(self, signals: TrainingSignals, report: Callable[[str, str], None],
                 idle: Callable[[], None] | None = None) -> None:
        self.signals = signals
        self._report = report
        self._idle = idle
        self._guard: InterruptGuard | None = None
        self._stop_reported = False
        # Several processes training together: decisions go through a WorkerSync
        # (see use_peers); the latest agreement stands in for the local signals.
        self.peers: WorkerSync | None = None
        self._pacer: SyncPacer | None = None
        self._agreed = ControlRequest()
        self._agreed_stop: str | None = None
        self._until_sync = 0
        self._batch_started: float | None = None
        # signals.requests_made when before_batch / after_batch last looked (-1: look).
        self._seen_before = self._seen_after = -1
        self._stopping = False

    # -- fit lifetime -----------------------------------------------------------------
    def begin(self, callback: Any = None) -> None:
        """A fit starts. ``callback`` is the Keras callback owning this controller:
        the interrupt guard stays in charge only while a ``fit`` using it runs."""
        self.end()  # a previous fit that died by an exception left its guard
        self.signals.reset()
        self._seen_before = self._seen_after = -1
        self._stopping = False
        self._stop_reported = False
        self._agreed, self._agreed_stop = ControlRequest(), None
        self._until_sync = 0
        self._batch_started = None
        self._guard = InterruptGuard(on_first=lambda: self.signals.request_stop("interrupt"),
                                     still_needed=lambda frame: runs_inside_fit(frame, callback))
        self._guard.__enter__()

    def end(self) -> None:
        if self._guard is not None:
            self._guard.__exit__(None, None, None)
            self._guard = None

    # -- batch boundaries ---------------------------------------------------------------
    def before_batch(self, model: Any, on_pause: Callable[[bool], None] | None = None) -> None:
        """Apply a requested rate and save, then wait here while paused."""
        if self.peers is None:
            made = self.signals.requests_made
            if made == self._seen_before:   # nothing new: every batch but a few
                return
            self._seen_before = made
        elif not self._sync_due():
            return
        self._take_requests(model)
        if self._pause_holds():
            self._wait_while_paused(model, on_pause)

    def after_batch(self, model: Any, epoch_end: bool = False) -> bool:
        """Ask Keras to stop after this batch (or epoch) when requested; True when stopping."""
        if self.peers is None:
            made = self.signals.requests_made
            if made == self._seen_after:   # nothing new: the answer of the last look
                return self._stopping
            self._seen_after = made
        if self.peers is not None and epoch_end:
            self._take_requests(model)  # every epoch end is a sync point (a pause waits a batch)
        reason = self._stop_reason()
        self._stopping = reason is not None
        if reason is None:
            return False
        if self.peers is None and self.signals.hard_stop:  # with peers: agreed in _agree
            raise KeyboardInterrupt("training interrupted twice: stopped immediately")
        model.stop_training = True
        if not self._stop_reported:
            self._stop_reported = True
            where = "at the end of this epoch" if epoch_end else "after this batch"
            if reason == "interrupt":
                self._report("interrupt", f"interrupted: stopping {where} "
                                          "(interrupt again to stop immediately)")
            elif reason == "another process":
                self._report("stop", f"stop requested on another process: training ended {where}")
            else:
                self._report("stop", f"stop requested: training ended {where}")
        return True

    # -- requests: this process's own, or what all processes agreed -------------------
    def _take_requests(self, model: Any) -> None:
        if self.peers is None:
            self._apply_pending(model)
        else:
            self._agree(model)

    def _stop_reason(self) -> str | None:
        # Only agreed decisions count with peers: a process stopping alone would
        # leave the others waiting for it in the next step's all-reduce.
        return self.signals.stop_reason if self.peers is None else self._agreed_stop

    def _pause_holds(self) -> bool:
        if self.peers is None:
            return self.signals.paused and not self.signals.stop_reason
        return self._agreed.paused and not self._agreed.stop

    # -- actions ---------------------------------------------------------------------
    def _apply_pending(self, model: Any) -> None:
        rate = self.signals.take_learning_rate()
        if rate is not None:
            self._apply_learning_rate(synced(model), rate)
        path = self.signals.take_save_path()
        if path is not None:
            self._save(synced(model), path)

    def _apply_learning_rate(self, model: Any, rate: float) -> None:
        # None when the model has none: setting its rate then fails, reported below.
        optimizer: Any = getattr(model, "optimizer", None)
        old = read_learning_rate(model)
        try:
            _refuse_unsettable_rate(optimizer)
            optimizer.learning_rate = rate
        except Exception as error:  # noqa: BLE001 - reported, training goes on
            self._report("lr_change", f"learning rate not changed: {error}")
            return
        new = read_learning_rate(model)
        self._report("lr_change", f"learning rate {format_value(old)} -> {format_value(new)}")

    def _save(self, model: Any, path: str) -> None:
        try:
            _write_model(model, path)
        except Exception as error:  # noqa: BLE001 - a failed save must not end training
            self._report("save", f"could not save {path}: {type(error).__name__}: {error}")
            return
        self._report("save", f"saved {path}")  # as the person typed it

    # -- several processes ---------------------------------------------------------------
    def use_peers(self, sync: WorkerSync | None, max_delay: float = 0.25) -> None:
        """Take decisions together with other processes through ``sync`` (a
        :class:`~nbcallbacks.distributed.worker_sync.WorkerSync`; None: alone).
        ``max_delay``: longest seconds a click waits for the batch where all apply it."""
        self.peers = sync
        self._pacer = SyncPacer(max_delay=max_delay) if sync is not None else None

    def _sync_due(self) -> bool:
        """Whether this batch is a sync point; every process counts the same batches down."""
        pacer = self._pacer
        assert pacer is not None  # called with peers only, and use_peers made the pacer
        now = time.monotonic()
        if self._batch_started is not None:
            pacer.measured(batch_seconds=now - self._batch_started)
        self._batch_started = now
        if self._until_sync > 0:
            self._until_sync -= 1
            return False
        return True

    def _agree(self, model: Any) -> None:
        """One sync point: contribute our requests, apply what all agreed."""
        peers, pacer = self.peers, self._pacer
        assert peers is not None and pacer is not None  # called with peers only (use_peers)
        chief = peers.role.is_chief
        path = self.signals.take_save_path() if chief else None
        request = ControlRequest(
            stop=self.signals.stop_reason is not None, hard_stop=self.signals.hard_stop,
            paused=chief and self.signals.paused,
            learning_rate=self.signals.take_learning_rate() if chief else None,
            save=None if path is None else _save_kind(path),
            sync_every=pacer.batches_between_syncs() if chief else 1)
        started = time.monotonic()
        agreed = self._agreed = peers.agree(request)
        pacer.measured(sync_seconds=time.monotonic() - started)
        self._until_sync = agreed.sync_every - 1
        if agreed.hard_stop:
            raise KeyboardInterrupt("training interrupted twice: stopped immediately")
        if agreed.learning_rate is not None:
            self._apply_learning_rate(synced(model), agreed.learning_rate)
        if agreed.stop and self._agreed_stop is None:
            self._agreed_stop = self.signals.stop_reason or "another process"
        if agreed.save is not None:
            # Every process saves at once: reading some distributed variables is
            # itself a collective. Workers write to a scratch folder, then drop it.
            if chief:
                assert path is not None  # the agreed save kind is the one of the chief's path
                self._save(synced(model), path)
            else:
                _save_and_discard(synced(model), agreed.save)

    def _wait_while_paused(self, model: Any, on_pause: Callable[[bool], None] | None) -> None:
        self._report("pause", "paused")
        if on_pause is not None:
            on_pause(True)
        started = time.monotonic()
        while self._pause_holds():
            # The chief (or a lone process) waits for the person; workers wait
            # inside the next agreement, which the chief joins every 50 ms.
            if self.peers is None or self.peers.role.is_chief:
                self.signals.wait_while_paused(0.05)
                if self._idle is not None:
                    self._idle()
            # Requests made while paused apply at once (the model is not training).
            self._take_requests(model)
        if on_pause is not None:
            on_pause(False)
        if self._stop_reason() is None:
            self._report("resume", f"resumed after {time.monotonic() - started:.1f} s")
