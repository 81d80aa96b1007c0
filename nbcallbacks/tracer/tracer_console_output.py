"""The callback tracer in a terminal: one compact line per hook call, flushed at once.

Batch-level calls can be folded (``show_batches=False``): each run of them is
printed as one summary line when the next epoch- or method-level call arrives.
"""

from __future__ import annotations

import sys
from typing import TextIO

from nbcallbacks.tracer.hook_call import HookCall, format_hook_call
from nbcallbacks.tracer.hook_timeline import timeline_lines
from nbcallbacks.tracer.tracer_output import TracerOutput


class TracerConsoleOutput(TracerOutput):
    """Print each recorded hook call to ``stream`` (stdout by default).

    Example:
        >>> import io
        >>> stream = io.StringIO()
        >>> output = TracerConsoleOutput(show_batches=False, max_batch_calls=None,
        ...                              stream=stream)
        >>> for hook, index in [("on_train_batch_end", 0), ("on_train_batch_end", 1),
        ...                     ("on_epoch_end", 0)]:
        ...     call = HookCall(hook, "fit", 1, 0, index, 0, {}, 0.0)
        ...     output.recorded(call, stored=True, finished=False)
        >>> print(stream.getvalue(), end="")
        fit      … 2 batch calls: on_train_batch_end ×2 (batches 0–1)
        fit      on_epoch_end(epoch=0)
    """

    name = "printed lines"

    def __init__(self, show_batches: bool, max_batch_calls: int | None,
                 stream: TextIO | None = None) -> None:
        self.show_batches = show_batches
        self.max_batch_calls = max_batch_calls
        self._stream = stream
        self._unprinted_batches: list[HookCall] = []
        self._runs_past_limit: set[int] = set()   # runs whose dropped calls were announced

    def recorded(self, call: HookCall, stored: bool, finished: bool) -> None:
        if not stored:
            if call.run not in self._runs_past_limit:
                self._runs_past_limit.add(call.run)
                self._flush_batches()
                self._write(f"{call.method:<8} … further batch calls of {call.method} "
                            f"#{call.run} are counted, not stored "
                            f"(max_batch_calls={self.max_batch_calls})")
            return
        if not self.show_batches and call.level == "batch":
            self._unprinted_batches.append(call)
            return
        self._flush_batches()
        self._write(format_hook_call(call))

    def cleared(self) -> None:
        self._unprinted_batches = []
        self._runs_past_limit = set()

    def notice(self, message: str) -> None:
        self._write(message)

    def _flush_batches(self) -> None:
        pending, self._unprinted_batches = self._unprinted_batches, []
        for line in timeline_lines(pending, batches=False):
            self._write(line)

    def _write(self, text: str) -> None:
        print(text, file=self._stream or sys.stdout, flush=True)
