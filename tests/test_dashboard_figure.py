"""DashboardFigure: panels, pixels, layout reuse, non-finite data and view options."""

import io
import math

import numpy as np
import pytest
from PIL import Image

from nbcallbacks.records.events import EventLog
from nbcallbacks.records.metric_store import MetricStore
from nbcallbacks.records.smoothing import ema
from nbcallbacks.render.dashboard_figure import (
    LEARNING_RATE_PANEL,
    TRAIN_COLOR,
    VALIDATION_COLOR,
    DashboardFigure,
)
from nbcallbacks.render.view_options import ViewOptions

BATCHES = 20


def _fill(store, epochs, validation=True, start_epoch=0, seed=0):
    """Record ``epochs`` epochs of decreasing loss / increasing accuracy."""
    rng = np.random.default_rng(seed)
    for epoch in range(start_epoch, start_epoch + epochs):
        store.record_learning_rate(float(epoch), 0.01 * 0.5 ** epoch)
        for batch in range(BATCHES):
            step = store.steps
            store.record_batch(epoch, batch, {
                "loss": 2.0 / (step + 1) + 0.1 * rng.random(),
                "accuracy": min(0.99, 0.5 + 0.004 * step)})
        logs = {"loss": 1.0 / (epoch + 1), "accuracy": 0.5 + 0.08 * epoch}
        if validation:
            logs.update(val_loss=1.2 / (epoch + 1), val_accuracy=0.45 + 0.08 * epoch)
        store.record_epoch(epoch, logs)
    return store


def _titles(fig):
    return [ax.get_title(loc="left") for ax in fig.figure.axes]


def _axes(fig, title):
    (ax,) = [ax for ax in fig.figure.axes if ax.get_title(loc="left") == title]
    return ax


def _line(ax, label):
    (line,) = [line for line in ax.get_lines() if line.get_label() == label]
    return line


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(np.int16)


def _count_near(pixels, hex_color, tolerance=24):
    rgb = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb).max(axis=2) <= tolerance).sum())


def _assert_sane_ylim(ax, bound):
    low, high = ax.get_ylim()
    assert math.isfinite(low) and math.isfinite(high)
    assert low < high
    assert -bound < low and high < bound


@pytest.fixture
def full_store():
    return _fill(MetricStore(), epochs=5)


def test_png_is_a_non_blank_image(full_store):
    fig = DashboardFigure(width=800)
    png = fig.render_png(full_store.snapshot())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = _pixels(png)
    assert pixels.shape[1] == 800
    assert pixels.shape[0] > 200
    colours = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(colours) > 100
    non_white = (pixels < 245).any(axis=2).mean()
    assert 0.02 < non_white < 0.9


def test_expected_panels_for_loss_accuracy_validation_and_learning_rate(full_store):
    fig = DashboardFigure()
    fig.render_png(full_store.snapshot())
    assert _titles(fig) == ["loss", "accuracy", LEARNING_RATE_PANEL]
    assert LEARNING_RATE_PANEL == "learning rate"
    assert _axes(fig, "learning rate").get_yscale() == "log"
    lr_line = _axes(fig, "learning rate").get_lines()[0]
    np.testing.assert_allclose(lr_line.get_ydata(), [0.01 * 0.5 ** e for e in range(5)])


def test_no_learning_rate_panel_without_rates():
    store = MetricStore()
    store.record_batch(0, 0, {"loss": 1.0, "mae": 0.5})
    fig = DashboardFigure()
    fig.update(store.snapshot())
    assert _titles(fig) == ["loss", "mae"]


def test_learning_rate_from_epoch_logs_only_gets_a_panel():
    store = MetricStore()
    for epoch in range(3):
        store.record_batch(epoch, 0, {"loss": 1.0})
        store.record_epoch(epoch, {"loss": 1.0, "learning_rate": 0.1 / (epoch + 1)})
    fig = DashboardFigure()
    fig.update(store.snapshot())
    assert _titles(fig) == ["loss", "learning rate"]
    line = _axes(fig, "learning rate").get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), [0.1, 0.05, 0.1 / 3])


def test_train_and_validation_colours_appear_in_the_pixels(full_store):
    pixels = _pixels(DashboardFigure().render_png(full_store.snapshot()))
    assert _count_near(pixels, TRAIN_COLOR) > 200
    assert _count_near(pixels, VALIDATION_COLOR) > 200


