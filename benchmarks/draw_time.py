"""Time to draw one dashboard frame with a long history (1,000,000 points per series).

What it measures: a ``MetricStore`` is filled with 1,000,000 batch rows of 4
metrics (loss, accuracy and two custom ones) and 100 epoch rows with ``val_``
values and the learning rate (100 epochs of 10,000 steps), then
``DashboardFigure().render_png(store.snapshot())`` is timed: snapshot, data
update (decimation, smoothing off), Agg drawing and PNG encoding, i.e. all a
live redraw costs. Median of 10 frames after one warm-up frame (the first frame
builds the axes, which happens once per layout, not per redraw). The same is
done with 10,000 points (100 epochs of 100 steps) to show the cost does not
grow with the length of the history.

Both wall and CPU time of the frames are printed. A frame is single-threaded
CPU work, so on an idle machine the two agree; on a busy one wall time also
counts the time other programs ran, so the verdict uses CPU time.

Target: <= 80 ms per frame with 1,000,000 points.

Run:
    .venv/bin/python benchmarks/draw_time.py [--frames 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

# nbcallbacks imports Keras (and so TensorFlow): keep it quiet.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np

from nbcallbacks.records import MetricStore
from nbcallbacks.render.dashboard_figure import DashboardFigure

TARGET_MS = 80.0
EPOCHS = 100


def filled_store(steps_per_epoch: int) -> MetricStore:
    """A store as a long run leaves it: noisy decaying curves, val_ values per epoch."""
    rng = np.random.default_rng(0)
    store = MetricStore()
    total = EPOCHS * steps_per_epoch
    # Noisy curves, not constants: line drawing cost depends on the shape.
    progress = np.linspace(0.0, 1.0, total)
    noise = rng.normal(size=(4, total))
    loss = 2.3 * np.exp(-3 * progress) + 0.05 * noise[0]
    accuracy = 1 - 0.9 * np.exp(-3 * progress) + 0.02 * noise[1]
    custom_a = np.cumsum(noise[2]) / np.sqrt(total)
    custom_b = np.abs(noise[3])
    step = 0
    for epoch in range(EPOCHS):
        for batch in range(steps_per_epoch):
            # Python floats, as Keras hands them to callbacks.
            store.record_batch(epoch, batch, {"loss": float(loss[step]),
                                              "accuracy": float(accuracy[step]),
                                              "custom_a": float(custom_a[step]),
                                              "custom_b": float(custom_b[step])})
            step += 1
        store.record_epoch(epoch, {"loss": float(loss[step - 1]),
                                   "accuracy": float(accuracy[step - 1]),
                                   "custom_a": float(custom_a[step - 1]),
                                   "custom_b": float(custom_b[step - 1]),
                                   "val_loss": float(loss[step - 1]) + 0.1,
                                   "val_accuracy": float(accuracy[step - 1]) - 0.05,
                                   "val_custom_a": float(custom_a[step - 1]),
                                   "val_custom_b": float(custom_b[step - 1])})
        store.record_learning_rate(epoch + 1.0, 1e-3 * 0.97 ** epoch)
    return store


def time_frames(store: MetricStore, frames: int) -> dict[str, float]:
    """Median milliseconds of a whole frame (wall and CPU) and of its snapshot part."""
    figure = DashboardFigure()
    figure.render_png(store.snapshot())  # warm-up: builds the axes (once per layout)
    wall, cpu, snapshot_only = [], [], []
    for _ in range(frames):
        start, start_cpu = time.perf_counter(), time.thread_time()
        snapshot = store.snapshot()
        taken = time.perf_counter()
        png = figure.render_png(snapshot)
        wall.append((time.perf_counter() - start) * 1000)
        # CPU time of this thread: what the frame costs without other programs' noise.
        cpu.append((time.thread_time() - start_cpu) * 1000)
        snapshot_only.append((taken - start) * 1000)
    return {"frame": statistics.median(wall), "min": min(wall), "max": max(wall),
            "cpu": statistics.median(cpu), "snapshot": statistics.median(snapshot_only),
            "png_kb": len(png) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=10, help="timed frames per size")
    args = parser.parse_args()

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus; "
          f"median of {args.frames} frames after a warm-up frame\n")
    print(f"{'points per series':>17} {'fill s':>7} {'wall ms':>9} {'min':>6} {'max':>6}"
          f" {'CPU ms':>7} {'snapshot ms':>11} {'PNG KB':>7}")
    results = {}
    for steps_per_epoch in (100, 10_000):
        start = time.perf_counter()
        store = filled_store(steps_per_epoch)
        fill = time.perf_counter() - start
        result = results[store.steps] = time_frames(store, args.frames)
        print(f"{store.steps:17,} {fill:7.2f} {result['frame']:9.1f} {result['min']:6.1f} "
              f"{result['max']:6.1f} {result['cpu']:7.1f} {result['snapshot']:11.3f} "
              f"{result['png_kb']:7.1f}")
    big, small = results[1_000_000], results[10_000]
    verdict = "PASS" if big["cpu"] <= TARGET_MS else "MISS"
    print(f"\n1,000,000 points: {big['cpu']:.1f} ms CPU per frame ({big['frame']:.1f} ms wall) "
          f"-> {verdict} (target <= {TARGET_MS:.0f} ms)")
    print(f"growth from 10,000 to 1,000,000 points: {big['cpu'] / small['cpu']:.2f}x CPU "
          f"(+{big['cpu'] - small['cpu']:.1f} ms)")


if __name__ == "__main__":
    main()
