"""The dashboard under tf.distribute strategies and JAX data parallelism, with its controls.

Each run is a separate process (device counts and TF_CONFIG must be set
before TensorFlow or JAX starts) running a script in tests/distributed/; a
scripted person uses the Dashboard's signals, which is what its buttons do:
a new learning rate before global batch 3, a 1 s pause before batch 10, a
save before batch 13, a stop before batch 20. Each script reports what its
process saw. The learning rate is checked through SGD itself: the single
weight ends at -(sum of the rates used) times the strategy's gradient scale.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
from pathlib import Path

import ipykernel
import pytest

sys.path.insert(0, str(Path(__file__).parent / "distributed"))
from scripted_run import (
    EXPECTED_SUM_OF_RATES,
    NEW_RATE,
    PAUSE_AT,
    PAUSE_SECONDS,
    SAVE_AT,
    STOP_AT,
)

SCRIPTS = Path(__file__).parent / "distributed"
REPOSITORY = Path(__file__).resolve().parent.parent
CONTROL_EVENTS = ["lr_change", "pause", "resume", "save", "stop"]
# Batches per epoch of tests/distributed/multi_worker_train.py (its STEPS).
STEPS_PER_EPOCH = 8


def start(script, report, save_path, *arguments, **environment):
    env = dict(os.environ, PYTHONPATH=str(REPOSITORY), **environment)
    return subprocess.Popen([sys.executable, str(SCRIPTS / script), str(report), str(save_path),
                             *map(str, arguments)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process, timeout=400):
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"the training process hung (killed after {timeout} s):\n{output[-3000:]}")
    assert process.returncode == 0, output[-3000:]
    return output


def check_run_followed_the_person(report, save_path, saved_here=True):
    assert report["steps"] == STOP_AT + 1  # stopped after the batch the stop arrived before
    assert report["weight"] == pytest.approx(-EXPECTED_SUM_OF_RATES * report["gradient_scale"],
                                             rel=1e-5)
    assert report["learning_rate"] == pytest.approx(NEW_RATE)
    kinds = [event[0] for event in report["events"]]
    assert kinds == (CONTROL_EVENTS if saved_here else
                     [k for k in CONTROL_EVENTS if k != "save"]), report["events"]
    # The pause held batch 10 for its whole length (timed from before the request: a pause
    # sleeps until the resume, load only lengthens it), and the dashboard counted time
    # inside that batch as paused. (Its clock starts once the workers agreed to pause, up
    # to 0.2 s after the request on a loaded machine: it is not bounded by the pause.)
    steps = {kind: step for kind, _, step in report["events"]}
    assert steps["pause"] == steps["resume"] == PAUSE_AT, report["events"]
    durations = report["step_durations"]
    assert durations[PAUSE_AT] >= PAUSE_SECONDS * 0.9, durations
    assert 0 < report["paused_seconds"] <= durations[PAUSE_AT], report["paused_seconds"]
    # No batch waited anywhere else. Batches are timed from their first begin hook to
    # their step's end, so an epoch boundary (MirroredStrategy builds the next epoch's
    # iterator there: 1.1 s seen in plain Keras, 4 s on a loaded machine) is not counted;
    # a batch itself takes milliseconds (under 0.1 s loaded; the first also traces the step).
    others = [d for step, d in enumerate(durations) if step not in (0, PAUSE_AT, SAVE_AT)]
    assert max(others) < PAUSE_SECONDS / 2, durations
    assert report["hooks"]["on_train_batch_end"] == STOP_AT + 1  # the CallbackTracer's count
    assert report["hooks"]["on_epoch_end"] == 3
    if "range_test" in report:  # find_lr after training (not under MultiWorkerMirroredStrategy)
        assert report["range_test"]["steps"] > 0 and report["range_test"]["restored"]
    if saved_here:
        import keras

        restored = keras.saving.load_model(save_path, compile=False)
        assert restored.count_params() == 1


@pytest.mark.backend("tensorflow")
@pytest.mark.timing
def test_mirrored_strategy_on_two_cpu_devices(tmp_path):
    save_path = tmp_path / "saved" / "mid.keras"
    output = finish(start("mirrored_fit.py", tmp_path / "report.json", save_path))
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["replicas"] == 2 and len(report["variable_devices"]) == 2
    assert report["role"] == "single process" and report["mode"] == "console"
    check_run_followed_the_person(report, save_path)
    assert "epoch 1/3" in output


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.mark.backend("tensorflow")
@pytest.mark.timing
def test_multi_worker_chief_controls_reach_every_worker(tmp_path):
    save_path = tmp_path / "saved" / "mid.keras"
    processes = [start("multi_worker_train.py", tmp_path / f"report{index}.json", save_path,
                       TF_CONFIG=config) for index, config in enumerate(cluster_configs())]
    outputs = [finish(process) for process in processes]
    chief, worker = (json.loads((tmp_path / f"report{i}.json").read_text()) for i in range(2))
    assert chief["replicas"] == worker["replicas"] == 2
    # Only the chief shows anything; the worker records quietly and says why once.
    assert chief["is_chief"] and chief["mode"] == "console"
    assert not worker["is_chief"] and worker["mode"] == "none" and not worker["has_panel"]
    assert "epoch 1/3" in outputs[0] and "epoch 1/3" not in outputs[1]
    assert "this process is worker 1 of 2 (TF_CONFIG)" in outputs[1]
    # Both followed every click at the same batch: same steps, same pause, same rates.
    check_run_followed_the_person(chief, save_path)
    check_run_followed_the_person(worker, save_path, saved_here=False)
    assert chief["weight"] == worker["weight"]
    assert worker["events"][-1][1].startswith("stop requested on another process")
    for report in (chief, worker):
        assert report["range_test_error"].startswith("find_lr cannot run under "
                                                     "MultiWorkerMirroredStrategy")
    assert list(save_path.parent.iterdir()) == [save_path]  # workers' copies are scratch


def cluster_configs(workers=2):
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(workers)]}
    return [json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})
            for index in range(workers)]


@pytest.mark.backend("tensorflow")
def test_clicks_in_a_notebook_chief_reach_the_worker(tmp_path):
    """The chief is a real kernel showing the panel; clicks are the browser's comm messages."""
    import re

    from support.kernel_session import KernelSession

    chief_config, worker_config = cluster_configs()
    worker = start("multi_worker_train.py", tmp_path / "worker.json", tmp_path / "unused.keras",
                   3000, TF_CONFIG=worker_config)
    kernel = KernelSession(extra_env={"TF_CONFIG": chief_config})
    try:
        status, _ = kernel.run(f"import sys; sys.path.insert(0, {str(SCRIPTS)!r})\n"
                               "from multi_worker_train import main\n"
                               "from nbcallbacks import Dashboard\n"
                               "dash = Dashboard(title='chief')")
        assert status == "ok"
        cell = kernel.start_cell(f"main({str(tmp_path / 'chief.json')!r}, 'unused.keras', 3000, "
                                 "dash=dash)")
        kernel.wait_for(lambda: any(int(e) >= 2 for e in re.findall(
            r"epoch <b>(\d+)/\d+</b>", kernel.html_values())), 180, "training to start")
        # As JupyterLab >= 4.4 sends widget messages; ipykernel 6 (Colab) has no subshells.
        subshell = None if ipykernel.__version__.startswith("6.") else kernel.create_subshell()
        kernel.set_value(kernel.find_model("TextModel", placeholder="e.g. 3e-4"), "0.0005",
                         subshell)
        kernel.wait_for(lambda: "-&gt; 5.00e-04" in kernel.html_values(), 60, "the rate change")
        kernel.click(kernel.find_model("ButtonModel", description="Stop"), subshell)
        assert kernel.wait_cell(cell, 120)[0] == "ok"
        assert "stopped early" in kernel.html_values()
        assert "chief of 2 workers: the controls apply on every worker" in kernel.html_values()
    finally:
        kernel.close()
    output = finish(worker)
    chief, follower = (json.loads((tmp_path / f"{name}.json").read_text())
                       for name in ("chief", "worker"))
    assert chief["mode"] == "widget" and chief["has_panel"]
    assert follower["mode"] == "none" and not follower["has_panel"]
    assert "this process is worker 1 of 2" in output
    assert chief["steps"] == follower["steps"] < 3000 * 8  # stopped at the same batch
    assert chief["weight"] == follower["weight"]
    assert chief["learning_rate"] == follower["learning_rate"] == pytest.approx(5e-4)
    for report in (chief, follower):
        assert [event[0] for event in report["events"]] == ["lr_change", "stop"], report["events"]
    # Applied at the same batches everywhere:
    assert [e[::2] for e in chief["events"]] == [e[::2] for e in follower["events"]]
    # Every process synced at the same batches: each counted the agreed interval down,
    # batch by batch, and synced again at every epoch end (syncs_counted_down). The chief
    # paced them (SyncPacer): fewer syncs than batches while batches are quick. Slow
    # batches (a loaded machine: 0.3 s each) rightly sync at every batch, as a sync then
    # costs under 3 % of a batch; so the pacing is asserted on quick ones only.
    intervals = chief["sync_intervals"]
    assert intervals == follower["sync_intervals"]
    assert len(intervals) == chief["sync_calls"] == follower["sync_calls"]
    assert len(intervals) == syncs_counted_down(intervals, chief["steps"], STEPS_PER_EPOCH)
    if statistics.median(chief["step_durations"]) < 0.02:
        assert max(intervals) > 1 and len(intervals) < chief["steps"], (
            intervals, chief["step_durations"])


