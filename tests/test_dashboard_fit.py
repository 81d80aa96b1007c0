"""The Dashboard in real ``model.fit`` calls on tiny models (record-only and console output)."""

import threading
import time
import warnings

import keras
import numpy as np
import pytest

from nbcallbacks import Dashboard


def test_records_every_batch_and_epoch_like_history(tiny_model, tiny_data):
    x, y = tiny_data
    dash = Dashboard(output="none")
    history = tiny_model().fit(x, y, epochs=3, batch_size=64, validation_split=0.25,
                               verbose=0, callbacks=[dash])
    # 384 training samples / 64 = 6 batches per epoch.
    assert dash.history.steps == 18
    assert len(dash.history.batch_values("loss")) == 18
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(dash.history.epoch_values(key), history.history[key],
                                   rtol=1e-6)
    assert dash.history.batches.column("batch").tolist() == list(range(6)) * 3


def test_second_fit_continues_the_curves(tiny_model, tiny_data):
    x, y = tiny_data
    dash = Dashboard(output="none")
    model = tiny_model()
    model.fit(x, y, epochs=2, batch_size=128, verbose=0, callbacks=[dash])
    model.fit(x, y, epochs=5, initial_epoch=2, batch_size=128, verbose=0, callbacks=[dash])
    assert dash.history.epochs.column("epoch").tolist() == [0, 1, 2, 3, 4]
    assert dash.history.epochs.column("step").tolist() == [4, 8, 12, 16, 20]
    assert [f.first_step for f in dash.history.fits] == [0, 8]
    assert [f.initial_epoch for f in dash.history.fits] == [0, 2]


def test_learning_rate_follows_a_scheduler(tiny_model, tiny_data):
    x, y = tiny_data
    dash = Dashboard(output="none")
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.01 * 0.5 ** epoch)
    tiny_model().fit(x, y, epochs=4, batch_size=128, verbose=0, callbacks=[scheduler, dash])
    rates = dash.history.learning_rates
    steps, values = rates.column("step"), rates.column("learning_rate")

    def rate_at(step):  # the latest reading at or before `step`, as the LR panel draws it
        return values[np.flatnonzero(steps <= step)[-1]]

    # 4 batches per epoch; each epoch's batches ran at the scheduled rate.
    for epoch, expected in enumerate([0.01, 0.005, 0.0025, 0.00125]):
        for step in range(4 * epoch, 4 * epoch + 4):
            assert rate_at(step) == pytest.approx(expected, rel=1e-6)


def test_each_chart_update_carries_the_rate_as_far_as_the_loss(tiny_model, tiny_data):
    """The chart's rate curve must not stop short of its loss curves while training runs:
    the rate is read whenever an update is due, not only with the (slower) status line."""
    from nbcallbacks.outputs.dashboard_output import DashboardOutput

    class ChartStandIn(DashboardOutput):
        name, wants_data = "chart stand-in", True
        gaps: list = []

        def data(self, snapshot):
            batches, rates = snapshot.batches, snapshot.learning_rates
            if batches.rows and rates.rows:
                self.gaps.append(int(batches.column("step")[-1] - rates.column("step")[-1]))

    class SlowBatches(keras.callbacks.Callback):   # 5 ms a batch: ~50 batches a status tick
        def on_train_batch_end(self, batch, logs=None):
            time.sleep(0.005)

    x, y = tiny_data
    dash = Dashboard(output="none", redraw_interval=0.03, max_busy=1.0)
    dash._mode = "none"
    dash._outputs.use([ChartStandIn()])
    tiny_model().fit(np.repeat(x, 20, 0), np.repeat(y, 20, 0), epochs=1, batch_size=32,
                     verbose=0, callbacks=[dash, SlowBatches()])
    gaps = ChartStandIn.gaps
    assert len(gaps) >= 10, gaps
    # Read at the update: only the batches run while the render thread took the rows
    # (the status line's pace alone left it up to a quarter second, ~50 batches, behind).
    assert np.median(gaps) <= 5, gaps


