"""The browser chart's kernel side in real kernels, played with the messages a browser sends.

A view of the chart says ``ready`` once it has drawn; from then on the kernel sends the
store's new rows as binary custom messages while a **blocking** ``fit`` runs, over the
same click routes as the controls (a subshell on ipykernel 7.4, the main shell's queue
handled between batches on 6.x and 7.0–7.3). These tests send the ``ready`` message a
view sends, read every binary update the kernel publishes, decode it as the browser
does (:func:`nbcallbacks.chart.chart_wire.decode`) and compare the rows with the
dashboard's history. The drawing itself is tested in Chromium (test_chart_view_in_chromium,
tests/browser).
"""

from __future__ import annotations

import numpy as np
import pytest
import test_controls_in_kernel as controls

from nbcallbacks.chart.chart_wire import decode

# The controls' kernels (one per ipykernel version, shared, closed with the module).
kernel = controls.kernel
_close_kernels = controls._close_kernels
sender = controls.sender

pytestmark = pytest.mark.kernel_stack


def kernels(*cases):
    """The kernels x frontends to play. The chart's messages do not depend on the Keras
    backend: the JAX and PyTorch runs leave these to the TensorFlow one."""
    return pytest.mark.parametrize("kernel", [
        pytest.param(c.values[0], id=c.id, marks=[*c.marks, pytest.mark.backend("tensorflow")])
        for c in (controls.case(*case) for case in cases)], indirect=True)

CHART_FIT = """
dash = Dashboard(chart="browser", controls=False, redraw_interval=0.25)
history = model.fit(x, y, epochs=40, batch_size=32, verbose=0, validation_split=0.1,
                    callbacks=[dash])
"""
REPORT = """print(json.dumps({
    "chart": dash.outputs[0].chart is not None,
    "rendered": bool(dash.outputs[0].chart is not None and dash.outputs[0].chart.rendered),
    "loss": dash.history.batch_values("loss").tolist(),
    "val_loss": dash.history.epoch_values("val_loss").tolist(),
    "steps": dash.history.steps,
    "route": dash.click_route.name if dash.click_route else None,
    "kernel_view_widgets": [dash.outputs[0].panel.image is not None,
                            dash.outputs[0].panel.view_controls is not None]}))"""


def shown_chart(kernel, msg_id: str) -> str:
    """The chart's comm id, once the cell has displayed the panel (when a browser would
    draw the chart and send its first message)."""
    comm_id = kernel.wait_for(lambda: kernel.find_model("AnyModel"), 120, "the chart's widget")
    kernel.wait_for(lambda: any(m["msg_type"] == "display_data"
                                for m in kernel.messages_of(msg_id)), 60, "the panel shown")
    return comm_id


def chart_updates(kernel, comm_id: str) -> list[tuple[int, dict, bytes]]:
    """Every binary update published to the chart, in order, with its place in the log
    (by comm, not by parent cell: on ipykernel 7 a thread's messages carry no parent)."""
    updates = []
    for index, (_, message) in enumerate(kernel.log):
        content = message["content"]
        data = content.get("data", {})
        if message["msg_type"] == "comm_msg" and content.get("comm_id") == comm_id \
                and data.get("method") == "custom":
            updates.append((index, data["content"], bytes(message["buffers"][0])))
    return updates


