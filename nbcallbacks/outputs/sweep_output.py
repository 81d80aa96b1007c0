"""The dashboard output that joins the cell's sweep (:mod:`nbcallbacks.outputs.cell_sweep`).

Only dashboards shown in a notebook join: a script or a terminal prints each run's
lines instead, and ``output="none"`` shows nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nbcallbacks.outputs.cell_sweep import CellSweep, cell_sweep
from nbcallbacks.outputs.dashboard_output import DashboardOutput

if TYPE_CHECKING:
    from nbcallbacks.compat.click_route import ClickRoute
    from nbcallbacks.dashboard.dashboard import Dashboard


class SweepOutput(DashboardOutput):
    """Tells the cell's sweep when ``dashboard`` starts and ends a fit.

    ``fold`` folds the dashboard's panel once a later run of the cell starts. The
    dashboard is held weakly: it owns this output.
    """

    name = "sweep"

    def __init__(self, dashboard: Dashboard, fold: Callable[[], None]) -> None:
        self._dashboard = weakref.ref(dashboard)
        self._fold = fold
        self._sweep: CellSweep | None = None

    def begin(self, model: Any, click_route: ClickRoute | None = None) -> None:
        dashboard = self._dashboard()
        if dashboard is not None:
            self._sweep = cell_sweep()
            self._sweep.begin(dashboard, dashboard.run_named, self._fold)

    def end(self, summary: str, png: bytes | None) -> None:
        dashboard = self._dashboard()
        if self._sweep is not None and dashboard is not None:
            self._sweep.end(dashboard)
        self._sweep = None
