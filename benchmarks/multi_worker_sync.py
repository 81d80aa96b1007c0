"""Cost of keeping multi-worker training in step with the chief's controls.

Under ``MultiWorkerMirroredStrategy`` the Dashboard adds one small all-reduce
before a batch (and at each epoch's end), so a Stop, Pause or learning rate
change applies on every worker at the same batch. By default it runs every
few batches when batches are quick (at most 3 % of the time, clicks applied
within 0.25 s); ``max_control_delay=0`` runs it before every batch. This
measures what that costs: two worker processes on 127.0.0.1 (``TF_CONFIG``)
train the same custom loop, interleaved, with

    (a) no callback                                    (the baseline)
    (b) Dashboard(output="none")                       (default pacing)
    (c) Dashboard(output="none", max_control_delay=0)  (all-reduce before every batch)

Workload: MLP 784-128-10 (relu, softmax), 8,192 random samples, global batch
128 (64 per worker), 256 steps per timed run, SGD; 5 timed runs per variant
after one warm-up each, medians. Also reported: the all-reduce alone (the
WorkerSync round trip), timed over 200 calls.

Run:
    .venv/bin/python benchmarks/multi_worker_sync.py [--repeats 5] [--steps 64]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time


def worker(repeats: int, steps: int) -> dict:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import keras
    import numpy as np
    import tensorflow as tf

    from nbcallbacks import Dashboard
    from nbcallbacks.distributed.cluster_role import cluster_role
    from nbcallbacks.distributed.worker_sync import ControlRequest, WorkerSync

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    global_batch = 128
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8192, 784)).astype("float32")
    y = rng.integers(0, 10, size=8192).astype("int32")
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch).repeat()
    batches = iter(strategy.experimental_distribute_dataset(data))

    def build():
        with strategy.scope():
            model = keras.Sequential([keras.Input((784,)),
                                      keras.layers.Dense(128, activation="relu"),
                                      keras.layers.Dense(10, activation="softmax")])
            model.compile(optimizer=keras.optimizers.SGD(0.01),
                          loss="sparse_categorical_crossentropy")

        @tf.function
        def train_step(batch):
            def step(inputs, targets):
                with tf.GradientTape() as tape:
                    loss = tf.nn.compute_average_loss(
                        keras.losses.sparse_categorical_crossentropy(targets, model(inputs)),
                        global_batch_size=global_batch)
                gradients = tape.gradient(loss, model.trainable_variables)
                model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))
                return loss
            return strategy.reduce("SUM", strategy.run(step, args=batch), axis=None)
        return model, train_step

    syncs = {}

    def run(variant: str) -> float:
        model, train_step = build()
        dash = {"baseline": None, "dashboard": Dashboard(output="none"),
                "every_batch": Dashboard(output="none", max_control_delay=0)}[variant]
        callbacks = keras.callbacks.CallbackList(
            [dash] if dash is not None else [], model=model, epochs=1,
            steps=steps, add_history=False, add_progbar=False)
        train_step(next(batches))  # trace outside the timing
        started = time.perf_counter()
        callbacks.on_train_begin()
        callbacks.on_epoch_begin(0)
        for batch in range(steps):
            callbacks.on_train_batch_begin(batch)
            logs = {"loss": float(train_step(next(batches)))}
            callbacks.on_train_batch_end(batch, logs)
        callbacks.on_epoch_end(0, logs)
        callbacks.on_train_end()
        elapsed = time.perf_counter() - started
        if dash is not None:
            syncs[variant] = dash._controller.peers.calls
        return elapsed

    results = {"baseline": [], "dashboard": [], "every_batch": []}
    for variant in results:  # warm-ups
        run(variant)
    for _ in range(repeats):
        for variant in ("baseline", "dashboard", "every_batch"):
            results[variant].append(run(variant))
    results["syncs"] = syncs

    model, _ = build()
    sync = WorkerSync(strategy, cluster_role())
    sync.agree(ControlRequest())
    started = time.perf_counter()
    for _ in range(200):
        sync.agree(ControlRequest())
    results["all_reduce"] = (time.perf_counter() - started) / 200
    results["versions"] = {"tensorflow": tf.__version__, "keras": keras.__version__}
    return results


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=256)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print("@@RESULTS@@" + json.dumps(worker(args.repeats, args.steps)), flush=True)
        return
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(2)]}
    repository = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    processes = []
    for index in range(2):
        env = dict(os.environ, PYTHONPATH=repository, TF_CONFIG=json.dumps(
            {"cluster": cluster, "task": {"type": "worker", "index": index}}))
        processes.append(subprocess.Popen(
            [sys.executable, __file__, "--worker", str(index), "--repeats", str(args.repeats),
             "--steps", str(args.steps)], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True))
    outputs = [p.communicate(timeout=1200)[0] for p in processes]
    for process, output in zip(processes, outputs):
        if process.returncode != 0:
            sys.exit(f"a worker failed:\n{output[-3000:]}")
    chief = json.loads(outputs[0].split("@@RESULTS@@", 1)[1].splitlines()[0])
    base = statistics.median(chief["baseline"])
    per_step = 1000 / args.steps
    print(f"two workers on 127.0.0.1, {args.steps} steps per run, {args.repeats} runs per "
          f"variant, medians (chief's timings; load average {os.getloadavg()[0]:.2f})")
    print(f"  no callback                          {base:.3f} s  ({base * per_step:.2f} ms/step)")
    for variant, label in (("dashboard", "Dashboard (default pacing)         "),
                           ("every_batch", "Dashboard(max_control_delay=0)     ")):
        median = statistics.median(chief[variant])
        print(f"  {label}  {median:.3f} s  ({median * per_step:.2f} ms/step)  -> "
              f"{median / base:.2f}x, {chief['syncs'][variant]} control syncs")
    print(f"  the control all-reduce alone         {chief['all_reduce'] * 1000:.2f} ms per call")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in chief["versions"].items()))


if __name__ == "__main__":
    main()