def test_validation_colour_absent_without_validation_data():
    store = _fill(MetricStore(), epochs=5, validation=False)
    fig = DashboardFigure()
    pixels = _pixels(fig.render_png(store.snapshot()))
    assert _count_near(pixels, TRAIN_COLOR) > 200
    assert _count_near(pixels, VALIDATION_COLOR) < 20
    legend_texts = [t.get_text() for t in fig.figure.legends[0].get_texts()]
    assert "validation (epoch)" not in legend_texts
    assert "train (epoch)" in legend_texts


def test_layout_is_built_once_across_many_frames():
    store = MetricStore()
    fig = DashboardFigure()
    axes_before = None
    for frame in range(30):
        _fill(store, epochs=1, start_epoch=frame, seed=frame)
        if frame % 10 == 9:
            fig.render_png(store.snapshot())
        else:
            fig.update(store.snapshot())
        if axes_before is None:
            axes_before = list(fig.figure.axes)
        assert fig.layout_builds == 1
    # The very same axes objects are reused, and they show the grown data.
    assert fig.figure.axes == axes_before
    assert len(_line(_axes(fig, "loss"), "train (epoch)").get_xdata()) == 30


def test_layout_rebuilt_when_a_metric_appears_or_a_panel_is_hidden(full_store):
    fig = DashboardFigure()
    fig.update(full_store.snapshot())
    assert fig.layout_builds == 1
    full_store.record_batch(5, 0, {"loss": 0.1, "accuracy": 0.9, "mae": 0.3})
    fig.update(full_store.snapshot())
    assert fig.layout_builds == 2
    assert _titles(fig) == ["loss", "accuracy", "mae", "learning rate"]
    hide = ViewOptions(hidden=frozenset({"accuracy"}))
    fig.update(full_store.snapshot(), hide)
    assert fig.layout_builds == 3
    assert _titles(fig) == ["loss", "mae", "learning rate"]
    fig.update(full_store.snapshot(), hide)  # same view again: no rebuild
    fig.update(full_store.snapshot(), hide.with_(smoothing=0.5, log_scale=True))
    assert fig.layout_builds == 3
    fig.update(full_store.snapshot())  # shown again
    assert fig.layout_builds == 4
    assert "accuracy" in _titles(fig)


def test_event_and_resume_markers_do_not_accumulate(full_store):
    """Vertical markers are replaced on each update, not added on top of the old ones."""
    full_store.begin_fit(initial_epoch=5)
    _fill(full_store, epochs=1, start_epoch=5)
    events = EventLog()
    events.add(1, 30, "mark", "something")
    events.add(2, 50, "lr_change", "lower")
    fig = DashboardFigure()
    fig.update(full_store.snapshot(), events=events)
    ax = _axes(fig, "loss")
    count = len(ax.get_lines())
    for _ in range(5):
        fig.update(full_store.snapshot(), events=events)
    assert len(ax.get_lines()) == count
    # five metric lines + two events (the first fit is not a "resume")
    fig.update(full_store.snapshot())
    assert count - len(ax.get_lines()) == 2


def test_non_finite_values_do_not_raise_and_keep_finite_y_limits():
    store = MetricStore()
    bad = [np.nan, np.inf, -np.inf, 1e30]
    for step in range(200):
        value = bad[step % 4] if step % 17 == 0 else 1.0 + 0.01 * (step % 7)
        store.record_batch(0, step, {"loss": value if value != 1e30 else 1.02,
                                     "accuracy": np.inf if step % 5 == 0 else 0.5})
    store.record_epoch(0, {"loss": np.inf, "val_loss": np.nan, "accuracy": 0.5,
                           "val_accuracy": -np.inf})
    store.record_learning_rate(0.5, np.inf)
    store.record_learning_rate(1.0, 0.001)
    fig = DashboardFigure()
    for view in (ViewOptions(), ViewOptions(log_scale=True, smoothing=0.9),
                 ViewOptions(x_axis="epochs"), ViewOptions(x_axis="time")):
        png = fig.render_png(store.snapshot(), view)
        assert png[:4] == b"\x89PNG"
        _assert_sane_ylim(_axes(fig, "loss"), bound=10)
        _assert_sane_ylim(_axes(fig, "accuracy"), bound=10)
        low, high = _axes(fig, "learning rate").get_ylim()
        assert math.isfinite(low) and math.isfinite(high) and 0 < low < 0.001 < high < 1
        for ax in fig.figure.axes:
            for line in ax.get_lines():
                assert not np.isinf(np.asarray(line.get_ydata(), dtype=float)).any()


