"""One display rule for every result: text always, a static copy, the widget where widgets show."""

import warnings

import ipywidgets
import numpy as np

from nbcallbacks import CallbackTracer
from nbcallbacks.chart.comparison_widget import ComparisonWidget
from nbcallbacks.compat.ipywidgets_versions import WIDGET_VIEW_MIMETYPE, widget_mimebundle
from nbcallbacks.ui.result_bundle import result_mimebundle


def test_the_widget_is_built_only_where_widgets_are_shown():
    built = []

    def make():
        built.append(1)
        return ipywidgets.HTML("live")

    bundle = result_mimebundle("text", png=b"png", html="<b>copy</b>", widget=make,
                               shows_widgets=False)
    assert built == [] and set(bundle) == {"text/plain", "image/png", "text/html"}
    bundle = result_mimebundle("text", widget=make, shows_widgets=True)
    assert built == [1] and bundle["text/plain"] == "text"   # the result's text, not the widget's
    assert bundle[WIDGET_VIEW_MIMETYPE]["model_id"]


def test_an_anywidget_view_is_a_plain_bundle():
    # anywidget answers _repr_mimebundle_ with IPython's (data, metadata) pair.
    widget = ComparisonWidget(title="runs")
    bundle = widget_mimebundle(widget)
    assert bundle[WIDGET_VIEW_MIMETYPE]["model_id"] == widget.model_id
    widget.close()


def test_a_tracer_display_that_fails_is_reported_once_and_training_goes_on(monkeypatch,
                                                                          linear_model):
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: _Handle())
    monkeypatch.setattr("nbcallbacks.tracer.tracer_timeline.TracerTimeline.refresh",
                        lambda self: 1 / 0)
    model = linear_model(features=2)
    tracer = CallbackTracer(output="widget", refresh_interval=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(np.zeros((8, 2)), np.zeros((8, 1)), epochs=2, batch_size=4,
                            verbose=0, callbacks=[tracer])
    assert len(history.history["loss"]) == 2
    assert sum(c.hook == "on_epoch_end" for c in tracer.calls) == 2
    reports = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert reports == ["nbcallbacks: the callback tracer's timeline recorded step failed "
                       "(ZeroDivisionError: division by zero); training continues, every "
                       "call is still recorded in tracer.calls."], reports


class _Handle:
    def update(self, *args, **kwargs):
        pass
