"""Controls answer while ``fit`` runs, in real kernels of every ipykernel line, driven by
browser-like comm messages.

Each test starts training in a kernel cell and, while that cell is still
running, sends the ``comm_msg`` a browser would send (a button click, a text
or toggle ``update``). Two kinds of frontend are played:

* ``no-subshell``: messages carry no subshell id, as VS Code, JupyterLab
  4.0–4.3, Notebook 7.0–7.3, classic Notebook and Colab send them;
* ``subshell``: messages go to a kernel subshell, as JupyterLab >= 4.4 and
  Notebook >= 7.4 send them (ipykernel 7 only: 6 has no subshells).

Kernels: ipykernel 6.17.1 on Google Colab's own stack (IPython 7.34,
ipywidgets 7.7.1), and 6.29.5, 7.0.1, 7.3.0 and 7.4.0 on this environment's
packages (``tests/support/package_overlays.py``). Each picks the click route
:mod:`nbcallbacks.compat.click_route` names for it; the tests check that
route is the one in place and that clicks act within a second. Stop, a rate
change and Pause run on every kernel x frontend; the rest on a subset that
covers each route. One kernel per version is shared by the tests (each
starts with a fresh model and dashboard).
"""

import re
import time
import uuid

import ipykernel
import pytest
from support.kernel_session import KernelSession
from support.package_overlays import kernel_python

pytestmark = pytest.mark.kernel_stack

COLAB = "6.17.1"  # Google Colab's ipykernel
VERSIONS = ("6.17.1", "6.29.5", "7.0.1", "7.3.0", "7.4.0")
# The other ends and the middle of each route's span (click_route.VERIFIED): Stop only.
SPAN_VERSIONS = ("6.31.0", "7.1.0", "7.2.0")
ROUTE = {"6.17.1": "ipykernel6-pump", "6.29.5": "ipykernel6-pump", "6.31.0": "ipykernel6-pump",
         "7.0.1": "main-shell-drain", "7.1.0": "main-shell-drain", "7.2.0": "main-shell-drain",
         "7.3.0": "main-shell-drain", "7.4.0": "subshell"}
AWAIT_ROUTE = {**ROUTE, "7.4.0": "kernel"}

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
    "rates": rates, "optimizer_rate": float(model.optimizer.learning_rate),
    "elapsed": dash._clock.elapsed, "active": dash._clock.active,
    "steps": dash._clock.steps,
    "route": [dash.click_route.name, dash.click_route.live, dash.click_route.verified]}))"""
HINT_WORDS = ("interrupt button", "only after the cell", "not yet tested")


def colab_kernel_python() -> str:
    """The Python of Colab's own stack (ipykernel 6.17.1, IPython 7.34, ipywidgets 7.7.1)."""
    from support.extra_environments import colab_python

    return str(colab_python())


def python_for(version: str) -> str:
    if version == COLAB and ipykernel.__version__ != COLAB:
        return colab_kernel_python()
    return kernel_python(version)


def cases(versions=VERSIONS, frontends=("no-subshell", "subshell")):
    """pytest params: each kernel version x frontend (subshells exist on ipykernel 7 only).

    The Colab run (its own kernel is 6.17.1) keeps the 6.17.1 cases: the others
    build overlay environments on the main one.
    """
    for version in versions:
        for frontend in frontends:
            if frontend == "subshell" and version.startswith("6."):
                continue
            yield case(version, frontend)


# The routes are the kernel's, not the backend's: the JAX and PyTorch runs play one
# kernel per line that their environment can start (Colab's stack holds TensorFlow only).
OTHER_BACKEND_VERSIONS = ("6.29.5", "7.4.0")


def case(version: str, frontend: str = "no-subshell"):
    marks = [] if version == COLAB else [pytest.mark.main_environment]
    if version not in OTHER_BACKEND_VERSIONS:
        marks.append(pytest.mark.backend("tensorflow"))
    return pytest.param((version, frontend), id=f"ipykernel{version}-{frontend}", marks=marks)


_kernels: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _close_kernels():
    yield
    while _kernels:
        _kernels.popitem()[1].close()


def _open(version: str) -> KernelSession:
    session = KernelSession(python=python_for(version))
    session.version = version
    session.subshell = None
    return session


def _ready(session, tmp_path) -> bool:
    session.forget_models()
    try:
        status, _ = session.run(SETUP.format(save_path=str(tmp_path / "manual.keras")), 120)
    except TimeoutError:
        return False
    return status == "ok"


