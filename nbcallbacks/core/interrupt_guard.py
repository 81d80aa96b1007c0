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
from typing import Callable


class InterruptGuard:
    """Context manager installing the two-step SIGINT handler (main thread only).

    Off the main thread (``await dash.fit`` runs ``fit`` in a worker) Python
    cannot install signal handlers; the guard then does nothing and the
    awaiting cell handles the interrupt instead.

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
    """

    def __init__(self, on_first: Callable[[], None], still_needed=None):
        self._on_first = on_first
        self._still_needed = still_needed
        self._previous = None
        self.installed = False
        self.interrupts = 0

    def _handle(self, signum, frame):
        if self._still_needed is not None and not self._still_needed(frame):
            previous = self._previous
            self.__exit__(None, None, None)
            if callable(previous):
                return previous(signum, frame)
            raise KeyboardInterrupt
        self.interrupts += 1
        if self.interrupts == 1:
            self._on_first()
            return
        # Second interrupt: give the handler back before aborting, so later
        # cells are interrupted as usual even though no clean-up hook will run.
        self.__exit__(None, None, None)
        raise KeyboardInterrupt

    def __enter__(self) -> "InterruptGuard":
        if threading.current_thread() is threading.main_thread():
            try:
                self._previous = signal.signal(signal.SIGINT, self._handle)
                self.installed = True
            except (ValueError, OSError):  # embedded interpreters may refuse
                self.installed = False
        return self

    def __exit__(self, *exc) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self._previous)
            self.installed = False
