"""``CallbackTracer``: see the callback lifecycle, every hook call with the logs it received.

A teaching tool. It is the TensorFlow guide's ``CustomCallback`` (the one that
prints "Starting training; got log keys: [...]") turned into records a class
can read, filter and count: in a notebook a live timeline, in a terminal one
compact line per call.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import keras

from nbcallbacks.compat.keras_fit_frame import find_fit_callbacks
from nbcallbacks.notebook.frontend import check_output_mode, output_mode
from nbcallbacks.outputs.output_set import OutputSet
from nbcallbacks.tracer.hook_call import (
    BEGIN_HOOK_METHODS,
    HookCall,
    method_of_hook,
    summarize_log_value,
)
from nbcallbacks.tracer.hook_summary import HookSummary
from nbcallbacks.tracer.hook_timeline import timeline_lines
from nbcallbacks.tracer.tracer_console_output import TracerConsoleOutput
from nbcallbacks.tracer.tracer_output import TracerOutput
from nbcallbacks.tracer.tracer_widget_output import TracerWidgetOutput
from nbcallbacks.ui.result_bundle import result_mimebundle

_END_HOOKS = {"on_train_end": "on_train_begin", "on_test_end": "on_test_begin",
              "on_predict_end": "on_predict_begin"}


class CallbackTracer(keras.callbacks.Callback):
    """Record every callback hook call, with the logs it received, across fit, evaluate and predict.

    Each call becomes a :class:`~nbcallbacks.tracer.hook_call.HookCall` in
    :attr:`calls`: the hook, the Keras method it belongs to (``on_test_*``
    hooks of the validation inside ``fit`` belong to ``fit``), the epoch or
    batch index, a copy of ``logs`` (arrays kept as shape and dtype only) and
    the time. Pass the same tracer to ``fit``, ``evaluate`` and ``predict`` to
    see all three.

    In a Jupyter kernel it shows a live timeline, grouped by method call, with
    a checkbox to fold batch-level hooks and a text box to filter hooks by name;
    the timeline is updated in place while training runs (at most every
    ``refresh_interval`` seconds, and at the end of each method call).
    Elsewhere it prints one compact line per call, e.g.
    ``fit      on_epoch_end(epoch=0) logs: loss=0.2310 val_loss=0.2500``.

    Because it overrides the batch-level hooks, Keras calls every callback's
    batch hooks synchronously instead of on a background thread (its "async
    dispatch"); fine for teaching, a little slower for big runs.

    Args:
        show_batches: show batch-level hooks (default ``True``); ``False`` folds
            each run of them into one line, in the widget (a checkbox changes
            it) and in printed output. They are recorded either way.
        max_batch_calls: keep at most this many batch-level calls per method
            call in :attr:`calls` (default ``None``: keep all). Further ones
            are still counted in :meth:`summary` and in :attr:`dropped_calls`.
        output: ``"auto"`` (default: widget in a Jupyter kernel, printed lines
            elsewhere), ``"widget"``, ``"console"`` or ``"none"`` (record only).
        refresh_interval: minimum seconds between live timeline updates (default ``0.5``).

    Attributes:
        calls: the recorded :class:`~nbcallbacks.tracer.hook_call.HookCall` list.
        dropped_calls: batch-level calls not stored because of ``max_batch_calls``.

    Example:
        >>> import numpy as np, keras
        >>> model = keras.Sequential([keras.Input((2,)),
        ...                           keras.layers.Dense(1, kernel_initializer="zeros")])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> tracer = CallbackTracer(output="console")
        >>> x, y = np.zeros((4, 2)), np.zeros((4, 1))
        >>> _ = model.fit(x, y, epochs=1, batch_size=2, validation_data=(x, y), verbose=0,
        ...               callbacks=[tracer])
        fit      on_train_begin()
        fit      on_epoch_begin(epoch=0)
        fit      on_train_batch_begin(batch=0)
        fit      on_train_batch_end(batch=0) logs: loss=0.0000
        fit      on_train_batch_begin(batch=1)
        fit      on_train_batch_end(batch=1) logs: loss=0.0000
        fit        on_test_begin()
        fit        on_test_batch_begin(batch=0)
        fit        on_test_batch_end(batch=0) logs: loss=0.0000
        fit        on_test_batch_begin(batch=1)
        fit        on_test_batch_end(batch=1) logs: loss=0.0000
        fit        on_test_end() logs: loss=0.0000
        fit      on_epoch_end(epoch=0) logs: loss=0.0000 val_loss=0.0000
        fit      on_train_end() logs: loss=0.0000 val_loss=0.0000
        >>> print(tracer.summary())
        method  hook                  calls  log keys
        fit     on_train_begin            1  —
        fit     on_epoch_begin            1  —
        fit     on_train_batch_begin      2  —
        fit     on_train_batch_end        2  loss
        fit     on_test_begin             1  —
        fit     on_test_batch_begin       2  —
        fit     on_test_batch_end         2  loss
        fit     on_test_end               1  loss
        fit     on_epoch_end              1  loss, val_loss
        fit     on_train_end              1  loss, val_loss
    """

    def __init__(self, *, show_batches: bool = True, max_batch_calls: int | None = None,
                 output: str = "auto", refresh_interval: float = 0.5) -> None:
        super().__init__()
        check_output_mode(output)
        if max_batch_calls is not None and max_batch_calls < 0:
            raise ValueError(f"max_batch_calls must be None or >= 0, got {max_batch_calls!r}")
        self.show_batches = bool(show_batches)
        self.max_batch_calls = max_batch_calls
        self.output = output
        self.calls: list[HookCall] = []
        self.dropped_calls = 0
        self._summary = HookSummary()
        self._lock = threading.RLock()
        self._refresh_interval = refresh_interval
        self._started_at: float | None = None
        self._stack: list[str] = []      # begin hooks of the Keras methods now running
        self._run = 0
        self._method: str | None = None
        self._epoch: int | None = None
        self._batch_calls_in_run = 0
        self._mode: str | None = None   # chosen at the first call or display
        self._outputs = OutputSet[TracerOutput](
            owner="callback tracer", kept="every call is still recorded in tracer.calls")

    # -- the hooks ------------------------------------------------------------------
    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._record("on_train_begin", None, logs)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self._record("on_train_end", None, logs)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._record("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._record("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._record("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._record("on_train_batch_end", batch, logs)

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._record("on_test_begin", None, logs)

    def on_test_end(self, logs: dict[str, Any] | None = None) -> None:
        self._record("on_test_end", None, logs)

    def on_test_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._record("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._record("on_test_batch_end", batch, logs)

    def on_predict_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._record("on_predict_begin", None, logs)

    def on_predict_end(self, logs: dict[str, Any] | None = None) -> None:
        self._record("on_predict_end", None, logs)

    def on_predict_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._record("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._record("on_predict_batch_end", batch, logs)

    # -- reading the record ------------------------------------------------------------
    def summary(self) -> HookSummary:
        """Per Keras method, each hook in first-call order with its call count and log keys.

        Prints as a text table, shows as an HTML table in a notebook.
        """
        return self._summary

    def timeline(self, batches: bool | None = None, values: bool = True,
                 hooks: str | None = None) -> str:
        """The recorded calls as printed lines.

        Args:
            batches: show batch-level calls (default: ``show_batches``);
                ``False`` folds each run of them into one line.
            values: show log values (default ``True``); ``False`` shows only
                the keys, which do not change from run to run.
            hooks: keep only hooks whose names contain one of these
                words, e.g. ``"epoch test"``.
        """
        batches = self.show_batches if batches is None else batches
        with self._lock:
            calls = list(self.calls)
        return "\n".join(timeline_lines(calls, batches, values, hooks))

    def clear(self) -> None:
        """Forget every recorded call (the display, if any, empties too)."""
        with self._lock:
            self.calls = []
            self.dropped_calls = 0
            self._summary = HookSummary()
            self._started_at = None
            self._stack, self._run, self._method, self._epoch = [], 0, None, None
            self._batch_calls_in_run = 0
        self._outputs.tell("cleared")

    # -- recording -----------------------------------------------------------------
    def _record(self, hook: str, index: int | None, logs: dict[str, Any] | None) -> None:
        with self._lock:
            now = time.perf_counter()
            if self._started_at is None:
                self._started_at = now
            self._enter(hook)
            if hook == "on_epoch_begin":
                self._epoch = index
            method = self._method
            assert method is not None  # _enter set it
            call = HookCall(hook, method, self._run, max(len(self._stack) - 1, 0),
                            None if index is None else int(index),
                            self._epoch if method == "fit" else None,
                            {key: summarize_log_value(value)
                             for key, value in (logs or {}).items()},
                            now - self._started_at)
            self._summary.add(call)
            stored = self._store(call)
            finished = self._leave(hook)
        if self._mode is None:
            self._choose_output()
        self._outputs.tell("recorded", call, stored, finished)

    def _enter(self, hook: str) -> None:
        """Keep track of which Keras method each hook belongs to."""
        if hook in BEGIN_HOOK_METHODS:
            # A fit always starts a new method call. evaluate/predict are nested
            # only while a fit of ours really runs (validation); a stack left
            # over by a fit that raised must not swallow a later evaluate.
            nested = bool(self._stack) and hook != "on_train_begin" and \
                find_fit_callbacks(owner=self) is not None
            if not nested:
                self._stack = []
                self._new_run(BEGIN_HOOK_METHODS[hook])
            self._stack.append(hook)
        elif not self._stack and self._method is None:
            self._new_run(method_of_hook(hook))   # a hook called without its begin

    def _new_run(self, method: str) -> None:
        self._run += 1
        self._method = method
        self._epoch = None
        self._batch_calls_in_run = 0

    def _leave(self, hook: str) -> bool:
        """Pop a finished method; True when the outermost one finished."""
        begin = _END_HOOKS.get(hook)
        if begin is None or not self._stack or self._stack[-1] != begin:
            return False
        self._stack.pop()
        return not self._stack

    def _store(self, call: HookCall) -> bool:
        if call.level == "batch":
            self._batch_calls_in_run += 1
            if self.max_batch_calls is not None and \
                    self._batch_calls_in_run > self.max_batch_calls:
                self.dropped_calls += 1
                return False
        self.calls.append(call)
        return True

    # -- what the person sees ----------------------------------------------------------
    def _choose_output(self) -> None:
        self._mode = output_mode(self.output)
        outputs: list[TracerOutput] = []
        if self._mode == "console":
            outputs.append(TracerConsoleOutput(self.show_batches, self.max_batch_calls))
        elif self._mode == "widget":
            outputs.append(TracerWidgetOutput(self._calls_snapshot, self.show_batches,
                                              note=self._note, describe=self._describe,
                                              refresh_interval=self._refresh_interval))
        self._outputs.use(outputs)

    def _calls_snapshot(self) -> list[HookCall]:
        with self._lock:
            return list(self.calls)

    def _note(self) -> str:
        return f"{self.dropped_calls:,} batch calls counted, not stored" \
            if self.dropped_calls else ""

    def _describe(self) -> str:
        runs = list(dict.fromkeys(f"{call.method} #{call.run}" for call in self.calls))
        return f"CallbackTracer: {len(self.calls)} hook calls ({', '.join(runs) or 'none yet'})"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        if self._mode is None:
            self._choose_output()
        for output in self._outputs:
            bundle = output.mimebundle()
            if bundle is not None:
                return bundle
        return result_mimebundle(self._describe() + ("\n" + self.timeline() if self.calls
                                                      else ""))