def kernel_for(version: str, frontend: str, tmp_path) -> KernelSession:
    """The shared kernel of ``version``, with a fresh model and dashboard."""
    session = _kernels.get(version)
    if session is None or not _ready(session, tmp_path):
        if session is not None:  # a previous test left it unusable: start again
            session.close()
        session = _kernels[version] = _open(version)
        assert _ready(session, tmp_path)
    if frontend == "subshell" and session.subshell is None:
        session.subshell = session.create_subshell()  # what JupyterLab >= 4.4 does
    session.frontend = frontend
    session.save_dir = tmp_path
    session.route = ROUTE[version]
    return session


@pytest.fixture
def kernel(request, tmp_path):
    version, frontend = request.param
    return kernel_for(version, frontend, tmp_path)


def sender(kernel):
    """The subshell id this frontend puts on its messages (None: none)."""
    return kernel.subshell if kernel.frontend == "subshell" else None


def start_training(kernel, cell=BLOCKING_FIT):
    """Start ``cell`` and wait until the status line shows epoch 2 or later."""
    msg_id = kernel.start_cell(cell)

    def past_first_epoch():
        # The status refreshes every 0.25 s: it may skip a short epoch, so compare.
        return any(int(epoch) >= 2 for epoch in
                   re.findall(r"epoch <b>(\d+)/\d+</b>", kernel.html_values()))

    kernel.wait_for(past_first_epoch, 120, "training to start")
    return msg_id


def assert_no_hint(kernel):
    """The dashboard found its click route in place: no explanation under the buttons."""
    shown = kernel.html_values()
    assert not any(word in shown for word in HINT_WORDS), shown


def stop_and_report(kernel, msg_id):
    kernel.click(kernel.find_model("ButtonModel", description="Stop"), sender(kernel))
    assert kernel.wait_cell(msg_id, 120)[0] == "ok"
    return kernel.run_json(REPORT)


def versions_param(versions, frontends=("no-subshell",)):
    return pytest.mark.parametrize("kernel", list(cases(versions, frontends)), indirect=True)


ALL = versions_param(VERSIONS, ("no-subshell", "subshell"))


# -- every kernel x frontend --------------------------------------------------------------
@versions_param(VERSIONS + SPAN_VERSIONS, ("no-subshell", "subshell"))
@pytest.mark.timing
def test_stop_click_ends_a_blocking_fit_early(kernel):
    msg_id = start_training(kernel)
    assert_no_hint(kernel)
    stop = kernel.find_model("ButtonModel", description="Stop")
    clicked = kernel.click(stop, sender(kernel))
    status, _ = kernel.wait_cell(msg_id, 120)
    assert status == "ok"
    report = kernel.run_json(REPORT)
    assert report["route"] == [kernel.route, True, True]
    assert report["epochs_run"] < 50, "training should stop long before epoch 300"
    assert report["training"] is False  # on_train_end ran
    stops = [e for e in report["events"] if e[0] == "stop"]
    assert len(stops) == 1
    latency = stops[0][2] - clicked
    print(f"\n[ipykernel {kernel.version}, {kernel.frontend}] route {kernel.route}: "
          f"click-to-stop {latency * 1000:.0f} ms")
    assert latency < 1.0
    assert "stopped early" in kernel.html_values()


@ALL
@pytest.mark.timing
def test_learning_rate_change_is_what_the_optimizer_uses(kernel):
    msg_id = start_training(kernel)
    rate_box = kernel.find_model("TextModel", placeholder="e.g. 3e-4")
    sent = kernel.set_value(rate_box, "0.0005", sender(kernel))
    kernel.wait_for(lambda: "1.00e-02 -&gt; 5.00e-04" in kernel.html_values()
                    or "1.00e-02 -> 5.00e-04" in kernel.html_values(), 30, "the change")
    report = stop_and_report(kernel, msg_id)
    # The Stop may land a batch or two after the change (fast backends): what matters
    # is that every batch from the change on trains with the new rate, none with the old.
    rates = report["rates"]
    first_new = next(i for i, rate in enumerate(rates) if rate == pytest.approx(5e-4, rel=1e-6))
    assert rates[:first_new] == [pytest.approx(0.01, rel=1e-6)] * first_new
    assert rates[first_new:] == [pytest.approx(5e-4, rel=1e-6)] * (len(rates) - first_new)
    assert report["optimizer_rate"] == pytest.approx(5e-4, rel=1e-6)
    changes = [e for e in report["events"] if e[0] == "lr_change"]
    assert [e[0] for e in report["events"]][:1] == ["lr_change"]
    assert changes[0][2] - sent < 1.0