def test_unknown_metric_is_a_clear_error(tiny_model, tiny_data):
    x, y = tiny_data
    dash = Dashboard(metrics=["loss", "f1_score"], output="none")
    with pytest.raises(ValueError) as info:
        tiny_model().fit(x, y, epochs=1, batch_size=64, verbose=0, callbacks=[dash])
    message = str(info.value)
    assert "f1_score" in message and "'accuracy'" in message and "'loss'" in message


def test_validation_metric_without_validation_data_is_a_clear_error(tiny_model, tiny_data):
    x, y = tiny_data
    dash = Dashboard(metrics=["val_loss"], output="none")
    with pytest.raises(ValueError, match="validation_split"):
        tiny_model().fit(x, y, epochs=1, batch_size=64, verbose=0, callbacks=[dash])


def test_requested_metrics_hide_the_other_panels(tiny_model, tiny_data):
    x, y = tiny_data
    dash = Dashboard(metrics=["loss"], output="none")
    tiny_model().fit(x, y, epochs=1, batch_size=64, verbose=0, callbacks=[dash])
    dash.figure_png()
    titles = [ax.get_title(loc="left") for ax in dash._frames.figure.figure.axes]
    assert titles == ["loss", "learning rate"]
    assert "accuracy" in dash.history.metric_names()  # still recorded


def test_a_generator_of_unknown_length_is_drawn(tiny_model, tiny_data):
    x, y = tiny_data
    batches = ((x[i:i + 64], y[i:i + 64]) for i in range(0, len(x), 64))
    dash = Dashboard(output="none")
    tiny_model().fit(batches, epochs=1, verbose=0, callbacks=[dash])
    assert dash.history.steps == 8
    assert dash.history.fits[0].steps_per_epoch is None
    assert dash.figure_png().startswith(b"\x89PNG")


@pytest.mark.needs_package("tensorflow")
def test_unknown_steps_per_epoch_no_validation_and_zero_epochs(tiny_model, tiny_data):
    import tensorflow as tf

    x, y = tiny_data
    # filter() hides the dataset's length: Keras cannot tell steps per epoch.
    data = tf.data.Dataset.from_tensor_slices((x, y)).filter(lambda a, b: True).batch(64)
    dash = Dashboard(output="none")
    model = tiny_model()
    model.fit(data, epochs=2, verbose=0, callbacks=[dash])
    assert dash.history.steps == 16
    assert dash.history.fits[0].steps_per_epoch is None
    png = dash.figure_png()
    assert png.startswith(b"\x89PNG")
    model.fit(x, y, epochs=0, verbose=0, callbacks=[dash])  # nothing to do, nothing breaks
    assert dash.history.steps == 16


def test_hooks_accept_logs_none(tiny_model):
    dash = Dashboard(output="none")
    dash.set_model(tiny_model())
    dash.set_params({"epochs": 1, "steps": 2, "verbose": 0})
    dash.on_train_begin(None)
    dash.on_epoch_begin(0, None)
    dash.on_train_batch_end(0, None)
    dash.on_train_batch_end(1, None)
    dash.on_epoch_end(0, None)
    dash.on_train_end(None)
    assert dash.history.steps == 2
    assert dash.figure_png().startswith(b"\x89PNG")


def test_nan_loss_is_recorded_and_drawn_as_gap(tiny_data, linear_model):
    x, y = tiny_data
    model = linear_model(optimizer=keras.optimizers.SGD(1e6))  # diverges to inf/NaN
    dash = Dashboard(output="none")
    model.fit(x * 100, y.astype("float32"), epochs=3, batch_size=32, verbose=0, callbacks=[dash])
    losses = dash.history.batch_values("loss")
    assert not np.isfinite(losses).all()
    dash.figure_png()
    loss_axes = dash._frames.figure.figure.axes[0]
    assert all(np.isfinite(loss_axes.get_ylim()))


def test_drawing_failure_is_reported_once_and_training_goes_on(tiny_model, tiny_data, tmp_path,
                                                               monkeypatch):
    x, y = tiny_data
    dash = Dashboard(output="none", png_path=tmp_path / "plot.png", redraw_interval=0)

    def broken(*args, **kwargs):
        raise RuntimeError("renderer exploded")

    # The figure is the process's, shared by dashboards: broken for this test only.
    monkeypatch.setattr(dash._frames.figure, "render_png", broken)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = tiny_model().fit(x, y, epochs=4, batch_size=32, verbose=0, callbacks=[dash])
    ours = [w for w in caught if "renderer exploded" in str(w.message)]
    assert len(ours) == 1
    assert "training continues" in str(ours[0].message)
    assert len(history.history["loss"]) == 4
    assert dash.history.steps == 64


