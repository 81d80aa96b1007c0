"""The Keras internals nbcallbacks reads (nbcallbacks/compat/keras_*.py), on the Keras installed.

Each test fails when a Keras release moves what a compat function reads:
``fit``'s locals ``epoch_iterator`` and ``callbacks``, the epoch generator the
epoch iterator keeps (``_epoch_iterator``), an optimizer's
``_learning_rate``, a ``LossScaleOptimizer``'s ``inner_optimizer``, and the
retrace when ``train_function`` is None. The compat functions themselves
fall back quietly (None, False) when the internal is missing, so only a real
fit shows that they still find it.
"""

import sys

import keras
import numpy as np
import pytest

from nbcallbacks.compat.keras_fit_frame import (
    batch_size_of,
    close_open_epoch,
    find_fit_callbacks,
    fit_epoch_iterator,
    runs_inside_fit,
)
from nbcallbacks.compat.keras_optimizer import (
    forget_traced_train_step,
    rate_owner,
    set_stored_learning_rate,
    stored_learning_rate,
)


class Looks(keras.callbacks.Callback):
    """Asks the fit-frame functions from inside a hook, as the dashboard does."""

    def __init__(self):
        super().__init__()
        self.seen = {}

    def on_train_batch_begin(self, batch, logs=None):
        if batch == 0:
            self.seen = {"batch_size": batch_size_of(fit_epoch_iterator()),
                         "callbacks": find_fit_callbacks(owner=self),
                         "inside": runs_inside_fit(sys._getframe(), self),
                         "inside_other": runs_inside_fit(sys._getframe(), Looks())}


def test_a_real_fit_keeps_the_batch_size_and_the_callbacks_where_the_compat_walks_look(
        linear_model):
    looks, other = Looks(), keras.callbacks.Callback()
    linear_model(3).fit(np.ones((20, 3)), np.ones((20, 1)), batch_size=5, epochs=1, verbose=0,
                        callbacks=[looks, other])
    seen = looks.seen
    assert seen["batch_size"] == 5, f"fit's epoch_iterator moved in Keras {keras.__version__}"
    assert seen["callbacks"] is not None, f"fit's callbacks moved in Keras {keras.__version__}"
    assert looks in seen["callbacks"] and other in seen["callbacks"]
    assert seen["inside"] and not seen["inside_other"]


class StopsInsideAnEpoch(keras.callbacks.Callback):
    """Stops at the third batch, as the Stop button does, and looks at the open epoch."""

    def on_train_batch_end(self, batch, logs=None):
        if batch == 2:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        self.iterator = fit_epoch_iterator()
        self.open_epoch = getattr(self.iterator, "_epoch_iterator", None)
        self.closed = close_open_epoch(self.iterator)


def test_a_fit_stopped_inside_an_epoch_leaves_its_epoch_open_where_close_open_epoch_looks(
        linear_model):
    import gc
    import inspect
    import weakref

    stops = StopsInsideAnEpoch()
    gc.disable()  # closed, the epoch iterator goes with fit's frame, not at a later collection
    try:
        linear_model(3).fit(np.ones((40, 3)), np.ones((40, 1)), batch_size=5, epochs=3,
                            verbose=0, callbacks=[stops])
        assert inspect.isgenerator(stops.open_epoch), (
            f"EpochIterator._epoch_iterator moved in Keras {keras.__version__}")
        assert stops.closed and stops.open_epoch.gi_frame is None
        iterator = weakref.ref(stops.iterator)
        del stops.iterator, stops.open_epoch
        assert iterator() is None
    finally:
        gc.enable()


@pytest.mark.parametrize("built_with", ["float", "schedule", "callable"])
def test_the_stored_rate_is_what_the_optimizer_was_built_with(built_with):
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    function = lambda: 0.1  # noqa: E731 - a rate callable as Keras accepts one
    given = {"float": 0.1, "schedule": schedule, "callable": function}[built_with]
    optimizer = keras.optimizers.Adam(given)
    stored = stored_learning_rate(optimizer)
    if built_with == "float":
        assert isinstance(stored, keras.Variable)
    else:
        assert stored is given
    other = keras.optimizers.schedules.CosineDecay(0.2, 5)
    set_stored_learning_rate(optimizer, other)
    assert stored_learning_rate(optimizer) is other  # stored as it is, put back as it was


def test_under_mixed_precision_the_rate_lives_in_the_inner_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    inner = keras.optimizers.SGD(schedule)
    wrapped = keras.optimizers.LossScaleOptimizer(inner)
    assert rate_owner(wrapped) is inner
    assert stored_learning_rate(wrapped) is schedule  # not the wrapper's placeholder variable


def test_dropping_the_traced_train_step_makes_the_next_fit_trace_again(linear_model):
    model = linear_model(3)
    x, y = np.ones((4, 3)), np.ones((4, 1))
    model.fit(x, y, verbose=0)
    traced = model.train_function
    assert traced is not None
    forget_traced_train_step(model)
    model.fit(x, y, verbose=0)
    assert model.train_function is not None and model.train_function is not traced


def test_an_optimizer_without_the_internal_gets_a_clear_error():
    with pytest.raises(AttributeError,
                       match="keeps no _learning_rate.*Keras 3.12.4, 3.13.2 and 3.15.1"):
        stored_learning_rate(object())


def test_model_checkpoint_and_backup_keep_their_files_where_the_compat_lookups_read(
        tmp_path, linear_model):
    from nbcallbacks.compat.keras_builtin_callbacks import backup_files, latest_checkpoint_file

    pattern = str(tmp_path / "ckpt-{epoch:02d}.weights.h5")
    checkpoint = keras.callbacks.ModelCheckpoint(pattern, save_weights_only=True)
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    assert hasattr(checkpoint, "_get_most_recently_modified_file_matching_pattern")
    assert (getattr(backup, "_weights_path", None), getattr(backup, "_training_metadata_path",
                                                            None)) == backup_files(backup)
    linear_model(3).fit(np.ones((4, 3)), np.ones((4, 1)), epochs=2, verbose=0,
                        callbacks=[checkpoint])
    assert latest_checkpoint_file(checkpoint) == str(tmp_path / "ckpt-02.weights.h5")
