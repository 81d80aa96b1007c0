"""A run on disk: the directory ``Dashboard(log_dir=...)`` writes while it trains.

Layout (format version 1)::

    runs/                  the log_dir
      lr=0.01/             one directory per run, named after it
        run.json           {"format": "nbcallbacks-run", "version": 1, "name": ...,
                            "hyperparameters": {...}, "status": "running" | "finished" | ...,
                            "started": "2026-12-03T14:05:00+00:00", "seconds": 12.5}
        metrics.jsonl      one JSON object a line, appended as training goes:
                            {"kind": "batch", "step": 0, "epoch": 0, "batch": 0,
                             "seconds": 0.02, "loss": 0.69}
                            {"kind": "epoch", "step": 8, "epoch": 0, "seconds": 0.2,
                             "loss": 0.6, "val_loss": 0.7}
                            {"kind": "learning_rate", "step": 0, "epoch": 0.0,
                             "seconds": 0.0, "learning_rate": 0.01}
        events.jsonl       {"step": 8, "epoch": 0, "kind": "checkpoint", "message": ...}

``metrics.jsonl`` holds plain JSON numbers (NaN and infinities as ``NaN`` /
``Infinity``, which Python's ``json`` and pandas read): ``pandas.read_json(path,
lines=True)`` gives every row, ``.query("kind == 'epoch'")`` the table
``CSVLogger`` would have written. ``run.json`` is replaced whole (written to a
temporary file, then renamed), the ``.jsonl`` files are only appended to and
flushed a few times a second, so a killed process loses at most the last
second and a reader never sees a torn ``run.json``. A reader skips a last line
still being written; other unreadable lines are skipped and counted.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

from nbcallbacks.records.events import Event
from nbcallbacks.records.metric_store import MetricStore
from nbcallbacks.runs.run_record import RunRecord

FORMAT = "nbcallbacks-run"
VERSION = 1
RUN_FILE, METRICS_FILE, EVENTS_FILE = "run.json", "metrics.jsonl", "events.jsonl"
_KIND_TABLES = {"batch": "batches", "epoch": "epochs", "learning_rate": "learning_rates"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def directory_name(name: str) -> str:
    """A run's name as a directory name on every system (``/`` and the like -> ``_``).

    Example:
        >>> directory_name("lr=0.01"), directory_name("a/b: c")
        ('lr=0.01', 'a_b_ c')
    """
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned or "run"


def is_run_directory(path: str | os.PathLike[str]) -> bool:
    return (Path(path) / RUN_FILE).is_file()


class RunDirectoryWriter:
    """Appends one run's rows and events to its directory as training goes.

    The writer never replaces a run that is on disk: a name already used in
    ``log_dir`` gets a suffix (``lr=0.01 (2)``), and the name it got is
    :attr:`name`.

    Example:
        >>> import tempfile
        >>> store = MetricStore()
        >>> writer = RunDirectoryWriter(tempfile.mkdtemp(), "lr=0.01", {"learning_rate": 0.01})
        >>> store.record_epoch(0, {"loss": 0.5})
        >>> writer.write_new_rows(store)
        >>> writer.finish("finished", seconds=1.5)
        >>> run = read_run_directory(writer.path)
        >>> run.name, run.status, run.history.epoch_values("loss").tolist()
        ('lr=0.01', 'finished', [0.5])
    """

    def __init__(self, log_dir: str | os.PathLike[str], name: str,
                 hyperparameters: dict | None = None) -> None:
        root = Path(os.fspath(log_dir))
        if root.exists() and not root.is_dir():
            raise ValueError(f"log_dir {str(root)!r} is a file: give a directory for the runs, "
                             f"e.g. log_dir='runs/'")
        root.mkdir(parents=True, exist_ok=True)
        self.name = name
        for number in range(2, 10_000):
            try:   # mkdir without exist_ok: two kernels cannot take the same name
                (root / directory_name(self.name)).mkdir()
                break
            except FileExistsError:
                self.name = f"{name} ({number})"
        self.path = root / directory_name(self.name)
        self.meta: dict[str, Any] = {
            "format": FORMAT, "version": VERSION, "name": self.name,
            "hyperparameters": _plain(hyperparameters or {}), "status": "running",
            "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "seconds": None}
        self._written = {table: 0 for table in _KIND_TABLES.values()}
        self._metrics = open(self.path / METRICS_FILE, "a", encoding="utf-8")
        self._events = open(self.path / EVENTS_FILE, "a", encoding="utf-8")
        self._write_meta()

    def update(self, **meta: object) -> None:
        """Change run.json's fields (``status``, ``hyperparameters``, ``seconds``)."""
        self.meta.update(_plain(meta))
        self._write_meta()

    def write_new_rows(self, store: MetricStore) -> None:
        """Append the rows ``store`` recorded since the last call, and flush."""
        lines = []
        for kind, table_name in _KIND_TABLES.items():
            snap = getattr(store, table_name).snapshot()
            start = self._written[table_name]
            if snap.rows <= start:
                continue
            columns = {n: snap.column_from(n, start).tolist() for n in snap.names}
            for i in range(snap.rows - start):
                row: dict[str, str | float] = {"kind": kind}
                for name, values in columns.items():
                    value = values[i]
                    if name in ("step", "batch") or (name == "epoch" and kind != "learning_rate"):
                        row[name] = int(value)
                    else:   # NaN stays NaN: a loss that went NaN is part of the story
                        row[name] = value
                lines.append(json.dumps(row))
            self._written[table_name] = snap.rows
        if lines:
            self._metrics.write("\n".join(lines) + "\n")
            self._metrics.flush()

    def write_event(self, event: Event) -> None:
        self._events.write(json.dumps({"step": event.step, "epoch": event.epoch,
                                       "kind": event.kind, "message": event.message,
                                       "time": event.time}) + "\n")
        self._events.flush()

    def finish(self, status: str, seconds: float | None = None) -> None:
        """A fit ended: flush and record how (the files stay open for a next fit)."""
        self._metrics.flush()
        self._events.flush()
        self.update(status=status, seconds=seconds)

    def close(self) -> None:
        self._metrics.close()
        self._events.close()

    def _write_meta(self) -> None:
        temporary = self.path / f"{RUN_FILE}.tmp-{os.getpid()}"
        temporary.write_text(json.dumps(self.meta, indent=1), encoding="utf-8")
        os.replace(temporary, self.path / RUN_FILE)


