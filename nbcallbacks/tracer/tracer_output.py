"""The one interface every callback tracer output answers.

The ``CallbackTracer`` records each hook call, then tells each of its outputs
(guarded by an :class:`~nbcallbacks.outputs.output_set.OutputSet`, so a
display that fails is reported once and training goes on):

* ``recorded(call, stored, finished)`` — a hook was called; ``stored``: it was
  kept in ``tracer.calls`` (batch calls past ``max_batch_calls`` are only
  counted); ``finished``: it ended the outermost ``fit``/``evaluate``/``predict``;
* ``cleared()`` — ``tracer.clear()`` forgot every call;
* ``notice(message)`` — a problem the person should see;
* ``mimebundle()`` — how to show the tracer as a cell's value (None: as text).

The shape is the dashboard's (:mod:`~nbcallbacks.outputs.dashboard_output`):
printed lines and the live timeline are two outputs, "none" is no output.
"""

from __future__ import annotations

from typing import Any

from nbcallbacks.tracer.hook_call import HookCall


class TracerOutput:
    """Base of every tracer output: each method does nothing until an output overrides it.

    Example:
        >>> output = TracerOutput()
        >>> output.cleared(), output.mimebundle()
        (None, None)
    """

    name = "tracer output"

    def recorded(self, call: HookCall, stored: bool, finished: bool) -> None:
        """A hook call was recorded (``stored`` in ``tracer.calls`` or only counted)."""

    def cleared(self) -> None:
        """Every recorded call was forgotten."""

    def notice(self, message: str) -> None:
        """A problem the person should see; training goes on."""

    def mimebundle(self) -> dict[str, Any] | None:
        """How to show the tracer as a cell's value, or None to leave it to text."""
        return None
