"""MetricStore: what gets recorded per batch / epoch, positions over several fits, memory."""

import math

import numpy as np
import pytest

from nbcallbacks.records.metric_store import POSITION_COLUMNS, MetricStore, numeric_logs


def _run_fit(store, epochs, batches, initial_epoch=0, loss=lambda step: 1.0 / (step + 1)):
    store.begin_fit(initial_epoch=initial_epoch, epochs=epochs, steps_per_epoch=batches)
    for epoch in range(initial_epoch, epochs):
        for batch in range(batches):
            store.record_batch(epoch, batch, {"loss": loss(store.steps)})
        store.record_epoch(epoch, {"loss": 0.5, "val_loss": 0.6})
    store.end_fit()


def test_record_batch_stores_values_and_positions():
    store = MetricStore()
    for batch in range(3):
        store.record_batch(epoch=0, batch=batch, logs={"loss": 3.0 - batch, "accuracy": 0.25})
    store.record_batch(epoch=1, batch=0, logs={"loss": 0.5, "accuracy": 0.75})
    assert store.steps == 4
    assert store.batch_values("loss").tolist() == [3.0, 2.0, 1.0, 0.5]
    assert store.batch_values("accuracy").tolist() == [0.25, 0.25, 0.25, 0.75]
    assert store.batches.column("step").tolist() == [0, 1, 2, 3]
    assert store.batches.column("epoch").tolist() == [0, 0, 0, 1]
    assert store.batches.column("batch").tolist() == [0, 1, 2, 0]
    assert store.snapshot().batches_per_epoch == {0: 3, 1: 1}


def test_record_epoch_stores_train_and_validation_with_current_step():
    store = MetricStore()
    for batch in range(4):
        store.record_batch(0, batch, {"loss": 1.0})
    store.record_epoch(0, {"loss": 0.75, "val_loss": 0.875, "val_accuracy": 0.5})
    assert store.epoch_values("loss").tolist() == [0.75]
    assert store.epoch_values("val_loss").tolist() == [0.875]
    assert store.epoch_values("val_accuracy").tolist() == [0.5]
    assert store.epochs.column("step").tolist() == [4]
    assert store.epochs.column("epoch").tolist() == [0]
    # Epoch records do not count as steps.
    assert store.steps == 4


def test_steps_continue_across_several_fits():
    store = MetricStore()
    _run_fit(store, epochs=2, batches=3)
    _run_fit(store, epochs=5, batches=4, initial_epoch=2)
    _run_fit(store, epochs=6, batches=2, initial_epoch=5)
    assert store.steps == 2 * 3 + 3 * 4 + 1 * 2
    assert store.batches.column("step").tolist() == list(range(store.steps))
    assert [f.first_step for f in store.fits] == [0, 6, 18]
    assert [f.last_step for f in store.fits] == [6, 18, 20]
    assert [f.initial_epoch for f in store.fits] == [0, 2, 5]
    assert store.epochs.column("epoch").tolist() == [0, 1, 2, 3, 4, 5]
    assert store.epochs.column("step").tolist() == [3, 6, 10, 14, 18, 20]
    assert store.snapshot().batches_per_epoch == {0: 3, 1: 3, 2: 4, 3: 4, 4: 4, 5: 2}


def test_seconds_are_training_time_not_the_time_between_fits(monkeypatch):
    now = [100.0]
    monkeypatch.setattr("nbcallbacks.records.metric_store.time.monotonic", lambda: now[0])
    store = MetricStore()
    store.begin_fit(epochs=1)
    for elapsed in (0.5, 1.0):
        now[0] = 100.0 + elapsed
        store.record_batch(0, int(elapsed * 2) - 1, {"loss": 1.0})
    store.record_learning_rate(1.0, 0.01)
    store.record_epoch(0, {"loss": 1.0})
    store.end_fit()
    now[0] = 700.0          # ten minutes later, the next cell trains again
    store.begin_fit(initial_epoch=1, epochs=2)
    now[0] = 702.0
    store.record_batch(1, 0, {"loss": 0.5})
    store.end_fit()
    assert store.batches.column("seconds").tolist() == [0.5, 1.0, 3.0]
    assert store.epochs.column("seconds").tolist() == [1.0]
    assert store.learning_rates.column("seconds").tolist() == [1.0]
    assert store.training_seconds() == 3.0
    assert "seconds" not in store.metric_names()


def test_end_fit_records_early_stop_and_is_safe_without_fit():
    store = MetricStore()
    store.end_fit(stopped_early=True)  # no fit yet: nothing to update, no error
    assert store.fits == []
    store.begin_fit(epochs=10)
    store.record_batch(0, 0, {"loss": 1.0})
    store.end_fit(stopped_early=True)
    assert store.fits[0].stopped_early is True
    assert store.fits[0].last_step == 1
    assert store.fits[0].epochs == 10


def test_logs_none_and_empty_record_positions_only():
    store = MetricStore()
    store.record_batch(0, 0, None)
    store.record_batch(0, 1, {})
    store.record_epoch(0, None)
    assert store.steps == 2
    assert store.metric_names() == []
    assert store.batches.column("batch").tolist() == [0, 1]
    assert len(store.epochs) == 1


