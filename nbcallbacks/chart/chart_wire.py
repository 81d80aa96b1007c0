"""What the kernel sends the browser chart: new rows of the metric store, packed in binary.

One message carries every table's new rows: a small JSON header and **one** binary
buffer (a server passes at most about 1,000 IOPub messages a second, and a binary
message costs the same 20–30 µs whatever its size, while JSON costs ~0.5 µs per float
and cannot carry NaN). The same encoding is used for the decimated snapshot kept in a
synced trait, which a page reload or a saved notebook reads.

Header (``content`` of the custom message, or the ``snapshot_header`` trait)::

    {"kind": "append" | "snapshot",
     "tables": [{"name": "batches", "start": 120, "rows": 37,
                 "columns": [["step", "f8"], ["epoch", "f8"], ["batch", "f8"],
                             ["loss", "f4"], ["accuracy", "f4"]]},
                {"name": "epochs", ...}, {"name": "rates", ...}],
     "batches_per_epoch": {"0": 50, "1": 12}}    # of the epochs whose batch rows are sent

The buffer holds, table after table and column after column, ``rows`` little-endian
values of each column's type (``f8``: float64, for positions; ``f4``: float32, for
metric values, NaN and ±inf kept), each column padded to a multiple of 8 bytes.
``start`` is the row index of the first row sent. A snapshot's rows are a decimated
selection (``start`` 0, rows not contiguous); its header adds ``"total_rows": {table: n}``,
the rows each table had, from which appends continue. The tables are the
:class:`~nbcallbacks.records.MetricStore`'s: ``batches`` (``step``: the batch's index over
all fits, from 0; ``epoch``; ``batch`` within the epoch; ``seconds`` of training; one
column per logged value), ``epochs`` (``step``: batches done at the epoch's end;
``epoch``; ``seconds``; the epoch's logs, ``val_`` values included) and ``rates``
(``step``; ``epoch``: the fractional epoch position; ``seconds``; ``learning_rate``).

Example:
    >>> from nbcallbacks.records import MetricStore
    >>> store = MetricStore()
    >>> for batch in range(3):
    ...     store.record_batch(epoch=0, batch=batch, logs={"loss": 1.0 / (batch + 1)})
    >>> feed = ChartFeed()
    >>> header, buffer = feed.next_update(store.snapshot())
    >>> table = header["tables"][0]
    >>> table["name"], table["start"], table["rows"], table["columns"][-1]
    ('batches', 0, 3, ['loss', 'f4'])
    >>> decode(header, buffer)["batches"]["loss"].tolist()
    [1.0, 0.5, 0.3333333432674408]
    >>> feed.next_update(store.snapshot()) is None      # nothing new since
    True
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from nbcallbacks.records.column_table import TableSnapshot
from nbcallbacks.records.metric_store import POSITION_COLUMNS, StoreSnapshot

TABLES = ("batches", "epochs", "rates")
SNAPSHOT_ROWS = 4000   # rows of the batch table a snapshot keeps (min/max per bin)
_DTYPES: dict[str, np.dtype[np.floating[Any]]] = {"f8": np.dtype("<f8"), "f4": np.dtype("<f4")}


def _tables(snapshot: StoreSnapshot) -> dict[str, TableSnapshot]:
    return {"batches": snapshot.batches, "epochs": snapshot.epochs,
            "rates": snapshot.learning_rates}


def _column_type(name: str) -> str:
    return "f8" if name in POSITION_COLUMNS else "f4"


def encode(kind: str, parts: list[tuple[str, int, dict[str, np.ndarray]]],
           batches_per_epoch: dict[int, int]) -> tuple[dict, bytes]:
    """Pack ``(table name, start row, {column: values})`` parts into (header, buffer)."""
    header_tables, pieces = [], []
    for name, start, columns in parts:
        rows = len(next(iter(columns.values()))) if columns else 0
        described = []
        for column, values in columns.items():
            kind_code = _column_type(column)
            data = np.ascontiguousarray(values, dtype=_DTYPES[kind_code]).tobytes()
            pieces.append(data + b"\0" * (-len(data) % 8))
            described.append([column, kind_code])
        header_tables.append({"name": name, "start": int(start), "rows": int(rows),
                              "columns": described})
    header = {"kind": kind, "tables": header_tables,
              "batches_per_epoch": {str(k): int(v) for k, v in batches_per_epoch.items()}}
    return header, b"".join(pieces)


def decode(header: dict, buffer: bytes) -> dict[str, dict[str, np.ndarray]]:
    """The inverse of :func:`encode`: ``{table: {column: values}}`` (tests and tools)."""
    tables, offset = {}, 0
    view = memoryview(buffer)
    for table in header["tables"]:
        columns = {}
        for column, kind_code in table["columns"]:
            dtype = _DTYPES[kind_code]
            size = table["rows"] * dtype.itemsize
            columns[column] = np.frombuffer(view[offset: offset + size], dtype=dtype)
            offset += size + (-size % 8)
        tables[table["name"]] = columns
    return tables


def decimated_rows(columns: dict[str, np.ndarray], max_rows: int) -> np.ndarray:
    """Row indices keeping, in each bin, every value column's minimum and maximum row
    (and the last row), so that no series loses its spikes: about ``max_rows`` rows
    (``max_rows // (2 * value columns)`` bins), plus the first row of each gap.

    Example:
        >>> values = np.array([5, 1, 2, 9, 3, 4, 0, 6, 7, 8], dtype=np.float32)
        >>> decimated_rows({"step": np.arange(10.0), "loss": values}, 4).tolist()
        [1, 3, 6, 9]
    """
    rows = len(next(iter(columns.values()))) if columns else 0
    if rows <= max_rows:
        return np.arange(rows)
    value_columns = sum(name not in POSITION_COLUMNS for name in columns)
    bins = max(1, max_rows // (2 * max(1, value_columns)))
    edges = np.linspace(0, rows, bins + 1).astype(np.int64)
    keep = [np.array([rows - 1])]
    for name, values in columns.items():
        if name in POSITION_COLUMNS:
            continue
        values = np.asarray(values, dtype=np.float64)
        finite = np.isfinite(values)
        low = np.where(finite, values, np.inf)
        high = np.where(finite, values, -np.inf)
        for begin, end in zip(edges[:-1], edges[1:]):
            if end > begin:
                keep.append(begin + np.array([np.argmin(low[begin:end]),
                                              np.argmax(high[begin:end])]))
        # A bin's first non-finite value stays, so that gaps stay gaps.
        keep.append(np.flatnonzero(~finite & np.r_[True, finite[:-1]]))
    return np.unique(np.concatenate(keep))


class ChartFeed:
    """What has been sent to the chart, and the next message: only rows not sent yet.

    ``rewind(rows)`` moves the counters back (a view that reloaded says which rows it
    has; the next update re-sends the rest to every view, which write rows by index
    and so take a repeat without harm). Thread-safe: the render thread takes updates
    while a view's message (on the kernel's thread) rewinds.
    """

    def __init__(self) -> None:
        self._sent = dict.fromkeys(TABLES, 0)
        self._lock = threading.Lock()

    def next_update(self, snapshot: StoreSnapshot) -> tuple[dict, bytes] | None:
        """(header, buffer) with every row not sent yet, or None when there is none."""
        parts = []
        with self._lock:
            for name, table in _tables(snapshot).items():
                start = self._sent[name]
                if table.rows > start:
                    # A column that appears late reads NaN before its first value: the
                    # browser fills its earlier rows so, and nothing needs re-sending.
                    parts.append((name, start, {c: table.column_from(c, start)
                                                for c in table.names}))
                    self._sent[name] = table.rows
        if not parts:
            return None
        # Batch counts only for the epochs of the rows sent (the browser merges them):
        # the whole map would grow every message with the number of epochs.
        sent_epochs = {int(e) for name, _, columns in parts if name == "batches"
                       for e in np.unique(columns["epoch"])}
        return encode("append", parts, {epoch: count for epoch, count
                                        in snapshot.batches_per_epoch.items()
                                        if epoch in sent_epochs})

    def rewind(self, rows: dict, restart: bool = False) -> None:
        """A view has ``rows[table]`` rows of each table: send it the rest next time.

        ``restart``: these are the only rows delivered anywhere (the first view), so the
        counters are set to them rather than only moved back.
        """
        with self._lock:
            for name in TABLES:
                have = rows.get(name, 0 if restart else None)
                if isinstance(have, (int, float)) and have >= 0:
                    self._sent[name] = int(have) if restart else min(self._sent[name],
                                                                      int(have))

    @staticmethod
    def snapshot(snapshot: StoreSnapshot, max_rows: int = SNAPSHOT_ROWS) -> tuple[dict, bytes]:
        """The whole run, the batch table decimated to about ``max_rows`` rows."""
        parts = []
        for name, table in _tables(snapshot).items():
            columns = {c: table.column(c) for c in table.names}
            keep = decimated_rows(columns, max_rows)
            parts.append((name, 0, {c: v[keep] for c, v in columns.items()}))
        header, buffer = encode("snapshot", parts, snapshot.batches_per_epoch)
        # Appends continue from here: a view that loaded this snapshot asks for the rest.
        header["total_rows"] = {name: table.rows for name, table in _tables(snapshot).items()}
        return header, buffer
