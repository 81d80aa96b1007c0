"""Call something after each notebook cell ends, including a cell that raised.

Keras calls ``on_train_end`` only when ``fit`` returns: a fit that raises (a
shape error in epoch 3, a callback's exception, a second interrupt) skips it, so
the dashboard would keep its controls live and its status line at "training".
IPython's ``post_run_cell`` event fires after every cell, whatever its outcome
(public API since IPython 7; used on 7.34, Colab's, and 9.x). It also fires
for cells that a kernel subshell runs on another thread while the main cell is
still training, so the callback must check where it was called from.
"""

from __future__ import annotations

from collections.abc import Callable

from nbcallbacks.notebook.running_kernel import running_shell


def after_each_cell(callback: Callable[[], object]) -> Callable[[], None]:
    """Call ``callback()`` after every cell from now on; return the function that stops it.

    Outside IPython nothing is registered and the stop function does nothing.

    Example:
        >>> stop = after_each_cell(lambda: None)   # no IPython here: a no-op
        >>> stop()
    """
    shell = running_shell()
    events = getattr(shell, "events", None)
    if events is None:
        return lambda: None

    # post_run_cell passes a result on IPython >= 7
    def after_cell(*args: object, **kwargs: object) -> None:
        callback()

    events.register("post_run_cell", after_cell)

    def stop() -> None:
        try:
            events.unregister("post_run_cell", after_cell)
        except ValueError:  # already gone
            pass

    return stop
