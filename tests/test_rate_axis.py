"""Learning-rate axes in log scale: distinct, readable tick labels at every span.

A constant rate, or one that moves over a narrow span, leaves a log axis well
under a decade tall. Matplotlib's own log ticks then give one label or none,
and printing them with a fixed precision repeats labels ("1e-02, 1e-02, 1e-02,
9e-03"). Every chart that draws rates on a log axis must label it with at
least two different values.
"""

import numpy as np
import pytest

from nbcallbacks.records.metric_columns import LEARNING_RATE_PANEL
from nbcallbacks.records.metric_store import MetricStore
from nbcallbacks.render.dashboard_figure import DashboardFigure
from nbcallbacks.render.view_options import ViewOptions
from nbcallbacks.schedules.schedule_chart import ScheduleChartData, schedule_chart_figure


def visible_labels(ax):
    """Tick labels matplotlib drew inside the y limits (after a draw)."""
    low, high = ax.get_ylim()
    return [t.get_text() for t in ax.yaxis.get_ticklabels(which="both")
            if t.get_text() and low <= t.get_position()[1] <= high]


def assert_readable(labels):
    assert len(labels) >= 2, labels
    assert len(labels) == len(set(labels)), labels


def rate_panel(rates, view=ViewOptions()):
    """A dashboard figure drawn with one rate reading per batch."""
    store = MetricStore()
    store.begin_fit(0, epochs=10, steps_per_epoch=len(rates))
    for step, rate in enumerate(rates):
        store.record_batch(0, step, {"loss": 1.0 / (step + 1)})
        store.record_learning_rate(float(step), rate)
    figure = DashboardFigure()
    figure.render_png(store.snapshot(), view)
    (ax,) = [a for a in figure.figure.axes if a.get_title(loc="left") == LEARNING_RATE_PANEL]
    return figure, ax


@pytest.mark.parametrize("view", [ViewOptions(), ViewOptions(log_scale=True),
                                  ViewOptions(x_axis="epochs", log_scale=True)])
@pytest.mark.parametrize("rates", [
    [0.01] * 20,                                   # constant
    [float(np.float32(0.001))] * 20,               # constant, as a float32 variable reads
    list(0.01 * 0.999 ** np.arange(20)),           # a slow decay: a narrow span
    list(np.linspace(3e-4, 3.3e-4, 20)),           # a short warm-up
])
def test_dashboard_rate_panel_labels_are_distinct(rates, view):
    _, ax = rate_panel(rates, view)
    assert_readable(visible_labels(ax))


def test_dashboard_rate_panel_labels_are_distinct_at_every_span_the_axis_can_take():
    # The rate panel snaps its limits to tenths of a decade; sweep every such
    # range from a tenth of a decade to 1.5 decades, over a whole decade of offsets.
    figure, ax = rate_panel([0.01] * 5)
    for start in range(-30, -20):
        for tenths in range(1, 16):
            ax.set_ylim(10 ** (start / 10), 10 ** ((start + tenths) / 10))
            figure.figure.canvas.draw()
            labels = visible_labels(ax)
            assert len(labels) >= 2, (start, tenths, labels)
            assert len(labels) == len(set(labels)), (start, tenths, labels)


@pytest.mark.parametrize("rates", [[0.01] * 12, list(0.001 * 0.99 ** np.arange(12)),
                                   list(np.geomspace(1e-1, 1e-5, 12))])
def test_schedule_chart_in_log_scale_labels_its_rates(rates):
    data = ScheduleChartData(np.array(rates, dtype=np.float32), steps_per_epoch=10)
    figure = schedule_chart_figure(data, log_scale=True)
    figure.canvas.draw()
    (ax,) = [a for a in figure.axes if a.get_ylabel().startswith("learning rate")]
    assert_readable(visible_labels(ax))
