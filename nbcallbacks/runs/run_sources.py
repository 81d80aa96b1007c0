"""Turning whatever a person has from training into runs: :func:`load_runs`.

Accepted, in any mix: a ``Dashboard`` (live or finished), its ``history`` (a
``MetricStore``), a Keras ``History`` (what ``fit`` returns) or its
``.history`` dict, a run directory written with ``Dashboard(log_dir=...)`` or
the ``log_dir`` holding several, a ``CSVLogger`` file, a directory written by
``keras.callbacks.TensorBoard``, and lists of these. Reading never changes
anything on disk.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbcallbacks.records.metric_store import MetricStore
from nbcallbacks.runs.fit_hyperparameters import fit_hyperparameters
from nbcallbacks.runs.run_directory import is_run_directory, read_run_directory
from nbcallbacks.runs.run_record import RunRecord, fit_ending
from nbcallbacks.runs.tensorboard_logs import is_tensorboard_directory, read_tensorboard_directory

if TYPE_CHECKING:
    from nbcallbacks.dashboard.dashboard import Dashboard


def load_runs(*sources: object) -> list[RunRecord]:
    """Every run in ``sources``, in order, each with a distinct name.

    Two runs with the same name keep both: the later one is called ``name (2)``.
    A run file with unreadable lines loads every complete row and warns how many
    lines it skipped.

    Example:
        >>> runs = load_runs({"loss": [0.9, 0.5]}, {"loss": [0.8, 0.6]})
        >>> [run.name for run in runs], runs[1].history.epoch_values("loss").tolist()
        (['run 1', 'run 2'], [0.800000011920929, 0.6000000238418579])
    """
    runs: list[RunRecord] = []
    for source in sources:
        runs.extend(_runs_of(source, default_name=f"run {len(runs) + 1}"))
    taken: set[str] = set()
    unique: list[RunRecord] = []
    for run in runs:
        if run.skipped_lines:
            warnings.warn(f"run {run.name!r} ({run.source}): {run.skipped_lines} unreadable "
                          f"line(s) skipped; every complete row was loaded", stacklevel=2)
        name, number = run.name, 2
        while name in taken:
            name, number = f"{run.name} ({number})", number + 1
        if name != run.name:   # a copy: the caller's record (a Dashboard's run) keeps its name
            run = dataclasses.replace(run, name=name)
        taken.add(name)
        unique.append(run)
    return unique


def _runs_of(source: Any, default_name: str) -> list[RunRecord]:
    if isinstance(source, RunRecord):
        return [source]
    if isinstance(getattr(source, "history", None), MetricStore) and hasattr(source, "run"):
        # A Dashboard (not imported: it is a layer above), and its copies: the trials of
        # a KerasTuner search (the dashboard given to the search never trains itself).
        dashboards = [source] if source.history.fits or not source.copies else []
        return [dashboard_run(d) for d in dashboards + list(source.copies)]
    if isinstance(source, MetricStore):
        return [RunRecord(default_name, source, source="MetricStore")]
    if isinstance(source, (list, tuple)):
        return [run for item in source for run in _runs_of(item, default_name)]
    if isinstance(source, (str, os.PathLike)):
        return _runs_at(Path(os.fspath(source)))
    history = getattr(source, "history", None)
    if isinstance(history, dict) and hasattr(source, "epoch"):   # keras.callbacks.History
        model = getattr(source, "model", None)
        params = getattr(source, "params", None) or {}
        found = fit_hyperparameters(model, epochs=params.get("epochs")) if model else {}
        return [RunRecord(default_name, _store_of_epochs(history, list(source.epoch)),
                          hyperparameters=found, source="History")]
    if isinstance(source, dict):
        return [RunRecord(default_name, _store_of_epochs(source), source="dict")]
    raise TypeError(f"cannot compare a {type(source).__name__}: give Dashboards, Keras "
                    f"History objects (what fit returns), history dicts, CSVLogger files, "
                    f"TensorBoard log directories or run directories (Dashboard(log_dir=...))")


def dashboard_run(dash: Dashboard) -> RunRecord:
    """A ``Dashboard``'s run as it is now (live or finished)."""
    fits = dash.history.fits
    status = fit_ending(fits[-1] if fits else None, list(dash.events),
                        error=dash.ended_by_error)
    return RunRecord(dash.run, dash.history, hyperparameters=dash.fit_hyperparameters(),
                     status=status, seconds=dash.history.training_seconds() if fits else None,
                     source="Dashboard")


def _runs_at(path: Path) -> list[RunRecord]:
    if not path.exists():
        raise ValueError(f"{str(path)!r} does not exist: give a run directory, a log_dir of "
                         f"runs, a CSVLogger file or a TensorBoard log directory")
    if path.is_file():
        return [_read_csv_log(path)]
    if is_run_directory(path):
        return [read_run_directory(path)]
    runs = sorted((p for p in path.iterdir() if is_run_directory(p)),
                  key=lambda p: (os.stat(p / "run.json").st_mtime, p.name))
    if runs:
        return [read_run_directory(p) for p in runs]
    if is_tensorboard_directory(path):
        return [read_tensorboard_directory(path)]
    found = sorted(p.name + ("/" if p.is_dir() else "") for p in path.iterdir())[:8]
    raise ValueError(f"{str(path)!r} is neither a run directory (run.json), a log_dir of runs, "
                     f"nor a TensorBoard log directory (events.out.tfevents.*): it holds "
                     f"{', '.join(found) or 'nothing'}")


def _read_csv_log(path: Path) -> RunRecord:
    """A ``CSVLogger`` file (an ``epoch`` column, one row per epoch)."""
    try:
        with open(path, newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            header = reader.fieldnames or []
            if "epoch" not in header:
                raise ValueError(f"{str(path)!r} is not a CSVLogger file: its first line has no "
                                 f"'epoch' column (found {header[:8]!r})")
            rows, skipped = [], 0
            for row in reader:
                try:
                    epoch = int(row["epoch"])
                    values = {k: _number(v) for k, v in row.items() if k and k != "epoch"}
                except (TypeError, ValueError):
                    skipped += 1
                    continue
                rows.append({"epoch": epoch, "step": epoch + 1, **values})
    except UnicodeDecodeError as error:
        raise ValueError(f"{str(path)!r} is not a text file (a CSVLogger file, a run directory "
                         f"or a TensorBoard log directory was expected)") from error
    return RunRecord(path.stem, MetricStore.from_rows(epochs=rows), source=str(path),
                     skipped_lines=skipped)


def _number(text: str) -> float:
    return math.nan if text in ("", None) else float(text)


def _store_of_epochs(history: dict, epochs: list[int] | None = None) -> MetricStore:
    lengths = {len(v) for v in history.values() if hasattr(v, "__len__")}
    count = max(lengths, default=0)
    epochs = epochs if epochs and len(epochs) == count else list(range(count))
    rows = []
    for index, epoch in enumerate(epochs):
        row: dict[str, float] = {"epoch": epoch, "step": epoch + 1}
        for key, values in history.items():
            if hasattr(values, "__len__") and index < len(values):
                try:
                    row[key] = float(values[index])
                except (TypeError, ValueError):
                    pass
        rows.append(row)
    return MetricStore.from_rows(epochs=rows)
