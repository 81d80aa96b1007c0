"""Handle widget messages queued for the busy main shell: ipykernel 7.0–7.3.

Verified on ipykernel 7.0.1 and 7.3.0 (real kernels, clicks sent with and
without a subshell id: ``tests/test_controls_in_kernel.py``), and on 7.1.0 and
7.2.0 (a Stop click, both kinds of sender); the released sources of all four
have the same internals.

In ipykernel 7 a shell-channel thread reads the shell socket and forwards each
message, by its header's ``subshell_id``, to a subshell or to the main shell.
A frontend that sends no subshell id (VS Code, JupyterLab 4.0–4.3, Notebook
7.0–7.3) addresses everything to the main shell, whose messages wait in an
inproc socket (private:
``kernel.shell_channel_thread.manager.get_shell_channel_to_subshell_pair(None)``;
its ``to_stream`` is a pyzmq ``ZMQStream`` read by the main thread's event
loop). While a blocking cell runs, that loop does not run, so a click waits
until the cell ends; and while a cell *awaits*, the loop runs but each message
waits for the cell's lock, comm messages included (7.4 lets those through).

The trick: for the duration of one ``fit``, the stream's receive callback is
replaced (``ZMQStream.on_recv``, saving the private ``_recv_callback``) by
one that

* handles at once, with the parent header set as ipykernel sets it and
  restored afterwards, comm messages (``comm_msg``, ``comm_open``,
  ``comm_close``: clicks, and the widget states a reopened page asks for) and
  the two read-only questions a reopened page asks first
  (``kernel_info_request``: JupyterLab holds back its other messages until it
  is answered, and learns from it that the kernel has subshells;
  ``comm_info_request``: which widgets the kernel holds);
* sets everything else aside while the cell blocks, and gives it back to
  ipykernel's own callback, in arrival order, when training ends (so queued
  cells run after this one: Run-All order is kept); while the cell awaits it
  hands them over at once (they queue for the cell's lock as usual).

During a blocking fit the callback is driven by ``ZMQStream.flush`` between
batches (:meth:`MainShellDrain.pump`); during ``await dash.fit`` the running
event loop drives it.

Messages a frontend addresses to a subshell of its own (JupyterLab >= 4.4)
never pass here: on 7.0–7.3 they are handled on that subshell's thread. On
7.4 the drain runs beside the subshell route (:mod:`~.subshell_routing`)
during a blocking fit, for what a frontend sends the main shell: a page
reopened mid-fit sends everything there until its ``kernel_info_request`` is
answered (verified on 7.4.0 in a real kernel and in JupyterLab 4.6).

What the user sees if this stops working (a later 7.x changing these
internals): :meth:`MainShellDrain.start` returns False, the route reports no
live clicks and the panel says that clicks arrive only after the cell ends
and that the interrupt button stops training gracefully. If reading the queue
or handling a message fails during a fit, the failure is logged once and the
panel says the same, with what failed (the error policy of
:mod:`~.click_mechanism`).
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import threading
from collections.abc import Awaitable
from typing import Any

from nbcallbacks.compat.click_mechanism import ClickMechanism
from nbcallbacks.notebook.running_kernel import running_shell_and_kernel

COMM_MESSAGES = frozenset({"comm_msg", "comm_open", "comm_close"})
# Handled while the cell runs: widgets talk, and a reopened page gets its answers.
QUESTIONS = frozenset({"kernel_info_request", "comm_info_request"})
ANSWERED_AT_ONCE = COMM_MESSAGES | QUESTIONS
_log = logging.getLogger(__name__)


def main_shell_stream(kernel: Any) -> Any:
    """The ``ZMQStream`` the main shell reads its messages from, or None.

    Example:
        >>> main_shell_stream(None) is None
        True
    """
    try:
        pair = kernel.shell_channel_thread.manager.get_shell_channel_to_subshell_pair(None)
        stream = pair.to_stream
    except Exception:  # noqa: BLE001 - not ipykernel 7, or its internals changed
        return None
    if stream is None or not hasattr(stream, "flush") or not hasattr(stream, "_recv_callback"):
        return None
    return stream


class MainShellDrain(ClickMechanism):
    """Let widget messages through to Python while the main shell is busy (ipykernel 7.0–7.4).

    Args:
        awaiting: True while the cell awaits (``await dash.fit``): the kernel's
            event loop delivers messages; False for a blocking cell: call
            :meth:`pump` between batches, from the cell's thread.
        interval: :meth:`pump` looks at most this often (seconds).

    Example:
        >>> drain = MainShellDrain()
        >>> drain.start()        # outside an ipykernel 7 kernel: nothing to do
        False
        >>> drain.pump(), drain.stop()
        (0, None)
    """

    pump_task = "reading the main shell's queue"

    def __init__(self, awaiting: bool = False, interval: float = 0.1,
                 max_messages: int = 50) -> None:
        super().__init__(interval)
        self.awaiting = awaiting
        self.max_messages = max_messages
        self._shell, self._kernel = running_shell_and_kernel()
        self._stream: Any = None  # a ZMQStream while active
        self._original: Any = None  # ipykernel's receive callback
        self._copy = False
        self._parent: tuple[Any, Any] | None = None  # (ident, parent) of the running cell
        self._deferred: list[Any] = []
        self.handled = 0  # messages handled while the shell was busy

    @property
    def active(self) -> bool:
        """True between a successful :meth:`start` and :meth:`stop`."""
        return self._stream is not None

    def start(self) -> bool:
        """Take over the main shell's receive callback; True when in place.

        Call from the main shell's thread (the cell's thread), at train begin.
        """
        if self.active:
            return True
        kernel = self._kernel
        stream = main_shell_stream(kernel)
        if stream is None or getattr(kernel, "session", None) is None:
            return False
        owner = getattr(kernel.shell_channel_thread, "parent_thread", threading.main_thread())
        if threading.current_thread() is not owner or stream._recv_callback is None:
            return False  # only the main shell's thread may touch its stream
        self._original = stream._recv_callback
        self._copy = bool(getattr(stream, "_recv_copy", False))
        self._parent = (kernel._parent_ident["shell"], kernel.get_parent("shell"))
        self._stream = stream
        stream.on_recv(self._receive, copy=False)
        if not self.awaiting:
            # However training ends (an exception skips on_train_end), the
            # callback goes back with the cell, or later cells would never run.
            self._shell.events.register("post_run_cell", self._cell_finished)
        return True

    @property
    def _pumps(self) -> bool:
        # While the cell awaits, the kernel's event loop drives the stream, not pump.
        return self.active and not self.awaiting

    def _handle_waiting(self) -> int:
        """Handle what waits for the main shell now (blocking cell); returns messages seen."""
        import zmq

        return self._stream.flush(zmq.POLLIN, limit=self.max_messages)

    def _receive(self, frames: Any) -> object:
        kind = self._message_type(frames)
        if kind in ANSWERED_AT_ONCE:
            self._handle_now(frames)
            return None
        if self.awaiting:
            return self._original(frames)  # queues for the cell's lock, as usual
        self._deferred.append(frames)
        return None

    def _message_type(self, frames: Any) -> str | None:
        session = self._kernel.session
        try:
            _, rest = session.feed_identities(frames, copy=False)
            # content=False: a peek; the signature is checked again, and only
            # then remembered, when the message is really handled.
            return session.deserialize(rest, content=False, copy=False)["header"]["msg_type"]
        except Exception:  # noqa: BLE001 - ipykernel's own "stop aborting" marker, etc.
            return None

    def _handle_now(self, frames: Any) -> None:
        kernel = self._kernel

        def handle() -> None:
            try:
                idents, rest = kernel.session.feed_identities(frames, copy=False)
                message = kernel.session.deserialize(rest, content=True, copy=False)
                handler = kernel.shell_handlers.get(message["header"]["msg_type"])
                if handler is None:
                    return
                kernel.set_parent(idents, message, channel="shell")
                question = message["header"]["msg_type"] in QUESTIONS
                if question:
                    # A frontend's request is done when its reply *and* an idle
                    # status for it came (JupyterLab waits for both).
                    kernel._publish_status("busy", "shell")
                stream = kernel.shell_channel_thread.manager.get_subshell_to_shell_channel_socket(
                    None)
                try:
                    result = handler(stream, idents, message)
                    if inspect.isawaitable(result):
                        if self.awaiting:
                            asyncio.ensure_future(result)
                        else:
                            _finish(result)
                finally:
                    if question:   # and busy_status says "busy" again for the cell
                        kernel._publish_status("idle", "shell")
                self.handled += 1
            except Exception:  # noqa: BLE001 - one bad message must not stop training
                self._report_failure("handling a message while the cell runs")
            finally:
                # Outputs after this go to the cell again (some parents are
                # plain attributes, not context variables).
                assert self._parent is not None  # start() sets it before installing _receive
                kernel.set_parent(*self._parent, channel="shell")

        contextvars.copy_context().run(handle)

    def _cell_finished(self, *args: Any, **kwargs: Any) -> None:
        self.stop()

    def stop(self) -> None:
        """Give the stream back to ipykernel and hand over the set-aside messages, in order."""
        if not self.active:
            return
        stream, self._stream = self._stream, None
        if not self.awaiting:
            try:
                self._shell.events.unregister("post_run_cell", self._cell_finished)
            except ValueError:
                pass
        stream.on_recv(self._original, copy=self._copy)
        deferred, self._deferred = self._deferred, []
        for frames in deferred:
            # ipykernel's callback schedules a task per message; the tasks wait
            # for the running cell's lock in creation order, ahead of anything
            # the event loop reads later.
            result = self._original(frames)
            if inspect.isawaitable(result):
                asyncio.ensure_future(result)


def _finish(awaitable: Awaitable[Any]) -> None:
    """Run a comm handler's awaitable result to its end without an event loop.

    Comm handlers are plain functions in every ipykernel 7 release, and the
    ``kernel_info`` and ``comm_info`` handlers are coroutines that never
    suspend; one that suspends on the (blocked) event loop is abandoned with a
    log line rather than blocking training.
    """
    steps = awaitable.__await__()
    try:
        steps.send(None)
    except StopIteration:
        return
    steps.close()
    _log.warning("nbcallbacks: a comm handler waited on the event loop; abandoned")
