"""Controls answer while ``fit`` runs, in a real kernel, driven by browser-like comm messages.

Each test starts training in a kernel cell and, while that cell is still
running, sends the ``comm_msg`` a browser would send (a button click, a text
or toggle ``update``): addressed to a kernel subshell as JupyterLab >= 4.4
does, or without one. ipykernel 7 is the kernel of this environment; the
ipykernel 6 flavour (the Colab line) runs the same tests in a second
environment (see ``ipykernel6_python`` in conftest.py).
"""

import re
import time

import pytest

from kernel_session import KernelSession

SETUP = """
import json, time, numpy as np, keras
from nbcallbacks import Dashboard
keras.utils.set_random_seed(0)
x = np.random.rand(2048, 16).astype("float32"); y = (x.sum(1) > 8).astype("int32")
model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.SGD(0.01), "sparse_categorical_crossentropy")
rates = []
class RateRecorder(keras.callbacks.Callback):
    # Placed after the dashboard: sees the rate each batch really trains with.
    def on_train_batch_begin(self, batch, logs=None):
        rates.append(float(self.model.optimizer.learning_rate))
dash = Dashboard(save_path={save_path!r})
"""
BLOCKING_FIT = ("history = model.fit(x, y, epochs=300, batch_size=32, verbose=0, "
                "callbacks=[dash, RateRecorder()])")
AWAIT_FIT = ("history = await dash.fit(model, x, y, epochs=300, batch_size=32, verbose=0, "
             "callbacks=[RateRecorder()])")
REPORT = """print(json.dumps({
    "epochs_run": len(history.history["loss"]), "training": dash._training,
    "events": [[e.kind, e.message, e.time, e.step] for e in dash.events],
    "rates": rates[-3:], "optimizer_rate": float(model.optimizer.learning_rate),
    "elapsed": dash._clock.elapsed, "active": dash._clock.active,
    "steps": dash._clock.steps}))"""


def open_kernel(request, tmp_path, flavour):
    python = request.getfixturevalue("ipykernel6_python") if flavour == "ipykernel6" else None
    session = KernelSession(python=python)
    session.flavour = flavour
    session.save_dir = tmp_path
    status, _ = session.run(SETUP.format(save_path=str(tmp_path / "manual.keras")))
    assert status == "ok"
    return session


@pytest.fixture(params=["ipykernel7", "ipykernel6"])
def kernel(request, tmp_path):
    session = open_kernel(request, tmp_path, request.param)
    yield session
    session.close()


@pytest.fixture
def kernel7(request, tmp_path):
    session = open_kernel(request, tmp_path, "ipykernel7")
    yield session
    session.close()


def start_training(kernel, cell=BLOCKING_FIT):
    """Start ``cell`` and wait until the status line shows epoch 2 or later."""
    msg_id = kernel.start_cell(cell)

    def past_first_epoch():
        # The status refreshes every 0.25 s: it may skip a short epoch, so compare.
        return any(int(epoch) >= 2 for epoch in
                   re.findall(r"epoch <b>(\d+)/\d+</b>", kernel.html_values()))

    kernel.wait_for(past_first_epoch, 120, "training to start")
    return msg_id


def subshell_for(kernel):
    """A subshell on ipykernel 7 (what JupyterLab >= 4.4 uses); none on ipykernel 6."""
    return kernel.create_subshell() if kernel.flavour == "ipykernel7" else None


def test_stop_click_ends_a_blocking_fit_early(kernel):
    subshell = subshell_for(kernel)
    msg_id = start_training(kernel)
    stop = kernel.find_model("ButtonModel", description="Stop")
    clicked = kernel.click(stop, subshell)
    status, _ = kernel.wait_cell(msg_id, 120)
    assert status == "ok"
    report = kernel.run_json(REPORT)
    assert report["epochs_run"] < 50, "training should stop long before epoch 300"
    assert report["training"] is False  # on_train_end ran
    stops = [e for e in report["events"] if e[0] == "stop"]
    assert len(stops) == 1
    latency = stops[0][2] - clicked
    print(f"\n[{kernel.flavour}] click-to-stop latency: {latency * 1000:.0f} ms")
    assert latency < 1.0
    assert "stopped early" in kernel.html_values()


