"""Memory held by the MetricStore after 1,000,000 training steps of 4 metrics, and append cost.

What it measures:
    * ``store.nbytes()``: bytes of the stored columns (step, epoch, batch and
      the 4 metrics), after 1,000,000 ``record_batch`` calls with logs of 4
      Python floats (loss, accuracy and two custom metrics), as Keras passes them;
    * tracemalloc current and peak while filling: everything Python and NumPy
      allocated for it, including bookkeeping and transient copies;
    * append cost: microseconds per ``record_batch`` call, timed in a separate
      fill without tracemalloc (which slows allocation down).

Target: <= 50 MB for 1,000,000 steps x 4 metrics.

Run:
    .venv/bin/python benchmarks/store_memory.py [--steps 1000000]
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

# nbcallbacks imports Keras (and so TensorFlow): keep it quiet.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from nbcallbacks.records import MetricStore

TARGET_MB = 50.0
MB = 1024 * 1024
STEPS_PER_EPOCH = 10_000


def fill(store: MetricStore, steps: int) -> None:
    """Record ``steps`` batches of 4 metrics (and an epoch row every 10,000 steps)."""
    for step in range(steps):
        epoch, batch = divmod(step, STEPS_PER_EPOCH)
        # Fresh floats per row, like Keras' logs: values that change every batch.
        value = 1.0 / (step + 1)
        store.record_batch(epoch, batch, {"loss": value, "accuracy": 1.0 - value,
                                          "custom_a": value * 2.0, "custom_b": value * 3.0})
        if batch == STEPS_PER_EPOCH - 1:
            store.record_epoch(epoch, {"loss": value, "val_loss": value})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1_000_000, help="training steps recorded")
    args = parser.parse_args()

    # Append cost first, without tracemalloc (it hooks every allocation).
    store = MetricStore()
    start = time.perf_counter()
    fill(store, args.steps)
    seconds = time.perf_counter() - start
    del store

    tracemalloc.start()
    store = MetricStore()
    fill(store, args.steps)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    stored = store.nbytes()
    ideal = args.steps * (8 + 4 + 4 + 4 * 4)  # int64 step, int32 epoch and batch, 4 float32
    print(f"steps recorded:             {store.steps:,} x 4 metrics "
          f"(columns: {', '.join(store.batches.names)})")
    print(f"store.nbytes():             {stored / MB:7.1f} MB "
          f"({stored / store.steps:.1f} bytes per step; the rows alone: {ideal / MB:.1f} MB)")
    print(f"tracemalloc after filling:  {current / MB:7.1f} MB current, {peak / MB:.1f} MB peak")
    print(f"append cost:                {seconds / args.steps * 1e6:7.2f} µs per record_batch "
          f"({seconds:.1f} s for {args.steps:,} rows)")
    worst = max(stored, current, peak) / MB
    verdict = "PASS" if worst <= TARGET_MB else "MISS"
    print(f"\nlargest of the three: {worst:.1f} MB -> {verdict} (target <= {TARGET_MB:.0f} MB)")


if __name__ == "__main__":
    main()