@ALL
@pytest.mark.timing
def test_pause_holds_the_batch_counter_and_is_excluded_from_throughput(kernel):
    msg_id = start_training(kernel)
    pause = kernel.find_model("ToggleButtonModel", description="Pause")
    kernel.set_value(pause, True, sender(kernel))
    kernel.wait_for(lambda: "<i>paused</i>" in kernel.html_values(), 30, "the paused status")
    if sender(kernel) is not None:  # look inside the kernel while the main shell is busy
        before = int(kernel.run_in_subshell("print(dash.history.steps)", sender(kernel)))
        time.sleep(1.5)
        after = int(kernel.run_in_subshell("print(dash.history.steps)", sender(kernel)))
        assert after == before, "no batch may run while paused"
    else:
        time.sleep(1.5)
    kernel.set_value(pause, False, sender(kernel))
    kernel.wait_for(lambda: "resumed after" in kernel.html_values(), 30, "resume")
    report = stop_and_report(kernel, msg_id)
    kinds = [e[0] for e in report["events"]]
    assert kinds == ["pause", "resume", "stop"]
    assert report["elapsed"] - report["active"] >= 1.4  # the pause is not training time


# -- a subset covering each route -----------------------------------------------------------
@versions_param(("6.17.1", "7.3.0", "7.4.0"))
def test_invalid_learning_rates_are_refused_visibly(kernel):
    msg_id = start_training(kernel)
    rate_box = kernel.find_model("TextModel", placeholder="e.g. 3e-4")
    for bad in ("0", "nan", "-1e-3", "fast"):
        kernel.set_value(rate_box, bad, sender(kernel))
        kernel.wait_for(lambda bad=bad: "refused" in kernel.html_values() and bad in
                        kernel.html_values(), 30, f"refusal of {bad}")
    report = stop_and_report(kernel, msg_id)
    assert report["optimizer_rate"] == pytest.approx(0.01, rel=1e-6)
    assert not [e for e in report["events"] if e[0] == "lr_change"]


@pytest.mark.parametrize("kernel", [case("6.29.5"), case("7.0.1"), case("7.4.0", "subshell")],
                         indirect=True)
def test_save_now_writes_into_a_new_directory(kernel):
    msg_id = start_training(kernel)
    target = kernel.save_dir / "new" / "dir" / "snapshot.weights.h5"
    path_box = kernel.find_model("TextModel", description="save to")
    kernel.set_value(path_box, str(target), sender(kernel))
    kernel.click(kernel.find_model("ButtonModel", description="Save now"), sender(kernel))
    kernel.wait_for(lambda: "saved" in kernel.html_values(), 30, "the save")
    report = stop_and_report(kernel, msg_id)
    assert target.exists() and target.stat().st_size > 0
    assert [e[0] for e in report["events"]][:1] == ["save"]


@versions_param(("6.17.1", "7.0.1", "7.3.0", "7.4.0"))
def test_cells_queued_during_a_blocking_fit_run_after_it_in_order(kernel):
    """Run-All: cells sent while training runs wait for it (the routes set them aside)."""
    kernel.run("order = []")
    msg_id = start_training(kernel)
    queued = [kernel.start_cell(f"order.append([{n}, dash._training])") for n in (1, 2, 3)]
    time.sleep(0.5)  # several batches: the route sees the requests and must not run them
    report = stop_and_report(kernel, msg_id)  # its REPORT cell queues behind the three
    assert report["epochs_run"] < 50
    assert kernel.run_json("print(json.dumps(order))") == [[1, False], [2, False], [3, False]]
    assert len(queued) == 3


