"""ColumnTable: chunked columnar storage, late columns, snapshots, concurrent readers."""

import threading

import numpy as np
import pytest

from nbcallbacks.records.column_table import ColumnTable, TableSnapshot


def test_appends_across_chunk_boundaries_keep_every_value_in_order():
    table = ColumnTable({"step": np.int64}, chunk_rows=4)
    for i in range(11):  # 2 full chunks + 3 rows of a third
        table.append({"step": i, "value": i * 0.5})
    assert len(table) == 11
    assert table.column("step").tolist() == list(range(11))
    assert table.column("value").tolist() == [i * 0.5 for i in range(11)]
    assert table.column("step").dtype == np.int64


def test_row_count_exactly_on_a_chunk_boundary():
    table = ColumnTable(chunk_rows=5)
    for i in range(10):
        table.append({"a": float(i)})
    assert table.column("a").tolist() == [float(i) for i in range(10)]
    table.append({"a": 10.0})
    assert table.column("a").tolist()[-1] == 10.0
    assert len(table.column("a")) == 11


def test_late_column_reads_nan_for_earlier_rows_across_chunks():
    table = ColumnTable(chunk_rows=3)
    for i in range(7):
        table.append({"loss": float(i)})
    table.append({"loss": 7.0, "val_loss": 70.0})
    table.append({"loss": 8.0})
    val = table.column("val_loss")
    assert len(val) == 9
    assert np.isnan(val[:7]).all()
    assert val[7] == 70.0
    assert np.isnan(val[8])
    assert table.names == ["loss", "val_loss"]


@pytest.mark.parametrize("rows_before", [0, 3, 4, 6])
def test_late_column_at_various_offsets_has_one_value_per_row(rows_before):
    """A column first seen at (or just after) a chunk boundary still lines up with the rows."""
    table = ColumnTable(chunk_rows=3)
    for i in range(rows_before):
        table.append({"a": float(i)})
    table.append({"a": -1.0, "b": 42.0})
    b = table.column("b")
    assert len(b) == rows_before + 1 == len(table.column("a"))
    assert b[-1] == 42.0
    assert np.isnan(b[:-1]).all()


def test_missing_values_in_a_row_are_nan_and_none_is_nan():
    table = ColumnTable()
    table.append({"a": 1.0, "b": 2.0})
    table.append({"a": 3.0})
    table.append({"a": None, "b": 4.0})
    assert np.isnan(table.column("b")[1])
    assert np.isnan(table.column("a")[2])
    assert table.column("b")[2] == 4.0


def test_integer_columns_keep_exact_values_and_default_to_zero():
    table = ColumnTable({"step": np.int64, "epoch": np.int32}, chunk_rows=4)
    big = 2**40 + 3  # not representable exactly as float32
    table.append({"step": big, "epoch": 1, "loss": 0.5})
    table.append({"loss": 0.25})  # no step/epoch given
    steps = table.column("step")
    assert steps.dtype == np.int64 and steps.tolist() == [big, 0]
    assert table.column("epoch").dtype == np.int32
    assert table.column("epoch").tolist() == [1, 0]


def test_default_dtype_is_float32_and_can_be_changed():
    assert ColumnTable().snapshot().column("x").dtype == np.float32
    table = ColumnTable(default_dtype=np.float64)
    table.append({"x": 0.1})
    assert table.column("x").dtype == np.float64
    assert table.column("x")[0] == 0.1


def test_unknown_column_reads_as_nan_of_table_length():
    table = ColumnTable()
    for i in range(5):
        table.append({"a": i})
    unknown = table.column("nope")
    assert len(unknown) == 5 and np.isnan(unknown).all()
    assert "nope" not in table.snapshot()
    assert "a" in table.snapshot()


def test_declared_column_of_empty_table_is_empty():
    table = ColumnTable({"step": np.int64})
    assert table.names == ["step"]
    assert len(table.column("step")) == 0


def test_snapshot_keeps_row_count_and_values_after_more_appends():
    table = ColumnTable(chunk_rows=4)
    for i in range(6):
        table.append({"a": float(i)})
    snap = table.snapshot()
    before = snap.column("a").copy()
    for i in range(6, 30):
        table.append({"a": float(i), "late": 1.0})
    assert isinstance(snap, TableSnapshot)
    assert snap.rows == 6
    np.testing.assert_array_equal(snap.column("a"), before)
    assert snap.column("a").tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert "late" not in snap and snap.names == ["a"]
    assert len(table.snapshot().column("a")) == 30


def test_column_returns_a_copy_not_a_view_of_storage():
    table = ColumnTable(chunk_rows=8)
    table.append({"a": 1.0})
    values = table.column("a")
    values[0] = 99.0
    assert table.column("a")[0] == 1.0


def test_nbytes_grows_by_whole_chunks():
    table = ColumnTable({"step": np.int64}, chunk_rows=100)
    assert table.nbytes() == 0
    table.append({"step": 0, "a": 0.0})
    one_chunk = 100 * 8 + 100 * 4
    assert table.nbytes() == one_chunk
    for i in range(1, 100):
        table.append({"step": i, "a": 0.0})
    assert table.nbytes() == one_chunk
    table.append({"step": 100, "a": 0.0})
    assert table.nbytes() == 2 * one_chunk


def assert_whole_rows_in_order(snap):
    """Every row of ``snap`` has b == 2 * a, and a counts 0, 1, 2... with none missing."""
    a, b = snap.column("a"), snap.column("b")
    assert len(a) == len(b) == snap.rows
    if not np.array_equal(b, 2 * a):
        bad = int(np.flatnonzero(b != 2 * a)[0])
        raise AssertionError(f"torn row {bad}: a={a[bad]} b={b[bad]}")
    if not np.array_equal(a, np.arange(snap.rows)):
        raise AssertionError("rows out of order or missing")


def test_concurrent_reader_never_sees_a_torn_row():
    """A reader snapshotting while a writer appends 200k rows always sees b == 2 * a."""
    table = ColumnTable({"a": np.int64, "b": np.int64}, chunk_rows=1024)
    total = 200_000
    errors: list[BaseException] = []
    checks = {"snapshots": 0, "max_rows": 0}
    done = threading.Event()
    # Threads share the GIL: on a busy machine the writer could finish before the reader's
    # first look. Halfway, it waits until the reader has seen rows while writing went on.
    seen_mid_write = threading.Event()

    def writer():
        try:
            for i in range(total):
                if i == total // 2:
                    seen_mid_write.wait(timeout=30)
                table.append({"a": i, "b": 2 * i})
        except BaseException as error:  # noqa: BLE001 - the main thread fails the test with it
            errors.append(error)
        finally:
            done.set()

    def reader():
        try:
            while True:
                finished = done.is_set()
                snap = table.snapshot()
                assert_whole_rows_in_order(snap)
                checks["snapshots"] += 1
                checks["max_rows"] = max(checks["max_rows"], snap.rows)
                if snap.rows and not finished:
                    seen_mid_write.set()
                if finished:
                    return
        except BaseException as error:  # noqa: BLE001 - the main thread fails the test with it
            errors.append(error)

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert seen_mid_write.is_set() and checks["snapshots"] >= 2
    assert checks["max_rows"] == total
    assert len(table) == total