def test_non_numeric_log_values_are_ignored():
    store = MetricStore()
    logs = {"loss": 1.5, "name": "resnet", "number_as_text": "2.5", "vector": np.ones(3),
            "list": [1.0, 2.0], "nothing": None, "obj": object(), "count": np.int64(7),
            "flag": True, "scalar_array": np.array(0.25, dtype=np.float32)}
    store.record_batch(0, 0, logs)
    assert set(store.metric_names()) == {"loss", "count", "flag", "scalar_array"}
    assert store.batch_values("count").tolist() == [7.0]
    assert store.batch_values("flag").tolist() == [1.0]
    assert store.batch_values("scalar_array").tolist() == [0.25]


def test_numeric_logs_keys_become_strings():
    assert numeric_logs({1: 2.0}) == {"1": 2.0}
    assert numeric_logs(None) == {}


def test_nan_and_inf_are_stored_as_given():
    store = MetricStore()
    store.record_batch(0, 0, {"loss": float("nan")})
    store.record_batch(0, 1, {"loss": float("inf")})
    store.record_batch(0, 2, {"loss": -np.inf})
    store.record_batch(0, 3, {"loss": 0.5})
    store.record_epoch(0, {"loss": np.nan, "val_loss": np.inf})
    values = store.batch_values("loss")
    assert np.isnan(values[0])
    assert values[1] == np.inf and values[2] == -np.inf and values[3] == 0.5
    assert np.isnan(store.epoch_values("loss")[0])
    assert store.epoch_values("val_loss")[0] == np.inf


def test_metric_names_first_seen_order_without_positions():
    store = MetricStore()
    store.record_batch(0, 0, {"loss": 1.0, "accuracy": 0.5})
    store.record_epoch(0, {"loss": 1.0, "accuracy": 0.5, "val_loss": 1.1, "val_accuracy": 0.4})
    names = store.metric_names()
    assert names == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert not set(names) & set(POSITION_COLUMNS)


def test_epoch_rows_are_plain_dicts_oldest_first():
    store = MetricStore()
    store.record_batch(0, 0, {"loss": 1.0})
    store.record_epoch(0, {"loss": 0.5})
    store.record_batch(1, 0, {"loss": 1.0})
    store.record_epoch(1, {"loss": 0.25, "val_loss": 0.75})
    rows = store.epoch_rows()
    assert len(rows) == 2
    assert rows[0]["epoch"] == 0 and rows[1]["epoch"] == 1
    assert rows[0]["step"] == 1 and rows[1]["step"] == 2
    assert rows[0]["loss"] == 0.5 and rows[1]["loss"] == 0.25
    assert math.isnan(rows[0]["val_loss"]) and rows[1]["val_loss"] == 0.75
    # Python scalars, not NumPy ones (they go into HTML and JSON).
    assert type(rows[1]["epoch"]) is int and type(rows[1]["loss"]) is float


def test_epoch_rows_of_empty_store_is_empty():
    assert MetricStore().epoch_rows() == []


def test_learning_rates_record_step_epoch_and_rate():
    store = MetricStore()
    store.record_learning_rate(epoch=0.0, rate=0.01)
    store.record_batch(0, 0, {"loss": 1.0})
    store.record_batch(0, 1, {"loss": 1.0})
    store.record_learning_rate(epoch=1.0, rate=0.005)
    table = store.learning_rates
    assert table.column("step").tolist() == [0, 2]
    assert table.column("epoch").tolist() == [0.0, 1.0]
    # float64: small rates are not rounded to float32.
    assert table.column("learning_rate").tolist() == [0.01, 0.005]


@pytest.mark.parametrize("missing", [None, float("nan"), np.float64("nan"), np.float32("nan")])
def test_missing_learning_rate_is_not_recorded(missing):
    store = MetricStore()
    store.record_learning_rate(epoch=0.0, rate=missing)
    assert len(store.learning_rates) == 0


def test_snapshot_is_consistent_and_detached_from_later_writes():
    store = MetricStore()
    _run_fit(store, epochs=2, batches=3)
    snap = store.snapshot()
    _run_fit(store, epochs=4, batches=3, initial_epoch=2)
    assert snap.batches.rows == 6 and snap.epochs.rows == 2
    assert len(snap.fits) == 1
    assert snap.batches_per_epoch == {0: 3, 1: 3}
    assert store.snapshot().batches.rows == 12


def test_nbytes_is_bounded_for_many_rows():
    """200k batches x 4 metrics cost about the raw bytes, plus at most one spare chunk."""
    from nbcallbacks.records.column_table import CHUNK_ROWS

    store = MetricStore()
    rows = 200_000
    logs = {"loss": 1.0, "accuracy": 0.5, "mae": 0.1, "auc": 0.9}
    for step in range(rows):
        store.record_batch(step // 1000, step % 1000, logs)
    # float32 metrics + int64 step + int32 epoch + int32 batch + float32 seconds
    per_row = 4 * 4 + 8 + 4 + 4 + 4
    bound = (rows + CHUNK_ROWS) * per_row + 64 * 1024  # + the few small epoch/lr chunks
    assert store.nbytes() <= bound
    assert store.nbytes() >= rows * per_row
    # A list of Python floats would need far more.
    assert store.nbytes() < rows * 4 * 32
    assert store.batch_values("auc")[-1] == pytest.approx(0.9)


def test_learning_rate_can_be_recorded_at_an_explicit_step():
    store = MetricStore()
    for batch in range(5):
        store.record_batch(0, batch, {"loss": 1.0})
    store.record_learning_rate(epoch=0.5, rate=0.1, step=2)
    store.record_learning_rate(epoch=1.0, rate=0.05)
    assert store.learning_rates.column("step").tolist() == [2, 5]
    assert store.learning_rates.column("epoch").tolist() == [0.5, 1.0]