def ask_what_a_reopened_page_asks(kernel, widgets8: bool):
    """Play a page reopened mid-fit: the kernel's info, its widgets, their states.

    The page does not know of subshells until the kernel info comes back, so all of it goes
    to the busy main shell. JupyterLab and Notebook 7 (ipywidgets 8) ask for every state at
    once through the control comm; older frontends ask widget by widget. Returns the ids of
    the widgets whose state came back.
    """
    info = kernel.request("kernel_info_request", {}, 10)
    assert info is not None, "no kernel info while training runs"
    assert info["content"]["status"] == "ok"
    # A frontend counts a request done once an idle status for it came too.
    kernel.wait_for(lambda: any(
        m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
        and m["parent_header"].get("msg_id") == info["parent_header"]["msg_id"]
        for _, m in kernel.log), 10, "the kernel info request's idle status")
    # Once the kernel info said "kernel subshells", JupyterLab >= 4.4 asks on its own.
    listed = kernel.request("comm_info_request", {"target_name": "jupyter.widget"}, 10,
                            sender(kernel))
    assert listed is not None, "no list of widgets while training runs"
    comms = set(listed["content"]["comms"])
    stop = kernel.find_model("ButtonModel", description="Stop")
    assert stop in comms
    if widgets8:
        control = uuid.uuid4().hex
        kernel.send_shell("comm_open", {"comm_id": control, "data": {},
                                        "target_name": "jupyter.widget.control"},
                          sender(kernel), metadata={"version": "1.0.0"})   # ipywidgets 8's
        kernel.send_comm(control, {"method": "request_states"}, sender(kernel))
        wanted = [control]
    else:
        wanted = sorted(comms)
        for comm_id in wanted:
            kernel.send_comm(comm_id, {"method": "request_state"}, sender(kernel))

    def states():
        answered = {}
        for _, m in kernel.log:
            data = m["content"].get("data", {}) if m["msg_type"] == "comm_msg" else {}
            if m["content"].get("comm_id") in wanted and data.get("method") == "update_states":
                answered.update(data["states"])
            elif m["content"].get("comm_id") in wanted and data.get("method") == "update":
                answered[m["content"]["comm_id"]] = data["state"]
        return answered if comms <= set(answered) else None

    return kernel.wait_for(states, 10, "the widgets' states while training runs")


@versions_param(("6.17.1", "7.0.1", "7.3.0", "7.4.0"), ("no-subshell", "subshell"))
def test_a_page_reopened_during_a_blocking_fit_gets_its_widgets_back(kernel):
    widgets8 = kernel.run_json(
        "import ipywidgets; print(json.dumps(ipywidgets.__version__))").startswith("8.")
    msg_id = start_training(kernel)
    answered = ask_what_a_reopened_page_asks(kernel, widgets8)
    assert kernel.find_model("ButtonModel", description="Stop") in answered
    # Still training, and the kernel still says so: a frontend shows the last status,
    # whichever request it was for ("idle" for the answers would read as "not training").
    kernel.pump_iopub(1.0)
    statuses = [(m["content"]["execution_state"], m["parent_header"].get("msg_type"))
                for _, m in kernel.log if m["msg_type"] == "status"]
    assert statuses[-1] == ("busy", "execute_request"), statuses[-6:]
    report = stop_and_report(kernel, msg_id)
    # Stop ended it early (the answers may take a while on a loaded machine: fast backends
    # train many epochs meanwhile).
    assert report["epochs_run"] < 300
    assert [e[0] for e in report["events"]] == ["stop"]


@versions_param(("7.4.0",))
def test_a_page_reopened_during_await_fit_gets_its_widgets_back(kernel):
    msg_id = start_training(kernel, AWAIT_FIT)
    answered = ask_what_a_reopened_page_asks(kernel, widgets8=True)
    assert kernel.find_model("ButtonModel", description="Stop") in answered
    report = stop_and_report(kernel, msg_id)
    assert report["epochs_run"] < 300 and report["route"] == ["kernel", True, True]
    assert [e[0] for e in report["events"]] == ["stop"]


@versions_param(VERSIONS, ("no-subshell",))
@pytest.mark.timing
def test_await_fit_answers_clicks_without_a_subshell(kernel):
    msg_id = start_training(kernel, AWAIT_FIT)
    assert_no_hint(kernel)
    clicked = kernel.click(kernel.find_model("ButtonModel", description="Stop"))
    status, messages = kernel.wait_cell(msg_id, 120)
    assert status == "ok", messages
    report = kernel.run_json(REPORT)
    assert report["route"] == [AWAIT_ROUTE[kernel.version], True, True]
    assert report["epochs_run"] < 50
    stop = [e for e in report["events"] if e[0] == "stop"][0]
    print(f"\n[ipykernel {kernel.version}] await dash.fit, route {report['route'][0]}: "
          f"click-to-stop {(stop[2] - clicked) * 1000:.0f} ms")
    assert stop[2] - clicked < 1.0
    # Output stayed in the awaiting cell: the panel was displayed there.
    assert any(m["msg_type"] == "display_data" and m["parent_header"].get("msg_id") == msg_id
               for _, m in kernel.log)


