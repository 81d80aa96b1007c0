"""One process of a two-worker MultiWorkerMirroredStrategy run with a Dashboard.

Started by tests/test_distributed_tensorflow.py with TF_CONFIG set. Keras 3's
``model.fit`` cannot run under MultiWorkerMirroredStrategy (it fails before the
first step: keras-team/keras#20585), so this is the custom training loop the
TensorFlow guides use, driving the callbacks through ``keras.callbacks.CallbackList``
exactly as ``fit`` would. On the chief, a small callback plays the person: it
uses ``dash.signals``, which is what the buttons call.

Writes what this process saw as JSON to the path given as argument.
"""

import json
import os
import sys
import threading
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

from nbcallbacks import Dashboard  # noqa: E402

EPOCHS, STEPS, GLOBAL_BATCH = 3, 8, 32
STOP_AT = (2, 4)          # (epoch, batch) where the chief asks to stop
PAUSE_SECONDS = 1.0


def main(report_path: str, save_path: str) -> None:
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    keras.utils.set_random_seed(0)
    with strategy.scope():
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile(optimizer=keras.optimizers.SGD(0.05),
                      loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(GLOBAL_BATCH * STEPS, 8)).astype("float32")
    y = (x[:, :4].sum(axis=1) > 0).astype("int32")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH).repeat()
    batches = iter(strategy.experimental_distribute_dataset(dataset))

    @tf.function
    def train_step(batch):
        def step(inputs, targets):
            with tf.GradientTape() as tape:
                per_example = keras.losses.sparse_categorical_crossentropy(
                    targets, model(inputs, training=True))
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
            gradients = tape.gradient(loss, model.trainable_variables)
            model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            return loss
        return strategy.reduce("SUM", strategy.run(step, args=batch), axis=None)

    dash = Dashboard(output="auto")
    seen = []

    class Person(keras.callbacks.Callback):
        """The chief's clicks, at fixed batches (only the chief has controls)."""

        def on_train_batch_begin(self, batch, logs=None):
            if not dash.role.is_chief:
                return
            moment = (self._epoch, batch)
            if moment == (0, 3):
                dash.signals.request_learning_rate(0.02)
            elif moment == (1, 2):
                dash.signals.request_pause()
                threading.Timer(PAUSE_SECONDS, dash.signals.request_resume).start()
            elif moment == (1, 5):
                dash.signals.request_save(save_path)
            elif moment == STOP_AT:
                dash.signals.request_stop()

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch = epoch

    class Record(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self._epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            rate = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
            seen.append({"epoch": self._epoch, "batch": batch, "lr": rate,
                         "time": time.monotonic()})

    callbacks = keras.callbacks.CallbackList([Person(), dash, Record()], model=model,
                                             epochs=EPOCHS, steps=STEPS, verbose=0)
    model.stop_training = False
    callbacks.on_train_begin()
    for epoch in range(EPOCHS):
        callbacks.on_epoch_begin(epoch)
        for batch in range(STEPS):
            callbacks.on_train_batch_begin(batch)
            loss = float(train_step(next(batches)))
            callbacks.on_train_batch_end(batch, {"loss": loss})
            if model.stop_training:
                break
        callbacks.on_epoch_end(epoch, {"loss": loss})
        if model.stop_training:
            break
    callbacks.on_train_end()

    weights = [w.tolist() for w in model.get_weights()]
    with open(report_path, "w") as handle:
        json.dump({"role": dash.role.describe(), "is_chief": dash.role.is_chief,
                   "mode": dash._mode, "has_panel": dash._panel is not None,
                   "replicas": strategy.num_replicas_in_sync, "seen": seen,
                   "events": [[e.kind, e.message] for e in dash.events],
                   "epochs_recorded": len(dash.history.epoch_values("loss")),
                   "weights": weights}, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
