"""The metric store: every value a training run logged, per batch and per epoch.

The store knows nothing of Keras or Jupyter. An adapter feeds it the ``logs``
dicts it receives; renderers read snapshots of it, possibly from another thread.

Positions:
    * ``step`` counts training batches over the store's whole life, so several
      ``fit`` calls continue one curve.
    * ``epoch`` is the Keras epoch index (0-based, as ``on_epoch_end`` receives
      it); ``initial_epoch`` is respected because the adapter passes the index
      Keras gives.
    * ``seconds`` is the training time when the row was recorded: seconds spent
      inside ``fit`` calls since the first one (a pause counts, the time
      between two fits does not), for an x axis in time.
"""

from __future__ import annotations

import csv
import math
import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nbcallbacks.records.column_table import ColumnTable, TableSnapshot
from nbcallbacks.records.log_numbers import as_number

POSITION_COLUMNS = ("step", "epoch", "batch", "seconds")
# The tables a store holds, by the name ``to_pandas`` and ``to_csv`` take.
TABLE_KINDS = ("epoch", "batch", "learning_rate")


def numeric_logs(logs: Mapping[str, Any] | None) -> dict[str, float]:
    """The scalar numeric entries of a Keras ``logs`` dict (``None`` -> ``{}``)."""
    if not logs:
        return {}
    numbers: dict[str, float] = {}
    for key, value in logs.items():
        number = as_number(value)
        if number is not None:
            numbers[str(key)] = number
    return numbers


def _batch_row(queued: tuple) -> dict[str, float]:
    """The row of a batch queued by :meth:`MetricStore.record_batch`."""
    step, epoch, batch, seconds, logs = queued
    row = numeric_logs(logs)
    row.update(step=step, epoch=epoch, batch=batch, seconds=seconds)
    return row


@dataclass
class FitRecord:
    """One ``fit`` call: where it started and how it was configured."""

    first_step: int
    initial_epoch: int
    epochs: int | None
    steps_per_epoch: int | None
    last_step: int | None = None
    stopped_early: bool = False


@dataclass
class StoreSnapshot:
    """What a renderer needs, read at one moment."""

    batches: TableSnapshot
    epochs: TableSnapshot
    learning_rates: TableSnapshot
    batches_per_epoch: dict[int, int]
    fits: list[FitRecord] = field(default_factory=list)


