"""Route the dashboard's widget messages to a kernel subshell: ipykernel 7.4.

Verified on ipykernel 7.4.0 (real kernels, clicks sent with and without a
subshell id: ``tests/test_controls_in_kernel.py``).

In ipykernel 7.4 the shell-channel thread passes every incoming ``comm_msg``
and ``comm_close`` through ``comm._reply_subshell_for(data, default)``
(private), whose ``default`` is the subshell named in the message's header
(None when the frontend named none), and forwards the message to the shell
it returns. The built-in rule answers "the shell that last *published* on
this comm": for a widget created or updated by a running cell that is the busy
main shell, so a click would wait until training ends, whatever the frontend
sent.

The trick, per control widget: an instance attribute shadows that method and
answers the subshell the frontend named (JupyterLab >= 4.4, Notebook >= 7.4)
or, when it named none (VS Code, JupyterLab 4.0–4.3, Notebook 7.0–7.3), a
subshell the kernel creates for nbcallbacks (:func:`own_subshell`; created
by the subshell manager on the shell-channel thread's event loop, as a
``create_subshell_request`` would). Handlers then run on that subshell's
thread, which is why they only set thread-safe flags (see
:mod:`nbcallbacks.run_control.training_signals`).

What the user sees if this stops working (a later ipykernel dropping
``_reply_subshell_for`` or the subshell manager): :func:`routes_comms` is
False or :func:`own_subshell` returns None, the route reports no live clicks
and the panel says so; ipykernel 7.0–7.3's route
(:mod:`nbcallbacks.compat.main_shell_drain`) is tried instead when its
internals are there.
"""

from __future__ import annotations

import threading
from typing import Any

from nbcallbacks.notebook.running_kernel import running_kernel

_own: dict[str, Any] = {"id": None, "kernel": None}  # our subshell's id, and its kernel
_lock = threading.Lock()


def routes_comms() -> bool:
    """True when this kernel routes comm messages through ``_reply_subshell_for``.

    Example:
        >>> isinstance(routes_comms(), bool)
        True
    """
    try:
        from ipykernel.comm.comm import BaseComm
    except Exception:  # noqa: BLE001 - no ipykernel
        return False
    return callable(getattr(BaseComm, "_reply_subshell_for", None))


def _subshells(kernel: Any) -> Any:
    if not getattr(kernel, "_supports_kernel_subshells", False):
        return None
    try:
        return kernel.shell_channel_thread.manager
    except Exception:  # noqa: BLE001 - internals changed
        return None


def _route(data: Any, default: str | None) -> str | None:
    # `default`: the subshell named in the incoming message's header.
    if default is not None:
        return default
    return _alive_own_subshell()


def _alive_own_subshell() -> str | None:
    kernel, subshell = _own["kernel"], _own["id"]
    manager = _subshells(kernel) if subshell is not None else None
    if manager is None:
        return None
    try:
        return subshell if subshell in manager.list_subshell() else None
    except Exception:  # noqa: BLE001
        return None


def route_widgets(*widgets: Any) -> int:
    """Make messages for these widgets reach a subshell rather than the busy main shell.

    Returns how many comms were re-routed (0 on kernels without the
    ipykernel 7.4 routing rule, where there is nothing to change).

    Example:
        >>> import ipywidgets
        >>> route_widgets(ipywidgets.Button()) in (0, 1)
        True
    """
    changed = 0
    for widget in widgets:
        comm = getattr(widget, "comm", None)
        if comm is not None and callable(getattr(type(comm), "_reply_subshell_for", None)):
            # An instance attribute shadows the class's routing method.
            comm._reply_subshell_for = _route
            changed += 1
    return changed


def own_subshell(timeout: float = 5.0) -> str | None:
    """The id of nbcallbacks' own subshell in the running kernel, created on first use.

    Returns None outside an ipykernel 7 kernel or when it cannot be created.
    Call from the main shell's thread (not the shell-channel thread).
    """
    kernel = running_kernel()
    manager = _subshells(kernel)
    if manager is None:
        return None
    with _lock:
        if _own["kernel"] is kernel and _alive_own_subshell() is not None:
            return _own["id"]
        created: dict[str, Any] = {}
        done = threading.Event()

        def create() -> None:  # on the shell-channel thread, like a create_subshell_request
            try:
                created["id"] = manager._create_subshell()
            except Exception as error:  # noqa: BLE001 - reported below
                created["error"] = error
            finally:
                done.set()

        try:
            kernel.shell_channel_thread.io_loop.add_callback(create)
        except Exception:  # noqa: BLE001
            return None
        if not done.wait(timeout) or "id" not in created:
            return None
        _own.update(id=created["id"], kernel=kernel)
        return created["id"]
