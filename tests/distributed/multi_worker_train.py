"""One process of a two-worker MultiWorkerMirroredStrategy run with a Dashboard.

Started by tests/test_distributed_training.py with TF_CONFIG set. Keras 3's
``model.fit`` cannot run under MultiWorkerMirroredStrategy (it fails before the
first step: keras-team/keras#20585), so this is the custom training loop of
TensorFlow's distributed-training guides, driving the callbacks through
``keras.callbacks.CallbackList`` in the order ``fit`` uses.

Usage: multi_worker_train.py REPORT.json SAVE_PATH [EPOCHS]

``main`` is also called from a notebook kernel acting as the chief (see
tests/test_distributed_training.py), with the kernel's own Dashboard and no
scripted person: there the clicks are real comm messages.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras
import tensorflow as tf
from scripted_run import (
    FIRST_RATE,
    Person,
    StepTimes,
    gradient_scale,
    hook_calls,
    ones,
    rate_summing_model,
    write_report,
)

from nbcallbacks import CallbackTracer, Dashboard
from nbcallbacks.distributed.worker_sync import WorkerSync

STEPS, GLOBAL_BATCH = 8, 8
# Every sync's agreed "batches until the next sync", in order: the report's
# ``sync_intervals``, so the test can check that every process synced at the same
# batches and that the chief paced them by the batches' speed.
AGREED_INTERVALS = []
_agree = WorkerSync.agree


def _recording_agree(self, request):
    agreed = _agree(self, request)
    AGREED_INTERVALS.append(agreed.sync_every)
    return agreed


WorkerSync.agree = _recording_agree


def main(report_path, save_path, epochs=3, dash=None):
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    with strategy.scope():
        model = rate_summing_model(FIRST_RATE)
    data = tf.data.Dataset.from_tensor_slices((ones(GLOBAL_BATCH * STEPS),) * 2)
    batches = iter(strategy.experimental_distribute_dataset(
        data.batch(GLOBAL_BATCH).repeat()))

    def make_train_step(model):
        @tf.function
        def train_step(batch):
            def step(x, y):
                with tf.GradientTape() as tape:
                    loss = tf.nn.compute_average_loss(tf.reshape(model(x) - y, [-1]),
                                                      global_batch_size=GLOBAL_BATCH)
                gradients = tape.gradient(loss, model.trainable_variables)
                model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))
                return loss
            return strategy.reduce("SUM", strategy.run(step, args=batch), axis=None)
        return train_step

    def fit_steps(model, steps):
        train_step = make_train_step(model)
        for _ in range(steps):
            train_step(next(batches))

    with strategy.scope():
        scale = gradient_scale(fit_steps)
    train_step = make_train_step(model)
    times, tracer = StepTimes(), CallbackTracer(output="none")
    if dash is None:
        dash = Dashboard(max_control_delay=0)  # agree before every batch: exact steps to check
        callbacks = [times, Person(dash, save_path), dash, tracer]
    else:
        callbacks = [times, dash, tracer]
    callbacks = keras.callbacks.CallbackList(callbacks, model=model, epochs=epochs, steps=STEPS)
    model.stop_training = False
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for batch in range(STEPS):
            callbacks.on_train_batch_begin(batch)
            logs = {"loss": float(train_step(next(batches)))}
            callbacks.on_train_batch_end(batch, logs)
            if model.stop_training:
                break
        callbacks.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    callbacks.on_train_end()
    try:  # Keras' train_on_batch fails under this strategy: find_lr must say so clearly
        from nbcallbacks import find_lr

        find_lr(model, ones(160), ones(160), batch_size=8, steps=20)
        range_test_error = None
    except ValueError as error:
        range_test_error = str(error)
    write_report(report_path, dash, model, times, gradient_scale=scale,
                 range_test_error=range_test_error, hooks=hook_calls(tracer),
                 sync_calls=dash._controller.peers.calls, sync_intervals=AGREED_INTERVALS,
                 replicas=strategy.num_replicas_in_sync)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4]))
