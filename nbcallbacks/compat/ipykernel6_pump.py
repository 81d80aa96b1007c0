"""Handle pending widget messages from inside a running cell: ipykernel 6 (Google Colab's line).

Verified on ipykernel 6.17.1 (Colab's pin, with IPython 7.34 and ipywidgets
7.7.1), 6.29.5 and 6.31.0 (with IPython 9 and ipywidgets 8.1.9), by the real-kernel
tests in ``tests/test_controls_in_kernel.py``.

The trick: ipykernel 6 has no subshells, so a click waits in the shell queue
until the cell ends. ``kernel.do_one_iteration()`` (private) handles one queued
message; calling it between batches, once per message waiting (read off
``kernel.shell_stream`` into ``kernel.msg_queue``, both private), lets clicks
through, and answers a page reopened mid-fit (its kernel info, widget list
and widget states). Queued *cell
executions* must not run in the middle of training, so while pumping the
``execute_request`` entry of ``kernel.shell_handlers`` (private) is swapped
for one that sets the request aside; the requests are replayed, in order, once
the running cell has finished (the technique of jupyter-ui-poll). Run-All
order is therefore kept. While ``await dash.fit`` runs, ipykernel 6 leaves
comm messages queued too (its shell handles one message at a time, and the
awaiting cell is one), so the awaiting coroutine pumps as well
(:meth:`KernelPump.pump_async`).

ipykernel 7.0 still has a ``do_one_iteration`` that no longer reads the shell
(7.1 removed it): :attr:`KernelPump.available` is therefore True on ipykernel 6
only, and :mod:`nbcallbacks.compat.click_route` picks another route on 7.

What the user sees if this stops working (a later 6.x changing these
internals): :attr:`KernelPump.available` is False, the route reports no live
clicks and the panel says that clicks arrive only after the cell ends and that
the interrupt button stops training gracefully. If handling a message fails
during a fit, the failure is logged once and the panel says the same, with
what failed (the error policy of :mod:`~.click_mechanism`).
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from nbcallbacks.compat.click_mechanism import ClickMechanism
from nbcallbacks.notebook.running_kernel import running_shell_and_kernel


def is_ipykernel6(kernel: Any) -> bool:
    """True when ``kernel`` is an ipykernel 6 kernel with the internals the pump uses.

    Example:
        >>> is_ipykernel6(None)
        False
    """
    if kernel is None or hasattr(kernel, "shell_channel_thread"):  # 7.x has a shell thread
        return False
    try:
        import ipykernel
    except ImportError:  # pragma: no cover - a kernel object without ipykernel
        return False
    return (ipykernel.__version__.split(".")[0] == "6" and hasattr(kernel, "do_one_iteration")
            and isinstance(getattr(kernel, "shell_handlers", None), dict))


def _shell_ident(kernel: Any) -> Any:
    # ipykernel 6 keeps {"shell": ident, "control": ident}; set_parent wants the one.
    ident: Any = getattr(kernel, "_parent_ident", None)
    return ident.get("shell", b"") if hasattr(ident, "get") else ident


class KernelPump(ClickMechanism):
    """Process queued kernel messages between batches, at most every ``interval`` s.

    Example:
        >>> pump = KernelPump()
        >>> pump.available          # only inside an ipykernel 6 kernel
        False
        >>> pump.start(), pump.pump()    # harmless everywhere
        (False, 0)
    """

    pump_task = "handling the kernel's queued messages"

    def __init__(self, interval: float = 0.1, max_messages: int = 20) -> None:
        super().__init__(interval)
        self.max_messages = max_messages
        self._shell, self._kernel = running_shell_and_kernel()
        self._deferred: list[tuple[Any, Any, Any]] = []  # (stream, ident, parent)
        self._active = False
        self._loop_thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._parent: tuple[Any, Any] | None = None  # (ident, parent) of the running cell
        self._original_handler: Any = None

    @property
    def available(self) -> bool:
        """True inside an ipykernel 6 kernel, whose internals this pump relies on."""
        return is_ipykernel6(self._kernel)

    @property
    def active(self) -> bool:
        """True between :meth:`start` (in an ipykernel 6 kernel) and :meth:`stop`."""
        return self._active

    def start(self) -> bool:
        """Begin deferring cell executions (call at train begin, in the cell's thread);
        True when in place (in an ipykernel 6 kernel)."""
        if self._active:
            return True
        if not self.available:
            return False
        kernel = self._kernel
        self._parent = (_shell_ident(kernel), kernel.get_parent())
        self._original_handler = kernel.shell_handlers["execute_request"]
        defer: Callable[[Any, Any, Any], object]
        if inspect.iscoroutinefunction(self._original_handler):
            async def defer(stream: Any, ident: Any, parent: Any) -> None:
                self._defer(stream, ident, parent)
        else:
            def defer(stream: Any, ident: Any, parent: Any) -> None:
                self._defer(stream, ident, parent)
        kernel.shell_handlers["execute_request"] = defer
        self._active = True
        # Whatever happens to training (an exception skips on_train_end), the
        # deferral must end with the cell, or later cells would never run.
        self._shell.events.register("post_run_cell", self._cell_finished)
        return True

    def _cell_finished(self, *args: Any, **kwargs: Any) -> None:
        self._shell.events.unregister("post_run_cell", self._cell_finished)
        self.stop(cell_finished=True)

    def _defer(self, stream: Any, ident: Any, parent: Any) -> None:
        self._deferred.append((stream, ident, parent))
        self._restore_parent()

    def _restore_parent(self) -> None:
        # Output produced after handling a message must still go to our cell.
        if self._parent is not None:
            self._kernel.set_parent(*self._parent)

    def _handle_waiting(self) -> int:
        """Handle up to ``max_messages`` queued messages; returns how many were handled."""
        kernel = self._kernel
        handled = 0
        try:
            for _ in range(self._waiting()):
                result = kernel.do_one_iteration()
                if inspect.isawaitable(result):
                    self._run(result)
                handled += 1
        finally:
            self._restore_parent()
        return handled

    def _waiting(self) -> int:
        """How many shell messages wait (at most ``max_messages``), read off the socket."""
        kernel = self._kernel
        kernel.shell_stream.flush()   # as do_one_iteration does: socket -> msg_queue
        return min(kernel.msg_queue.qsize(), self.max_messages)

    async def pump_async(self) -> None:
        """The same from a coroutine on the kernel's own loop (``await dash.fit``):
        ipykernel 6 handles no shell message while a cell awaits, clicks included."""
        if not self._active:
            return
        try:
            for _ in range(self._waiting()):
                result = self._kernel.do_one_iteration()
                if inspect.isawaitable(result):
                    await result
        except Exception:  # noqa: BLE001 - a kernel hiccup must not stop training
            self._report_failure(self.pump_task)
        finally:
            self._restore_parent()

    def _run(self, awaitable: Awaitable[Any]) -> None:
        # The kernel's own event loop is busy running this cell: run the
        # coroutine to completion on a private loop in a helper thread.
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._loop_thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                                 name="nbcallbacks-kernel-pump")
            self._loop_thread.start()

        async def wrapper() -> Any:
            return await awaitable

        asyncio.run_coroutine_threadsafe(wrapper(), self._loop).result(timeout=5)

    def stop(self, cell_finished: bool = False) -> None:
        """Stop deferring; replay deferred cell executions once this cell is done."""
        if not self._active:
            return
        self._active = False
        if not cell_finished:
            try:
                self._shell.events.unregister("post_run_cell", self._cell_finished)
            except ValueError:
                pass
        kernel = self._kernel
        kernel.shell_handlers["execute_request"] = self._original_handler
        deferred, self._deferred = self._deferred, []
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None
        if deferred:
            replay = _Replay(self._shell, kernel, deferred)
            if cell_finished:
                asyncio.ensure_future(replay.replay())
            else:
                self._shell.events.register("post_execute", replay)


class _Replay:
    """A one-shot post_execute hook replaying deferred execute requests in order."""

    def __init__(self, shell: Any, kernel: Any, deferred: list[tuple[Any, Any, Any]]) -> None:
        self._shell, self._kernel, self._deferred = shell, kernel, deferred

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self._shell.events.unregister("post_execute", self)
        asyncio.ensure_future(self.replay())

    async def replay(self) -> None:
        kernel = self._kernel
        sys.stdout.flush()
        sys.stderr.flush()
        for stream, ident, parent in self._deferred:
            kernel.set_parent(ident, parent)
            if getattr(kernel, "_aborting", False):
                # As the kernel's own dispatch does for an aborted request: the reply, then
                # "idle" for it, which clients wait for before they stop reading its output.
                kernel._send_abort_reply(stream, parent, ident)
                kernel._publish_status("idle", "shell")
                continue
            result = kernel.execute_request(stream, ident, parent)
            if inspect.isawaitable(result):
                await result
            sys.stdout.flush()
            sys.stderr.flush()
            kernel._publish_status("idle", "shell")
            shell_stream = getattr(kernel, "shell_stream", None)
            if shell_stream is not None:
                shell_stream.flush(2)  # zmq.POLLOUT
