"""Every output nbcallbacks displays works with the installed ipywidgets (7.7.1 or 8.1.9).

ipywidgets 7 (Google Colab) and 8 build a widget's display bundle differently
(see ``nbcallbacks/compat/ipywidgets_versions.py``). The same tests run in both
environments: in-process checks of each widget tree and bundle, then a real
kernel of this environment's Python showing a dashboard, a callback tracer and
the schedule previews, compared with what ipywidgets itself publishes there.
"""

import re
import sys
import textwrap
import warnings

import ipywidgets
import pytest
from support.kernel_session import KernelSession
from support.schedules import cell_source, warmup_cosine

from nbcallbacks.compat.ipywidgets_versions import (
    WIDGET_VIEW_MIMETYPE,
    ipywidgets_major,
    tooltip_kwargs,
    widget_mimebundle,
)

pytestmark = pytest.mark.kernel_stack

MAJOR = ipywidgets_major()


def _widget_trees():
    from nbcallbacks.run_control.training_signals import TrainingSignals
    from nbcallbacks.schedules.parameter_sliders import ParameterSliders
    from nbcallbacks.schedules.schedule_parameters import ParameterSpec
    from nbcallbacks.schedules.schedule_preview_panel import SchedulePreviewPanel
    from nbcallbacks.tracer.tracer_timeline import TracerTimeline
    from nbcallbacks.ui.dashboard_panel import DashboardPanel
    from nbcallbacks.ui.training_controls import TrainingControls

    panel = DashboardPanel("demo")
    panel.view_controls.set_panels(["loss", "accuracy"])
    return {"dashboard": panel.widget, "controls": TrainingControls(TrainingSignals()).widget,
            "schedule": SchedulePreviewPanel(lambda log: b"").widget,
            "tracer": TracerTimeline(lambda: []).widget,
            "sliders": ParameterSliders([ParameterSpec("warmup", 5, 0, 20, 1, integer=True),
                                         ParameterSpec("lr", 1e-3, 1e-5, 1e-1, 0.1, log=True),
                                         ParameterSpec("floor", 0.5, 0.0, 1.0, 0.01)]).widget}


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_widget_trees_build_without_ipywidgets_warnings():
    # ipywidgets 7 warns "Passing unrecognized arguments" (and drops the value)
    # for a keyword it does not know, such as tooltip= on a Text or a slider.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trees = _widget_trees()
    from_ipywidgets = [str(w.message) for w in caught
                       if "ipywidgets" in w.filename or "traitlets" in w.filename
                       or "unrecognized" in str(w.message)]
    assert from_ipywidgets == []
    tooltips = [w.get_state().get("tooltip") or w.get_state().get("description_tooltip")
                for tree in trees.values() for w in _walk(tree)]
    # Every tooltip nbcallbacks sets reaches the widget state, whichever keyword carries it.
    assert any("moving average" in str(t) for t in tooltips)
    assert any("press Enter" in str(t) for t in tooltips)
    assert any("batch-level call" in str(t) for t in tooltips)


def test_schedule_value_table_starts_collapsed():
    # ipywidgets 7 opens an Accordion's first page unless told otherwise, 8 does not.
    from nbcallbacks.schedules.schedule_preview_panel import SchedulePreviewPanel

    assert SchedulePreviewPanel(lambda log: b"").table_box.selected_index is None


@pytest.mark.parametrize("kind", ["dashboard", "controls", "schedule", "tracer", "sliders"])
def test_bundle_names_the_widget_model_with_the_protocol_version(kind):
    tree = _widget_trees()[kind]
    bundle = widget_mimebundle(tree)
    assert bundle[WIDGET_VIEW_MIMETYPE] == tree.get_view_spec()
    view = bundle[WIDGET_VIEW_MIMETYPE]
    assert (view["version_major"], view["version_minor"]) == (2, 0)
    assert view["model_id"] == tree.model_id
    assert bundle["text/plain"].startswith(type(tree).__name__)
    assert len(bundle["text/plain"]) <= 111