def test_metric_with_only_non_finite_values_renders():
    store = MetricStore()
    for step in range(10):
        store.record_batch(0, step, {"loss": np.nan, "accuracy": np.inf})
    store.record_epoch(0, {"loss": np.nan})
    fig = DashboardFigure()
    fig.render_png(store.snapshot(), ViewOptions(log_scale=True, smoothing=0.5))
    for ax in fig.figure.axes:
        low, high = ax.get_ylim()
        assert math.isfinite(low) and math.isfinite(high)
    assert len(_line(_axes(fig, "loss"), "best").get_xdata()) == 0


def test_y_limits_follow_the_data(full_store):
    fig = DashboardFigure()
    fig.update(full_store.snapshot())
    loss = full_store.batch_values("loss")
    low, high = _axes(fig, "loss").get_ylim()
    assert low < loss.min() and high > loss.max()
    assert high - low < 1.5 * (loss.max() - loss.min())


@pytest.mark.filterwarnings("error:Attempt to set non-positive ylim:UserWarning")
def test_log_scale_applies_to_positive_metrics_only_and_can_be_turned_off():
    store = MetricStore()
    for step in range(50):
        store.record_batch(0, step, {"loss": 10.0 ** (-step / 10), "delta": step - 25.0})
    fig = DashboardFigure()
    fig.update(store.snapshot(), ViewOptions(log_scale=True))
    assert _axes(fig, "loss").get_yscale() == "log"
    assert _axes(fig, "delta").get_yscale() == "linear"  # has values <= 0
    low, high = _axes(fig, "loss").get_ylim()
    assert 0 < low < 10.0 ** -4.9 and high > 1.0
    fig.update(store.snapshot(), ViewOptions(log_scale=False))
    assert _axes(fig, "loss").get_yscale() == "linear"
    assert fig.layout_builds == 1


def test_smoothing_draws_an_ema_line_over_the_raw_one(full_store):
    fig = DashboardFigure()
    fig.update(full_store.snapshot(), ViewOptions(smoothing=0.8))
    ax = _axes(fig, "loss")
    raw, smooth = _line(ax, "train (per batch)"), _line(ax, "train (smoothed)")
    raw_y = np.asarray(raw.get_ydata(), dtype=float)
    np.testing.assert_allclose(smooth.get_ydata(), ema(raw_y, 0.8))
    np.testing.assert_array_equal(smooth.get_xdata(), raw.get_xdata())
    assert raw.get_alpha() < 0.35
    fig.update(full_store.snapshot(), ViewOptions(smoothing=0.0))
    assert len(smooth.get_xdata()) == 0


def test_steps_x_axis_positions(full_store):
    fig = DashboardFigure()
    fig.update(full_store.snapshot())
    ax = _axes(fig, "loss")
    batch_x = np.asarray(_line(ax, "train (per batch)").get_xdata())
    assert batch_x[0] == 1 and batch_x[-1] == 5 * BATCHES
    np.testing.assert_array_equal(_line(ax, "validation (epoch)").get_xdata(),
                                  [20, 40, 60, 80, 100])
    assert ax.get_xlabel() == "step"


def test_epochs_x_axis_positions(full_store):
    fig = DashboardFigure()
    fig.update(full_store.snapshot(), ViewOptions(x_axis="epochs"))
    ax = _axes(fig, "loss")
    batch_x = np.asarray(_line(ax, "train (per batch)").get_xdata())
    assert batch_x[0] == pytest.approx(1 / BATCHES)
    assert batch_x[-1] == pytest.approx(5.0)
    assert (np.diff(batch_x) > 0).all()
    np.testing.assert_array_equal(_line(ax, "train (epoch)").get_xdata(), [1, 2, 3, 4, 5])
    assert ax.get_xlabel() == "epoch"
    lo, hi = ax.get_xlim()
    assert lo <= 1 / BATCHES and hi >= 5.0
    lr_x = _axes(fig, "learning rate").get_lines()[0].get_xdata()
    np.testing.assert_array_equal(lr_x, [0, 1, 2, 3, 4])


def test_time_x_axis_positions():
    store = MetricStore()
    store.begin_fit(epochs=5)   # the store's clock runs inside fits
    _fill(store, epochs=5)
    fig = DashboardFigure()
    snapshot = store.snapshot()
    assert snapshot.batches.column("seconds")[-1] > 0
    fig.update(snapshot, ViewOptions(x_axis="time"))
    ax = _axes(fig, "loss")
    np.testing.assert_array_equal(_line(ax, "train (per batch)").get_xdata(),
                                  snapshot.batches.column("seconds"))
    np.testing.assert_array_equal(_line(ax, "validation (epoch)").get_xdata(),
                                  snapshot.epochs.column("seconds"))
    lr_x = _axes(fig, "learning rate").get_lines()[0].get_xdata()
    np.testing.assert_array_equal(lr_x, snapshot.learning_rates.column("seconds"))
    assert ax.get_xlabel() == "time (s of training)"


