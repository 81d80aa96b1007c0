"""What each of Keras' built-in callbacks did, read from its public state.

One small observer per Keras callback. An observer never calls or patches its
callback: it compares the callback's public attributes (``wait``, ``best``,
``stopped_epoch``, ``cooldown_counter``, the file it writes, the optimizer's
learning rate) with what it saw at the previous look, and turns a difference
into an :class:`~nbcallbacks.records.events.Event` with a message a person reads.
(Which file a checkpoint or backup is, Keras keeps privately: that is read
through :mod:`nbcallbacks.compat.keras_builtin_callbacks`.)

When to look is decided by
:class:`~nbcallbacks.dashboard.builtin_callback_watcher.BuiltinCallbackWatcher`:
it calls :meth:`CallbackObserver.epoch_begun` at the first look after the
callback's ``on_epoch_begin`` ran, :meth:`CallbackObserver.epoch_ended` at the
first look after its ``on_epoch_end`` ran, whichever side of the dashboard the
callback sits in the list. Messages number epochs and batches from 1, as
Keras' own progress bar does; ``Event.epoch`` stays the 0-based Keras index.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from typing import Any

import keras

from nbcallbacks.compat.keras_builtin_callbacks import backup_files, latest_checkpoint_file
from nbcallbacks.records.events import Event
from nbcallbacks.records.formatting import format_value
from nbcallbacks.records.log_numbers import as_number

# Event kinds, with what a legend or a filter would call them.
EVENT_KINDS = {
    "early_stopping": "EarlyStopping: where training stopped",
    "best_weights": "EarlyStopping: the epoch whose weights were restored",
    "best_epoch": "EarlyStopping: the best epoch, when its weights were not restored",
    "reduce_lr": "ReduceLROnPlateau: each reduction of the learning rate",
    "checkpoint": "ModelCheckpoint: each save",
    "nan": "TerminateOnNaN: the batch where the loss stopped being finite",
    "lr_schedule": "LearningRateScheduler: each change of the learning rate",
    "backup_restore": "BackupAndRestore: training resumed from a backup",
    "csv_logger": "CSVLogger: the file the epoch rows went to",
}


@dataclass
class Moment:
    """What the watcher knows at one look.

    Attributes:
        epoch: the Keras epoch (0-based) the observed change belongs to.
        step: the owner's training step count at this look.
        learning_rate: the optimizer's rate now (None when not read or unreadable).
        previous_learning_rate: the rate at the previous look.
        logs: the logs of the epoch that ended (for ``epoch_ended``), else None.
        epoch_steps: step count at the end of each epoch seen in this fit.
    """

    epoch: int
    step: int
    learning_rate: float | None = None
    previous_learning_rate: float | None = None
    logs: dict | None = None
    epoch_steps: dict = field(default_factory=dict)

    def event(self, kind: str, message: str, epoch: int | None = None,
              step: int | None = None) -> Event:
        return Event(self.epoch if epoch is None else int(epoch),
                     self.step if step is None else int(step), kind, message)


class CallbackObserver:
    """Base of the observers: every look does nothing unless a subclass says so."""

    kind = ""
    reads_learning_rate = False   # the watcher reads the rate at each look only if needed
    acts_on_epoch_begin = False   # when it runs after the owner: look again at the first batch

    def __init__(self, callback: Any) -> None:
        self.callback = callback

    def start(self, moment: Moment) -> list[Event]:
        """First look of the fit: every ``on_train_begin`` has run, no epoch has ended."""
        return []

    def epoch_begun(self, moment: Moment) -> list[Event]:
        """The callback's ``on_epoch_begin(moment.epoch)`` ran since the previous look."""
        return []

    def epoch_ended(self, moment: Moment) -> list[Event]:
        """The callback's ``on_epoch_end(moment.epoch)`` ran since the previous look."""
        return []

    def look(self, moment: Moment) -> list[Event]:
        """Any epoch-level look (for callbacks that act between batches)."""
        return []

    def training_ended(self, moment: Moment) -> list[Event]:
        """Last look of the fit, after the last ``epoch_ended``."""
        return []

    def status(self) -> str | None:
        """A live status phrase, or None."""
        return None


def _epochs(count: int) -> str:
    return f"{count} epoch" if count == 1 else f"{count} epochs"


def _rate(value: float) -> str:
    return f"{value:.2e}"


