"""Turn the first Ctrl-C / kernel interrupt into a graceful stop, the second into a hard one.

Every notebook frontend has an interrupt button (■) and every terminal has
Ctrl-C; both deliver SIGINT to the process running ``fit``. Losing an hour of
training to a reflexive click is the failure this prevents: the first SIGINT
only asks training to stop after the current batch (the ``History`` is
returned, ``on_train_end`` runs); a second one raises ``KeyboardInterrupt``
as usual.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeAlias

# What ``signal.signal`` and ``signal.getsignal`` return: a Python handler, ``SIG_DFL`` /
# ``SIG_IGN``, or None (a handler installed outside Python).
_Handler: TypeAlias = Callable[[int, FrameType | None], Any] | int | None

# The guards whose handlers are in the chain now, oldest first (main thread only).
# Each guard's ``_previous`` is the handler it replaced: the chain runs from the
# installed handler down to the one that was there before any guard.
_ACTIVE: list[InterruptGuard] = []


class InterruptGuard:
    """Context manager installing the two-step SIGINT handler (main thread only).

    Off the main thread (``await dash.fit`` runs ``fit`` in a worker) Python
    cannot install signal handlers; the guard then does nothing and the
    awaiting cell handles the interrupt instead.

    Several guards may be active at once (two dashboards in one ``fit``), and
    they may end in any order: a guard that ends while another is installed on
    top of it takes itself out of the chain, so the handler that was there
    before the first guard is installed again when the last one ends. A
    handler somebody else installed after a guard is left in place; should it
    later put back the ended guard's handler, that handler passes interrupts on
    to the one it replaced.

    Args:
        on_first: called (in the main thread, from the signal handler) on the
            first interrupt; must only signal, not block.
        still_needed: optional ``still_needed(frame) -> bool`` given the frame
            the interrupt landed in. When it returns False (training already
            ended, e.g. by an exception that skipped the clean-up), the guard
            removes itself and the interrupt behaves as it normally would.

    Example:
        >>> import os
        >>> asked = []
        >>> with InterruptGuard(on_first=lambda: asked.append("stop")) as guard:
        ...     signal.raise_signal(signal.SIGINT)
        >>> asked, guard.interrupts
        (['stop'], 1)

        Two guards, ended in the order they began, give back the original:

        >>> before = signal.getsignal(signal.SIGINT)
        >>> first = InterruptGuard(on_first=lambda: None).__enter__()
        >>> second = InterruptGuard(on_first=lambda: None).__enter__()
        >>> first.__exit__(None, None, None); second.__exit__(None, None, None)
        >>> signal.getsignal(signal.SIGINT) is before
        True
    """

    def __init__(self, on_first: Callable[[], None],
                 still_needed: Callable[[FrameType | None], bool] | None = None) -> None:
        self._on_first = on_first
        self._still_needed = still_needed
        self._previous: _Handler = None
        self.installed = False
        self.interrupts = 0

    def _handle(self, signum: int, frame: FrameType | None) -> Any:
        if not self.installed:
            # An ended guard's handler put back by someone else: behave as the
            # handler this guard had replaced.
            return _pass_on(self._previous, signum, frame)
        if self._still_needed is not None and not self._still_needed(frame):
            previous = self._previous
            self.__exit__(None, None, None)
            return _pass_on(previous, signum, frame)
        self.interrupts += 1
        if self.interrupts == 1:
            self._on_first()
            return
        # Second interrupt: give the handler back before aborting, so later
        # cells are interrupted as usual even though no clean-up hook will run.
        self.__exit__(None, None, None)
        raise KeyboardInterrupt

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread() and not self.installed:
            try:
                self._previous = signal.signal(signal.SIGINT, self._handle)
                self.installed = True
                _ACTIVE.append(self)
            except (ValueError, OSError):  # embedded interpreters may refuse
                self.installed = False
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.installed:
            return
        self.installed = False
        _ACTIVE.remove(self)
        # A guard installed on top of this one now sits on what this one replaced.
        for above in _ACTIVE:
            if above._previous == self._handle:
                above._previous = self._previous
        # Only the installed handler is replaced: another guard's is taken care of
        # above, and a handler someone else installed later stays theirs.
        if signal.getsignal(signal.SIGINT) == self._handle:
            # None: the replaced handler was installed outside Python; Python's own stands in.
            signal.signal(signal.SIGINT, self._previous if self._previous is not None
                          else signal.default_int_handler)


def _pass_on(handler: _Handler, signum: int, frame: FrameType | None) -> Any:
    """Do what ``handler`` (a value ``signal.signal`` returned) does with SIGINT."""
    if callable(handler):
        return handler(signum, frame)
    if handler == signal.SIG_IGN:
        return None
    raise KeyboardInterrupt  # the default action, or a handler installed outside Python
