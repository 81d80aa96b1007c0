"""Learning-rate schedules the tests preview, tune and train with, and a recorder of applied rates.

:func:`warmup_cosine` (a factory with tuning arguments, as ``interactive_schedule``
takes) and :func:`step_decay` (a schedule with tuning arguments, as Keras calls
it) are the schedules of the schedule tests in this process, in a kernel and in
JupyterLab: :func:`cell_source` gives the code that defines them in a cell.
:class:`EpochRateRecorder` records the rate a real fit applied in each epoch,
to compare with a preview.
"""

from __future__ import annotations

import inspect
import math

import keras


def warmup_cosine(base=1e-3, warmup=5, floor=1e-5, total=30, name="cosine"):
    """A linear warm-up to ``base`` over ``warmup`` epochs, then a cosine down to ``floor`` at
    epoch ``total`` (``name`` is a string argument: no slider)."""
    def schedule(epoch, lr):
        if epoch < warmup:
            return base * (epoch + 1) / warmup
        progress = min(1.0, (epoch - warmup) / max(1, total - warmup))
        return floor + (base - floor) * 0.5 * (1 + math.cos(math.pi * progress))
    return schedule


def step_decay(epoch, lr, drop=0.5, every=10):
    """A schedule with tuning arguments, written as Keras calls it."""
    return lr * drop if epoch > 0 and epoch % every == 0 else lr


def cell_source(*functions) -> str:
    """Code that defines ``functions`` (and imports what they use) in a notebook cell, as
    they are defined here."""
    return "import math\n\n\n" + "\n\n".join(inspect.getsource(f) for f in functions)


class EpochRateRecorder(keras.callbacks.Callback):
    """The optimizer's rate at the first batch of each epoch, as a Python float."""

    def __init__(self):
        super().__init__()
        self.rates = []
        self.epochs = []

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append(epoch)

    def on_train_batch_begin(self, batch, logs=None):
        if batch == 0:
            self.rates.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))