def _changed(old: Any, new: Any) -> bool:
    """Whether a monitored ``best`` value changed (None-, NaN- and array-safe)."""
    if old is None or new is None:
        return (old is None) != (new is None)
    try:
        old, new = float(old), float(new)
    except (TypeError, ValueError):
        return old is not new
    return not (old == new or (math.isnan(old) and math.isnan(new)))


class EarlyStoppingObserver(CallbackObserver):
    """``keras.callbacks.EarlyStopping``: the stop, the best epoch, restored weights.

    Two events, at two places: ``early_stopping`` at the epoch where training
    stopped, and at the best epoch either ``best_weights`` (Keras restored that
    epoch's weights) or ``best_epoch`` (it did not: the model keeps the last
    epoch's). A chart can then say "stopped here" and "best weights restored"
    where each happened.

    Reads ``wait``, ``patience``, ``best``, ``best_epoch``, ``stopped_epoch``,
    ``restore_best_weights`` and ``best_weights``. Keras restores the best
    weights in its ``on_train_end`` whenever ``restore_best_weights`` is set
    and a best epoch was seen, also when training did not stop early; that is
    reported too, because it surprises people.
    """

    kind = "early_stopping"

    def __init__(self, callback: Any) -> None:
        super().__init__(callback)
        self._stopped = 0

    def start(self, moment: Moment) -> list[Event]:
        self._stopped = int(getattr(self.callback, "stopped_epoch", 0) or 0)
        return []

    def epoch_ended(self, moment: Moment) -> list[Event]:
        stopped = int(getattr(self.callback, "stopped_epoch", 0) or 0)
        if stopped <= 0 or stopped == self._stopped:
            return []
        self._stopped = stopped
        return [moment.event(self.kind, self._stop_message(stopped), epoch=stopped)]

    def training_ended(self, moment: Moment) -> list[Event]:
        callback = self.callback
        best = as_number(getattr(callback, "best", None))
        if best is None:
            return []
        best_epoch = int(getattr(callback, "best_epoch", 0) or 0)
        restores = self._restores()
        stopped = self._stopped > 0
        monitor = callback.monitor
        kind = "best_weights" if restores else "best_epoch"
        if restores and stopped:
            message = (f"EarlyStopping: restored the weights of epoch {best_epoch + 1} "
                       f"(best {monitor} {format_value(best)})")
        elif restores:
            message = (f"EarlyStopping: training ended without stopping early; restored the "
                       f"weights of epoch {best_epoch + 1} (best {monitor} {format_value(best)})")
        elif stopped:
            message = (f"EarlyStopping: best {monitor} {format_value(best)} at epoch "
                       f"{best_epoch + 1}; the model keeps the weights of epoch "
                       f"{self._stopped + 1} (restore_best_weights=False)")
        else:
            return []
        step = moment.epoch_steps.get(best_epoch, moment.step)
        return [moment.event(kind, message, epoch=best_epoch, step=step)]

    def status(self) -> str:
        callback = self.callback
        monitor = callback.monitor
        if self._stopped > 0:
            return f"early stopping: stopped after epoch {self._stopped + 1}"
        best = as_number(getattr(callback, "best", None))
        if best is None:
            return f"early stopping: watching {monitor}, patience {_epochs(callback.patience)}"
        best_epoch = int(getattr(callback, "best_epoch", 0) or 0)
        return (f"early stopping: {callback.wait}/{callback.patience} epochs without "
                f"improvement in {monitor} (best {format_value(best)} at epoch {best_epoch + 1})")

    def _restores(self) -> bool:
        return bool(getattr(self.callback, "restore_best_weights", False)) and \
            getattr(self.callback, "best_weights", None) is not None

    def _stop_message(self, stopped: int) -> str:
        callback = self.callback
        parts = [f"EarlyStopping: stopped after epoch {stopped + 1} ({callback.monitor} did not "
                 f"improve for {_epochs(int(callback.wait))})"]
        best = as_number(getattr(callback, "best", None))
        if best is not None:
            parts.append(f"best {callback.monitor} {format_value(best)} at epoch "
                         f"{int(callback.best_epoch) + 1}")
        parts.append("best weights restored" if self._restores()
                     else "weights of the last epoch kept")
        return "; ".join(parts)


