"""What every click mechanism does: the part of a click route that lets widget messages reach
Python while a cell trains.

While a cell runs, a Jupyter kernel handles no other message of its main shell:
a click on a dashboard button waits in a queue until the cell ends. A click
mechanism reaches into the kernel for the duration of one ``fit`` and handles
what waits there, each in its own way for an ipykernel line
(:class:`~nbcallbacks.compat.ipykernel6_pump.KernelPump` on ipykernel 6,
:class:`~nbcallbacks.compat.main_shell_drain.MainShellDrain` on 7.0–7.4);
:mod:`~nbcallbacks.compat.click_route` picks one.

The contract, the same for each:

* ``start() -> bool``: put the mechanism in place (from the cell's thread, at
  train begin); True when it is. False leaves the kernel untouched: the route
  then reports that clicks arrive only after the cell ends.
* ``active``: True from a successful :meth:`~ClickMechanism.start` to
  :meth:`~ClickMechanism.stop`.
* ``pump(force=False) -> int``: between batches of a blocking fit, handle the
  messages that wait, at most every ``interval`` seconds unless ``force``;
  returns how many were handled. It never raises.
* ``stop()``: give the kernel back what was taken over (queued cells then run
  in order); harmless when not active.
* ``problem``: the first failure of this fit, in words for a person (None
  while there was none).

Subclasses write :meth:`~ClickMechanism._handle_waiting` (one look at what
waits) and, where needed, :attr:`~ClickMechanism._pumps` (when ``pump`` has
work to do); the paced loop around them is :meth:`ClickMechanism.pump`.

The error policy: a mechanism reaches into kernel internals, so anything may
fail in it, and training must go on whatever does. Each place that catches
such a failure calls :meth:`~ClickMechanism._report_failure`: the first
failure is logged with its traceback (once per mechanism, that is once per
fit: the pump runs ten times a second), later ones are counted in
``failures``, and ``problem`` says what failed; the dashboard shows it under
the buttons, so that a broken mechanism does not show up only as "clicks don't
work".

Example (a list stands in for the kernel's queue):
    >>> class ListInbox(ClickMechanism):
    ...     pump_task = "reading the list"
    ...     def __init__(self, waiting):
    ...         super().__init__(interval=0.0)
    ...         self.waiting, self._started = waiting, False
    ...     @property
    ...     def active(self):
    ...         return self._started
    ...     def start(self):
    ...         self._started = True
    ...         return True
    ...     def stop(self):
    ...         self._started = False
    ...     def _handle_waiting(self):
    ...         handled, self.waiting = len(self.waiting), []
    ...         return handled
    >>> inbox = ListInbox(["click", "click"])
    >>> inbox.pump(), inbox.start(), inbox.pump(), inbox.pump(), inbox.problem
    (0, True, 2, 0, None)
    >>> inbox.waiting = None       # the queue breaks: len(None) raises
    >>> inbox.pump(), inbox.pump(), inbox.failures
    (0, 0, 2)
    >>> print(inbox.problem)
    reading the list failed (TypeError: object of type 'NoneType' has no len()); clicks may
    wait until the cell ends
"""

from __future__ import annotations

import logging
import sys
import time
from abc import ABC, abstractmethod


class ClickMechanism(ABC):
    """Handles the messages that wait for a busy kernel, for one ``fit`` (see the module doc).

    Args:
        interval: :meth:`pump` looks at most this often (seconds), unless forced.
    """

    # What pump does, in the words of ``problem`` when it fails.
    pump_task = "handling the waiting messages"

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self._last = 0.0
        self.problem: str | None = None
        self.failures = 0

    @property
    @abstractmethod
    def active(self) -> bool:
        """True from a successful :meth:`start` to :meth:`stop`."""

    @abstractmethod
    def start(self) -> bool:
        """Put the mechanism in place for this fit; True when it is."""

    @abstractmethod
    def stop(self) -> None:
        """Give back what :meth:`start` took over; harmless when not active."""

    @property
    def _pumps(self) -> bool:
        """True when :meth:`pump` has work to do (here: while active)."""
        return self.active

    def pump(self, force: bool = False) -> int:
        """Between batches of a blocking fit: handle what waits, at most every ``interval`` s
        unless ``force``; returns how many messages were handled. Never raises."""
        if not self._pumps:
            return 0
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return 0
        self._last = now
        try:
            return self._handle_waiting()
        except Exception:  # noqa: BLE001 - a kernel hiccup must not stop training
            self._report_failure(self.pump_task)
            return 0

    @abstractmethod
    def _handle_waiting(self) -> int:
        """Handle what waits now; returns how many messages were handled (may raise)."""

    def _report_failure(self, what: str) -> None:
        """Record that ``what`` failed; call it from the ``except`` block that caught the error.

        The first failure is logged with its traceback and becomes :attr:`problem`;
        later ones are only counted (the pump runs ten times a second).
        """
        self.failures += 1
        if self.problem is not None:
            return
        error = sys.exc_info()[1]
        cause = f" ({type(error).__name__}: {error})" if error is not None else ""
        self.problem = f"{what} failed{cause}; clicks may wait until the cell ends"
        # Under the logger of the module whose mechanism failed.
        logging.getLogger(type(self).__module__).exception("nbcallbacks: %s", self.problem)
