"""Show a widget in each cell that uses it, once, and give saved notebooks a static copy.

A dashboard or tracer reused by several cells appears in each of them (the
same live widget), but only once per cell however many ``fit`` calls the cell
makes. At the end of a run the display is updated in place with a bundle that
also carries static content (a PNG, HTML): widget frontends keep the live
view, static viewers (GitHub, nbviewer, nbconvert) show the copy.
"""

from __future__ import annotations

from collections.abc import Callable

from nbcallbacks.notebook.frontend import current_cell_id

_NOWHERE = object()   # no cell id equals it: the first show() always displays


class CellDisplay:
    """One display output per cell for the bundle ``make_bundle()`` returns.

    Example:
        >>> shown = CellDisplay(lambda: {"text/plain": "dashboard"})
        >>> shown.update()        # nothing displayed yet: nothing to update
        >>> shown.displayed
        False
    """

    def __init__(self, make_bundle: Callable[[], dict]) -> None:
        self._make_bundle = make_bundle
        self._cell = _NOWHERE
        self._handle = None

    @property
    def displayed(self) -> bool:
        return self._handle is not None

    def show(self) -> None:
        """Display in the current cell, unless already displayed there."""
        cell = current_cell_id()
        # Outside a kernel there is no cell id: every call displays.
        if cell != self._cell or cell is None:
            from IPython.display import display

            self._cell = cell
            self._handle = display(self._make_bundle(), raw=True, display_id=True)

    def update(self) -> None:
        """Replace the latest display's content with a fresh bundle (e.g. with a static copy)."""
        if self._handle is not None:
            self._handle.update(self._make_bundle(), raw=True)
