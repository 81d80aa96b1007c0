"""Where the Dashboard's training overhead goes, in a real Jupyter kernel
(diagnostic for overhead.py).

What it measures, for the workload of ``overhead.py`` (a few fits of a fresh
model with ``Dashboard()`` after a warm-up, executed with nbclient):

    * time spent in each Keras hook of the Dashboard on the training thread (the
      browser chart's first message is played in the kernel, as in overhead.py: without
      a browser, a long fit would otherwise fall back to PNG frames mid-fit)
      (on_train_end includes waiting for the final frame);
    * frames drawn by the background render thread per fit and their CPU time;
    * how much the training thread slows down while a frame is being drawn:
      median step time outside vs during a draw, and the training time lost
      during draws (sum over those steps of step time - normal step time).

These counts are far steadier on a busy machine than the wall-time ratios of
``overhead.py``. The instrumentation subclasses ``Dashboard`` and wraps
the ``draw`` of its private frame pipeline (``_frames``): adapt it if that is renamed.

Run:
    .venv/bin/python benchmarks/overhead_breakdown.py [--fits 3] [--epochs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics

# Set before the kernel starts: it inherits this process's environment.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import nbformat
from nbclient import NotebookClient
from overhead import SETUP

PROBE = r'''
class ProbedDashboard(nbcallbacks.Dashboard):
    """Dashboard() that notes hook times, batch-end times and draw intervals."""
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hook_seconds = {}
        self.batch_ends = []   # perf_counter at each batch end; None at each epoch start
        self.draws = []        # (start, end, CPU seconds of the render thread)
        draw = self._frames.draw

        def timed_draw():  # runs on the render thread
            start, cpu = time.perf_counter(), time.thread_time()
            draw()
            self.draws.append((start, time.perf_counter(), time.thread_time() - cpu))

        self._frames.draw = timed_draw

    def _timed(self, hook, method, *args):
        start = time.perf_counter()
        method(*args)
        self.hook_seconds[hook] = self.hook_seconds.get(hook, 0.0) + time.perf_counter() - start

    def on_train_begin(self, logs=None):
        self._timed("on_train_begin", super().on_train_begin, logs)
    def on_epoch_begin(self, epoch, logs=None):
        self.batch_ends.append(None)  # steps are only compared within an epoch
        self._timed("on_epoch_begin", super().on_epoch_begin, epoch, logs)
    def on_train_batch_begin(self, batch, logs=None):
        self._timed("on_train_batch_begin", super().on_train_batch_begin, batch, logs)
    def on_train_batch_end(self, batch, logs=None):
        self._timed("on_train_batch_end", super().on_train_batch_end, batch, logs)
        self.batch_ends.append(time.perf_counter())
    def on_epoch_end(self, epoch, logs=None):
        self._timed("on_epoch_end", super().on_epoch_end, epoch, logs)
    def on_train_end(self, logs=None):
        self._timed("on_train_end", super().on_train_end, logs)


PROBES = []
def probed_fit(epochs):
    model, dashboard = make_model(), ProbedDashboard()
    gc.collect()
    start = time.perf_counter()
    model.fit(X, Y, batch_size=64, epochs=epochs, validation_split=0.1, verbose=0,
              callbacks=[dashboard, ChartViewReady(dashboard)])   # as overhead.py does
    steps, previous = [], None  # (step seconds, overlapped a draw?)
    for end in dashboard.batch_ends:
        if end is not None and previous is not None:
            during = any(a < end and b > previous for a, b, _ in dashboard.draws)
            steps.append((end - previous, during))
        previous = end
    batches = sum(end is not None for end in dashboard.batch_ends)
    PROBES.append({"fit": time.perf_counter() - start, "hooks": dashboard.hook_seconds,
                   "batches": batches, "draws": dashboard.draws, "steps": steps})
'''


def report(probe: dict) -> None:
    hooks, draws, steps = probe["hooks"], probe["draws"], probe["steps"]
    print(f"fit {probe['fit']:.2f} s, time in the Dashboard's hooks on the training thread:")
    for hook, seconds in hooks.items():
        per = ""
        if hook.startswith("on_train_batch"):  # includes waiting for the GIL while a frame draws
            per = f" ({seconds / probe['batches'] * 1e6:.1f} µs per batch)"
        print(f"  {hook:20} {seconds * 1000:7.1f} ms{per}")
    cpu = [c * 1000 for _, _, c in draws]
    wall = [(b - a) * 1000 for a, b, _ in draws]
    print(f"  frames drawn         {len(draws):7d}   "
          f"CPU ms each: {', '.join(f'{c:.0f}' for c in cpu)}"
          f"  (total CPU {sum(cpu):.0f} ms, wall {sum(wall):.0f} ms)")
    normal = statistics.median(s for s, during in steps if not during)
    overlapped = [s for s, during in steps if during]
    if overlapped:
        lost = sum(s - normal for s in overlapped)
        print(f"  step time            {normal * 1000:7.2f} ms normally, "
              f"{statistics.median(overlapped) * 1000:.2f} ms during a draw "
              f"({len(overlapped)} of {len(steps)} steps)")
        print(f"  training time lost during draws: {lost * 1000:.0f} ms "
              f"({lost * 1000 / max(sum(cpu), 1e-9):.2f} ms per ms of drawing CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fits", type=int, default=3, help="probed fits after the warm-up")
    parser.add_argument("--epochs", type=int, default=5, help="epochs per fit")
    args = parser.parse_args()

    cells = [SETUP + PROBE, "probed_fit(1); PROBES.clear()  # warm-up"]
    cells += [f"probed_fit({args.epochs})"] * args.fits
    cells.append('print("@@PROBES@@" + json.dumps(PROBES))')
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    NotebookClient(notebook, timeout=900, kernel_name="python3").execute()
    text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    probes = json.loads(text.split("@@PROBES@@", 1)[1])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus; "
          f"Dashboard() in a kernel, {args.epochs} epochs of 282 steps per fit\n")
    for probe in probes:
        report(probe)


if __name__ == "__main__":
    main()
