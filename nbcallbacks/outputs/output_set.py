"""A callback's outputs, told together: none of them can stop training or the others.

The dashboard (and the callback tracer, with its own outputs) tells every
output the same thing through one call (``outputs.tell("status", report)``). A
step that raises is caught, reported once per output and step — a
``RuntimeWarning`` and a line in every output that can show one — and training
goes on: the history is recorded whatever the display does.

Example:
    >>> import warnings
    >>> from nbcallbacks.outputs.null_output import NullOutput
    >>> class Broken(NullOutput):
    ...     name = "broken"
    ...     def status(self, report): raise ValueError("no screen")
    >>> outputs = OutputSet[NullOutput]()
    >>> outputs.use([Broken(), NullOutput()])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     outputs.tell("status", None)
    ...     outputs.tell("status", None)      # the same failure: not reported again
    >>> len(caught), str(caught[0].message)[:50]
    (1, "nbcallbacks: the dashboard's broken status step fa")
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar

from nbcallbacks.outputs.dashboard_output import DashboardOutput


class ShownOutput(Protocol):
    """What an output set needs of its outputs: a name for reports, a place for notices."""

    name: str

    def notice(self, message: str) -> None: ...


OutputT = TypeVar("OutputT", bound=ShownOutput)


class OutputSet(Generic[OutputT]):
    """The outputs a callback chose (empty until its first ``fit`` chooses them).

    Args:
        owner: what the outputs belong to, in reports ("the dashboard's ...").
        kept: where the recorded data stays when a step fails.
    """

    def __init__(self, owner: str = "dashboard",
                 kept: str = "the history is still recorded in dashboard.history") -> None:
        self._outputs: list[OutputT] = []
        self.pumping: list[DashboardOutput] = []   # the outputs whose pump does work
        self._reported: set[str] = set()
        self._owner, self._kept = owner, kept

    def use(self, outputs: Sequence[OutputT]) -> None:
        self._outputs = list(outputs)
        self.pumping = [o for o in self._outputs if isinstance(o, DashboardOutput)
                        and type(o).pump is not DashboardOutput.pump]

    def __iter__(self) -> Iterator[OutputT]:
        return iter(self._outputs)

    def __len__(self) -> int:
        return len(self._outputs)

    def tell(self, method: str, *args: Any) -> None:
        """``output.<method>(*args)`` for every output; a failure is reported, not raised."""
        for output in self._outputs:
            self.guard(f"{output.name} {method}", getattr(output, method), *args)

    def pump(self, paused: bool = False) -> None:
        """Between batches: let outputs handle what waits (clicks on a blocking fit's panel)."""
        for output in self.pumping:
            # Kernel internals: a failure here must not stop training either.
            self.guard(f"{output.name} click handling", output.pump, paused=paused)

    def guard(self, what: str, function: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        """Run a display step; report its first failure and never let it stop training."""
        try:
            function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the dashboard must not kill training
            self.report(what, error)

    def report(self, what: str, error: BaseException) -> None:
        """Say once per ``what`` that a step failed, and that training goes on."""
        if what in self._reported:
            return
        self._reported.add(what)
        message = (f"nbcallbacks: the {self._owner}'s {what} step failed "
                   f"({type(error).__name__}: {error}); training continues, {self._kept}.")
        warnings.warn(message, RuntimeWarning, stacklevel=3)
        for output in self._outputs:
            try:
                output.notice(message)
            except Exception:  # noqa: BLE001 - the warning above was shown already
                pass
