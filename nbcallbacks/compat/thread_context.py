"""Threads that send widget messages: started in a copy of the starting thread's context.

ipykernel 7.0.x keeps the header of the request being handled in a ``ContextVar``
(``shell_parent``), and every message the kernel sends — a widget update from our
drawing thread included — reads it. A thread started the plain way has an empty
context, so the read raises ``LookupError`` and the update is lost: on 7.0.x the live
plot stayed still until training ended, with a warning (ipykernel#1450, fixed in 7.1
by ipykernel#1451, which falls back to the kernel's own parent). A thread that runs in
``contextvars.copy_context()`` of the training cell sees that cell's header, as the
kernel's own threads do. On other versions nothing visible changes: the messages name
the cell that started training as their parent, which they did anyway.

Verified on ipykernel 6.17.1, 7.0.1, 7.3.0 and 7.4.0 (``tests/test_chart_in_kernel.py``
sends chart updates from the drawing thread in a real kernel of each). What the user
would see if this stopped working: the warning "the dashboard's widget step failed
(LookupError ...)" and a chart that moves only at the end of training.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable


def thread_in_this_context(target: Callable, args: tuple = (), name: str | None = None,
                           daemon: bool = True) -> threading.Thread:
    """A (not yet started) thread that runs ``target(*args)`` in a copy of this context.

    Example:
        >>> seen = contextvars.ContextVar("seen")
        >>> _ = seen.set("the cell")
        >>> found = []
        >>> thread = thread_in_this_context(lambda: found.append(seen.get()))
        >>> thread.start(); thread.join()
        >>> found
        ['the cell']
    """
    context = contextvars.copy_context()
    return threading.Thread(target=context.run, args=(target, *args), name=name, daemon=daemon)
