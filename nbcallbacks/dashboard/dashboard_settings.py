"""What a :class:`~nbcallbacks.Dashboard` is made with: its arguments, checked at once.

Every argument is checked when the dashboard is made, not at the first ``fit``:
a mistake then shows in the cell that made it, before any training. What was
checked is kept, because KerasTuner deep-copies a search's callbacks for every
trial and each copy is made again from the same settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any

from nbcallbacks.chart.chart_choice import check_chart
from nbcallbacks.notebook.frontend import check_output_mode


@dataclass(frozen=True)
class DashboardSettings:
    """A dashboard's arguments, checked and normalised; the defaults are ``Dashboard``'s.

    Made by :func:`dashboard_settings`: ``metrics`` is a tuple (or None: every
    metric), the paths are strings, the numbers floats, the switches booleans.

    Example:
        >>> from pathlib import Path
        >>> settings = dashboard_settings(metrics="loss", png_path=Path("plot.png"), scale=2)
        >>> settings.metrics, settings.png_path, settings.scale, settings.run
        (('loss',), 'plot.png', 2.0, None)
        >>> dashboard_settings(**settings.arguments()) == settings   # what a copy is made with
        True
    """

    metrics: tuple[str, ...] | None = None
    per_batch: bool = True
    redraw_interval: float = 1.0
    max_busy: float = 0.03
    output: str = "auto"
    png_path: str | None = None
    title: str | None = None
    width: int = 960
    max_points: int = 2000
    controls: bool = True
    save_path: str = "checkpoints/manual.keras"
    max_control_delay: float = 0.25
    chart: str = "auto"
    scale: float = 1.0
    run: str | None = None      # None: the dashboard names the run when it is made
    log_dir: str | None = None
    hyperparameters: dict[str, Any] = field(default_factory=dict)

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments that make a ``Dashboard`` with these settings."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def dashboard_settings(**given: Any) -> DashboardSettings:
    """``Dashboard``'s keyword arguments, checked and normalised (the ones not given take
    its defaults). A wrong one raises ``ValueError`` saying what was given and what would
    do; they are checked in a fixed order, so the same mistake always gives the same message.

    Example:
        >>> dashboard_settings(scale=10)
        Traceback (most recent call last):
        ValueError: scale must be a number from 0.5 to 4 (1.5 reads on a projector), got 10
        >>> dashboard_settings(hyperparameters=[("dropout", 0.2)])
        Traceback (most recent call last):
        ValueError: hyperparameters must be a dict, e.g. {'dropout': 0.2}, got [('dropout', 0.2)]
    """
    arguments = {**DashboardSettings().arguments(), **given}
    check_output_mode(arguments["output"])
    check_chart(arguments["chart"])
    scale = arguments["scale"]
    if not (isinstance(scale, (int, float)) and 0.5 <= scale <= 4):
        raise ValueError(f"scale must be a number from 0.5 to 4 (1.5 reads on a "
                         f"projector), got {scale!r}")
    metrics = arguments["metrics"]
    if isinstance(metrics, str):
        metrics = [metrics]
    max_control_delay = arguments["max_control_delay"]
    if not max_control_delay >= 0:   # not `< 0`: NaN is refused too
        raise ValueError(f"max_control_delay must be >= 0 seconds, got {max_control_delay!r}")
    run = arguments["run"]
    if run is not None and not (isinstance(run, str) and run.strip()):
        raise ValueError(f"run must be a non-empty name, e.g. run='lr=0.01', got {run!r}")
    hyperparameters = arguments["hyperparameters"]
    if hyperparameters is not None and not isinstance(hyperparameters, dict):
        raise ValueError(f"hyperparameters must be a dict, e.g. {{'dropout': 0.2}}, "
                         f"got {hyperparameters!r}")
    log_dir = _path_or_none(arguments["log_dir"])
    if log_dir is not None and os.path.isfile(log_dir):
        raise ValueError(f"log_dir {log_dir!r} is a file: give a directory for the "
                         f"runs, e.g. log_dir='runs/'")
    return DashboardSettings(**{
        **arguments, "metrics": tuple(metrics) if metrics else None,
        "per_batch": bool(arguments["per_batch"]), "png_path": _path_or_none(arguments["png_path"]),
        "controls": bool(arguments["controls"]), "max_control_delay": float(max_control_delay),
        "scale": float(scale), "log_dir": log_dir, "hyperparameters": dict(hyperparameters or {})})


def _path_or_none(path: str | os.PathLike[str] | None) -> str | None:
    return os.fspath(path) if path is not None else None