@versions_param(("7.3.0", "7.4.0"), ("subshell",))
def test_await_fit_answers_clicks_sent_to_a_subshell(kernel):
    msg_id = start_training(kernel, AWAIT_FIT)
    report = stop_and_report(kernel, msg_id)
    assert report["epochs_run"] < 50 and report["route"][1:] == [True, True]


@versions_param(("6.17.1", "7.3.0", "7.4.0"))
def test_await_fit_reraises_training_errors_in_the_cell(kernel):
    status, messages = kernel.run(
        "history = await dash.fit(model, x, np.zeros((3,)), epochs=2, verbose=0)")
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    assert status == "error" and errors
    assert errors[0]["ename"] == "ValueError"
    assert kernel.run("print('the kernel still runs cells')")[0] == "ok"


@versions_param(("6.17.1", "7.3.0", "7.4.0"))
def test_a_blocking_fit_that_raises_gives_the_kernel_back(kernel):
    """Keras skips on_train_end when fit raises: each route is taken down all the same,
    so the kernel treats the cell queued behind it as it always does after an error
    (aborted: Run All stops there), the next cell runs, and the panel says what happened."""
    raising = BLOCKING_FIT.replace("RateRecorder()", "RateRecorder(), FailsInEpoch6()")
    msg_id = start_training(kernel, "class FailsInEpoch6(keras.callbacks.Callback):\n"
                            "    def on_epoch_begin(self, epoch, logs=None):\n"
                            "        if epoch == 5: raise RuntimeError('failed in epoch 6')\n"
                            + raising)
    queued = kernel.start_cell("print('the next cell ran')")
    status, messages = kernel.wait_cell(msg_id, 120)
    assert status == "error"
    assert kernel.wait_cell(queued, 60)[0] == "aborted"
    status, messages = kernel.run("print('the next cell ran')", timeout=60)
    assert status == "ok"
    assert any("the next cell ran" in m["content"].get("text", "") for m in messages)
    assert "stopped by an error" in kernel.html_values()
    stop = kernel.models[kernel.find_model("ButtonModel", description="Stop")]
    assert stop["state"].get("disabled") is True


@versions_param(VERSIONS)
def test_first_interrupt_stops_a_blocking_fit_gracefully(kernel):
    msg_id = start_training(kernel, BLOCKING_FIT)
    kernel.interrupt()
    status, messages = kernel.wait_cell(msg_id, 120)
    assert status == "ok", [m["content"] for m in messages if m["msg_type"] == "error"]
    report = kernel.run_json(REPORT)
    assert report["epochs_run"] < 50
    assert [e[0] for e in report["events"]] == ["interrupt"]
    assert report["training"] is False


@versions_param(("6.17.1", "7.3.0", "7.4.0"))
def test_first_interrupt_stops_await_fit_gracefully(kernel):
    msg_id = start_training(kernel, AWAIT_FIT)
    kernel.interrupt()
    status, messages = kernel.wait_cell(msg_id, 120)
    assert status == "ok", [m["content"] for m in messages if m["msg_type"] == "error"]
    report = kernel.run_json(REPORT)
    assert report["epochs_run"] < 50
    assert [e[0] for e in report["events"]] == ["interrupt"]


@versions_param(("6.17.1", "7.3.0", "7.4.0"))
@pytest.mark.timing
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
    kernel.wait_for(lambda: any(m["msg_type"] == "execute_input" and
                                m["parent_header"].get("msg_id") == msg_id for _, m in kernel.log),
                    60, "the cell to start")
    time.sleep(0.5)  # from its execute_input into the sleep itself
    kernel.interrupt()
    # Not interrupted, the sleep would end by itself with "ok" after 30 s.
    status, messages = kernel.wait_cell(msg_id, 60)
    assert status == "error"
    assert [m["content"]["ename"] for m in messages if m["msg_type"] == "error"] == [
        "KeyboardInterrupt"]


