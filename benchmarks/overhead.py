"""Training-time overhead of the Dashboard in a real Jupyter kernel, next to the alternatives.

What it measures: the wall time of ``model.fit`` (timed inside the kernel,
around ``fit`` only) for one workload with

    (a) no callback, verbose=0            (the baseline)
    (b) Keras' progress bar, verbose=1
    (c) nbcallbacks.Dashboard(), verbose=0: the default, the chart drawn in the browser;
        the kernel sends new rows instead of drawing PNG frames. nbclient has no browser,
        so the view's first message ("ready": it drew) is played in the kernel, after
        which every update really goes out over ZMQ, as to JupyterLab
    (c') nbcallbacks.Dashboard(chart="png"), verbose=0: PNG frames drawn in the kernel
         (what Colab gets)
    (d) livelossplot PlotLossesKeras(), verbose=0
    (e) tqdm.keras.TqdmCallback(), verbose=0

Workload: MLP 784-32-10 (relu, softmax), 20,000 random float32 samples with
10 classes, batch 64, 5 epochs, validation_split=0.1, Adam, sparse categorical
crossentropy + accuracy. A fresh model (same seed) is built for every run.

The notebook is generated here and executed with nbclient, so the kernel is a
real ipykernel talking to a client: the Dashboard takes its widget path and
every widget message really goes out over ZMQ, as in JupyterLab.

Targets: the default Dashboard (browser chart) median <= 1.02x the no-callback median,
PNG frames <= 1.05x (PASS/MISS printed).

Run:
    .venv/bin/python benchmarks/overhead.py [--repeats 4] [--epochs 5] [--save executed.ipynb]
    .venv/bin/python benchmarks/overhead.py --epochs 40 --repeats 3 --only "no callback" \
        "nbcallbacks.Dashboard()"            # the 40-epoch fit

The kernel trains on the Keras backend of ``KERAS_BACKEND`` (default TensorFlow):
``KERAS_BACKEND=jax`` or ``=torch`` measures the same workload there (the
environment needs that backend plus livelossplot and tqdm).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

# Set before the kernel starts: it inherits this process's environment.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import nbformat
from nbclient import NotebookClient

BASELINE = "no callback"
DASHBOARD = "nbcallbacks.Dashboard()"
PNG_FRAMES = "Dashboard(chart='png')"
# The most each dashboard may add to the fit (the default browser chart, for which the
# kernel only sends new rows; PNG frames drawn in the kernel).
TARGETS = {DASHBOARD: 1.02, PNG_FRAMES: 1.05}

SETUP = r'''
import gc, json, os, platform, sys, time
import numpy as np, keras
import nbcallbacks
from livelossplot import PlotLossesKeras
from tqdm.keras import TqdmCallback

rng = np.random.default_rng(0)
X = rng.random((20_000, 784), dtype=np.float32)
Y = rng.integers(0, 10, size=20_000)

def make_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((784,)),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


class ChartViewReady(keras.callbacks.Callback):
    """Plays the message a browser view sends once the chart has drawn (nbclient has no
    browser): from then on the kernel streams rows as it does to JupyterLab."""
    def __init__(self, dash):
        super().__init__()
        self.dash = dash
    def on_train_begin(self, logs=None):
        chart = self.dash.outputs[0].chart
        if chart is not None and not chart.rendered:
            chart.handle_view_message({"kind": "ready", "rows": {}})

def browser_chart_dashboard():
    dash = nbcallbacks.Dashboard()   # chart="auto": the browser chart outside Colab
    return [dash, ChartViewReady(dash)]

# name -> (verbose, factory of the callbacks list); callbacks are created fresh per run.
VARIANTS = {
    "no callback": (0, lambda: []),
    "keras progress bar (verbose=1)": (1, lambda: []),
    "nbcallbacks.Dashboard()": (0, browser_chart_dashboard),
    "Dashboard(chart='png')": (0, lambda: [nbcallbacks.Dashboard(chart="png")]),
    "livelossplot PlotLossesKeras()": (0, lambda: [PlotLossesKeras()]),
    "tqdm TqdmCallback()": (0, lambda: [TqdmCallback()]),
}

class EpochStarts(keras.callbacks.Callback):
    """Timestamps of epoch starts, to also report time without epoch 1 (graph tracing).

    Only on_epoch_begin is overridden, so Keras keeps its asynchronous batch
    dispatch for the baseline: this probe changes nothing about the run.
    """
    def __init__(self):
        super().__init__()
        self.times = []
    def on_epoch_begin(self, epoch, logs=None):
        self.times.append(time.perf_counter())

RESULTS = {name: [] for name in VARIANTS}

def run(name, epochs, record=True):
    verbose, callbacks = VARIANTS[name]
    model, probe = make_model(), EpochStarts()
    callbacks = callbacks() + [probe]
    gc.collect()  # garbage of the previous run is not collected on this one's clock
    # CPU time of the whole kernel process (all threads: TensorFlow, the render
    # thread, ZMQ) as well: other programs on the machine inflate it much less.
    cpu, start = time.process_time(), time.perf_counter()
    model.fit(X, Y, batch_size=64, epochs=epochs, validation_split=0.1,
              verbose=verbose, callbacks=callbacks)
    end, cpu = time.perf_counter(), time.process_time() - cpu
    if record:
        later = end - probe.times[1] if len(probe.times) > 1 else float("nan")
        RESULTS[name].append({"total": end - start, "after_epoch_1": later, "cpu": cpu})
'''

REPORT = r'''
import importlib.metadata, ipykernel, ipywidgets, livelossplot, matplotlib, tqdm
backend = keras.backend.backend()
backend_package = {"tensorflow": "tensorflow-cpu", "jax": "jax", "torch": "torch"}[backend]
try:
    backend_version = importlib.metadata.version(backend_package)
except importlib.metadata.PackageNotFoundError:
    backend_version = importlib.metadata.version(backend)
versions = {"python": platform.python_version(), "backend": f"{backend} {backend_version}",
            "keras": keras.__version__, "nbcallbacks": nbcallbacks.__version__,
            "ipykernel": ipykernel.__version__, "ipywidgets": ipywidgets.__version__,
            "matplotlib": matplotlib.__version__, "livelossplot": livelossplot.__version__,
            "tqdm": tqdm.__version__}
print("@@RESULTS@@" + json.dumps({"results": RESULTS, "versions": versions,
                                  "cpu_count": os.cpu_count()}))
'''

# The keys of VARIANTS in SETUP, in the order of the table.
VARIANT_NAMES = [BASELINE, "keras progress bar (verbose=1)", DASHBOARD,
                 PNG_FRAMES, "livelossplot PlotLossesKeras()",
                 "tqdm TqdmCallback()"]


def build_notebook(repeats: int, epochs: int, names: list[str]) -> nbformat.NotebookNode:
    """Setup cell, one warm-up cell per variant, then one cell per timed fit.

    One fit per cell is how people train in a notebook (the Dashboard shows its
    panel once per cell). Runs are interleaved round-robin, and each repeat
    starts with a different variant, so slow drifts of the machine (thermal,
    other processes) spread over all variants instead of biasing one.
    """
    cells = [nbformat.v4.new_code_cell(SETUP)]
    # Warm-up: the first fit in a process pays one-off TensorFlow and import
    # costs (and matplotlib / widget set-up for the plotting callbacks).
    for name in names:
        cells.append(nbformat.v4.new_code_cell(f"run({name!r}, epochs=1, record=False)"))
    for repeat in range(repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            cells.append(nbformat.v4.new_code_cell(f"run({name!r}, epochs={epochs})"))
    cells.append(nbformat.v4.new_code_cell(REPORT))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def read_report(notebook) -> dict:
    for output in notebook.cells[-1].outputs:
        text = output.get("text", "")
        if "@@RESULTS@@" in text:
            return json.loads(text.split("@@RESULTS@@", 1)[1])
    raise RuntimeError("the report cell printed no results")


def print_table(report: dict, repeats: int, epochs: int, load: tuple, names: list[str]) -> None:
    results = report["results"]

    def median(name, key):
        return statistics.median(run[key] for run in results[name])

    print(f"machine: {platform.machine()}, cpu count {report['cpu_count']}, "
          f"{platform.system()} {platform.release()}; load average before/after "
          f"{load[0]:.1f}/{load[1]:.1f}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()))
    print(f"workload: MLP 784-32-10, 20,000 samples, batch 64, {epochs} epochs, "
          f"validation_split 0.1; {repeats} interleaved repeats, medians")
    print()
    header = (f"{'variant':32} {'median s':>8} {'ratio':>7} {'min s':>6} {'max s':>6}"
              f" {'w/o epoch 1':>11} {'CPU ratio':>9}")
    print(header)
    print("-" * len(header))
    for name in names:
        totals = [run["total"] for run in results[name]]
        ratio = median(name, "total") / median(BASELINE, "total")
        steady = median(name, "after_epoch_1") / median(BASELINE, "after_epoch_1")
        cpu = median(name, "cpu") / median(BASELINE, "cpu")
        verdict = ""
        target = TARGETS.get(name)
        if target is not None:
            verdict = (f"  {'PASS' if ratio <= target else 'MISS'} (target <= {target:.2f}x;"
                       f" by CPU ratio: {'PASS' if cpu <= target else 'MISS'})")
        print(f"{name:32} {median(name, 'total'):8.2f} {ratio:6.3f}x {min(totals):6.2f} "
              f"{max(totals):6.2f} {steady:10.3f}x {cpu:8.3f}x{verdict}")
    print()
    print("ratio: median wall time of fit / that of 'no callback' (the target applies to it).")
    print("w/o epoch 1: the same ratio for epochs 2.. only (every fresh model traces its")
    print("  tf.function in epoch 1). CPU ratio: the same for the process CPU time (all threads),")
    print("  less sensitive to other programs on a shared machine than wall time; with as")
    print("  many busy threads as cores, extra CPU work lands almost fully on the wall time.")
    if max(load) > report["cpu_count"]:
        print("NOTE: the load average exceeded the cpu count: other programs ran, "
              "figures are noisy;")
        print("  rerun with more --repeats on an idle machine before trusting a few percent.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=4, help="timed runs per variant")
    parser.add_argument("--epochs", type=int, default=5, help="epochs per timed fit")
    parser.add_argument("--save", help="also write the executed notebook here")
    parser.add_argument("--only", nargs="+", metavar="VARIANT", choices=VARIANT_NAMES,
                        help="run only these variants (the baseline is always run)")
    args = parser.parse_args()
    names = [BASELINE] + [n for n in VARIANT_NAMES if n != BASELINE
                          and (args.only is None or n in args.only)]

    notebook = build_notebook(args.repeats, args.epochs, names)
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": os.getcwd()}})
    client.execute()
    if args.save:
        nbformat.write(notebook, args.save)
    load = (load_before, os.getloadavg()[0])
    print_table(read_report(notebook), args.repeats, args.epochs, load, names)
    print(f"(benchmark wall time {time.perf_counter() - started:.0f} s, python {sys.executable})")


if __name__ == "__main__":
    main()
