"""Runs as data: written while training, read back from every format, compared.

Real fits throughout; the kill test kills a real training process with SIGKILL.
"""

import hashlib
import json
import os
import signal

import numpy as np
import pytest

from nbcallbacks import Dashboard, compare, load_runs

# Writing a run while it trains runs on every backend and at every floor (the log_dir and
# refusal tests, and TensorBoard's format at its floor); the other tests exercise reading,
# naming and tables, which no backend changes: they run here and on Colab's stack (its
# pandas, ipywidgets 7, Python 3.13), where the time they take buys something.
# (The JAX and PyTorch runs are the main environment on another backend: the backend marker
# keeps these tests out of them.)


def reading_only(test):
    return pytest.mark.backend("tensorflow")(pytest.mark.environments("main", "colab")(test))


def fit(model, data, callbacks, epochs=3, **kwargs):
    x, y = data
    return model.fit(x, y, epochs=epochs, batch_size=64, validation_split=0.25, verbose=0,
                     callbacks=callbacks, **kwargs)


def as_float32(values):
    return np.asarray(values, dtype=np.float32).tolist()


def tree_digest(path) -> str:
    digest = hashlib.sha256()
    for root, _dirs, files in sorted(os.walk(path)):
        for name in sorted(files):
            full = os.path.join(root, name)
            digest.update(full.encode())
            with open(full, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


@reading_only
def test_a_three_learning_rate_loop_is_three_named_runs_with_their_rates_and_best_values(
        tiny_model, tiny_data, tmp_path):
    histories, dashboards = {}, []
    for rate in (0.1, 0.01, 0.001):
        dash = Dashboard(output="none", run=f"lr={rate}", log_dir=tmp_path / "runs")
        histories[rate] = fit(tiny_model(rate), tiny_data, [dash]).history
        dashboards.append(dash)
    for source in (dashboards, tmp_path / "runs"):
        comparison = compare(source)
        table = comparison.table()
        assert [row["run"] for row in table] == ["lr=0.1", "lr=0.01", "lr=0.001"]
        assert [row["learning_rate"] for row in table] == [0.1, 0.01, 0.001]
        assert {row["batch_size"] for row in table} == {64}
        assert {row["epochs"] for row in table} == {3}
        assert {row["optimizer"] for row in table} == {"Adam"}
        assert {row["status"] for row in table} == {"finished"}
        for row, rate in zip(table, histories):
            val_loss = as_float32(histories[rate]["val_loss"])
            assert row["best val_loss"] == min(val_loss)
            assert row["best val_loss epoch"] == val_loss.index(min(val_loss))
            assert row["best val_accuracy"] == max(as_float32(histories[rate]["val_accuracy"]))
        for run, rate in zip(comparison.runs, histories):
            for key, values in histories[rate].items():
                assert run.history.epoch_values(key).tolist() == as_float32(values), key
    bundle = comparison._repr_mimebundle_()
    assert bundle["image/png"] and "lr=0.001" in bundle["text/html"]


def test_log_dir_is_json_lines_pandas_reads_with_the_fits_hyperparameters(tiny_model, tiny_data,
                                                                         tmp_path):
    import pandas
    dash = Dashboard(output="none", run="baseline", log_dir=tmp_path,
                     hyperparameters={"dropout": 0.2})
    history = fit(tiny_model(0.01), tiny_data, [dash]).history
    frame = pandas.read_json(tmp_path / "baseline" / "metrics.jsonl", lines=True)
    epochs = frame.query("kind == 'epoch'")
    assert epochs["epoch"].tolist() == [0, 1, 2]
    assert as_float32(epochs["val_loss"]) == as_float32(history["val_loss"])
    assert len(frame.query("kind == 'batch'")) == dash.history.steps
    meta = json.loads((tmp_path / "baseline" / "run.json").read_text())
    assert meta["status"] == "finished" and meta["seconds"] > 0
    assert meta["hyperparameters"] == {"optimizer": "Adam", "learning_rate": 0.01,
                                       "parameters": 178, "dropout": 0.2, "batch_size": 64,
                                       "epochs": 3}
    # The same table without going through files.
    assert as_float32(dash.history.to_pandas()["val_loss"]) == as_float32(history["val_loss"])
    dash.history.to_csv(tmp_path / "history.csv")
    again = pandas.read_csv(tmp_path / "history.csv")
    assert list(again.columns[:3]) == ["epoch", "step", "seconds"]
    assert as_float32(again["loss"]) == as_float32(history["loss"])


@reading_only
def test_a_name_already_in_log_dir_gets_a_suffix_and_nothing_is_overwritten(tiny_model,
                                                                            tiny_data, tmp_path):
    first = Dashboard(output="none", run="same", log_dir=tmp_path)
    fit(tiny_model(), tiny_data, [first], epochs=1)
    before = tree_digest(tmp_path / "same")
    second = Dashboard(output="none", run="same", log_dir=tmp_path)
    fit(tiny_model(), tiny_data, [second], epochs=2)
    assert sorted(os.listdir(tmp_path)) == ["same", "same (2)"]
    assert tree_digest(tmp_path / "same") == before
    # Comparing reads only.
    everything = tree_digest(tmp_path)
    runs = load_runs(tmp_path, first, second)
    assert [r.name for r in runs] == ["same", "same (2)", "same (3)", "same (4)"]
    assert first.run == "same", "the dashboard's own name is left alone"
    assert tree_digest(tmp_path) == everything


# keras.callbacks.TensorBoard writes through TensorFlow.
@pytest.mark.backend("tensorflow")
def test_csvlogger_file_and_tensorboard_directory_equal_the_fits_history(tiny_model, tiny_data,
                                                                         tmp_path):
    import keras

    history = fit(tiny_model(), tiny_data, [
        keras.callbacks.CSVLogger(str(tmp_path / "log.csv")),
        keras.callbacks.TensorBoard(str(tmp_path / "tensorboard"))]).history
    from_csv, from_tensorboard = load_runs(tmp_path / "log.csv", tmp_path / "tensorboard")
    for run in (from_csv, from_tensorboard):
        for key, values in history.items():
            assert run.history.epoch_values(key).tolist() == as_float32(values), (run.name, key)
    assert from_tensorboard.history.epoch_values("learning_rate").tolist() == as_float32(
        [0.01] * 3)


@reading_only
def test_a_torn_or_corrupt_run_file_loads_every_complete_row_and_says_what_it_skipped(
        tiny_model, tiny_data, tmp_path):
    dash = Dashboard(output="none", run="torn", log_dir=tmp_path)
    fit(tiny_model(), tiny_data, [dash])
    metrics = tmp_path / "torn" / "metrics.jsonl"
    lines = metrics.read_text().splitlines()
    lines.insert(3, '{"kind": "batch", "step": 2, "loss": 0.')   # corrupt, mid-file
    metrics.write_text("\n".join(lines) + '\n{"kind": "epoch", "ste')   # a last line in writing
    with pytest.warns(UserWarning, match=r"'torn'.*1 unreadable line\(s\) skipped"):
        (run,) = load_runs(tmp_path / "torn")
    assert run.history.epoch_values("loss").tolist() == dash.history.epoch_values("loss").tolist()
    assert run.history.batch_values("loss").tolist() == dash.history.batch_values("loss").tolist()


def test_paths_and_arguments_that_hold_no_run_are_refused_with_what_was_found(tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    with pytest.raises(ValueError, match=r"neither a run directory.*it holds notes\.txt"):
        compare(tmp_path)
    with pytest.raises(ValueError, match=r"does not exist"):
        compare(tmp_path / "missing")
    with pytest.raises(ValueError, match=r"not a CSVLogger file.*no 'epoch' column"):
        compare(tmp_path / "notes.txt")
    with pytest.raises(TypeError, match=r"cannot compare a int"):
        compare(3)
    with pytest.raises(ValueError, match=r"no run logged 'auc'; the runs have 'loss'"):
        compare({"loss": [1.0]}, metrics=["auc"])
    with pytest.raises(ValueError, match=r"log_dir .* is a file"):
        Dashboard(log_dir=tmp_path / "notes.txt")
    with pytest.raises(ValueError, match=r"run must be a non-empty name"):
        Dashboard(run="")


KILLED_FIT = """
import numpy as np, keras
from nbcallbacks import Dashboard
keras.utils.set_random_seed(0)
x = np.random.rand(512, 8).astype("float32"); y = (x.sum(1) > 4).astype("int32")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy")
said = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: print("EPOCH", epoch, flush=True))
model.fit(x, y, epochs=10_000, batch_size=8, verbose=0,
          callbacks=[Dashboard(run="killed", log_dir=RUNS), said])
"""
READ_BACK = """
import json
from nbcallbacks import compare, load_runs
(run,) = load_runs(RUNS)
print(json.dumps({"epochs": run.history.columns("epoch")["epoch"].tolist(),
                  "steps": run.history.steps, "status": compare(RUNS).table()[0]["status"]}))
"""


# Once, in the main environment: what survives a SIGKILL is what the writer flushed, which no
# version of the kernel or widget stack changes.
@pytest.mark.backend("tensorflow")
@pytest.mark.environments("main")
@pytest.mark.timeout(300)
def test_a_kernel_killed_mid_fit_leaves_every_epoch_it_finished_for_a_new_kernel(tmp_path):
    from support.kernel_session import KernelSession

    runs = repr(str(tmp_path / "runs"))
    training = KernelSession()
    try:
        msg_id = training.start_cell(KILLED_FIT.replace("RUNS", runs))

        def finished_epochs():
            printed = "".join(m["content"].get("text", "") for m in training.messages_of(msg_id)
                              if m["msg_type"] == "stream")
            return [int(line.split()[1]) for line in printed.splitlines()
                    if line.startswith("EPOCH")]

        training.wait_for(lambda: len(finished_epochs()) >= 4, 180, "four epochs")
        training.pump_iopub(0.6)   # mid-epoch: some of the next epoch's batches are recorded
        os.kill(training.manager.provisioner.pid, signal.SIGKILL)
        finished = finished_epochs()[-1]   # printed before the kill
    finally:
        training.close()
    reader = KernelSession()
    try:
        seen = reader.run_json(READ_BACK.replace("RUNS", runs))
    finally:
        reader.close()
    assert seen["epochs"][: finished + 1] == list(range(finished + 1)), seen
    assert seen["steps"] >= (finished + 1) * 64   # 512 samples / 8 = 64 batches an epoch
    assert seen["status"] == "running"   # nobody wrote how it ended

# KerasTuner with the TensorFlow backend (its other backends are not run here).
@reading_only
@pytest.mark.backend("tensorflow")
def test_a_keras_tuner_search_shows_every_trial_as_a_run(tiny_data, tmp_path):
    import keras
    import keras_tuner

    def build(hp):
        model = keras.Sequential([keras.Input((8,)),
                                  keras.layers.Dense(hp.Choice("units", [4, 8, 16]),
                                                     activation="relu"),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile(optimizer=keras.optimizers.Adam(hp.Choice("rate", [1e-2, 1e-3])),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    x, y = tiny_data
    dash = Dashboard(output="none", run="search", log_dir=tmp_path / "runs")
    tuner = keras_tuner.RandomSearch(build, objective="val_loss", max_trials=3, seed=1,
                                     directory=str(tmp_path / "tuner"), project_name="p")
    tuner.search(x, y, epochs=2, batch_size=64, validation_split=0.25, verbose=0,
                 callbacks=[dash])
    trials = {t.trial_id: t for t in tuner.oracle.trials.values()}
    assert len(trials) == 3
    for runs in (load_runs(dash), load_runs(tmp_path / "runs")):
        assert sorted(r.name for r in runs) == sorted(f"trial {i}" for i in trials)
        for run in runs:
            trial = trials[run.name.removeprefix("trial ")]
            assert run.hyperparameters["units"] == trial.hyperparameters.values["units"]
            assert run.hyperparameters["learning_rate"] == trial.hyperparameters.values["rate"]
            # The trial's score is its best val_loss, the objective.
            assert min(run.history.epoch_values("val_loss").tolist()) == as_float32(
                [trial.score])[0]
            assert len(run.history.epoch_values("val_loss")) == 2
    assert not dash.history.fits, "the dashboard given to the search does not train itself"


@reading_only
def test_the_run_table_says_how_each_run_ended(tiny_model, tiny_data, tmp_path):
    import keras

    x, y = tiny_data
    finished = Dashboard(output="none", run="finished", log_dir=tmp_path)
    fit(tiny_model(), tiny_data, [finished], epochs=2)
    early = Dashboard(output="none", run="early", log_dir=tmp_path)
    fit(tiny_model(), tiny_data, [early, keras.callbacks.EarlyStopping(
        "loss", patience=0, min_delta=10.0)], epochs=5)
    clicked = Dashboard(output="none", run="clicked", log_dir=tmp_path)
    stop_after_two = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batch == 1 and clicked.signals.request_stop())
    fit(tiny_model(), tiny_data, [clicked, stop_after_two], epochs=5)
    for source in ([finished, early, clicked], tmp_path):
        table = compare(source).table()
        assert {row["run"]: row["status"] for row in table} == {
            "finished": "finished", "early": "early-stopped", "clicked": "stopped by a click"}


@reading_only
def test_a_fit_that_raises_is_a_run_stopped_by_an_error_with_its_rows_kept(tiny_model, tiny_data,
                                                                         tmp_path):
    import keras

    dash = Dashboard(output="none", run="broken", log_dir=tmp_path)

    def fail(epoch, logs):
        if epoch == 1:
            raise RuntimeError("a callback broke")

    with pytest.raises(RuntimeError, match="a callback broke"):
        fit(tiny_model(), tiny_data, [dash, keras.callbacks.LambdaCallback(on_epoch_end=fail)])
    dash.end_failed_fit()   # what the end of the cell (or the next fit) does
    for source in (dash, tmp_path):
        (row,) = compare(source).table()
        assert row["status"] == "stopped by an error", source
    (run,) = load_runs(tmp_path)
    assert run.history.epoch_values("loss").tolist() == dash.history.epoch_values("loss").tolist()
    assert len(run.history.epoch_values("loss")) == 2


PLAIN_SWEEP = """
import json, numpy as np, keras
from nbcallbacks import Dashboard
rng = np.random.default_rng(0)
x = rng.normal(size=(256, 8)).astype("float32"); y = (x[:, :4].sum(1) > 0).astype("int32")
histories = {}
for rate in (0.1, 0.01, 0.001):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(rate), "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.25, verbose=0,
                        callbacks=[Dashboard()])      # no name: named by what differs
    histories[rate] = history.history
print(json.dumps(histories))
"""


@reading_only
@pytest.mark.timeout(300)
def test_a_plain_loop_of_fits_in_one_cell_shows_one_comparison_of_its_runs():
    """The sweep people write (a loop, a new Dashboard each fit) in a real kernel: the cell
    shows one comparison, its runs named by what differs, its browser data equal to each
    run's History, the earlier panels folded to their status line."""
    from support.kernel_session import KernelSession

    kernel = KernelSession()
    try:
        status, messages = kernel.run(PLAIN_SWEEP)
        kernel.pump_iopub(1.5)   # the comparison's follower sends the last state within 1 s
    finally:
        kernel.close()
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    assert status == "ok" and not errors, errors
    printed = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
    histories = json.loads(printed.strip().splitlines()[-1])

    def shown(kind):
        return [m["content"] for m in messages if m["msg_type"] == kind]

    comparisons = [c for c in shown("display_data")
                   if c["data"]["text/plain"].startswith("Comparison of")]
    assert len(comparisons) == 1, [c["data"]["text/plain"] for c in shown("display_data")]
    display_id = comparisons[0]["transient"]["display_id"]
    last = [c for c in shown("update_display_data")
            if c["transient"]["display_id"] == display_id][-1]["data"]
    assert last["text/plain"] == "Comparison of 3 runs: lr=0.1, lr=0.01, lr=0.001"
    assert last["image/png"] and "lr=0.001" in last["text/html"]   # the saved notebook's copy
    (widget,) = [m["state"] for m in kernel.models.values()
                 if m["name"] == "AnyModel" and "runs" in m["state"]]
    assert [run["name"] for run in widget["runs"]] == ["lr=0.1", "lr=0.01", "lr=0.001"]
    for run, values in zip(widget["runs"], histories.values()):
        assert run["status"] == "finished"
        for key in ("loss", "val_loss"):
            assert run["series"][key] == as_float32(values[key]), key
    rates = widget["table"]["columns"].index("learning_rate")
    assert [row[rates] for row in widget["table"]["rows"]] == [0.1, 0.01, 0.001]
    # The two runs that finished before the last began show only their status line.
    folded = [m["state"] for m in kernel.models.values()
              if m["name"] == "LayoutModel" and m["state"].get("display") == "none"]
    assert len(folded) >= 2 * 6, len(folded)


@reading_only
def test_a_cell_sweep_continues_a_reused_dashboard_and_names_new_ones_by_what_differs(
        tiny_model, tiny_data, capsys):
    from nbcallbacks.outputs.cell_sweep import CellSweep

    sweep = CellSweep(cell=7)

    def train(dash, rate):   # the sweep's side of one fit, as the dashboard's output calls it
        fit(tiny_model(rate), tiny_data, [dash], epochs=1)
        sweep.begin(dash, dash.run_named)
        sweep.end(dash)

    reused = Dashboard(output="none")
    train(reused, 0.01)
    train(reused, 0.01)    # a second fit of the same dashboard (fine-tuning): the same run
    assert len(sweep.runs) == 1 and sweep.comparison is None
    train(Dashboard(output="none"), 0.1)
    assert [run.name for run in sweep.comparison.runs] == ["lr=0.01", "lr=0.1"]
    assert len(sweep.comparison.runs[0].history.fits) == 2
    train(Dashboard(output="none", run="mine"), 0.001)
    assert [run.name for run in sweep.comparison.runs] == ["lr=0.01", "lr=0.1", "mine"]
