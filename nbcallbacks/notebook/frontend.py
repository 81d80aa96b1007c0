"""Where is this code running? Decided once, so each output path stays simple.

The dashboard needs to know whether a widget frontend can be reached (a
Jupyter kernel: JupyterLab, Notebook 7, VS Code, Colab, a headless nbclient
run) or whether it should print lines to a terminal (``python train.py``, the
IPython terminal).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from nbcallbacks.notebook.running_kernel import running_shell


@dataclass(frozen=True)
class Frontend:
    """What the code runs in.

    Attributes:
        kernel: inside a Jupyter kernel (widgets can be displayed).
        name: ``"colab"``, ``"vscode"``, ``"jupyter"`` (Lab, Notebook 7 or a
            headless client; the kernel cannot tell these apart),
            ``"ipython-terminal"`` or ``"script"``.
        widgets: ipywidgets is importable.
    """

    kernel: bool
    name: str
    widgets: bool

    @property
    def shows_widgets(self) -> bool:
        """Whether a widget displayed here is drawn (a kernel with ipywidgets)."""
        return self.kernel and self.widgets


# What a Dashboard or CallbackTracer shows: chosen with output_mode().
OUTPUT_MODES = ("auto", "widget", "console", "none")


def check_output_mode(requested: str) -> str:
    """``requested`` when it is one of :data:`OUTPUT_MODES`, else a ValueError saying so."""
    if requested not in OUTPUT_MODES:
        raise ValueError(f"output must be one of {OUTPUT_MODES}, got {requested!r}")
    return requested


def output_mode(requested: str, frontend: Frontend | None = None) -> str:
    """``"widget"``, ``"console"`` or ``"none"``: ``"auto"`` decided for ``frontend``.

    Example:
        >>> output_mode("auto", Frontend(kernel=True, name="jupyter", widgets=True))
        'widget'
        >>> output_mode("auto", Frontend(kernel=False, name="script", widgets=True))
        'console'
        >>> output_mode("loud")
        Traceback (most recent call last):
        ValueError: output must be one of ('auto', 'widget', 'console', 'none'), got 'loud'
    """
    if check_output_mode(requested) != "auto":
        return requested
    frontend = frontend or detect_frontend()
    return "widget" if frontend.shows_widgets else "console"


def detect_frontend() -> Frontend:
    """Inspect the running process.

    Example:
        >>> detect_frontend().name in {"script", "ipython-terminal", "jupyter", "vscode", "colab"}
        True
    """
    shell = running_shell()
    kernel = shell is not None and getattr(shell, "kernel", None) is not None
    try:
        import ipywidgets  # noqa: F401

        widgets = True
    except ImportError:
        widgets = False
    if not kernel:
        name = "ipython-terminal" if shell is not None else "script"
    elif "google.colab" in sys.modules:
        name = "colab"
    elif "VSCODE_PID" in os.environ or "VSCODE_CWD" in os.environ:
        name = "vscode"
    else:
        name = "jupyter"
    return Frontend(kernel=kernel, name=name, widgets=widgets)


def current_cell_id() -> object:
    """An identifier of the cell being executed (its execution count), or None."""
    shell = running_shell()
    return getattr(shell, "execution_count", None) if shell is not None else None