class ReduceLROnPlateauObserver(CallbackObserver):
    """``keras.callbacks.ReduceLROnPlateau``: each reduction, old -> new rate, cooldown.

    A reduction is recognised by its trace in the callback's state together
    with the rate: after the callback's ``on_epoch_end`` the rate is lower, the
    monitored best did not improve, ``wait`` is back to 0 and
    ``cooldown_counter`` equals ``cooldown``. A rate change made by anything
    else in the same interval (a dashboard control) lacks that trace.
    """

    kind = "reduce_lr"
    reads_learning_rate = True

    def __init__(self, callback: Any) -> None:
        super().__init__(callback)
        self._best: Any = None   # the callback's ``best`` at the previous look (any number)

    def start(self, moment: Moment) -> list[Event]:
        self._best = getattr(self.callback, "best", None)
        return []

    def epoch_ended(self, moment: Moment) -> list[Event]:
        callback = self.callback
        best = getattr(callback, "best", None)
        improved = _changed(self._best, best)
        self._best = best
        old, new = moment.previous_learning_rate, moment.learning_rate
        # ReduceLROnPlateau writes the rate it found into the epoch's logs before
        # lowering it: the exact old rate, even if something else changed the
        # rate earlier in the epoch. (A callback after it may overwrite the key
        # with the new rate; then the reading at the previous look stands.)
        logged = as_number((moment.logs or {}).get("learning_rate"))
        if logged is not None and new is not None and logged > new:
            old = logged
        if old is None or new is None or not new < old or improved:
            return []
        if callback.wait != 0 or callback.cooldown_counter != callback.cooldown:
            return []
        message = (f"ReduceLROnPlateau: learning rate {_rate(old)} -> {_rate(new)} "
                   f"({callback.monitor} did not improve for {_epochs(int(callback.patience))})")
        if callback.cooldown:
            message += f"; cooldown {_epochs(int(callback.cooldown))}"
        if new <= float(callback.min_lr) * (1 + 1e-6):
            message += f"; reached min_lr {_rate(float(callback.min_lr))}"
        return [moment.event(self.kind, message)]

    def status(self) -> str | None:
        callback = self.callback
        if getattr(callback, "cooldown_counter", 0) > 0:
            return f"reduce LR: cooldown, {_epochs(int(callback.cooldown_counter))} left"
        if getattr(callback, "best", None) is None:
            return None
        return (f"reduce LR: {callback.wait}/{callback.patience} epochs without improvement "
                f"in {callback.monitor}")


class ModelCheckpointObserver(CallbackObserver):
    """``keras.callbacks.ModelCheckpoint``: each save, with its path and the monitored value.

    With ``save_freq="epoch"`` a save happens at every epoch end, or, with
    ``save_best_only``, exactly when the callback's ``best`` changes; the path
    is the callback's ``filepath`` formatted the way Keras formats it
    (``epoch`` from 1, and the epoch's logs). With ``save_freq=N`` batches the
    most recently written matching file is checked at each epoch-level look,
    so several saves within one epoch show as one.
    """

    kind = "checkpoint"

    def __init__(self, callback: Any) -> None:
        super().__init__(callback)
        self._best: Any = None   # the callback's ``best`` at the previous look (any number)
        self._latest: tuple[str, int, int] | None = None   # path, mtime (ns), size

    def start(self, moment: Moment) -> list[Event]:
        self._best = getattr(self.callback, "best", None)
        self._latest = self._latest_file()
        return []

    def epoch_ended(self, moment: Moment) -> list[Event]:
        callback = self.callback
        if callback.save_freq != "epoch":
            return []   # saves between batches are found by look()
        logs = moment.logs or {}
        best = getattr(callback, "best", None)
        previous_best, self._best = self._best, best
        current = as_number(logs.get(callback.monitor))
        if callback.save_best_only and current is not None and not _changed(previous_best, best):
            return []
        path = self._path(moment.epoch, logs)
        self._latest = self._file_state(path)
        what = "weights " if callback.save_weights_only else ""
        message = f"ModelCheckpoint: saved {what}{path}"
        if current is not None:
            previous = as_number(previous_best)
            if callback.save_best_only and previous is not None:
                message += (f" ({callback.monitor} improved from {format_value(previous)} "
                            f"to {format_value(current)})")
            else:
                message += f" ({callback.monitor} {format_value(current)})"
        return [moment.event(self.kind, message)]

    def look(self, moment: Moment) -> list[Event]:
        if self.callback.save_freq == "epoch":
            return []
        latest = self._latest_file()
        if latest is None or latest == self._latest:
            return []
        self._latest = latest
        return [moment.event(self.kind, f"ModelCheckpoint: saved {latest[0]} (during epoch "
                                        f"{moment.epoch + 1}, every "
                                        f"{self.callback.save_freq} batches)")]

    def _path(self, epoch: int, logs: dict) -> str:
        pattern = self.callback.filepath
        try:
            return pattern.format(epoch=epoch + 1, **logs)
        except (KeyError, IndexError, ValueError):
            return pattern

    @staticmethod
    def _file_state(path: str) -> tuple[str, int, int] | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return (path, stat.st_mtime_ns, stat.st_size)

    def _latest_file(self) -> tuple[str, int, int] | None:
        return self._file_state(latest_checkpoint_file(self.callback))


