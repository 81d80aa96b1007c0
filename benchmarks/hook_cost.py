"""What the Dashboard's per-batch hooks cost on the training thread, without a kernel.

What it measures, side by side in one process (fits alternated, so a slow
drift of the machine touches both):

    * ``on_train_batch_begin`` + ``on_train_batch_end`` of ``Dashboard(output="none")``
      during a real ``fit`` (the overhead_breakdown.py workload: MLP 784-32-10,
      1,410 batches of 64), timed by a subclass around each hook;
    * the same timing around an empty ``keras.callbacks.Callback``: what the
      timing itself costs, to subtract;
    * the same two hooks called back to back with no training step between
      them: the hooks' cost with warm caches.

The gap between the last figure and the first is what a training step's cold
caches add to every Python line a hook runs; the widget output in a kernel adds
its own part (``overhead_breakdown.py`` measures the hooks there).

Target (README, "Performance"): begin + end <= 15 µs per batch.

Run:
    .venv/bin/python benchmarks/hook_cost.py [--fits 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
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

        def on_train_batch_begin(self, batch, logs=None):
            started = time.perf_counter()
            super().on_train_batch_begin(batch, logs)
            self.spent += time.perf_counter() - started

        def on_train_batch_end(self, batch, logs=None):
            started = time.perf_counter()
            super().on_train_batch_end(batch, logs)
            self.spent += time.perf_counter() - started

    return Timed


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fits", type=int, default=2, help="fits of each, alternated")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.random((SAMPLES, 784), dtype=np.float32)
    y = rng.integers(0, 10, size=SAMPLES)
    make_model().fit(x, y, epochs=1, batch_size=BATCH, verbose=0)   # warm-up
    empty, dashboard = [], []
    for _ in range(args.fits):
        empty.append(microseconds_per_batch_in_fit(timed(keras.callbacks.Callback)(), x, y))
        dashboard.append(microseconds_per_batch_in_fit(timed(Dashboard)(output="none"), x, y))
    warm = microseconds_per_batch_back_to_back(x, y)
    net = statistics.median(dashboard) - statistics.median(empty)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus; "
          f"{STEPS} batches per fit; begin + end per batch:")
    print(f"  Dashboard(output='none') in fit  {', '.join(f'{v:.1f}' for v in dashboard)} µs")
    print(f"  empty Callback in fit (timing)   {', '.join(f'{v:.1f}' for v in empty)} µs")
    print(f"  Dashboard net of the timing      {net:.1f} µs (median)")
    print(f"  Dashboard back to back, no step  {warm:.1f} µs")
    print(f"  target <= 15 µs: {'PASS' if net <= 15 else 'MISS'}")


if __name__ == "__main__":
    main()