def test_bundle_is_a_new_dict_each_time():
    label = ipywidgets.HTML("x")
    first = widget_mimebundle(label)
    first["image/png"] = "..."
    assert "image/png" not in widget_mimebundle(label)


def test_an_unknown_widget_api_is_a_clear_error():
    class FutureWidget:   # neither _repr_mimebundle_ nor get_view_spec
        _view_name = "FutureView"

    with pytest.raises(RuntimeError, match=r"Verified versions: 7\.7\.1 and 8\.1\.9"):
        widget_mimebundle(FutureWidget())


def test_tooltip_keyword_matches_the_version():
    if MAJOR >= 8:
        assert tooltip_kwargs(ipywidgets.Text, "t") == {"tooltip": "t"}
    else:
        assert tooltip_kwargs(ipywidgets.Text, "t") == {"description_tooltip": "t"}
    assert tooltip_kwargs(ipywidgets.Button, "t") == {"tooltip": "t"}   # both versions


def test_dashboard_panel_final_bundle_carries_widget_and_png():
    from nbcallbacks.ui.dashboard_panel import DashboardPanel

    panel = DashboardPanel("demo")
    panel.set_static_frame(b"\x89PNG fake")
    bundle = panel.mimebundle("demo: 3 epochs")
    assert bundle[WIDGET_VIEW_MIMETYPE]["model_id"] == panel.widget.model_id
    assert bundle["image/png"] and bundle["text/plain"] == "demo: 3 epochs"


# -- in a real kernel of this environment ----------------------------------------------
SETUP = textwrap.dedent("""
    import json, math, warnings, numpy as np, keras, ipywidgets
    from IPython.display import display
    # ipywidgets 7 reports unknown keywords as a DeprecationWarning, hidden by default.
    warnings.filterwarnings("always", message="Passing unrecognized arguments")
    from nbcallbacks import (CallbackTracer, Dashboard, find_lr, interactive_schedule,
                             preview_schedule)
    keras.utils.set_random_seed(0)
    x = np.random.rand(256, 8).astype("float32"); y = (x.sum(1) > 4).astype("int32")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
""") + cell_source(warmup_cosine)
CELLS = {
    "reference": "display(ipywidgets.HTML('reference'))",
    # The two charts: PNG frames drawn in the kernel, and the default browser chart.
    "dashboard": "dash = Dashboard(chart='png')\n"
                 "history = model.fit(x, y, epochs=2, batch_size=32, validation_split=0.25,"
                 " verbose=0, callbacks=[dash])",
    "chart": "charted = Dashboard()\n"
             "history = model.fit(x, y, epochs=2, batch_size=32, validation_split=0.25,"
             " verbose=0, callbacks=[charted])",
    "tracer": "tracer = CallbackTracer(output='widget', refresh_interval=0)\n"
              "_ = model.fit(x, y, epochs=1, batch_size=64, verbose=0, callbacks=[tracer])",
    "preview": "preview_schedule(warmup_cosine(), epochs=12)",
    "interactive": "interactive_schedule(warmup_cosine, epochs=12)",
    "find_lr": "find_lr(model, x, y, batch_size=8, steps=30)",
}


@pytest.fixture(scope="module")
def kernel_outputs():
    session = KernelSession(python=sys.executable)
    try:
        status, messages = session.run(SETUP, timeout=180)
        assert status == "ok", messages
        outputs = {}
        for name, code in CELLS.items():
            status, messages = session.run(code, timeout=300)
            outputs[name] = (status, messages)
        version = session.run_json("print(json.dumps(ipywidgets.__version__))")
        yield outputs, dict(session.models), version
    finally:
        session.close()


def _shown(messages, kinds=("display_data", "execute_result", "update_display_data")):
    return [m for m in messages if m["msg_type"] in kinds]