def test_learning_rate_change_is_what_the_optimizer_uses(kernel):
    subshell = subshell_for(kernel)
    msg_id = start_training(kernel)
    rate_box = kernel.find_model("TextModel", placeholder="e.g. 3e-4")
    kernel.set_value(rate_box, "0.0005", subshell)
    kernel.wait_for(lambda: "1.00e-02 -&gt; 5.00e-04" in kernel.html_values()
                    or "1.00e-02 -> 5.00e-04" in kernel.html_values(), 30, "the change")
    kernel.click(kernel.find_model("ButtonModel", description="Stop"), subshell)
    assert kernel.wait_cell(msg_id, 120)[0] == "ok"
    report = kernel.run_json(REPORT)
    assert report["rates"] == [pytest.approx(5e-4, rel=1e-6)] * 3
    assert report["optimizer_rate"] == pytest.approx(5e-4, rel=1e-6)
    assert [e[0] for e in report["events"]][:1] == ["lr_change"]


def test_invalid_learning_rates_are_refused_visibly(kernel):
    subshell = subshell_for(kernel)
    msg_id = start_training(kernel)
    rate_box = kernel.find_model("TextModel", placeholder="e.g. 3e-4")
    for bad in ("0", "nan", "-1e-3", "fast"):
        kernel.set_value(rate_box, bad, subshell)
        kernel.wait_for(lambda: "refused" in kernel.html_values() and bad in
                        kernel.html_values(), 30, f"refusal of {bad}")
    kernel.click(kernel.find_model("ButtonModel", description="Stop"), subshell)
    assert kernel.wait_cell(msg_id, 120)[0] == "ok"
    report = kernel.run_json(REPORT)
    assert report["optimizer_rate"] == pytest.approx(0.01, rel=1e-6)
    assert not [e for e in report["events"] if e[0] == "lr_change"]


def test_pause_holds_the_batch_counter_and_is_excluded_from_throughput(kernel):
    subshell = subshell_for(kernel)
    msg_id = start_training(kernel)
    pause = kernel.find_model("ToggleButtonModel", description="Pause")
    kernel.set_value(pause, True, subshell)
    kernel.wait_for(lambda: "<i>paused</i>" in kernel.html_values(), 30, "the paused status")
    if subshell is not None:  # look inside the kernel while the main shell is busy
        before = int(kernel.run_in_subshell("print(dash.history.steps)", subshell))
        time.sleep(1.5)
        after = int(kernel.run_in_subshell("print(dash.history.steps)", subshell))
        assert after == before, "no batch may run while paused"
    else:
        time.sleep(1.5)
    kernel.set_value(pause, False, subshell)
    kernel.wait_for(lambda: "resumed after" in kernel.html_values(), 30, "resume")
    kernel.click(kernel.find_model("ButtonModel", description="Stop"), subshell)
    assert kernel.wait_cell(msg_id, 120)[0] == "ok"
    report = kernel.run_json(REPORT)
    kinds = [e[0] for e in report["events"]]
    assert kinds == ["pause", "resume", "stop"]
    assert report["elapsed"] - report["active"] >= 1.4  # the pause is not training time


def test_save_now_writes_into_a_new_directory(kernel):
    subshell = subshell_for(kernel)
    msg_id = start_training(kernel)
    target = kernel.save_dir / "new" / "dir" / "snapshot.weights.h5"
    path_box = kernel.find_model("TextModel", description="save to")
    kernel.set_value(path_box, str(target), subshell)
    kernel.click(kernel.find_model("ButtonModel", description="Save now"), subshell)
    kernel.wait_for(lambda: "saved" in kernel.html_values(), 30, "the save")
    kernel.click(kernel.find_model("ButtonModel", description="Stop"), subshell)
    assert kernel.wait_cell(msg_id, 120)[0] == "ok"
    assert target.exists() and target.stat().st_size > 0
    report = kernel.run_json(REPORT)
    assert [e[0] for e in report["events"]][:1] == ["save"]


