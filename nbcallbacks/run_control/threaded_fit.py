"""``await dash.fit(...)``: run ``model.fit`` in a worker thread while the cell awaits.

While the cell awaits, the kernel's event loop is free, and widget clicks are
handled at once in every frontend (JupyterLab, Notebook, VS Code, Colab) on
the kernel versions :mod:`nbcallbacks.compat.click_route` was verified on:
ipykernel 7.4 lets comm messages through by itself; on ipykernel 6 and
7.0–7.3, which make them wait for the awaiting cell, the route for
``awaiting=True`` lets them through. The worker starts inside a copy of the cell's
``contextvars`` context, which is how ipykernel knows which cell output a
thread's prints and displays belong to; exceptions from training come back
through the future and are raised in the cell. Because the cell is still
running until training ends, Run-All order is kept.

Interrupting the kernel cancels the awaiting cell: the first interrupt is
turned into a graceful stop (finish the batch, return the ``History``), a
second one stops training immediately.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from typing import TYPE_CHECKING, Any

from nbcallbacks.compat.click_route import ClickRoute, start_click_route
from nbcallbacks.run_control.interrupt_guard import InterruptGuard

if TYPE_CHECKING:  # the dashboard imports this module
    from nbcallbacks.dashboard.dashboard import Dashboard


async def fit_in_thread(dashboard: Dashboard, model: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``model.fit(*args, **kwargs)`` with ``dashboard`` among its callbacks, in a thread.

    Returns the ``History`` as ``model.fit`` does.
    """
    callbacks = list(kwargs.pop("callbacks", None) or [])
    if not any(callback is dashboard for callback in callbacks):
        callbacks.append(dashboard)
    kwargs["callbacks"] = callbacks
    result: concurrent.futures.Future[Any] = concurrent.futures.Future()
    context = contextvars.copy_context()

    def train() -> None:
        try:
            result.set_result(context.run(model.fit, *args, **kwargs))
        except BaseException as error:  # noqa: BLE001 - re-raised in the awaiting cell
            dashboard.end_failed_fit()   # Keras skipped on_train_end
            result.set_exception(error)

    # Installed here, in the cell's thread; the dashboard's controls take it at train begin.
    route = start_click_route(awaiting=True)
    dashboard.use_click_route(route)
    worker = threading.Thread(target=train, name="nbcallbacks-fit", daemon=True)
    worker.start()
    waiting = asyncio.wrap_future(result)
    try:
        return await _wait_awake(waiting, route)
    except asyncio.CancelledError:
        # First interrupt: stop gracefully and still hand back the History.
        dashboard.signals.request_stop("interrupt")
        with InterruptGuard(on_first=dashboard.signals.request_hard_stop):
            history = await _wait_uncancelled(waiting, route)
        _uncancel_current_task()
        return history
    finally:
        route.stop()
        dashboard.use_click_route(None)


async def _wait_awake(waiting: asyncio.Future[Any], route: ClickRoute) -> Any:
    """Await ``waiting`` without cancelling it, waking every 0.1 s.

    SIGINT is delivered to any thread of the process, often one of
    TensorFlow's. Python runs the handler only when the main thread executes
    bytecode, and an idle event loop may sleep in ``epoll`` for a long time:
    waking it regularly lets the kernel's interrupt handler run promptly.
    """
    while not waiting.done():
        await asyncio.wait({waiting}, timeout=0.1)
        await route.pump_async()
    return waiting.result()


async def _wait_uncancelled(waiting: asyncio.Future[Any], route: ClickRoute) -> Any:
    while True:
        try:
            return await _wait_awake(waiting, route)
        except asyncio.CancelledError:
            if waiting.done():
                return waiting.result()
            _uncancel_current_task()


def _uncancel_current_task() -> None:
    # The cell's task was asked to cancel; we handled it by stopping training.
    task = asyncio.current_task()
    # Task.uncancel and Task.cancelling: both Python 3.11+ (both checked for the type checker).
    if task is not None and hasattr(task, "uncancel") and hasattr(task, "cancelling"):
        while task.cancelling():
            task.uncancel()