def cell_end(kernel, msg_id: str) -> int:
    """Where in the log the cell ``msg_id`` went idle."""
    return next(index for index, (_, m) in enumerate(kernel.log)
                if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle")


def rows_received(updates, table: str, column: str) -> np.ndarray:
    """What a view holds after applying ``updates``: rows written by index."""
    values: dict[int, float] = {}
    for _, header, buffer in updates:
        decoded = decode(header, buffer)
        for described in header["tables"]:
            if described["name"] == table:
                for offset, value in enumerate(decoded[table][column]):
                    values[described["start"] + offset] = value
    return np.array([values[i] for i in sorted(values)], dtype=np.float32)


# Each click route once: the ipykernel 6 pump (Colab's kernel), the 7.0–7.3 main-shell
# drain (7.0.1 also needs the drawing thread's context: compat/thread_context.py), and
# 7.4's subshells, with and without a subshell named by the frontend.
@kernels(("6.17.1",), ("7.0.1",), ("7.4.0",), ("7.4.0", "subshell"))
def test_a_blocking_fit_streams_new_rows_to_a_chart_that_said_ready(kernel):
    msg_id = kernel.start_cell(CHART_FIT)
    comm_id = shown_chart(kernel, msg_id)
    kernel.send_comm(comm_id, {"method": "custom", "content": {
        "kind": "ready", "rows": {"batches": 0, "epochs": 0, "rates": 0}}}, sender(kernel))
    status, messages = kernel.wait_cell(msg_id, 300)
    assert status == "ok", [m["content"] for m in messages if m["msg_type"] == "error"]
    report = kernel.run_json(REPORT)
    assert report["chart"] and report["rendered"], report
    updates = chart_updates(kernel, comm_id)
    # Updates came while the cell ran, not in one lump at its end.
    during = [u for u in updates if u[0] < cell_end(kernel, msg_id)]
    assert len(during) >= 3, (len(during), len(updates))
    assert all(header["kind"] == "append" for _, header, _ in updates)
    np.testing.assert_array_equal(rows_received(updates, "batches", "loss"),
                                  np.array(report["loss"], dtype=np.float32))
    np.testing.assert_array_equal(rows_received(updates, "epochs", "val_loss"),
                                  np.array(report["val_loss"], dtype=np.float32))
    # Nothing is sent twice to a single view that had everything.
    assert sum(t["rows"] for _, h, _ in updates for t in h["tables"]
               if t["name"] == "batches") == report["steps"]
    # The chart brings its own toolbar: the panel made no image or kernel-side view controls.
    assert report["kernel_view_widgets"] == [False, False], report


# What the panel's plot is at the end: the chart (None once it gave way), the widget in the
# plot's place, whether that shows a PNG, and the panel's notice.
PANEL_REPORT = """print(json.dumps({
    "chart": dash.outputs[0].chart is not None,
    "plot": type(dash.outputs[0].panel.plot.children[0]).__name__,
    "png": bytes(dash.outputs[0].panel.image.value[:4]) == b"\\x89PNG",
    "notice": dash.outputs[0].panel.notices.value,
    "toggles": [b.description for b in dash.outputs[0].panel.view_controls.panels.children]}))"""


@kernels(("7.4.0",))
def test_a_chart_that_never_draws_gives_way_to_pictures_and_says_why(kernel):
    status, messages = kernel.run(
        "import nbcallbacks.outputs.widget_output as widget_output\n"
        "widget_output.CHART_RENDER_TIMEOUT = 1.0\n" + CHART_FIT, 300)
    assert status == "ok", [m["content"] for m in messages if m["msg_type"] == "error"]
    report = kernel.run_json(PANEL_REPORT)
    assert not report["chart"] and report["plot"] == "Image" and report["png"], report
    assert "did not draw within 1 s" in report["notice"]
    assert "restart Jupyter and reload the page" in report["notice"]
    assert report["toggles"] == ["loss", "learning rate"], report["toggles"]


@kernels(("6.17.1",))
def test_on_colab_the_default_chart_is_pictures_and_no_anywidget_is_created(kernel):
    # Colab's kernel has google.colab imported; here a stand-in module says the same. The
    # first anywidget created there would switch the whole notebook to Colab's
    # CDN-loaded widget manager, so with chart="auto" none may be.
    charts_before = sum(m["name"] == "AnyModel" for m in kernel.models.values())
    status, messages = kernel.run(
        "import sys, types\n"
        "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
        "try:\n"
        "    dash = Dashboard(controls=False, redraw_interval=0.25)\n"
        "    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0, callbacks=[dash])\n"
        "finally:\n"
        "    del sys.modules['google.colab']\n", 300)
    assert status == "ok", [m["content"] for m in messages if m["msg_type"] == "error"]
    report = kernel.run_json(PANEL_REPORT)
    assert not report["chart"] and report["plot"] == "Image" and report["png"], report
    assert report["notice"] == "", report   # pictures are simply Colab's chart: no apology
    opened = [m for m in messages if m["msg_type"] == "comm_open"]
    assert opened, "the panel's widgets were opened in this cell"
    assert sum(m["name"] == "AnyModel" for m in kernel.models.values()) == charts_before