def test_store_can_be_read_while_training_writes(tiny_model, tiny_data):
    x, y = tiny_data
    dash = Dashboard(output="none")
    problems, done = [], threading.Event()

    def reader():
        while not done.is_set():
            try:
                snap = dash.history.snapshot()
                steps = snap.batches.column("step")
                loss = snap.batches.column("loss") if "loss" in snap.batches else steps
                assert len(steps) == len(loss) == snap.batches.rows
                assert (np.diff(steps) == 1).all()
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                problems.append(error)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        tiny_model().fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[dash])
    finally:
        done.set()
        thread.join()
    assert problems == []
    assert dash.history.steps == 320


def test_console_output_prints_one_line_per_epoch(tiny_model, tiny_data, capsys, tmp_path):
    x, y = tiny_data
    png = tmp_path / "out" / "dash.png"
    dash = Dashboard(output="console", png_path=png)
    tiny_model().fit(x, y, epochs=3, batch_size=64, validation_split=0.25, verbose=0,
                     callbacks=[dash])
    lines = capsys.readouterr().out.strip().splitlines()
    epoch_lines = [line for line in lines if line.startswith("epoch ")]
    assert [line.split()[1] for line in epoch_lines] == ["1/3", "2/3", "3/3"]
    assert "val_loss" in epoch_lines[0] and "accuracy" in epoch_lines[0]
    assert png.read_bytes().startswith(b"\x89PNG")
    assert any(str(png) in line for line in lines)


def test_learning_rate_of_a_schedule_is_the_rate_each_batch_used(tiny_data):
    """Each reading is the schedule's value at the step it is drawn at; the first one is the
    initial rate (read after the first batch, it was the second batch's rate, 0.00933)."""
    x, y = tiny_data
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])
    schedule = keras.optimizers.schedules.ExponentialDecay(1e-2, 10, 0.5)
    model.compile(keras.optimizers.Adam(schedule), "sparse_categorical_crossentropy")
    dash = Dashboard(output="none", redraw_interval=0)
    model.fit(x, y, epochs=3, batch_size=64, verbose=0, callbacks=[dash])
    rates = dash.history.learning_rates
    steps, values = rates.column("step"), rates.column("learning_rate")
    assert values[0] == pytest.approx(0.01, rel=1e-6)
    np.testing.assert_allclose(values, 0.01 * 0.5 ** (steps / 10), rtol=1e-5)


def status_html(dash) -> str:
    """The dashboard's status line as the widget panel shows it."""
    widget, = [output for output in dash.outputs if output.name == "widget"]
    return widget.panel.status.value


@pytest.mark.needs_package("tensorflow")
def test_eta_is_known_from_the_second_epoch_of_a_dataset_of_unknown_length(tiny_model,
                                                                           tiny_data):
    import tensorflow as tf

    x, y = tiny_data
    data = tf.data.Dataset.from_tensor_slices((x, y)).filter(lambda a, b: True).batch(64)
    dash = Dashboard(output="widget")
    seen = {}

    class StatusProbe(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            # The dashboard's epoch-end update is sent from its render thread: wait for it
            # (the previous epoch, all its batches: "epoch 1/3 · batch 8/8").
            ended = f"<b>{epoch}/3</b> &nbsp;·&nbsp; batch 8/8"
            deadline = time.monotonic() + 10
            while ended not in status_html(dash) and time.monotonic() < deadline:
                time.sleep(0.01)
            seen[epoch] = status_html(dash)

    tiny_model().fit(data, epochs=3, verbose=0, callbacks=[dash, StatusProbe()])
    assert "ETA --:--" not in seen[1] and "ETA --:--" not in seen[2], seen
    assert "batch 8/8" in seen[1], seen[1]    # the epoch's length is known too
