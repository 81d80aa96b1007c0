"""What the Dashboard's per-batch hooks cost on the training thread.

What it measures, side by side in one process (fits alternated, so a slow
drift of the machine touches every variant):

    * ``on_train_batch_begin`` + ``on_train_batch_end`` of ``Dashboard(output="none")``
      during a real ``fit`` (the overhead_breakdown.py workload: MLP 784-32-10,
      1,410 batches of 64), timed by a subclass around each hook;
    * the same timing around an empty ``keras.callbacks.Callback``: what the
      timing itself costs, to subtract;
    * the same two hooks called back to back with no training step between
      them: the hooks' cost with warm caches.

The gap between the last figure and the first is what a training step's cold
caches add to every Python line a hook runs.

With ``--kernel`` the fits run inside a real Jupyter kernel (a notebook executed
with nbclient) and a third variant joins them: ``Dashboard()`` with what a
person sees there, the widget panel and the browser chart (the view's "ready"
message played, as nbclient has no browser). Its status line, chart updates
and click route are then part of the figure.

Target (README, "Performance"): begin + end <= 15 µs per batch.

Run:
    .venv/bin/python benchmarks/hook_cost.py [--fits 2] [--kernel]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np

from nbcallbacks import Dashboard

EPOCHS, BATCH, SAMPLES = 5, 64, 18_000
STEPS = EPOCHS * -(-SAMPLES // BATCH)


def timed(callback_class):
    """``callback_class`` with its two batch hooks timed (seconds summed in ``spent``)."""

    class Timed(callback_class):
        spent = 0.0

        def on_train_begin(self, logs=None):
            super().on_train_begin(logs)
            play_chart_ready(self)

        def on_train_batch_begin(self, batch, logs=None):
            started = time.perf_counter()
            super().on_train_batch_begin(batch, logs)
            self.spent += time.perf_counter() - started

        def on_train_batch_end(self, batch, logs=None):
            started = time.perf_counter()
            super().on_train_batch_end(batch, logs)
            self.spent += time.perf_counter() - started

    return Timed


def play_chart_ready(callback) -> None:
    """What a browser view sends once the chart has drawn (nbclient has no browser):
    from then on the kernel streams rows to the chart as it does to JupyterLab."""
    for output in getattr(callback, "outputs", ()):
        chart = getattr(output, "chart", None)
        if chart is not None and not chart.rendered:
            chart.handle_view_message({"kind": "ready", "rows": {}})


def make_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def microseconds_per_batch_in_fit(callback, x, y) -> float:
    make_model().fit(x, y, epochs=EPOCHS, batch_size=BATCH, verbose=0, callbacks=[callback])
    return callback.spent / STEPS * 1e6


def microseconds_per_batch_back_to_back(x, y, batches: int = 20_000) -> float:
    """The hooks of an open fit called in a loop: warm caches, no step between them."""
    model = make_model()
    dash = Dashboard(output="none")
    history = model.fit(x[:256], y[:256], epochs=1, batch_size=BATCH, verbose=0, callbacks=[dash])
    logs = {name: values[-1] for name, values in history.history.items()}
    dash.on_train_begin()
    dash.on_epoch_begin(0)
    started = time.perf_counter()
    for step in range(batches):
        dash.on_train_batch_begin(step, None)
        dash.on_train_batch_end(step, logs)
    seconds = time.perf_counter() - started
    dash.on_train_end()
    return seconds / batches * 1e6


# name -> the timed callback of one fit; "widget panel" only in a kernel.
VARIANTS = {
    "empty Callback (the timing)": lambda: timed(keras.callbacks.Callback)(),
    "Dashboard(output='none')": lambda: timed(Dashboard)(output="none"),
    "Dashboard(), widget panel": lambda: timed(Dashboard)(),
}


def measure(fits: int, names: list[str]) -> dict[str, list[float]]:
    """µs per batch of each variant's hooks over ``fits`` fits each, alternated."""
    rng = np.random.default_rng(0)
    x = rng.random((SAMPLES, 784), dtype=np.float32)
    y = rng.integers(0, 10, size=SAMPLES)
    make_model().fit(x, y, epochs=1, batch_size=BATCH, verbose=0)   # warm-up
    results = {name: [] for name in names}
    for _ in range(fits):
        for name in names:
            results[name].append(microseconds_per_batch_in_fit(VARIANTS[name](), x, y))
    results["back to back"] = [microseconds_per_batch_back_to_back(x, y)]
    return results


def measure_in_kernel(fits: int) -> dict[str, list[float]]:
    """:func:`measure` with every variant, run in a real Jupyter kernel."""
    import nbformat
    from nbclient import NotebookClient

    here = os.path.dirname(os.path.abspath(__file__))
    code = (f"import sys, json; sys.path.insert(0, {here!r})\n"
            "from hook_cost import measure, VARIANTS\n"
            f"print('@@RESULTS@@' + json.dumps(measure({fits}, list(VARIANTS))))")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=1800, kernel_name="python3").execute()
    text = "".join(o.get("text", "") for o in notebook.cells[0].outputs)
    return json.loads(text.split("@@RESULTS@@", 1)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fits", type=int, default=2, help="fits of each, alternated")
    parser.add_argument("--kernel", action="store_true",
                        help="in a Jupyter kernel, with the widget panel as a third variant")
    args = parser.parse_args()
    if args.kernel:
        results = measure_in_kernel(args.fits)
    else:
        results = measure(args.fits, [name for name in VARIANTS if "widget" not in name])
    empty = statistics.median(results.pop("empty Callback (the timing)"))
    warm = results.pop("back to back")[0]
    where = "in a Jupyter kernel" if args.kernel else "no kernel"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus; {where}; "
          f"{STEPS} batches per fit; begin + end per batch:")
    print(f"  {'empty Callback (the timing)':34} {empty:.1f} µs (median)")
    worst = 0.0
    for name, values in results.items():
        net = statistics.median(values) - empty
        worst = max(worst, net)
        print(f"  {name:34} {', '.join(f'{v:.1f}' for v in values)} µs; "
              f"net of the timing {net:.1f} µs (median)")
    print(f"  Dashboard back to back, no step    {warm:.1f} µs")
    print(f"  target <= 15 µs: {'PASS' if worst <= 15 else 'MISS'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