def syncs_counted_down(intervals, steps, steps_per_epoch):
    """How many syncs a process makes in ``steps`` batches when each sync's agreed
    interval is counted down batch by batch and every epoch end syncs too.

    >>> syncs_counted_down([1, 1, 1], 2, 8)  # two batches, then the epoch (fit) end
    3
    >>> syncs_counted_down([3, 5, 2, 1, 1], 6, 4)  # batches 0 and 3, epoch end, batch 5, end
    5
    """
    def agreed(sync):  # past the recorded ones: a count that cannot match, not an IndexError
        return intervals[sync] if sync < len(intervals) else 1

    made, until = 0, 0
    for step in range(steps):
        if until > 0:
            until -= 1
        else:
            until, made = agreed(made) - 1, made + 1
        if (step + 1) % steps_per_epoch == 0 or step == steps - 1:
            until, made = agreed(made) - 1, made + 1
    return made


def test_a_worker_dashboard_never_opens_widgets(monkeypatch, tiny_model, tiny_data):
    from nbcallbacks import Dashboard

    monkeypatch.setenv("TF_CONFIG", json.dumps({
        "cluster": {"chief": ["127.0.0.1:1"], "worker": ["127.0.0.1:2"]},
        "task": {"type": "worker", "index": 0}}))
    dash = Dashboard(output="widget", png_path="never.png")
    model = tiny_model()
    x, y = tiny_data
    model.fit(x, y, epochs=1, verbose=0, callbacks=[dash])  # no strategy: just the role
    assert dash.role.describe() == "worker 0 of 2" and not dash.role.is_chief
    assert dash._mode == "none" and dash.png_path is None
    assert [output.name for output in dash.outputs] == ["null output"]
    assert not os.path.exists("never.png") and dash.history.steps == 16


def test_a_malformed_tf_config_is_named_with_the_fix(monkeypatch):
    from nbcallbacks import Dashboard

    monkeypatch.setenv("TF_CONFIG", "{cluster: workers}")
    with pytest.raises(ValueError, match="TF_CONFIG is not the JSON TensorFlow expects.*unset it"):
        Dashboard(output="none")


@pytest.mark.backend("jax")
@pytest.mark.timing
def test_jax_data_parallel_on_two_host_devices(tmp_path):
    save_path = tmp_path / "saved" / "mid.keras"
    finish(start("jax_data_parallel_fit.py", tmp_path / "report.json", save_path))
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["replicas"] == 2 and len(report["variable_devices"]) == 2
    check_run_followed_the_person(report, save_path)
