"""Let widget messages reach Python while a cell is busy (ipykernel >= 7 subshells).

JupyterLab >= 4.4 and Notebook >= 7.4 send widget comm messages to a kernel
*subshell*, a thread of its own that stays responsive while the main shell
runs a cell. ipykernel 7 then re-routes each comm message to the shell that
last *published* on that comm (``BaseComm._reply_subshell_for``); for a widget
created or updated by a running cell that is the busy main shell, so a click
would wait until training ends. For the dashboard's control widgets we route
incoming messages to the subshell the frontend chose instead. Their handlers
then run on that subshell's thread, which is why they only set thread-safe
flags (see :mod:`nbcallbacks.core.training_signals`).
"""

from __future__ import annotations


def _keep_sender_route(data, default):
    # `default` is the subshell named in the incoming message's header.
    return default


def route_to_sender(*widgets) -> int:
    """Make messages for these widgets go to the subshell that sent them.

    Returns how many comms were re-routed (0 on kernels without the
    ipykernel 7 routing rule, where there is nothing to change).

    Example:
        >>> import ipywidgets
        >>> route_to_sender(ipywidgets.Button()) in (0, 1)
        True
    """
    changed = 0
    for widget in widgets:
        comm = getattr(widget, "comm", None)
        if comm is not None and hasattr(comm, "_reply_subshell_for"):
            # An instance attribute shadows the class's routing method.
            comm._reply_subshell_for = _keep_sender_route
            changed += 1
    return changed


def frontend_uses_subshells() -> bool:
    """True when some frontend created a kernel subshell (JupyterLab >= 4.4 and
    Notebook >= 7.4 create one for widget messages when they connect)."""
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        manager = kernel.shell_channel_thread.manager
        return bool(manager.list_subshell())
    except Exception:  # noqa: BLE001 - older kernels have no subshell manager
        return False
