"""The Dashboard inside a real Jupyter kernel (nbclient) and as a plain script."""

import base64
import io
import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import pytest
from PIL import Image
from support.notebook_runner import outputs_of, run_cells

FIT_CELL = textwrap.dedent("""
    import numpy as np, keras
    from nbcallbacks import Dashboard
    keras.utils.set_random_seed(0)
    x = np.random.rand(1024, 8).astype("float32"); y = (x.sum(1) > 4).astype("int32")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    dash = Dashboard()
    history = model.fit(x, y, epochs={epochs}, batch_size=32, validation_split=0.25,
                        verbose=0, callbacks=[dash])
""")

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@pytest.fixture(scope="module")
def executed():
    notebook = run_cells(FIT_CELL.format(epochs=3),
                         "print(len(history.history['loss']), dash.history.steps)")
    return notebook


@pytest.mark.kernel_stack
def test_cell_shows_one_widget_panel_with_final_png(executed):
    errors = outputs_of(executed, "error")
    assert errors == [], errors
    displays = [o for o in executed.cells[0].outputs if o.output_type == "display_data"]
    assert len(displays) == 1, "the panel is displayed once, then updated in place"
    data = displays[0]["data"]
    assert WIDGET_VIEW in data
    image = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert image.width >= 900 and image.height >= 250
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 50  # a real plot, not a blank
    assert "3 epochs" in "".join(data["text/plain"])


@pytest.mark.kernel_stack
def test_saved_widget_state_holds_the_live_plot(executed):
    state = executed.metadata["widgets"][WIDGET_STATE]["state"]
    view_id = executed.cells[0].outputs[-1]["data"][WIDGET_VIEW]["model_id"]
    assert view_id in state
    # The browser chart, with the whole run in its snapshot (what a reopened page shows);
    # no picture widget beside it (static viewers get the output's image/png).
    charts = [m["state"] for m in state.values() if m["model_name"] == "AnyModel"]
    assert len(charts) == 1
    assert charts[0]["snapshot_header"]["total_rows"]["epochs"] == 3, charts[0]
    assert not [m for m in state.values() if m["model_name"] == "ImageModel"]
    htmls = " ".join(m["state"].get("value", "") for m in state.values()
                     if m["model_name"] == "HTMLModel")
    assert "epoch <b>3/3</b>" in htmls and "finished" in htmls
    assert "val_accuracy" in htmls  # the metric table


@pytest.mark.kernel_stack
def test_fit_results_reach_the_next_cell(executed):
    stream = "".join(o["text"] for o in executed.cells[1].outputs if o.output_type == "stream")
    assert stream.split() == ["3", "72"]


@pytest.mark.backend("tensorflow")  # what is saved does not depend on the backend: run it once
@pytest.mark.kernel_stack
def test_saved_notebook_does_not_grow_with_epochs(tmp_path):
    sizes = {}
    for epochs in (4, 40):
        notebook = run_cells(FIT_CELL.format(epochs=epochs).replace("1024", "256"))
        path = tmp_path / f"run{epochs}.ipynb"
        nbformat.write(notebook, path)
        sizes[epochs] = path.stat().st_size
    # Same outputs, only the final frame and a fixed-size table: allow image noise.
    assert sizes[40] < sizes[4] * 1.5, sizes


def test_script_mode_prints_epoch_lines_and_writes_png(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(FIT_CELL.format(epochs=2).replace(
        "Dashboard()", f"Dashboard(png_path={str(tmp_path / 'plot.png')!r})"))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines if line.startswith("epoch")] == [
        ["epoch", "1/2"], ["epoch", "2/2"]]
    assert (tmp_path / "plot.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.timing
def test_ctrl_c_in_a_script_stops_gracefully_and_keeps_the_history(tmp_path):
    """A terminal run: the first Ctrl-C finishes the batch, ends training, returns the History."""
    import signal
    import time

    script = tmp_path / "train.py"
    script.write_text(FIT_CELL.format(epochs=500) + textwrap.dedent("""
        print("epochs run:", len(history.history["loss"]), flush=True)
        print("events:", [e.kind for e in dash.events], flush=True)
    """))
    process = subprocess.Popen([sys.executable, "-u", str(script)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    lines = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # wait for the second epoch line
        line = process.stdout.readline()
        lines.append(line)
        if line.startswith("epoch 2/500"):
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    lines += out.splitlines()
    assert process.returncode == 0, err[-2000:]
    run = next(line for line in lines if line.startswith("epochs run:"))
    assert 2 <= int(run.split(":")[1]) < 100, lines[-10:]
    assert "events: ['interrupt']" in lines, lines[-10:]
