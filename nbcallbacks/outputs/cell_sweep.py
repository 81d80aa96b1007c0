"""A sweep written the plain way: the dashboards one cell trains, gathered into one comparison.

A loop of ``fit`` calls in one cell, each with its own ``Dashboard``, is how people
write a sweep::

    for rate in (1e-1, 1e-2, 1e-3):
        make_model(rate).fit(x, y, epochs=10, callbacks=[Dashboard(run=f"lr={rate:g}")])

When the second dashboard of a cell starts, the cell shows one comparison of the
cell's runs (:func:`~nbcallbacks.runs.comparison.compare`), each later run joins it as it
starts, and the panels of the runs that finished fold to their status line: the cell
shows one chart of every run and the panel (controls, live chart) of the run training
now. Runs without a name are named by what differs between them (``lr=0.01``).

The sweep keeps what finished runs recorded (their :class:`RunRecord`), never the
dashboards or models themselves: a dashboard made inside the loop is freed after its fit.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from nbcallbacks.notebook.cell_display import CellDisplay
from nbcallbacks.notebook.frontend import current_cell_id
from nbcallbacks.runs.comparison import Comparison
from nbcallbacks.runs.run_record import RunRecord
from nbcallbacks.runs.run_sources import dashboard_run

if TYPE_CHECKING:
    from nbcallbacks.dashboard.dashboard import Dashboard

# How a hyperparameter is written in a run name made from what differs.
SHORT_NAMES = {"learning_rate": "lr", "batch_size": "batch", "optimizer": "opt"}

_current: CellSweep | None = None


def cell_sweep() -> CellSweep:
    """The sweep of the cell being executed (a new one when another cell runs).

    Example:
        >>> cell_sweep() is cell_sweep()     # outside a kernel: no cell, a new sweep each time
        False
    """
    global _current
    cell = current_cell_id()
    if _current is None or cell is None or _current.cell != cell:
        _current = CellSweep(cell)
    return _current


@dataclasses.dataclass
class SweepRun:
    """One run of a sweep: its dashboard while it trains, its record once it ended."""

    dashboard: Dashboard | None
    named: bool                  # the person (or KerasTuner) named it
    hyperparameters: dict
    fold: Callable[[], None]     # fold its panel to the status line
    record: RunRecord | None = None
    # Which dashboard it is, also once it ended (a dashboard reused by the cell's next fit
    # continues its run), without keeping it alive.
    identity: weakref.ref[Dashboard] | None = None

    folded: bool = False

    def belongs_to(self, dashboard: Dashboard) -> bool:
        return self.identity is not None and self.identity() is dashboard


class CellSweep:
    """The runs one cell trains, shown as one comparison from the second run on.

    Example:
        >>> sweep = CellSweep(cell=None)
        >>> sweep.runs, sweep.comparison
        ([], None)
    """

    def __init__(self, cell: object) -> None:
        self.cell = cell
        self.runs: list[SweepRun] = []
        self.comparison: Comparison | None = None
        self._display: CellDisplay | None = None

    def begin(self, dashboard: Dashboard, named: bool, fold: Callable[[], None] = lambda: None
              ) -> None:
        """``dashboard`` starts a fit in this cell: the comparison shows it from now on."""
        run = self._run_of(dashboard)
        if run is None:
            run = SweepRun(dashboard, named, dashboard.fit_hyperparameters(), fold,
                           identity=weakref.ref(dashboard))
            self.runs.append(run)
        else:   # a second fit of the same dashboard continues its run
            run.dashboard, run.record = dashboard, None
        if len(self.runs) < 2:
            return
        self._name_runs()
        for other in self.runs:   # every panel but the training one's (it may be an earlier run)
            if other is not run and not other.folded:
                other.fold()
                other.folded = True
        if self.comparison is None:
            self.comparison = Comparison(self._sources(), chart=dashboard.chart)
            self._display = CellDisplay(self.comparison._repr_mimebundle_)
            self._display.show()
        else:
            self.comparison.show_sources(self._sources())

    def end(self, dashboard: Dashboard) -> None:
        """``dashboard``'s fit ended: keep its record (not the dashboard), refresh the view
        and the copy saved notebooks keep."""
        run = self._run_of(dashboard)
        if run is None:
            return
        run.record = dashboard_run(dashboard)
        run.dashboard = None
        if self.comparison is not None:
            self.comparison.show_sources(self._sources())
            assert self._display is not None   # made with the comparison
            self._display.update()

    def _run_of(self, dashboard: Dashboard) -> SweepRun | None:
        return next((run for run in self.runs if run.belongs_to(dashboard)), None)

    def _sources(self) -> list:
        return [run.dashboard if run.dashboard is not None else run.record for run in self.runs]

    def _name_runs(self) -> None:
        """Name the runs nobody named by the hyperparameters that differ between them."""
        unnamed = [run for run in self.runs if not run.named]
        if not unnamed:
            return
        names = names_by_difference([run.hyperparameters for run in self.runs])
        for run, name in zip(self.runs, names):
            if run.named:
                continue
            if run.dashboard is not None:
                run.dashboard.run = name
            else:
                assert run.record is not None   # a run without its dashboard has ended
                run.record = dataclasses.replace(run.record, name=name)


def names_by_difference(settings: list[dict]) -> list[str]:
    """A name for each run from the settings that differ between them (``run 2`` when none do).

    Example:
        >>> names_by_difference([{"learning_rate": 0.1, "epochs": 5},
        ...                      {"learning_rate": 0.01, "epochs": 5}])
        ['lr=0.1', 'lr=0.01']
        >>> names_by_difference([{"epochs": 5}, {"epochs": 5}])
        ['run 1', 'run 2']
    """
    keys = list(dict.fromkeys(key for setting in settings for key in setting))
    differing = [key for key in keys
                 if len({repr(setting.get(key)) for setting in settings}) > 1]
    names = []
    for index, setting in enumerate(settings):
        parts = [f"{SHORT_NAMES.get(key, key)}={_short(setting.get(key))}" for key in differing]
        names.append(", ".join(parts) if parts else f"run {index + 1}")
    return names


def _short(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
