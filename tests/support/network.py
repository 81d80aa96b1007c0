"""Stand-ins for ``socket.create_connection``: the networks the dataset loaders must cope with.

A machine without a network refuses at once (the ``offline`` fixture in
``tests/conftest.py``); :func:`connect_that_never_answers` is the worse case, a
blackholed address or a stalled name lookup, which only the loader's own time
limit cuts short.
"""

from __future__ import annotations

import time


def connect_that_never_answers(address, *args, **kwargs):
    """Hang for 30 s, then time out as a real connect does (the probe's thread ends cleanly)."""
    time.sleep(30)
    raise TimeoutError("timed out")
