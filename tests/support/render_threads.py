"""The render threads alive in this process, to check that a worker or a dashboard left none."""

from __future__ import annotations

import threading


def render_threads(name: str = "nbcallbacks-render") -> list[threading.Thread]:
    """The live threads whose name starts with ``name``: a RenderWorker's thread name, by
    default the one every dashboard's worker uses."""
    return [thread for thread in threading.enumerate() if thread.name.startswith(name)]
