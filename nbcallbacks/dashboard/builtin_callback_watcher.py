"""``BuiltinCallbackWatcher``: what Keras' built-in callbacks did during a fit, as events.

EarlyStopping stops, ReduceLROnPlateau lowers the rate, ModelCheckpoint writes
files, TerminateOnNaN ends a diverging run, all silently. A callback that
trains alongside them (the :class:`~nbcallbacks.Dashboard`) owns a watcher and
calls it from its own hooks; the watcher reads the built-ins' public state
(no patching of Keras) and answers with :class:`~nbcallbacks.records.events.Event`
records to put on the curves and in the event log.

Why the watcher looks several times per epoch: Keras calls the callbacks of a
fit in list order, so the owner's ``on_epoch_end`` runs before or after an
EarlyStopping's, depending on where the user put it. The watcher knows the
order (from the owner's position in the list) and so knows, at each look,
whose hooks have run since the previous look. A change is reported once, at
the first look that can see it, and credited to the epoch that caused it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import keras

from nbcallbacks.compat.keras_fit_frame import find_fit_callbacks
from nbcallbacks.dashboard.builtin_callback_observers import (
    EVENT_KINDS,
    CallbackObserver,
    Moment,
    observer_for,
)
from nbcallbacks.model_access.learning_rate import read_learning_rate
from nbcallbacks.records.events import Event
from nbcallbacks.records.log_numbers import as_number

__all__ = ["BuiltinCallbackWatcher", "EVENT_KINDS"]


class BuiltinCallbackWatcher:
    """Turn what Keras' built-in callbacks did during one fit into events.

    Watches ``EarlyStopping`` (stop epoch, best epoch, restored weights; its
    patience counter in :meth:`status`), ``ReduceLROnPlateau`` (each
    reduction, old -> new rate, cooldown), ``ModelCheckpoint`` (each save with
    path and monitored value), ``TerminateOnNaN`` (the batch where the loss
    went NaN), ``LearningRateScheduler`` (rate changes), ``BackupAndRestore``
    (a resumed fit) and ``CSVLogger`` (the file). Other callbacks are ignored.
    Event kinds are listed in ``EVENT_KINDS``.

    Make one per fit, in the owner's ``on_train_begin``, and call its methods
    from the owner's hooks; each returns a (usually empty) list of
    :class:`~nbcallbacks.records.events.Event` whose ``epoch`` is the epoch that
    caused it (not always the one being reported in) and whose ``step`` is
    the step passed in, or the step at the end of that epoch:

    ========================== =============================================
    owner hook                 call
    ========================== =============================================
    ``on_train_begin``         ``watcher = BuiltinCallbackWatcher.for_running_fit(self)``
    ``on_epoch_begin``         ``watcher.before_epoch(epoch, step)``
    ``on_train_batch_begin``   ``watcher.before_batch(epoch, step)`` (first thing)
    ``on_train_batch_end``     ``watcher.after_batch(epoch, batch, step, logs)``
    ``on_epoch_end``           ``watcher.after_epoch(epoch, step, logs)``
    ``on_train_end``           ``watcher.after_train(step)``
    ========================== =============================================

    ``step`` is the owner's count of training batches done so far (including
    the current batch, in ``after_batch``). The batch calls are cheap: they do
    nothing unless a ``TerminateOnNaN`` is present and the loss is not finite,
    except once per epoch (one read of the learning rate when a
    ``LearningRateScheduler`` runs after the owner). Both are optional;
    without them a scheduler after the owner is seen at the next call.

    The owner's own rate changes are not reported (they are the owner's
    events) and not taken for a built-in's, as long as the owner makes them
    after calling ``before_batch`` in the batch hooks (not in its epoch hooks).

    Args:
        callbacks: the callbacks of the fit, in the order Keras calls them
            (may include ``owner``, ``History``, anything: only built-ins
            listed above are watched).
        model: the model being trained (to read its learning rate); default:
            the owner's or a watched callback's model.
        owner: the callback calling the watcher. Its position in
            ``callbacks`` tells which built-ins act before it; when it is
            missing from the list, it is taken to run after all of them.

    Example:
        >>> import numpy as np, keras
        >>> class Collect(keras.callbacks.Callback):      # how the Dashboard calls it
        ...     def on_train_begin(self, logs=None):
        ...         self.watcher = BuiltinCallbackWatcher.for_running_fit(self)
        ...         self.events = []
        ...     def on_epoch_begin(self, epoch, logs=None):    # one batch per epoch here,
        ...         self.events += self.watcher.before_epoch(epoch, step=epoch)  # so step = epoch
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         self.step = epoch + 1
        ...         self.events += self.watcher.after_epoch(epoch, self.step, logs)
        ...     def on_train_end(self, logs=None):
        ...         self.events += self.watcher.after_train(self.step)
        >>> keras.utils.set_random_seed(0)
        >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")  # rate 0: a plateau
        >>> collect = Collect()
        >>> stop = keras.callbacks.EarlyStopping(monitor="loss", patience=2)
        >>> _ = model.fit(np.ones((8, 1)), np.ones((8, 1)), epochs=10, verbose=0,
        ...               callbacks=[stop, collect])
        >>> [(event.epoch, event.kind) for event in collect.events]
        [(2, 'early_stopping'), (0, 'best_epoch')]
        >>> print(*collect.events[0].message.split("; "), sep="\\n")
        EarlyStopping: stopped after epoch 3 (loss did not improve for 2 epochs)
        best loss ... at epoch 1
        weights of the last epoch kept
    """

    def __init__(self, callbacks: Iterable[Any] | None = (), model: Any = None,
                 owner: Any = None) -> None:
        callbacks = list(callbacks or ())
        position = next((i for i, callback in enumerate(callbacks) if callback is owner),
                        len(callbacks))
        self._before: list[CallbackObserver] = []   # observers whose hooks run before the owner's
        self._after: list[CallbackObserver] = []    # ... and after
        self._terminate_on_nan: Any = None   # the fit's first TerminateOnNaN
        for index, callback in enumerate(callbacks):
            if callback is owner:
                continue
            if isinstance(callback, keras.callbacks.TerminateOnNaN):
                self._terminate_on_nan = self._terminate_on_nan or callback
            observer = observer_for(callback)
            if observer is not None:
                (self._before if index < position else self._after).append(observer)
        self.model = model if model is not None else _model_of(owner, callbacks)
        self._reads_learning_rate = any(o.reads_learning_rate for o in self._before + self._after)
        # After-owner callbacks that act in on_epoch_begin (a scheduler) are
        # looked at once per epoch, at the first batch, before batches blur it.
        self._begin_matters_after = any(o.acts_on_epoch_begin for o in self._after)
        self._learning_rate = self._read_learning_rate()
        self._started = False
        self._epoch: int | None = None            # the epoch begun most recently
        self._epoch_start_step = 0
        self._ended_epoch: int | None = None      # the epoch ended most recently
        self._ended_logs: dict[str, Any] | None = None
        self._epoch_steps: dict[int, int] = {}
        self._begin_pending_after = False
        self._end_pending_after = False
        self._nan_reported = False

    @classmethod
    def for_running_fit(cls, owner: Any) -> BuiltinCallbackWatcher:
        """The watcher for the ``fit`` that is calling ``owner`` now.

        Finds the fit's callbacks with
        :func:`~nbcallbacks.compat.keras_fit_frame.find_fit_callbacks`; when
        they cannot be found, the watcher watches nothing (and costs nothing).
        """
        callbacks = find_fit_callbacks(owner=owner) or []
        return cls(callbacks, getattr(owner, "model", None), owner)

    @property
    def watched(self) -> tuple:
        """The watched Keras callbacks, in the order Keras calls them."""
        callbacks = [o.callback for o in self._before + self._after]
        if self._terminate_on_nan is not None:
            callbacks.append(self._terminate_on_nan)
        return tuple(callbacks)

    # -- looks, one per owner hook -------------------------------------------------
    def before_epoch(self, epoch: int, step: int) -> list[Event]:
        """Call at the start of the owner's ``on_epoch_begin(epoch)``."""
        events = self._start(epoch, step)
        moment = self._moment(epoch, step)
        if self._end_pending_after:
            events += self._ended(self._after, moment)
        events += self._each(self._before, "epoch_begun", moment)
        events += self._each(self._before + self._after, "look", moment)
        self._epoch = int(epoch)
        self._epoch_start_step = int(step)
        self._begin_pending_after = self._begin_matters_after
        return events

    def before_batch(self, epoch: int, step: int) -> list[Event]:
        """Call first thing in the owner's ``on_train_batch_begin``, before the owner
        changes anything itself (its learning-rate control)."""
        if self._begin_pending_after:
            return self._begun_after(self._moment(epoch, step))
        return []

    def after_batch(self, epoch: int, batch: int, step: int,
                    logs: dict[str, Any] | None = None) -> list[Event]:
        """Call in the owner's ``on_train_batch_end(batch, logs)``."""
        events: list[Event] = []
        if self._begin_pending_after:
            events += self._begun_after(self._moment(epoch, step))
        if self._terminate_on_nan is not None and not self._nan_reported and logs:
            loss = logs.get("loss")
            if loss is not None and not _is_finite(loss):
                self._nan_reported = True
                events.append(Event(int(epoch), int(step), "nan", self._nan_message(
                    loss, epoch, batch)))
        return events

    def after_epoch(self, epoch: int, step: int,
                    logs: dict[str, Any] | None = None) -> list[Event]:
        """Call in the owner's ``on_epoch_end(epoch, logs)``."""
        events = self._start(epoch, step)
        moment = self._moment(epoch, step)
        if self._begin_pending_after:
            events += self._begun_after(moment)
        self._ended_epoch = int(epoch)
        self._ended_logs = logs
        self._epoch_steps[int(epoch)] = int(step)
        events += self._each(self._before, "epoch_ended", replace(moment, logs=logs))
        events += self._each(self._before + self._after, "look", moment)
        self._end_pending_after = True
        return events

    def after_train(self, step: int) -> list[Event]:
        """Call in the owner's ``on_train_end``."""
        epoch = self._ended_epoch if self._ended_epoch is not None else (self._epoch or 0)
        moment = self._moment(epoch, step)
        events: list[Event] = []
        if self._end_pending_after:
            events += self._ended(self._after, moment)
        events += self._each(self._before + self._after, "look", moment)
        events += self._each(self._before + self._after, "training_ended", moment)
        return events

    def status(self) -> str | None:
        """What the watched callbacks are counting, as one line, or None.

        For example ``"early stopping: 2/5 epochs without improvement in
        val_loss (best 0.3100 at epoch 4)"``. It reads the state now: from a
        hook that runs before EarlyStopping's, it shows the previous epoch's count.
        """
        parts = []
        for observer in self._before + self._after:
            try:
                text = observer.status()
            except Exception as error:  # noqa: BLE001 - see _stop_watching
                self._stop_watching(observer, error)
                continue
            if text:
                parts.append(text)
        return " · ".join(parts) if parts else None

    # -- internals -----------------------------------------------------------------
    def _start(self, epoch: int, step: int) -> list[Event]:
        """The first look of the fit: every on_train_begin has run."""
        if self._started:
            return []
        self._started = True
        moment = Moment(int(epoch), int(step), self._learning_rate, self._learning_rate,
                        epoch_steps=self._epoch_steps)
        return self._each(self._before + self._after, "start", moment)

    def _ended(self, observers: list[CallbackObserver], moment: Moment) -> list[Event]:
        self._end_pending_after = False
        ended_epoch = self._ended_epoch
        assert ended_epoch is not None  # pending only after after_epoch set it
        step = self._epoch_steps.get(ended_epoch, moment.step)
        ended = Moment(ended_epoch, step, moment.learning_rate,
                       moment.previous_learning_rate, self._ended_logs, self._epoch_steps)
        return self._each(observers, "epoch_ended", ended)

    def _begun_after(self, moment: Moment) -> list[Event]:
        """The after-owner callbacks' on_epoch_begin: it acted before the epoch's first batch."""
        self._begin_pending_after = False
        return self._each(self._after, "epoch_begun", replace(moment, step=self._epoch_start_step))

    def _moment(self, epoch: int, step: int) -> Moment:
        previous = self._learning_rate
        if self._reads_learning_rate:
            self._learning_rate = self._read_learning_rate()
        return Moment(int(epoch), int(step), self._learning_rate, previous,
                      epoch_steps=self._epoch_steps)

    def _each(self, observers: Iterable[CallbackObserver], method: str,
              moment: Moment) -> list[Event]:
        events: list[Event] = []
        for observer in list(observers):
            try:
                events += getattr(observer, method)(moment)
            except Exception as error:  # noqa: BLE001 - watching must never stop training
                self._stop_watching(observer, error)
        return events

    def _stop_watching(self, observer: CallbackObserver, error: BaseException) -> None:
        """A callback whose state is not what its observer expects (an unusual
        subclass, another Keras version) is dropped, with one warning."""
        for observers in (self._before, self._after):
            if observer in observers:
                observers.remove(observer)
        name = type(observer.callback).__name__
        warnings.warn(f"nbcallbacks: stopped watching {name} ({type(error).__name__}: {error}); "
                      f"training continues without its events.", RuntimeWarning, stacklevel=3)

    def _read_learning_rate(self) -> float | None:
        return read_learning_rate(self.model) if self._reads_learning_rate else None

    def _nan_message(self, loss: Any, epoch: int, batch: int) -> str:
        value = "nan" if math.isnan(float(loss)) else "inf"
        ending = ("training is aborted with a RuntimeError"
                  if getattr(self._terminate_on_nan, "raise_error", False)
                  else "training stops")
        return (f"TerminateOnNaN: loss became {value} at batch {int(batch) + 1} of epoch "
                f"{int(epoch) + 1}; {ending}")


def _is_finite(value: Any) -> bool:
    number = as_number(value)
    return number is None or math.isfinite(number)   # not a number: nothing for TerminateOnNaN


def _model_of(owner: Any, callbacks: list[Any]) -> Any:
    for candidate in [owner, *callbacks]:
        try:
            model = getattr(candidate, "model", None)
        except Exception:  # noqa: BLE001 - Callback.model may raise on odd backends
            model = None
        if model is not None:
            return model
    return None
