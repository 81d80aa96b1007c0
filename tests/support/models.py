"""A Keras model whose training the tests can predict exactly: one weight that sums the rates.

Used by the controls tests on every backend (``tests/test_controls_any_backend.py``) and
by the distributed training scripts (``tests/distributed/``), which check through it that
a rate changed from the dashboard is the rate the optimizer stepped with.
"""

from __future__ import annotations

import keras
import numpy as np


def rate_summing_model(rate):
    """One weight w, starting at 0, and the loss mean(w*x - y): with x = 1 its gradient is 1,
    so each SGD step (at ``rate`` until changed) moves w by exactly -rate."""
    model = keras.Sequential([keras.Input((1,)),
                              keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(rate), loss=lambda y, p: keras.ops.mean(p - y))
    return model


def weight_of(model) -> float:
    """The model's single weight (w of :func:`rate_summing_model`)."""
    return float(np.asarray(model.get_weights()[0]).ravel()[0])