def read_run_directory(path: str | os.PathLike[str]) -> RunRecord:
    """The run a :class:`RunDirectoryWriter` wrote (or is writing) in ``path``.

    A run whose ``run.json`` still says ``"running"`` while no process writes it
    reads as written so far; its status says ``"running"`` (the comparison calls
    it interrupted when the writer is gone: it cannot know that).
    """
    path = Path(path)
    meta = json.loads((path / RUN_FILE).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{str(path / RUN_FILE)!r} is not an nbcallbacks run file "
                         f"(format {meta.get('format')!r})")
    rows: dict[str, list[dict[str, float]]] = {table: [] for table in _KIND_TABLES.values()}
    skipped = 0
    for line in _complete_lines(path / METRICS_FILE):
        try:
            row = json.loads(line)
            rows[_KIND_TABLES[row.pop("kind")]].append(row)
        except (ValueError, KeyError, AttributeError, TypeError):
            skipped += 1
    store = MetricStore.from_rows(rows["batches"], rows["epochs"], rows["learning_rates"])
    return RunRecord(meta.get("name") or path.name, store,
                     hyperparameters=meta.get("hyperparameters") or {},
                     status=meta.get("status") or "", seconds=meta.get("seconds"),
                     source=str(path), skipped_lines=skipped)


def _complete_lines(path: Path) -> list[str]:
    """The file's lines that end with a newline (a last one being written is left out)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return [line for line in text.split("\n")[:-1] if line.strip()]


def _plain(value: object) -> Any:
    """``value`` with NumPy scalars turned into Python numbers, for JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        try:
            return value.item()
        except (TypeError, ValueError):
            return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
