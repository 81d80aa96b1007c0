"""The renderer reuses its drawn background between frames, without changing what is drawn."""

import io

import numpy as np
from PIL import Image

from nbcallbacks.records import MetricStore
from nbcallbacks.render.dashboard_figure import DashboardFigure


def grow(store, epoch, batches, rng):
    for batch in range(batches):
        step = store.steps
        store.record_batch(epoch, batch, {"loss": 1.0 + 0.01 * rng.random() - step * 1e-4,
                                          "accuracy": 0.5 + 0.01 * rng.random()})


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_steady_training_reuses_the_background():
    rng = np.random.default_rng(0)
    store = MetricStore()
    store.begin_fit(0, epochs=20, steps_per_epoch=100)
    figure = DashboardFigure()
    grow(store, 0, 100, rng)
    figure.render_png(store.snapshot())
    before = figure.full_draws
    for _ in range(20):  # a slowly moving curve inside stable limits
        grow(store, 1, 5, rng)
        figure.render_png(store.snapshot())
    assert figure.full_draws - before <= 6  # most of the 20 frames only redraw the curves


def test_a_reused_background_gives_the_same_picture_as_a_full_draw():
    rng = np.random.default_rng(1)
    store = MetricStore()
    store.begin_fit(0, epochs=5, steps_per_epoch=50)
    grow(store, 0, 50, rng)
    store.record_epoch(0, {"loss": 1.0, "val_loss": 1.1, "accuracy": 0.5, "val_accuracy": 0.4})
    figure = DashboardFigure()
    figure.render_png(store.snapshot())
    grow(store, 1, 3, rng)
    cached = figure.render_png(store.snapshot())
    figure._background = None  # force a full redraw of the same state
    full = figure.render_png(store.snapshot())
    difference = np.abs(pixels(cached) - pixels(full))
    assert difference.max() <= 8, "blitted frame differs from a full draw"


def test_final_frame_fits_the_x_axis_to_the_data():
    rng = np.random.default_rng(2)
    store = MetricStore()
    store.begin_fit(0, epochs=100, steps_per_epoch=10)  # EarlyStopping will end it early
    grow(store, 0, 30, rng)
    figure = DashboardFigure()
    figure.render_png(store.snapshot())
    # While training the axis follows the data with headroom, not the planned 1000 steps.
    assert 30 < figure.figure.axes[0].get_xlim()[1] <= 100
    figure.render_png(store.snapshot(), final=True)
    assert figure.figure.axes[0].get_xlim()[1] < 40      # the real run at the end


def test_dashboards_sharing_the_process_figure_each_get_their_own_picture():
    """Dashboards draw in turn into one figure (its axes are built once per process): a
    run drawn after another looks as it would in a figure of its own, markers included."""
    from nbcallbacks.outputs.frame_pipeline import FramePipeline
    from nbcallbacks.outputs.throttle import Throttle
    from nbcallbacks.records import EventLog

    def pipeline(figure, seed, mark):
        rng = np.random.default_rng(seed)
        store, events = MetricStore(), EventLog()
        store.begin_fit(0, epochs=2, steps_per_epoch=40)
        grow(store, 0, 40, rng)
        grow(store, 1, 40, rng)
        # The same step and kind in both runs, named differently.
        events.add(epoch=1, step=60, kind="mark", message=mark)
        frames = FramePipeline(store, events, figure, Throttle(1.0), report_problem=print)
        frames.source = (seed, mark)
        return frames

    shared = DashboardFigure()
    first = pipeline(shared, 0, "warm-up ends")
    second = pipeline(shared, 1, "augmentation on")
    twin = pipeline(shared, 0, "augmentation on")   # the first's data: the same axes
    for run in (first, second, first, twin):   # each after another run's picture
        alone = pipeline(DashboardFigure(), *run.source).figure_png()
        assert np.abs(pixels(run.figure_png()) - pixels(alone)).max() <= 8, run.source
    assert shared.layout_builds == 1
