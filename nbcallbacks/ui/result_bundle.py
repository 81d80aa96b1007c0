"""How a result shows as a cell's value: one rule for every object nbcallbacks returns.

A result (a ``Dashboard``, a ``CallbackTracer``, a ``SchedulePreview``, an
``InteractiveSchedule``, an ``LRRangeTest``, a run ``Comparison``) is shown by
the frontend from one mimebundle. Every one of them carries the same layers:

* ``text/plain``, always: what a terminal and ``print`` show;
* a static copy (``image/png``, ``text/html``) when the result has one: what a
  saved notebook shows on GitHub, nbviewer or a reopened Colab notebook;
* the live widget's view, only where widgets are drawn (a Jupyter kernel with
  ipywidgets): a widget frontend prefers it to the static copy.

The widget is given as a function, so it is built only where it is shown:
scripts and terminals never import the widget stack.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from nbcallbacks.compat.ipywidgets_versions import widget_mimebundle
from nbcallbacks.notebook.frontend import detect_frontend


def result_mimebundle(text: str, *, png: bytes | None = None, html: str | None = None,
                      widget: Callable[[], Any] | None = None,
                      shows_widgets: bool | None = None) -> dict[str, Any]:
    """The display bundle of a result: its text, its static copy, its live widget.

    Args:
        text: the ``text/plain`` form (``str(result)``).
        png: a picture for static viewers, or None.
        html: an HTML copy for static viewers, or None.
        widget: a function returning the live widget, or None; called only
            when widgets are shown.
        shows_widgets: whether this frontend draws widgets (default: detected
            from the running process; a result whose owner chose "widget"
            output passes True).

    Example:
        >>> bundle = result_mimebundle("LRRangeTest: 40 steps", png=b"\\x89PNG")
        >>> sorted(bundle), bundle["image/png"]
        (['image/png', 'text/plain'], 'iVBORw==')
        >>> import ipywidgets
        >>> bundle = result_mimebundle("box", widget=lambda: ipywidgets.VBox(),
        ...                            shows_widgets=True)
        >>> sorted(bundle)
        ['application/vnd.jupyter.widget-view+json', 'text/plain']
    """
    bundle: dict[str, Any] = {}
    if png is not None:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    if html is not None:
        bundle["text/html"] = html
    if widget is not None and (detect_frontend().shows_widgets if shows_widgets is None
                               else shows_widgets):
        view = widget_mimebundle(widget())
        view.pop("text/plain", None)
        bundle.update(view)
    bundle["text/plain"] = text
    return bundle