def _problems(messages):
    text = "".join(m["content"].get("text", "") for m in messages
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
    errors = [m["content"]["evalue"] for m in messages if m["msg_type"] == "error"]
    return errors + [line for line in text.splitlines()
                     if "Warning" in line or "failed" in line or "unrecognized" in line]


def test_kernel_runs_the_installed_ipywidgets(kernel_outputs):
    _, _, version = kernel_outputs
    assert version == ipywidgets.__version__


@pytest.mark.parametrize("name", ["dashboard", "chart", "tracer", "preview", "interactive"])
def test_kernel_output_names_a_live_widget_like_ipywidgets_does(kernel_outputs, name):
    outputs, models, _ = kernel_outputs
    status, messages = outputs[name]
    assert status == "ok" and _problems(messages) == []
    reference = _shown(outputs["reference"][1])[0]["content"]["data"][WIDGET_VIEW_MIMETYPE]
    shown = _shown(messages)
    assert shown, f"{name} displayed nothing"
    for message in shown:
        view = message["content"]["data"][WIDGET_VIEW_MIMETYPE]
        assert view.keys() == reference.keys()
        assert (view["version_major"], view["version_minor"]) == \
            (reference["version_major"], reference["version_minor"])
        assert models[view["model_id"]]["name"] == "VBoxModel"


@pytest.mark.parametrize("name", ["dashboard", "chart"])
def test_kernel_dashboard_is_displayed_once_and_ends_with_a_png(kernel_outputs, name):
    outputs, models, _ = kernel_outputs
    messages = outputs[name][1]
    first = _shown(messages, ("display_data",))
    updates = _shown(messages, ("update_display_data",))
    assert len(first) == 1 and len(updates) >= 1
    display_id = first[0]["content"]["transient"]["display_id"]
    final = updates[-1]["content"]
    assert final["transient"]["display_id"] == display_id
    assert final["data"]["image/png"][:8] == "iVBORw0K"   # base64 of the PNG signature
    assert "2 epochs" in final["data"]["text/plain"]
    assert final["data"][WIDGET_VIEW_MIMETYPE] == first[0]["content"]["data"][WIDGET_VIEW_MIMETYPE]
    statuses = " ".join(str(m["state"].get("value", "")) for m in models.values()
                        if m["name"] == "HTMLModel")
    assert "finished" in statuses


def test_kernel_chart_is_an_anywidget_carrying_its_own_frontend(kernel_outputs):
    _, models, _ = kernel_outputs
    charts = [m["state"] for m in models.values() if m["name"] == "AnyModel"]
    assert len(charts) == 1
    assert charts[0]["_model_module"] == "anywidget"
    assert charts[0]["_esm"].startswith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */")
    assert [p["name"] for p in charts[0]["panels"]] == ["loss", "accuracy", "learning rate"]


def test_kernel_tracer_and_previews_carry_static_copies(kernel_outputs):
    outputs, _, _ = kernel_outputs
    tracer = _shown(outputs["tracer"][1])[-1]["content"]["data"]
    assert "on_train_end" in tracer["text/html"]
    for name in ("preview", "interactive"):
        result = _shown(outputs[name][1], ("execute_result",))
        assert len(result) == 1, name
        assert result[0]["content"]["data"]["image/png"][:8] == "iVBORw0K"



def test_kernel_find_lr_chart_is_a_plain_png(kernel_outputs):
    # No widgets: the same image in every frontend, ipywidgets 7 or 8.
    outputs, _, _ = kernel_outputs
    status, messages = outputs["find_lr"]
    assert status == "ok" and _problems(messages) == [], _problems(messages)
    (result,) = _shown(messages, ("execute_result",))
    data = result["content"]["data"]
    assert data["image/png"][:8] == "iVBORw0K" and WIDGET_VIEW_MIMETYPE not in data
    # Up to 30 steps: the test stops early where the loss diverges (it does on PyTorch).
    assert re.match(r"LR range test: \d+ of 30 steps", data["text/plain"]), data["text/plain"]
