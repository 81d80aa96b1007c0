"""Which chart a dashboard's panel shows: the browser chart or PNG frames drawn in the kernel.

``Dashboard(chart="auto")`` takes the browser chart wherever the frontend can show it,
except where decided here, before any widget exists:

* **Colab** keeps PNG frames: creating the first anywidget there switches the whole
  notebook to Colab's CDN-loaded custom widget manager (which renders some widgets
  differently and loads from the network), and the browser chart has not been proven
  on hosted Colab yet. In PNG mode no anywidget is created, so nothing is switched.
* Without the ``anywidget`` package (an environment that left it out) PNG frames it is,
  and ``chart="browser"`` says how to fix it.
* Outside a Jupyter kernel (widgets asked for in a script or a test) no browser can draw
  anything: PNG frames.

A chart that is chosen but never draws (anywidget installed into an already running
Jupyter server, a frontend without its extension) is caught later, by the panel's
render timeout (:mod:`nbcallbacks.outputs.widget_output`).
"""

from __future__ import annotations

import importlib.util

from nbcallbacks.notebook.frontend import Frontend

CHARTS = ("auto", "browser", "png")


def check_chart(requested: str) -> str:
    """``requested`` when it is one of :data:`CHARTS`, else a ValueError saying so."""
    if requested not in CHARTS:
        raise ValueError(f"chart must be one of {CHARTS}, got {requested!r}")
    return requested


def choose_chart(requested: str, frontend: Frontend) -> tuple[str, str | None]:
    """``("browser" | "png", why PNG when "auto" chose it, else None)``.

    Example:
        >>> from nbcallbacks.notebook.frontend import Frontend
        >>> choose_chart("auto", Frontend(kernel=True, name="jupyter", widgets=True))
        ('browser', None)
        >>> choose_chart("auto", Frontend(kernel=True, name="colab", widgets=True))[0]
        'png'
        >>> choose_chart("auto", Frontend(kernel=False, name="script", widgets=True))[0]
        'png'
        >>> choose_chart("sparkly", Frontend(kernel=True, name="jupyter", widgets=True))
        Traceback (most recent call last):
        ValueError: chart must be one of ('auto', 'browser', 'png'), got 'sparkly'
    """
    if check_chart(requested) == "png":
        return "png", None
    if importlib.util.find_spec("anywidget") is None:
        if requested == "browser":
            raise ImportError("Dashboard(chart='browser') needs the anywidget package: "
                              "pip install 'anywidget>=0.9.21' (then restart the kernel and "
                              "reload the page), or use chart='png'.")
        return "png", "anywidget is not installed"
    if requested == "auto" and frontend.name == "colab":
        return "png", "on Colab the chart is drawn as PNG frames"
    if requested == "auto" and not frontend.kernel:
        return "png", "no notebook frontend"
    return "browser", None