# -- where no route is in place, the panel says so ------------------------------------------
@pytest.mark.main_environment
def test_without_a_click_route_the_panel_says_what_works(tmp_path):
    """A kernel whose internals changed (here: ipykernel 6 without ``do_one_iteration``).

    No silent dead buttons: the hint says clicks wait for the cell and names
    what works (the interrupt; not ``await dash.fit``, whose route needs the
    same internal here); the click indeed waits, and the interrupt stops training.
    """
    session = _open("6.29.5")  # its own kernel: the change below is not undone
    try:
        assert _ready(session, tmp_path)
        session.run("from ipykernel.kernelbase import Kernel; del Kernel.do_one_iteration")
        session.frontend = "no-subshell"
        msg_id = start_training(session)
        hint = session.html_values()
        assert "only after the cell ends" in hint and "interrupt button" in hint
        assert "await dash.fit" not in hint
        session.click(session.find_model("ButtonModel", description="Stop"))
        time.sleep(2.0)
        assert "stopped early" not in session.html_values()  # the click waits, as said
        session.interrupt()
        assert session.wait_cell(msg_id, 120)[0] == "ok"
        report = session.run_json(REPORT)
        assert report["route"] == ["none", False, False]
        assert [e[0] for e in report["events"]][:1] == ["interrupt"]
        assert not any(word in session.html_values() for word in HINT_WORDS)  # gone at the end
    finally:
        session.close()


# Breaks, for one blocking fit, the kernel internal that the route's mechanism calls to handle
# what waits: the 6.x pump's do_one_iteration, the 7.x drain's stream flush. Records what
# nbcallbacks logs meanwhile.
BROKEN_MECHANISM_FIT = """
import logging
from nbcallbacks.compat.main_shell_drain import main_shell_stream
class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []
    def emit(self, record):
        self.messages.append(record.getMessage())
logged, calls = Records(), []
def broken(*args, **kwargs):
    calls.append(1)
    raise RuntimeError("broken on purpose")
stream = main_shell_stream(get_ipython().kernel)
target, name = (get_ipython().kernel, "do_one_iteration") if stream is None else (stream, "flush")
setattr(target, name, broken)
logging.getLogger("nbcallbacks").addHandler(logged)
try:
    {fit}
finally:
    delattr(target, name)
    logging.getLogger("nbcallbacks").removeHandler(logged)
"""


@versions_param(("6.17.1", "7.3.0"))
def test_a_mechanism_that_breaks_during_a_fit_says_so_once_and_training_goes_on(kernel):
    msg_id = start_training(kernel, BROKEN_MECHANISM_FIT.format(fit=BLOCKING_FIT))
    # A message must wait for the 6.x pump to call do_one_iteration (the 7.x drain flushes
    # at every look): the click cannot get through, and the panel says why.
    kernel.click(kernel.find_model("ButtonModel", description="Stop"))
    kernel.wait_for(lambda: "stopped reaching Python during training" in kernel.html_values(),
                    30, "the panel to say that clicks failed")
    hint = kernel.html_values()
    assert "RuntimeError: broken on purpose" in hint and "interrupt button" in hint
    assert "stopped early" not in hint
    time.sleep(1.0)      # the mechanism fails again meanwhile, ten times a second
    kernel.interrupt()   # as the hint says: still stops training gracefully
    assert kernel.wait_cell(msg_id, 120)[0] == "ok"
    report = kernel.run_json(REPORT)
    assert report["training"] is False and report["epochs_run"] < 300
    assert [e[0] for e in report["events"]][:1] == ["interrupt"]
    logged, calls = kernel.run_json("print(json.dumps([logged.messages, len(calls)]))")
    assert calls > 1, "the mechanism should have kept trying"
    assert len(logged) == 1, logged
    assert "failed (RuntimeError: broken on purpose)" in logged[0]


def test_hint_wording_for_each_route_state():
    """The panel's sentence for: verified route (none), untested route, no route."""
    from nbcallbacks.compat.click_route import ClickRoute
    from nbcallbacks.outputs.widget_output import controls_hint

    assert controls_hint(ClickRoute("subshell", live=True, verified=True,
                                    kernel_version="7.4.0")) == ""
    hint = controls_hint(ClickRoute("subshell", live=True, verified=False, kernel_version="7.9.0"))
    assert "not yet tested on ipykernel 7.9.0" in hint
    assert "interrupt button" in hint
    hint = controls_hint(ClickRoute("none", live=False, verified=False, kernel_version="9.0.0",
                                    reason="its internals changed"))
    assert "only after the cell ends: its internals changed" in hint
    assert "await dash.fit" not in hint  # not proven on that kernel: not recommended
    assert "await dash.fit" in controls_hint(ClickRoute(
        "none", live=False, verified=False, kernel_version="7.4.0", reason="x", await_fit=True))


def test_route_outside_a_kernel_is_none():
    from nbcallbacks.compat.click_route import start_click_route

    route = start_click_route()
    assert (route.name, route.live, route.pumps) == ("none", False, False)
    assert route.reason == "not running in a Jupyter kernel"
    route.stop()
