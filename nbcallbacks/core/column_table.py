"""A growable, thread-safe table of numeric columns stored in fixed-size chunks.

Training produces one row per batch, forever. A list of Python floats costs
~32 bytes a value and a doubling NumPy buffer up to twice what it holds, so
rows go into fixed-size NumPy chunks instead: appends are O(1), memory is what
the rows need (plus one partly filled chunk), and readers can take a consistent
snapshot without copying, because filled rows are never written again.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import numpy as np

CHUNK_ROWS = 65_536


class ColumnTable:
    """Rows of named numeric columns; columns may appear at any time.

    A column that appears after some rows were written reads as NaN for those
    rows, so every column always has one value per row.

    Example:
        >>> table = ColumnTable({"step": np.int64})
        >>> table.append({"step": 0, "loss": 1.5})
        >>> table.append({"step": 1, "loss": 1.25, "accuracy": 0.5})
        >>> table.column("loss").tolist(), table.column("accuracy").tolist()
        ([1.5, 1.25], [nan, 0.5])
    """

    def __init__(self, dtypes: Mapping[str, type] | None = None, default_dtype=np.float32,
                 chunk_rows: int = CHUNK_ROWS):
        self._dtypes = dict(dtypes or {})
        self._default_dtype = default_dtype
        self._chunk_rows = chunk_rows
        self._chunks: dict[str, list[np.ndarray]] = {}
        self._rows = 0
        self._lock = threading.Lock()
        for name in self._dtypes:
            self._chunks[name] = []

    def __len__(self) -> int:
        return self._rows

    @property
    def names(self) -> list[str]:
        """Column names in the order they first appeared."""
        with self._lock:
            return list(self._chunks)

    def _new_chunk(self, name: str) -> np.ndarray:
        dtype = self._dtypes.get(name, self._default_dtype)
        fill = np.nan if np.issubdtype(dtype, np.floating) else 0
        return np.full(self._chunk_rows, fill, dtype=dtype)

    def _add_column(self, name: str) -> None:
        # Earlier rows of a late column read as NaN: allocate its past chunks.
        chunks_needed = -(-self._rows // self._chunk_rows)
        self._chunks[name] = [self._new_chunk(name) for _ in range(chunks_needed)]

    def append(self, row: Mapping[str, float]) -> None:
        """Append one row; missing columns get NaN (or 0 for integer columns)."""
        with self._lock:
            for name in row:
                if name not in self._chunks:
                    self._add_column(name)
            chunk_index, offset = divmod(self._rows, self._chunk_rows)
            for name, chunks in self._chunks.items():
                if offset == 0:
                    chunks.append(self._new_chunk(name))
                if name in row:
                    value = row[name]
                    chunks[chunk_index][offset] = np.nan if value is None else value
            self._rows += 1

    def snapshot(self) -> TableSnapshot:
        """A read-only view of the rows written so far, safe to read without a lock."""
        with self._lock:
            return TableSnapshot(self._rows, {k: list(v) for k, v in self._chunks.items()},
                                 self._chunk_rows)

    def column(self, name: str) -> np.ndarray:
        """A copy of one column (all rows)."""
        return self.snapshot().column(name)

    def nbytes(self) -> int:
        """Bytes held by the column chunks."""
        with self._lock:
            return sum(c.nbytes for chunks in self._chunks.values() for c in chunks)


class TableSnapshot:
    """The first ``rows`` rows of a :class:`ColumnTable` at one moment."""

    def __init__(self, rows: int, chunks: dict[str, list[np.ndarray]],
                 chunk_rows: int = CHUNK_ROWS):
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

