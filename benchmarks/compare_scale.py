"""A comparison at scale: 20 runs x 4 metrics x 100,000 steps each.

What it measures:

* **kernel time** (process CPU, this process) to open the comparison of 20 dashboards'
  histories: ``compare(...)`` (reading the runs, choosing the panels), the run table,
  the data the browser view is sent (per epoch: 100 epochs x 8 series a run) and the
  picture that rides along for saved notebooks;
* **hover** in headless Chromium: the comparison's front end (the same ES modules the
  widget loads) drawn with that data, then the cursor moved over 100 positions of the
  first panel; the script time of each move (uPlot's cursor on four synced panels and
  the readout of 20 runs x 4 panels rebuilt), median and worst.

Targets: opening <= 2 s of kernel CPU; hover <= 16 ms (one frame at 60 Hz).

Run:
    .venv/bin/python benchmarks/compare_scale.py          # ~1 min; --runs N, --steps N
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from nbcallbacks import compare
from nbcallbacks.records import MetricStore
from nbcallbacks.runs.comparison import run_payload

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests"))
from support.browser.static_pages import serve_repository  # noqa: E402 - the tests' static server

METRICS = ("loss", "accuracy", "auc", "mae")
STEPS_PER_EPOCH = 1000
OPEN_TARGET_S = 2.0
HOVER_TARGET_MS = 16.0


def run_store(steps: int, seed: int) -> MetricStore:
    """A run of ``steps`` batches (1,000 an epoch) logging 4 metrics, and their val_ values."""
    rng = np.random.default_rng(seed)
    values = rng.random((steps, len(METRICS)))
    store = MetricStore()
    for step in range(steps):
        epoch, batch = divmod(step, STEPS_PER_EPOCH)
        store.record_batch(epoch, batch, dict(zip(METRICS, values[step].tolist())))
        if batch == STEPS_PER_EPOCH - 1:
            logs = {m: float(values[step, i]) for i, m in enumerate(METRICS)}
            logs.update({f"val_{m}": v * 1.1 for m, v in logs.items()})
            store.record_epoch(epoch, logs)
    return store


def kernel_seconds(stores) -> dict[str, float]:
    """Process CPU seconds of each step of opening the comparison."""
    timings = {}
    start = time.process_time()
    comparison = compare(*stores, chart="png")
    timings["compare()"] = time.process_time() - start
    start = time.process_time()
    comparison.table()
    timings["run table"] = time.process_time() - start
    start = time.process_time()
    payload = [run_payload(run) for run in comparison.runs]
    timings["browser data"] = time.process_time() - start
    start = time.process_time()
    comparison.png()
    timings["picture"] = time.process_time() - start
    timings["total"] = sum(timings.values())
    timings["_payload"] = payload
    timings["_panels"] = comparison.panels
    return timings


HOVER_JS = """async ({runs, panels}) => {
  const { ComparisonView } = await import('/nbcallbacks/chart/js/comparison_view.js');
  const host = document.createElement('div');
  host.style.width = '1100px';
  document.body.appendChild(host);
  const view = new ComparisonView(host);
  const table = {columns: ['run'], rows: runs.map(r => [r.name])};
  const started = performance.now();
  view.setData({runs, panels, table, title: runs.length + ' runs'});
  // uPlot lays out and draws in a microtask and the next frame: wait for both.
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const drawn = performance.now() - started;
  const plot = view.plots[0].plot;
  const times = [];
  let moves = 0;
  const onCursor = view.onCursor.bind(view);
  view.onCursor = (u) => { moves += 1; onCursor(u); };
  for (let i = 0; i < 100; i++) {
    const left = (i + 0.5) / 100 * plot.bbox.width / devicePixelRatio;
    const t0 = performance.now();
    plot.setCursor({left, top: 20});
    times.push(performance.now() - t0);
  }
  const readoutValues = host.querySelectorAll('.nbc-compare-value').length;
  const epoch = host.querySelector('.nbc-compare-readout-epoch').innerText;
  return {drawn, times, readoutValues, moves, epoch};
}"""


def hover_milliseconds(payload, panels) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with serve_repository() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.route("**/blank.html", lambda route: route.fulfill(
                content_type="text/html",
                body='<!doctype html><meta charset="utf-8"><script src='
                     '"/nbcallbacks/chart/vendor/uPlot.iife.min.js"></script><body></body>'))
            page.goto(f"{url}/blank.html")
            return page.evaluate(HOVER_JS, {"runs": payload, "panels": panels})
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--steps", type=int, default=100_000)
    args = parser.parse_args()
    print(f"building {args.runs} runs x {len(METRICS)} metrics x {args.steps:,} steps ...",
          flush=True)
    stores = [run_store(args.steps, seed) for seed in range(args.runs)]
    timings = kernel_seconds(stores)
    payload, panels = timings.pop("_payload"), timings.pop("_panels")
    print(f"\nopening the comparison (kernel CPU, {args.runs} runs):")
    for name, seconds in timings.items():
        print(f"  {name:<14} {seconds:7.3f} s")
    verdict = "PASS" if timings["total"] <= OPEN_TARGET_S else "MISS"
    print(f"  target <= {OPEN_TARGET_S:.0f} s: {verdict}")
    print(f"  data sent to the browser: {len(json.dumps(payload)) / 1e3:,.0f} kB of JSON")
    hover = hover_milliseconds(payload, panels)
    times = hover["times"]
    slowest = ", ".join(f"{t:.1f}" for t in sorted(times)[-3:])
    print(f"\nin Chromium: first draw of {len(panels)} panels (until the second frame) "
          f"{hover['drawn']:.0f} ms; hover over 100 positions: median "
          f"{statistics.median(times):.2f} ms, worst {max(times):.2f} ms (slowest three: "
          f"{slowest}; {hover['moves']} cursor moves, {hover['readoutValues']} values in the "
          f"readout, the last at {hover['epoch']})")
    verdict = "PASS" if max(times) <= HOVER_TARGET_MS else "MISS"
    print(f"  target <= {HOVER_TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
