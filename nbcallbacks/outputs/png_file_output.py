"""``png_path``: keep a PNG file of the current plot, for scripts, CI logs and saved runs.

The file is replaced atomically (written beside it, then renamed), so a
viewer or a sync tool never reads half a PNG. A write that fails (the path is
a directory, the disk is full, no permission) leaves no temporary file
behind, raises one clear error for the dashboard to report once, and is not
announced as written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nbcallbacks.outputs.dashboard_output import DashboardOutput

if TYPE_CHECKING:
    from nbcallbacks.compat.click_route import ClickRoute


class PngWriteError(OSError):
    """The plot could not be written to ``png_path``; the message names the fix."""


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it.

    Raises:
        PngWriteError: the file could not be written (no temporary file is left).

    Example:
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> write_atomically(os.path.join(folder, "plot.png"), b"png bytes")
        >>> write_atomically(folder, b"png bytes")
        Traceback (most recent call last):
        ...
        nbcallbacks.outputs.png_file_output.PngWriteError: png_path '...' is a directory: ...
        >>> sorted(os.listdir(folder))
        ['plot.png']
    """
    if os.path.isdir(path):
        raise PngWriteError(f"png_path {path!r} is a directory: give a file name, e.g. "
                            f"png_path={os.path.join(path, 'dashboard.png')!r}")
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as error:
        try:
            os.remove(temporary)
        except OSError:
            pass  # never created
        raise PngWriteError(f"could not write png_path {path!r} ({type(error).__name__}: "
                            f"{error}): give a path in a folder you can write to") from error


class PngFileOutput(DashboardOutput):
    """Write every frame to ``path``; at the end, say where the plot is (if it is there).

    Args:
        path: the PNG file.
        announce: optional ``announce(text)`` for the closing line (the console
            output's ``note``); None says nothing.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "plot.png")
        >>> said = []
        >>> output = PngFileOutput(path, announce=said.append)
        >>> output.frame(b"png bytes"); output.end("Training: 1 epochs", b"png bytes")
        >>> said == [f"dashboard plot written to {path}"]
        True
    """

    name = "png file"
    wants_frames = True

    def __init__(self, path: str, announce: Callable[[str], object] | None = None) -> None:
        self.path = path
        self._announce = announce
        self._written = False   # the latest frame is in the file

    def begin(self, model: Any, click_route: ClickRoute | None = None) -> None:
        self._written = False

    def frame(self, png: bytes) -> None:
        self._written = False
        write_atomically(self.path, png)
        self._written = True

    def end(self, summary: str, png: bytes | None) -> None:
        if self._written and self._announce is not None:
            self._announce(f"dashboard plot written to {self.path}")