class LearningRateSchedulerObserver(CallbackObserver):
    """``keras.callbacks.LearningRateScheduler``: each epoch whose rate differs from the last."""

    kind = "lr_schedule"
    reads_learning_rate = True
    acts_on_epoch_begin = True

    def epoch_begun(self, moment: Moment) -> list[Event]:
        old, new = moment.previous_learning_rate, moment.learning_rate
        if old is None or new is None or old == new:
            return []
        return [moment.event(self.kind, f"LearningRateScheduler: learning rate {_rate(old)} -> "
                                        f"{_rate(new)} from epoch {moment.epoch + 1}")]


class BackupAndRestoreObserver(CallbackObserver):
    """``keras.callbacks.BackupAndRestore``: a fit that resumed from a backup.

    The backup files (``latest.weights.h5``, ``training_metadata.json`` in
    ``backup_dir``) are read when the observer is made, which is at the start
    of the fit; the callback restores from them in its ``on_train_begin``
    and leaves them in place.
    """

    kind = "backup_restore"

    def __init__(self, callback: Any) -> None:
        super().__init__(callback)
        weights, metadata = backup_files(callback)
        self._had_backup = os.path.exists(weights)
        self._backup_epoch: int | None = None
        try:
            with open(metadata) as handle:
                self._backup_epoch = int(json.load(handle)["epoch"])
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def start(self, moment: Moment) -> list[Event]:
        if not self._had_backup:
            return []
        message = f"BackupAndRestore: restored the model from {self.callback.backup_dir}"
        if self._backup_epoch:
            message += f" (backed up after epoch {self._backup_epoch})"
        message += f"; training resumes at epoch {moment.epoch + 1}"
        return [moment.event(self.kind, message)]


class CSVLoggerObserver(CallbackObserver):
    """``keras.callbacks.CSVLogger``: where the epoch rows went (one event at the end)."""

    kind = "csv_logger"

    def __init__(self, callback: Any) -> None:
        super().__init__(callback)
        self._rows = 0
        self._last_epoch: int | None = None

    def epoch_ended(self, moment: Moment) -> list[Event]:
        self._rows += 1
        self._last_epoch = moment.epoch
        return []

    def training_ended(self, moment: Moment) -> list[Event]:
        if not self._rows:
            return []
        verb = "appended" if getattr(self.callback, "append", False) else "wrote"
        rows = "1 epoch row" if self._rows == 1 else f"{self._rows} epoch rows"
        step = moment.epoch_steps.get(self._last_epoch, moment.step)
        return [moment.event(self.kind, f"CSVLogger: {verb} {rows} to {self.callback.filename}",
                             epoch=self._last_epoch, step=step)]


# Most specific first: a user's subclass of EarlyStopping is observed as EarlyStopping.
OBSERVERS = (
    (keras.callbacks.EarlyStopping, EarlyStoppingObserver),
    (keras.callbacks.ReduceLROnPlateau, ReduceLROnPlateauObserver),
    (keras.callbacks.ModelCheckpoint, ModelCheckpointObserver),
    (keras.callbacks.LearningRateScheduler, LearningRateSchedulerObserver),
    (keras.callbacks.BackupAndRestore, BackupAndRestoreObserver),
    (keras.callbacks.CSVLogger, CSVLoggerObserver),
)


def observer_for(callback: Any) -> CallbackObserver | None:
    """The observer of a Keras built-in callback, or None for any other callback.

    Example:
        >>> import keras
        >>> type(observer_for(keras.callbacks.EarlyStopping())).__name__
        'EarlyStoppingObserver'
        >>> observer_for(keras.callbacks.History()) is None
        True
    """
    for callback_type, observer_type in OBSERVERS:
        if isinstance(callback, callback_type):
            return observer_type(callback)
    return None