def test_await_fit_answers_clicks_without_a_subshell(kernel):
    msg_id = start_training(kernel, AWAIT_FIT)
    clicked = kernel.click(kernel.find_model("ButtonModel", description="Stop"))
    status, messages = kernel.wait_cell(msg_id, 120)
    assert status == "ok", messages
    report = kernel.run_json(REPORT)
    assert report["epochs_run"] < 50
    stop = [e for e in report["events"] if e[0] == "stop"][0]
    print(f"\n[{kernel.flavour}] await dash.fit click-to-stop latency: "
          f"{(stop[2] - clicked) * 1000:.0f} ms")
    assert stop[2] - clicked < 1.0
    # Output stayed in the awaiting cell: the panel was displayed there.
    assert any(m["msg_type"] == "display_data" and m["parent_header"].get("msg_id") == msg_id
               for _, m in kernel.log)


def test_await_fit_reraises_training_errors_in_the_cell(kernel):
    status, messages = kernel.run(
        "history = await dash.fit(model, x, np.zeros((3,)), epochs=2, verbose=0)")
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    assert status == "error" and errors
    assert errors[0]["ename"] == "ValueError"


@pytest.mark.parametrize("cell", [BLOCKING_FIT, AWAIT_FIT], ids=["blocking", "await"])
def test_first_interrupt_stops_gracefully(kernel, cell):
    msg_id = start_training(kernel, cell)
    kernel.interrupt()
    status, messages = kernel.wait_cell(msg_id, 120)
    assert status == "ok", [m["content"] for m in messages if m["msg_type"] == "error"]
    report = kernel.run_json(REPORT)
    assert report["epochs_run"] < 50
    assert [e[0] for e in report["events"]] == ["interrupt"]
    assert report["training"] is False


def test_second_interrupt_stops_at_once_and_keeps_the_history(kernel):
    # Batches become slow (0.5 s) once a stop is pending: room for an impatient user.
    slow = ("class Slow(keras.callbacks.Callback):\n"
            "    def on_train_batch_end(self, batch, logs=None):\n"
            "        if dash.signals.stop_reason:\n"
            "            time.sleep(0.5)\n")
    kernel.run(slow)
    msg_id = start_training(kernel, BLOCKING_FIT.replace("RateRecorder()", "Slow()"))
    kernel.interrupt()      # graceful: finish this batch, then stop
    kernel.wait_for(lambda: "interrupted: stopping" in kernel.html_values(), 30,
                    "the first interrupt to be acknowledged")
    kernel.interrupt()      # impatient: abort now, during the last slow batch
    status, messages = kernel.wait_cell(msg_id, 60)
    names = [m["content"]["ename"] for m in messages if m["msg_type"] == "error"]
    assert status == "error" and names == ["KeyboardInterrupt"]
    # The record survives the abort, and later cells run and can be interrupted.
    steps = kernel.run_json("print(json.dumps(dash.history.steps))")
    assert steps > 64
    msg_id = kernel.start_cell("time.sleep(30)")
    time.sleep(1.0)
    kernel.interrupt()
    status, messages = kernel.wait_cell(msg_id, 20)
    assert status == "error"
    assert [m["content"]["ename"] for m in messages if m["msg_type"] == "error"] == [
        "KeyboardInterrupt"]


def test_blocking_fit_explains_how_to_get_live_controls(kernel):
    """Without a mechanism that delivers clicks mid-cell, say so next to the buttons."""
    msg_id = start_training(kernel)
    hint = kernel.html_values()
    if kernel.flavour == "ipykernel7":  # no subshell was created by this "frontend"
        assert "await dash.fit" in hint and "JupyterLab" in hint
    else:  # ipykernel 6 pumps messages: the buttons work, nothing to explain
        assert "await dash.fit" not in hint
    kernel.interrupt()
    assert kernel.wait_cell(msg_id, 120)[0] == "ok"
    assert "await dash.fit" not in kernel.html_values()  # gone once training ended


def test_no_hint_when_the_frontend_uses_subshells(kernel7):
    kernel = kernel7
    kernel.create_subshell()  # what JupyterLab >= 4.4 does when it connects
    msg_id = start_training(kernel)
    assert "await dash.fit" not in kernel.html_values()
    kernel.interrupt()
    assert kernel.wait_cell(msg_id, 120)[0] == "ok"
