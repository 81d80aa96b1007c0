"""Keep the kernel's status "busy" while a cell trains: every ipykernel line.

Verified on ipykernel 6.17.1, 6.29.5, 7.0.1, 7.3.0 and 7.4.0 (real kernels,
``tests/test_controls_in_kernel.py``) and in JupyterLab 4.0.13, 4.4.0 and 4.6
(``tests/browser/test_lab_versions.py``, ``tests/browser/test_browser_chart.py``).

A frontend shows the kernel's status from the last status message on IOPub,
whatever request it was for (JupyterLab's kernel connection does; see
jupyterlab/jupyterlab#10701). ipykernel publishes "busy" and "idle" around
every request it handles: while a cell trains, the requests the click routes
answer between batches (ipykernel 6), those a subshell handles (a click, a
reopened page's questions) and those on the control channel (a frontend
creating its subshell) each leave the status bar saying "Idle" while training
runs.

The trick: for the duration of one ``fit``, the kernel's ``_publish_status``
(private, same signature on every line) is shadowed by an instance attribute
that, after an "idle" for any request other than the running cell, publishes
"busy" again for the cell, from the same thread (IOPub keeps the order of one
thread's messages, not across threads).

What the user sees if this stops working (a later ipykernel renaming
``_publish_status``): :meth:`BusyStatus.start` returns False and the status
bar may say "Idle" while training runs, as without nbcallbacks; training and
the controls are unaffected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_ATTRIBUTE = "_publish_status"


class BusyStatus:
    """Re-say "busy" for the running cell after each other request's "idle".

    Example:
        >>> keeper = BusyStatus(None)      # no kernel: nothing to keep
        >>> keeper.start(), keeper.stop()
        (False, None)
    """

    def __init__(self, kernel: Any) -> None:
        self._kernel = kernel
        self._installed: Callable[..., None] | None = None

    def start(self) -> bool:
        """Install for the cell running now (call from its thread); True when in place."""
        kernel = self._kernel
        publish = getattr(kernel, _ATTRIBUTE, None)
        try:
            cell = kernel.get_parent("shell")
            cell_id = cell["header"]["msg_id"]
        except Exception:  # noqa: BLE001 - no kernel, no running request, or changed internals
            return False
        if not callable(publish) or self._installed is not None:
            return False

        def publish_keeping_busy(status: str, channel: str, parent: Any = None) -> None:
            publish(status, channel, parent)
            if status != "idle":
                return
            ended = parent if parent is not None else kernel.get_parent(channel)
            if (ended or {}).get("header", {}).get("msg_id") != cell_id:
                publish("busy", "shell", cell)   # the cell still runs

        setattr(kernel, _ATTRIBUTE, publish_keeping_busy)
        self._installed = publish_keeping_busy
        return True

    def stop(self) -> None:
        """Give the kernel its own method back (at train end, before the cell's "idle")."""
        installed, self._installed = self._installed, None
        if installed is not None and vars(self._kernel).get(_ATTRIBUTE) is installed:
            delattr(self._kernel, _ATTRIBUTE)
