"""A growable, thread-safe table of numeric columns stored in fixed-size chunks.

Training produces one row per batch, forever. A list of Python floats costs
~32 bytes a value and a doubling NumPy buffer up to twice what it holds, so
rows go into fixed-size NumPy chunks instead: appends are O(1), memory is what
the rows need (plus one partly filled chunk), and readers can take a consistent
snapshot without copying, because filled rows are never written again.

An append only queues its row (``to_row`` may even turn it into a row later);
queued rows are written into the chunks together, a column at a time, whenever
the table is read and at the latest every ``MAX_QUEUED_ROWS`` rows. Right after
a training step has evicted the CPU caches, every Python and NumPy operation
costs several times what it costs warm: building and writing a batch row at
once was most of the dashboard's per-batch cost; written in bulk by the reader
(the drawing thread), it is a small share of it.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

CHUNK_ROWS = 65_536
# Rows queued at most before the writer writes them itself (nobody read the table).
MAX_QUEUED_ROWS = 1024


class ColumnTable:
    """Rows of named numeric columns; columns may appear at any time.

    A column that appears after some rows were written reads as NaN for those
    rows, so every column always has one value per row.

    One thread appends; any thread reads. A table made with ``to_row`` also takes
    tuples, which ``to_row`` turns into rows when they are written.

    Example:
        >>> table = ColumnTable({"step": np.int64})
        >>> table.append({"step": 0, "loss": 1.5})
        >>> table.append({"step": 1, "loss": 1.25, "accuracy": 0.5})
        >>> table.column("loss").tolist(), table.column("accuracy").tolist()
        ([1.5, 1.25], [nan, 0.5])
    """

    def __init__(self, dtypes: Mapping[str, type] | None = None,
                 default_dtype: DTypeLike = np.float32, chunk_rows: int = CHUNK_ROWS,
                 to_row: Callable[[tuple], Mapping[str, float]] | None = None) -> None:
        self._dtypes = dict(dtypes or {})
        self._default_dtype = default_dtype
        self._chunk_rows = chunk_rows
        self._to_row = to_row
        self._chunks: dict[str, list[np.ndarray]] = {}
        self._rows = 0               # rows written into the chunks
        # Appended, not yet written: a deque, so the appending thread needs no lock
        # (append and popleft are atomic) and a row is never lost to a reader's write.
        self._queued: deque = deque()
        self._lock = threading.Lock()
        for name in self._dtypes:
            self._chunks[name] = []

    def __len__(self) -> int:
        with self._lock:   # not between a write's taking rows from the queue and counting them
            return self._rows + len(self._queued)

    @property
    def names(self) -> list[str]:
        """Column names in the order they first appeared."""
        with self._lock:
            self._write_queued()
            return list(self._chunks)

    def _fill(self, name: str) -> float:
        """What a row without this column holds: NaN, or 0 in an integer column."""
        dtype = self._dtypes.get(name, self._default_dtype)
        return np.nan if np.issubdtype(dtype, np.floating) else 0

    def _new_chunk(self, name: str) -> np.ndarray:
        return np.full(self._chunk_rows, self._fill(name),
                       dtype=self._dtypes.get(name, self._default_dtype))

    def _add_column(self, name: str) -> None:
        # Earlier rows of a late column read as NaN: allocate its past chunks.
        chunks_needed = -(-self._rows // self._chunk_rows)
        self._chunks[name] = [self._new_chunk(name) for _ in range(chunks_needed)]

    def append(self, row: Mapping[str, float] | tuple[Any, ...]) -> None:
        """Append one row (or a tuple ``to_row`` makes one of); missing columns get NaN
        (0 in integer columns). The row is read when it is written: do not change it."""
        self._queued.append(row)
        if len(self._queued) >= MAX_QUEUED_ROWS:
            with self._lock:
                self._write_queued()

    def _write_queued(self) -> None:
        """Write the queued rows into the chunks, one column at a time (lock held)."""
        count = len(self._queued)
        if not count:
            return
        popleft, to_row = self._queued.popleft, self._to_row
        rows = [popleft() for _ in range(count)]
        if to_row is not None:
            rows = [to_row(row) if isinstance(row, tuple) else row for row in rows]
        for row in rows:
            for name in row:
                if name not in self._chunks:
                    self._add_column(name)
        start, end, size = self._rows, self._rows + count, self._chunk_rows
        for name, chunks in self._chunks.items():
            while len(chunks) * size < end:
                chunks.append(self._new_chunk(name))
            fill = self._fill(name)
            values = np.array([fill if (value := row.get(name)) is None else value
                               for row in rows], dtype=self._dtypes.get(name, self._default_dtype))
            position = start
            while position < end:
                index, offset = divmod(position, size)
                written = min(size - offset, end - position)
                chunks[index][offset:offset + written] = values[position - start:
                                                                position - start + written]
                position += written
        self._rows = end

    def snapshot(self) -> TableSnapshot:
        """A read-only view of the rows written so far, safe to read without a lock."""
        with self._lock:
            self._write_queued()
            return TableSnapshot(self._rows, {k: list(v) for k, v in self._chunks.items()},
                                 self._chunk_rows)

    def column(self, name: str) -> np.ndarray:
        """A copy of one column (all rows)."""
        return self.snapshot().column(name)

    def nbytes(self) -> int:
        """Bytes held by the column chunks."""
        with self._lock:
            self._write_queued()
            return sum(c.nbytes for chunks in self._chunks.values() for c in chunks)


class TableSnapshot:
    """The first ``rows`` rows of a :class:`ColumnTable` at one moment."""

    def __init__(self, rows: int, chunks: dict[str, list[np.ndarray]],
                 chunk_rows: int = CHUNK_ROWS) -> None:
        self.rows = rows
        self._chunks = chunks
        self._chunk_rows = chunk_rows

    @property
    def names(self) -> list[str]:
        return list(self._chunks)

    def __contains__(self, name: str) -> bool:
        return name in self._chunks

    def column(self, name: str) -> np.ndarray:
        """Concatenated values of ``name`` (a new array); NaN-filled if unknown."""
        chunks = self._chunks.get(name)
        if chunks is None:
            return np.full(self.rows, np.nan, dtype=np.float32)
        if not chunks:
            return np.empty(0, dtype=np.float32)
        return np.concatenate(chunks)[: self.rows]

    def column_from(self, name: str, start: int) -> np.ndarray:
        """Values of ``name`` from row ``start`` on (a new array), touching only the chunks
        that hold them: reading the newest rows costs what they hold, not the history.

        Example:
            >>> table = ColumnTable(chunk_rows=4)
            >>> for value in range(10):
            ...     table.append({"loss": value})
            >>> table.snapshot().column_from("loss", 7).tolist()
            [7.0, 8.0, 9.0]
        """
        start = max(0, min(start, self.rows))
        chunks = self._chunks.get(name)
        if chunks is None:
            return np.full(self.rows - start, np.nan, dtype=np.float32)
        size = self._chunk_rows
        pieces = [chunks[index][max(start - index * size, 0): min(self.rows - index * size, size)]
                  for index in range(start // size, -(-self.rows // size))]
        if not pieces:
            return np.empty(0, dtype=chunks[0].dtype if chunks else np.float32)
        return np.concatenate(pieces)

