"""Kernel cost of one browser-chart update, and its size, next to one PNG frame.

What it measures, in this process (CPU time, medians of many repeats):

* an **update**: the rows recorded since the previous one (a quarter second of a fast
  fit: 250 batches x 4 metrics, plus an epoch row and a rate reading), packed by
  ``ChartFeed.next_update`` into one header and one binary buffer — what the render
  thread does per update before handing the message to the kernel's socket — for a
  store of 1,000 and of 1,000,000 recorded batches (the cost must not grow with the
  history);
* the **snapshot** kept in a synced trait (the whole run decimated to ~4,000 rows), sent
  at most every 5 s and at the end;
* one **PNG frame** of the same store drawn by ``DashboardFigure`` (the path the browser
  chart replaces), for scale.

Target: an update costs <= 2 ms of kernel CPU (PASS/MISS printed).

Run:
    .venv/bin/python benchmarks/chart_update.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from nbcallbacks.chart.chart_wire import ChartFeed
from nbcallbacks.records import MetricStore
from nbcallbacks.render.dashboard_figure import DashboardFigure

TARGET_MS = 2.0
NEW_BATCHES = 250
METRICS = ("loss", "accuracy", "auc", "mae")


def store_of(batches: int) -> MetricStore:
    store = MetricStore()
    rng = np.random.default_rng(0)
    values = rng.random((batches, len(METRICS)))
    per_epoch = 1000
    for step in range(batches):
        epoch, batch = divmod(step, per_epoch)
        store.record_batch(epoch, batch, dict(zip(METRICS, values[step].tolist())))
        if batch == per_epoch - 1:
            store.record_epoch(epoch, {"loss": 0.5, "val_loss": 0.6, "accuracy": 0.8})
            store.record_learning_rate(epoch + 1.0, 1e-3)
    return store


def cpu_ms(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.process_time_ns()
        function()
        times.append((time.process_time_ns() - start) / 1e6)
    return times


def measure_update(history: int, repeats: int = 200) -> tuple[float, int]:
    """Median CPU ms and bytes of an update carrying NEW_BATCHES rows after ``history``."""
    store = store_of(history + NEW_BATCHES)
    snapshot = store.snapshot()
    sizes = []

    def update():
        feed = ChartFeed()
        feed.rewind({"batches": history, "epochs": max(0, len(store.epochs) - 1),
                     "rates": max(0, len(store.learning_rates) - 1)}, restart=True)
        header, buffer = feed.next_update(snapshot)
        sizes.append(len(buffer) + len(repr(header)))

    times = cpu_ms(update, repeats)
    return statistics.median(times), sizes[-1]


def main() -> None:
    print(f"update = {NEW_BATCHES} new batches x {len(METRICS)} metrics (+ epoch row, rate)")
    results = {}
    for history in (1_000, 1_000_000):
        milliseconds, size = measure_update(history)
        results[history] = milliseconds
        print(f"  after {history:>9,} batches: {milliseconds:6.3f} ms CPU, {size:,} bytes")
    big = store_of(1_000_000).snapshot()
    snapshot_ms = statistics.median(cpu_ms(lambda: ChartFeed.snapshot(big), 5))
    header, buffer = ChartFeed.snapshot(big)
    print(f"snapshot of 1,000,000 batches: {snapshot_ms:.1f} ms CPU, {len(buffer):,} bytes "
          f"({header['tables'][0]['rows']:,} rows kept)")
    figure = DashboardFigure()
    figure.render_png(big)  # the first frame builds the axes: not what a redraw costs
    png_ms = statistics.median(cpu_ms(lambda: figure.render_png(big), 5))
    print(f"PNG frame of the same store: {png_ms:.0f} ms CPU")
    worst = max(results.values())
    verdict = "PASS" if worst <= TARGET_MS else "MISS"
    print(f"{verdict}: an update costs <= {TARGET_MS} ms ({worst:.3f} ms at worst), "
          f"{png_ms / worst:.0f}x less than a PNG frame")


if __name__ == "__main__":
    main()