class MetricStore:
    """Columnar history of a training run.

    Example:
        >>> store = MetricStore()
        >>> store.record_batch(epoch=0, batch=0, logs={"loss": 2.0})
        >>> store.record_batch(epoch=0, batch=1, logs={"loss": 1.0})
        >>> store.record_epoch(epoch=0, logs={"loss": 1.5, "val_loss": 1.7})
        >>> store.epoch_values("val_loss").tolist()
        [1.7000000476837158]
        >>> store.batch_values("loss").tolist(), store.steps
        ([2.0, 1.0], 2)
    """

    def __init__(self) -> None:
        # A batch is queued as it came (see record_batch) and made a row when read.
        self.batches = ColumnTable({"step": np.int64, "epoch": np.int32, "batch": np.int32,
                                    "seconds": np.float32}, to_row=_batch_row)
        # Epoch rows and learning-rate readings are few: small chunks.
        self.epochs = ColumnTable({"step": np.int64, "epoch": np.int32, "seconds": np.float32},
                                  chunk_rows=256)
        self.learning_rates = ColumnTable({"step": np.int64, "epoch": np.float64,
                                           "seconds": np.float32},
                                          default_dtype=np.float64, chunk_rows=1024)
        self.fits: list[FitRecord] = []
        self._batches_per_epoch: dict[int, int] = {}
        self._steps = 0
        self._seconds_before = 0.0   # training time of the fits that ended
        self._fit_began: float | None = None   # time.monotonic() when the running fit began
        self._lock = threading.Lock()

    # -- writing (the training thread) ---------------------------------------
    @property
    def steps(self) -> int:
        """Training batches recorded so far, over all fits."""
        return self._steps

    def training_seconds(self) -> float:
        """Seconds spent inside ``fit`` calls so far (the ``seconds`` of a row recorded now)."""
        began = self._fit_began
        return self._seconds_before + (time.monotonic() - began if began is not None else 0.0)

    def begin_fit(self, initial_epoch: int = 0, epochs: int | None = None,
                  steps_per_epoch: int | None = None) -> FitRecord:
        self._seconds_before = self.training_seconds()   # a fit that never said it ended
        self._fit_began = time.monotonic()
        record = FitRecord(self._steps, initial_epoch, epochs, steps_per_epoch)
        with self._lock:
            self.fits.append(record)
        return record

    def end_fit(self, stopped_early: bool = False) -> None:
        self._seconds_before = self.training_seconds()
        self._fit_began = None
        if self.fits:
            self.fits[-1].last_step = self._steps
            self.fits[-1].stopped_early = stopped_early

    def record_batch(self, epoch: int, batch: int, logs: Mapping[str, Any] | None) -> None:
        """Record the logs of one finished training batch.

        Called once per batch on the training thread, so it only queues what it was
        given (a copy of ``logs``: Keras may reuse the dict); the row is made when the
        table is read (see :mod:`~nbcallbacks.records.column_table`).
        """
        self.batches.append((self._steps, epoch, batch, self.training_seconds(),
                             dict(logs) if logs else None))
        self._steps += 1
        # One writer; readers copy the dict, which the GIL makes atomic: no lock needed.
        if batch >= self._batches_per_epoch.get(epoch, 0):
            self._batches_per_epoch[epoch] = batch + 1

    def record_epoch(self, epoch: int, logs: Mapping[str, Any] | None) -> None:
        """Record the end-of-epoch logs (training and ``val_`` values)."""
        row = numeric_logs(logs)
        row.update(step=self._steps, epoch=epoch, seconds=self.training_seconds())
        self.epochs.append(row)

    def record_learning_rate(self, epoch: float, rate: float, step: int | None = None) -> None:
        """Record the learning rate in effect at ``step`` (default: the current step).

        ``epoch`` is the position in epochs (e.g. ``2.5`` = half-way through the
        third epoch), used when the x axis shows epochs.
        """
        if rate is None or math.isnan(rate):  # also np.float32 NaN (not a float)
            return
        self.learning_rates.append({"step": self._steps if step is None else step,
                                    "epoch": epoch, "seconds": self.training_seconds(),
                                    "learning_rate": rate})

    # -- reading (any thread) --------------------------------------------------
    def snapshot(self) -> StoreSnapshot:
        with self._lock:
            per_epoch = dict(self._batches_per_epoch)
            fits = list(self.fits)
        return StoreSnapshot(self.batches.snapshot(), self.epochs.snapshot(),
                             self.learning_rates.snapshot(), per_epoch, fits)

    def batches_in_epoch(self, epoch: int) -> int:
        """Training batches recorded so far in ``epoch``."""
        with self._lock:
            return self._batches_per_epoch.get(epoch, 0)

    def metric_names(self) -> list[str]:
        """Every logged metric name, in first-seen order (positions excluded)."""
        names = []
        for table in (self.batches, self.epochs):
            for name in table.names:
                if name not in POSITION_COLUMNS and name not in names:
                    names.append(name)
        return names

    def batch_values(self, name: str) -> np.ndarray:
        return self.batches.column(name)

    def epoch_values(self, name: str) -> np.ndarray:
        return self.epochs.column(name)

    def epoch_rows(self) -> list[dict[str, float]]:
        """Per-epoch records as dicts, oldest first (what a metric table shows)."""
        snap = self.epochs.snapshot()
        columns = {name: snap.column(name) for name in snap.names}
        return [{name: values[i].item() for name, values in columns.items()}
                for i in range(snap.rows)]

    def nbytes(self) -> int:
        """Bytes held by the stored series."""
        return self.batches.nbytes() + self.epochs.nbytes() + self.learning_rates.nbytes()

    # -- export ------------------------------------------------------------------
    def table(self, kind: str = "epoch") -> ColumnTable:
        """The table of one kind of row: ``"epoch"``, ``"batch"`` or ``"learning_rate"``."""
        tables = {"epoch": self.epochs, "batch": self.batches,
                  "learning_rate": self.learning_rates}
        if kind not in tables:
            raise ValueError(f"kind must be one of {', '.join(map(repr, TABLE_KINDS))}, "
                             f"got {kind!r}")
        return tables[kind]

    def columns(self, kind: str = "epoch") -> dict[str, np.ndarray]:
        """Every column of one table, positions first (``epoch`` leading, as in ``CSVLogger``)
        and then the metrics in the order they were first logged.

        Example:
            >>> store = MetricStore()
            >>> store.record_epoch(epoch=0, logs={"loss": 0.5, "val_loss": 0.75})
            >>> list(store.columns("epoch"))
            ['epoch', 'step', 'seconds', 'loss', 'val_loss']
        """
        snap = self.table(kind).snapshot()
        positions = [n for n in ("epoch", "batch", "step", "seconds") if n in snap]
        names = positions + [n for n in snap.names if n not in positions]
        return {name: snap.column(name) for name in names}

    def to_pandas(self, kind: str = "epoch") -> Any:
        """One table as a ``pandas.DataFrame``: per epoch (default, one row per epoch with an
        ``epoch`` column, as ``CSVLogger`` writes), per ``"batch"``, or the
        ``"learning_rate"`` readings. Needs pandas (``pip install pandas``).

        Example:
            >>> store = MetricStore()
            >>> store.record_epoch(epoch=0, logs={"loss": 0.5})
            >>> store.to_pandas()[["epoch", "loss"]].values.tolist()
            [[0.0, 0.5]]
        """
        try:
            import pandas
        except ImportError as error:
            raise ImportError("to_pandas needs pandas: pip install pandas "
                              "(to_csv writes the same table without it)") from error
        return pandas.DataFrame(self.columns(kind))

    def to_csv(self, path: str | os.PathLike[str], kind: str = "epoch") -> None:
        """Write one table (see :meth:`to_pandas`) to a CSV file, header first; NaN and
        infinities are written as ``nan`` / ``inf``, which pandas and ``csv`` read back.

        Example:
            >>> import tempfile, pathlib
            >>> store = MetricStore()
            >>> store.record_epoch(epoch=0, logs={"loss": 0.5})
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "history.csv"
            >>> store.to_csv(path)
            >>> path.read_text().splitlines()[0]
            'epoch,step,seconds,loss'
        """
        columns = self.columns(kind)
        integer = {"epoch", "batch", "step"} if kind != "learning_rate" else {"step"}
        rows = zip(*[values.astype(np.int64) if name in integer else values.tolist()
                     for name, values in columns.items()])
        with open(os.fspath(path), "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(columns)
            writer.writerows(rows)

    @classmethod
    def from_rows(cls, batches: Iterable[Mapping[str, float]] = (),
                  epochs: Iterable[Mapping[str, float]] = (),
                  learning_rates: Iterable[Mapping[str, float]] = ()) -> MetricStore:
        """A store holding rows read back from a log (each a dict of column -> number;
        positions as recorded, ``step`` and ``seconds`` included).

        Example:
            >>> store = MetricStore.from_rows(epochs=[{"epoch": 0, "step": 4, "loss": 0.5}])
            >>> store.epoch_values("loss").tolist(), store.steps
            ([0.5], 4)
            >>> rows = [{"step": 0, "epoch": 0, "batch": 0}, {"step": 1, "epoch": 0, "batch": 1}]
            >>> MetricStore.from_rows(batches=rows).batches_in_epoch(0)
            2
        """
        store = cls()
        for table, rows in ((store.batches, batches), (store.epochs, epochs),
                            (store.learning_rates, learning_rates)):
            for row in rows:
                table.append(row)
        steps = [int(t.column("step")[-1]) + (t is store.batches)
                 for t in (store.batches, store.epochs) if len(t)]
        store._steps = max(steps, default=0)
        if len(store.batches):   # what batches_in_epoch answers, as if recorded live
            for epoch, batch in zip(store.batches.column("epoch").tolist(),
                                    store.batches.column("batch").tolist()):
                seen = store._batches_per_epoch.get(epoch, 0)
                store._batches_per_epoch[epoch] = max(seen, batch + 1)
        return store