def test_best_marker_uses_min_for_loss_and_max_for_accuracy():
    store = MetricStore()
    val_loss = [0.9, 0.4, 0.6, 0.5]
    val_acc = [0.5, 0.6, 0.8, 0.7]
    for epoch in range(4):
        store.record_batch(epoch, 0, {"loss": 1.0})
        store.record_epoch(epoch, {"loss": 1.0 - 0.1 * epoch, "accuracy": 0.5,
                                   "val_loss": val_loss[epoch], "val_accuracy": val_acc[epoch]})
    fig = DashboardFigure()
    fig.update(store.snapshot(), ViewOptions(x_axis="epochs"))
    best_loss = _line(_axes(fig, "loss"), "best")
    best_acc = _line(_axes(fig, "accuracy"), "best")
    assert list(best_loss.get_xdata()) == [2]
    assert list(best_loss.get_ydata()) == pytest.approx([0.4])
    assert list(best_acc.get_xdata()) == [3]
    assert list(best_acc.get_ydata()) == pytest.approx([0.8])


def test_long_history_is_decimated_before_drawing():
    store = MetricStore()
    values = np.random.default_rng(0).random(50_000)
    values[31_337] = 5.0
    for step, value in enumerate(values):
        store.record_batch(step // 1000, step % 1000, {"loss": value})
    fig = DashboardFigure(max_points=400)
    fig.update(store.snapshot())
    raw = _line(_axes(fig, "loss"), "train (per batch)")
    assert len(raw.get_xdata()) <= 400
    assert 5.0 in np.asarray(raw.get_ydata()).tolist()  # the spike survives


def test_empty_store_renders_the_placeholder():
    fig = DashboardFigure()
    png = fig.render_png(MetricStore().snapshot())
    assert fig.figure.axes == []
    texts = [t.get_text() for t in fig.figure.texts]
    assert any("waiting for the first batch" in t for t in texts)
    pixels = _pixels(png)
    assert (pixels < 200).any()  # the placeholder text is drawn
    assert fig.layout_builds == 1
    fig.render_png(MetricStore().snapshot())
    assert fig.layout_builds == 1


def test_placeholder_replaced_once_data_arrives():
    store = MetricStore()
    fig = DashboardFigure()
    fig.update(store.snapshot())
    store.record_batch(0, 0, {"loss": 1.0})
    fig.render_png(store.snapshot())
    assert _titles(fig) == ["loss"]
    assert not any("waiting" in t.get_text() for t in fig.figure.texts)


def test_all_panels_hidden_shows_placeholder(full_store):
    fig = DashboardFigure()
    hidden = frozenset({"loss", "accuracy", "learning rate"})
    fig.render_png(full_store.snapshot(), ViewOptions(hidden=hidden))
    assert fig.figure.axes == []


def test_render_png_without_snapshot_redraws_last_state(full_store):
    fig = DashboardFigure()
    first = fig.render_png(full_store.snapshot())
    again = fig.render_png()
    np.testing.assert_array_equal(_pixels(first), _pixels(again))


def test_a_constant_learning_rate_gets_distinct_tick_labels():
    # A rate that never changes spans well under a decade: every minor tick is
    # labelled, and 1.1e-02 must not print as a second "1e-02" (matplotlib 3.10).
    store = MetricStore()
    for epoch in range(3):
        store.record_learning_rate(float(epoch), 0.01)
        store.record_epoch(epoch, {"loss": 1.0 / (epoch + 1)})
    fig = DashboardFigure()
    fig.update(store.snapshot())
    fig.render_png()
    ax = _axes(fig, LEARNING_RATE_PANEL)
    low, high = ax.get_ylim()
    labels = [t.get_text() for t in ax.yaxis.get_ticklabels(which="both")
              if t.get_text() and low <= t.get_position()[1] <= high]
    assert "1e-02" in labels
    assert len(labels) == len(set(labels)), labels


def _visible_texts(ax):
    return [t.get_text() for t in ax.texts if t.get_visible() and t.get_text()]


def test_a_metric_without_finite_values_says_so():
    store = MetricStore()
    for step in range(10):
        store.record_batch(0, step, {"loss": 1.0 / (step + 1), "pearson": np.nan})
    store.record_epoch(0, {"loss": 0.1, "pearson": np.nan, "val_pearson": np.nan})
    fig = DashboardFigure()
    png = fig.render_png(store.snapshot())
    assert "no finite values" in _visible_texts(_axes(fig, "pearson"))
    assert "no finite values" not in _visible_texts(_axes(fig, "loss"))
    # The words are in the picture, not only in the artist tree.
    fig._background = None
    assert fig.render_png(store.snapshot()) == png
    # Once a finite value arrives the note goes.
    store.record_batch(1, 0, {"loss": 0.1, "pearson": 0.3})
    fig.render_png(store.snapshot())
    assert "no finite values" not in _visible_texts(_axes(fig, "pearson"))


def test_a_metric_without_finite_values_is_marked_in_the_pixels():
    store = MetricStore()
    for step in range(10):
        store.record_batch(0, step, {"loss": 1.0 / (step + 1), "pearson": np.nan})
    fig = DashboardFigure()
    pixels = _pixels(fig.render_png(store.snapshot()))
    ax = _axes(fig, "pearson")
    # Inside the empty panel (away from the grid lines' grey) something dark is drawn.
    (x0, y0), (x1, y1) = ax.get_window_extent().get_points()
    height = pixels.shape[0]
    inner = pixels[int(height - y1) + 5:int(height - y0) - 5, int(x0) + 5:int(x1) - 5]
    assert (inner.max(axis=2) < 180).sum() > 30


def _long_run(epochs_done, planned_epochs=300, batches=58):
    store = MetricStore()
    store.begin_fit(0, epochs=planned_epochs, steps_per_epoch=batches)
    for epoch in range(epochs_done):
        for batch in range(batches):
            store.record_batch(epoch, batch, {"loss": 1.0 / (store.steps + 1)})
        store.record_epoch(epoch, {"loss": 1.0 / (epoch + 1)})
    return store


@pytest.mark.parametrize("x_axis, data_end", [("steps", 3 * 58), ("epochs", 3.0)])
def test_a_long_run_shows_its_curves_not_the_whole_plan(x_axis, data_end):
    store = _long_run(3)
    fig = DashboardFigure()
    fig.render_png(store.snapshot(), ViewOptions(x_axis=x_axis))
    for ax in fig.figure.axes:
        low, high = ax.get_xlim()
        assert low == 0
        assert data_end < high <= 3 * data_end, (x_axis, high)


def test_the_x_axis_grows_in_steps_not_every_frame():
    store = _long_run(3)
    fig = DashboardFigure()
    limits = []
    for _ in range(40):  # one batch per frame
        store.record_batch(3, store.steps - 3 * 58, {"loss": 0.01})
        fig.render_png(store.snapshot())
        limits.append(fig.figure.axes[0].get_xlim()[1])
    assert limits == sorted(limits)           # never shrinks
    assert len(set(limits)) <= 2, limits      # a few new limits over 40 frames, not 40
    assert all(store.steps <= limit for limit in limits[-1:])


def test_the_x_axis_stops_at_the_planned_end():
    store = _long_run(9, planned_epochs=10, batches=20)
    fig = DashboardFigure()
    fig.render_png(store.snapshot())
    assert fig.figure.axes[0].get_xlim()[1] == 200  # no headroom past the plan


def test_the_final_frame_of_a_long_run_covers_all_its_data():
    store = _long_run(3)
    fig = DashboardFigure()
    fig.render_png(store.snapshot())
    fig.render_png(store.snapshot(), final=True)
    high = fig.figure.axes[0].get_xlim()[1]
    assert 3 * 58 <= high <= 1.05 * 3 * 58


@pytest.mark.parametrize("low, high", [(0.6, 0.8), (0.3, 0.9), (1e-4, 2.0), (0.999, 1.001)])
def test_log_scale_metric_panels_have_distinct_labels(low, high):
    store = MetricStore()
    for step, value in enumerate(np.linspace(high, low, 50)):
        store.record_batch(0, step, {"loss": float(value)})
    fig = DashboardFigure()
    fig.render_png(store.snapshot(), ViewOptions(log_scale=True))
    ax = _axes(fig, "loss")
    assert ax.get_yscale() == "log"
    shown_low, shown_high = ax.get_ylim()
    labels = [t.get_text() for t in ax.yaxis.get_ticklabels(which="both")
              if t.get_text() and shown_low <= t.get_position()[1] <= shown_high]
    assert len(labels) >= 2 and len(labels) == len(set(labels)), labels
