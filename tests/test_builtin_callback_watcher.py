"""Events from Keras' built-in callbacks, in real fits on problems built to trigger them.

The problem most tests use: a model whose only trainable number is a bias
(``x`` is all zeros), trained with SGD(0.4) on targets 1 and validated on
targets 0.9. One batch per epoch, so after epoch ``e`` the bias is
``1 - 0.2 ** (e + 1)`` = 0.8, 0.96, 0.992, ...: ``val_loss`` improves at
epochs 1 and 2 (0.0100, 0.0036) and then gets worse for ever as the bias
overshoots 0.9. EarlyStopping, ReduceLROnPlateau and ModelCheckpoint all act
on that plateau at epochs we can name.

``WatcherOwner`` stands in for the Dashboard: it owns a watcher and calls it
from its hooks the way the Dashboard does. Every test runs with the owner both
before and after the built-in callbacks in the list: the events must not depend
on that order.
"""

import csv
import os

import keras
import numpy as np
import pytest

from nbcallbacks.compat.keras_fit_frame import find_fit_callbacks
from nbcallbacks.dashboard.builtin_callback_observers import EarlyStoppingObserver
from nbcallbacks.dashboard.builtin_callback_watcher import BuiltinCallbackWatcher

ORDERS = ["owner_first", "owner_last"]


class WatcherOwner(keras.callbacks.Callback):
    """A test-only callback that owns a watcher and collects its events (as the Dashboard will)."""

    def __init__(self):
        super().__init__()
        self.events, self.statuses, self.batches = [], {}, []

    def on_train_begin(self, logs=None):
        self.watcher = BuiltinCallbackWatcher.for_running_fit(self)
        self.step = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self.events += self.watcher.before_epoch(epoch, self.step)

    def on_train_batch_begin(self, batch, logs=None):
        self.events += self.watcher.before_batch(self.epoch, self.step)
        self.change_rate(batch)

    def change_rate(self, batch):
        """Where the Dashboard applies its learning-rate control (after the watcher's look)."""

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        self.batches.append((self.epoch, batch, logs["loss"]))
        self.events += self.watcher.after_batch(self.epoch, batch, self.step, logs)

    def on_epoch_end(self, epoch, logs=None):
        self.events += self.watcher.after_epoch(epoch, self.step, logs)
        self.statuses[epoch] = self.watcher.status()

    def on_train_end(self, logs=None):
        self.events += self.watcher.after_train(self.step)

    def seen(self, kind=None):
        """(epoch, step, message) of the collected events, optionally of one kind."""
        return [(e.epoch, e.step, e.message) for e in self.events if kind in (None, e.kind)]


def arrange(owner, callbacks, order):
    return [owner, *callbacks] if order == "owner_first" else [*callbacks, owner]


def overshooting_bias_model(learning_rate=0.4):
    model = keras.Sequential([keras.Input((1,)),
                              keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
    return model


def fit_overshooting(callbacks, epochs, model=None):
    """Train targets 1, validation targets 0.9, one batch of 16 per epoch."""
    x = np.zeros((16, 1), "float32")
    model = model or overshooting_bias_model()
    return model, model.fit(x, np.ones((16, 1), "float32"),
                            validation_data=(x, np.full((16, 1), 0.9, "float32")),
                            epochs=epochs, batch_size=16, verbose=0, callbacks=callbacks)


# -- EarlyStopping -----------------------------------------------------------------

@pytest.mark.parametrize("order", ORDERS)
def test_early_stopping_reports_stop_epoch_best_epoch_and_restored_weights(order):
    owner = WatcherOwner()
    stopper = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    model, history = fit_overshooting(arrange(owner, [stopper], order), epochs=20)

    # val_loss was best after epoch 2 (index 1); epochs 3 and 4 did not improve.
    assert len(history.history["val_loss"]) == 4
    # Where training stopped, and where the restored weights come from: two kinds, so
    # that a chart can mark "stopped early" and "best weights restored" apart.
    assert owner.seen("early_stopping") == [
        (3, 4, "EarlyStopping: stopped after epoch 4 (val_loss did not improve for 2 epochs); "
               "best val_loss 3.60e-03 at epoch 2; best weights restored")]
    assert owner.seen("best_weights") == [
        (1, 2, "EarlyStopping: restored the weights of epoch 2 (best val_loss 3.60e-03)")]
    # ... and Keras did restore them: the bias is back at its epoch-2 value.
    assert model.layers[0].bias.numpy()[0] == pytest.approx(0.96, abs=1e-5)


def test_early_stopping_without_restoring_says_the_last_weights_are_kept():
    owner = WatcherOwner()
    stopper = keras.callbacks.EarlyStopping(patience=2)
    fit_overshooting([stopper, owner], epochs=20)
    assert [message for _, _, message in owner.seen()] == [
        "EarlyStopping: stopped after epoch 4 (val_loss did not improve for 2 epochs); "
        "best val_loss 3.60e-03 at epoch 2; weights of the last epoch kept",
        "EarlyStopping: best val_loss 3.60e-03 at epoch 2; the model keeps the weights of "
        "epoch 4 (restore_best_weights=False)",
    ]
    assert [e.kind for e in owner.events] == ["early_stopping", "best_epoch"]


def test_restoring_best_weights_without_stopping_is_reported():
    owner = WatcherOwner()
    stopper = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
    fit_overshooting([owner, stopper], epochs=3)
    assert owner.seen() == [(1, 2, "EarlyStopping: training ended without stopping early; "
                                   "restored the weights of epoch 2 (best val_loss 3.60e-03)")]


def test_status_shows_the_patience_counter_live():
    owner = WatcherOwner()
    stopper = keras.callbacks.EarlyStopping(patience=3)
    fit_overshooting([stopper, owner], epochs=20)
    # Read in the owner's on_epoch_end, after EarlyStopping's (it comes first in the list).
    assert owner.statuses[1] == ("early stopping: 0/3 epochs without improvement in val_loss "
                                 "(best 3.60e-03 at epoch 2)")
    assert owner.statuses[3] == ("early stopping: 2/3 epochs without improvement in val_loss "
                                 "(best 3.60e-03 at epoch 2)")
    assert owner.statuses[4] == "early stopping: stopped after epoch 5"


# -- ReduceLROnPlateau ---------------------------------------------------------------

@pytest.mark.parametrize("order", ORDERS)
def test_reduce_lr_reports_each_reduction_with_old_and_new_rate(order):
    owner = WatcherOwner()
    reducer = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2, cooldown=1)
    model, history = fit_overshooting(arrange(owner, [reducer], order), epochs=8)

    # Plateau from epoch 3 on: reductions after 2 epochs without improvement,
    # then 1 epoch of cooldown, then again 2 epochs.
    suffix = "(val_loss did not improve for 2 epochs); cooldown 1 epoch"
    assert owner.seen("reduce_lr") == [
        (3, 4, f"ReduceLROnPlateau: learning rate 4.00e-01 -> 2.00e-01 {suffix}"),
        (5, 6, f"ReduceLROnPlateau: learning rate 2.00e-01 -> 1.00e-01 {suffix}"),
        (7, 8, f"ReduceLROnPlateau: learning rate 1.00e-01 -> 5.00e-02 {suffix}"),
    ]
    np.testing.assert_allclose(history.history["learning_rate"],
                               [0.4, 0.4, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1], rtol=1e-6)


def test_reduce_lr_notes_reaching_min_lr():
    owner = WatcherOwner()
    reducer = keras.callbacks.ReduceLROnPlateau(factor=0.1, patience=1, min_lr=0.1)
    fit_overshooting([reducer, owner], epochs=5)
    assert [message for _, _, message in owner.seen()] == [
        "ReduceLROnPlateau: learning rate 4.00e-01 -> 1.00e-01 (val_loss did not improve "
        "for 1 epoch); reached min_lr 1.00e-01"]


# -- ModelCheckpoint -----------------------------------------------------------------

@pytest.mark.parametrize("order", ORDERS)
def test_checkpoint_reports_each_save_with_path_and_value(order, tmp_path):
    owner = WatcherOwner()
    pattern = str(tmp_path / "model-{epoch:02d}.keras")
    saver = keras.callbacks.ModelCheckpoint(pattern)
    fit_overshooting(arrange(owner, [saver], order), epochs=3)

    paths = [str(tmp_path / f"model-0{n}.keras") for n in (1, 2, 3)]
    assert owner.seen("checkpoint") == [
        (0, 1, f"ModelCheckpoint: saved {paths[0]} (val_loss 1.00e-02)"),
        (1, 2, f"ModelCheckpoint: saved {paths[1]} (val_loss 3.60e-03)"),
        (2, 3, f"ModelCheckpoint: saved {paths[2]} (val_loss 8.46e-03)"),
    ]
    assert all(os.path.exists(path) for path in paths)


@pytest.mark.parametrize("order", ORDERS)
def test_checkpoint_with_save_best_only_reports_only_improvements(order, tmp_path):
    owner = WatcherOwner()
    path = str(tmp_path / "best.weights.h5")
    saver = keras.callbacks.ModelCheckpoint(path, save_best_only=True, save_weights_only=True)
    fit_overshooting(arrange(owner, [saver], order), epochs=5)

    assert owner.seen("checkpoint") == [
        (0, 1, f"ModelCheckpoint: saved weights {path} (val_loss 1.00e-02)"),
        (1, 2, f"ModelCheckpoint: saved weights {path} (val_loss improved from 1.00e-02 to "
               f"3.60e-03)"),
    ]


def test_checkpoint_every_n_batches_is_found_by_its_file(tmp_path):
    owner = WatcherOwner()
    pattern = str(tmp_path / "ckpt-{epoch}-{batch}.weights.h5")
    saver = keras.callbacks.ModelCheckpoint(pattern, save_weights_only=True, save_freq=4)
    x, y = np.zeros((32, 1), "float32"), np.ones((32, 1), "float32")
    overshooting_bias_model(0.01).fit(x, y, epochs=2, batch_size=4, verbose=0,
                                      callbacks=[owner, saver])
    # 8 batches per epoch: saves after batches 4 and 8 of each epoch; the
    # latest file is reported at each epoch-level look.
    assert [(epoch, message) for epoch, _, message in owner.seen()] == [
        (0, f"ModelCheckpoint: saved {tmp_path / 'ckpt-1-8.weights.h5'} (during epoch 1, "
            f"every 4 batches)"),
        (1, f"ModelCheckpoint: saved {tmp_path / 'ckpt-2-8.weights.h5'} (during epoch 2, "
            f"every 4 batches)"),
    ]


# -- TerminateOnNaN ------------------------------------------------------------------

@pytest.mark.parametrize("order", ORDERS)
def test_terminate_on_nan_reports_the_batch_where_the_loss_stopped_being_finite(order,
                                                                                linear_model):
    owner = WatcherOwner()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32") * 100
    y = rng.normal(size=(256, 1)).astype("float32")
    model = linear_model(optimizer=keras.optimizers.SGD(10.0))   # diverges
    model.fit(x, y, epochs=5, batch_size=16, verbose=0,
              callbacks=arrange(owner, [keras.callbacks.TerminateOnNaN()], order))

    bad = [(epoch, batch) for epoch, batch, loss in owner.batches if not np.isfinite(loss)]
    assert bad, "the model was meant to diverge"
    epoch, batch = bad[0]
    assert owner.batches[-1][:2] == (epoch, batch)        # training stopped at that batch
    value = "nan" if np.isnan(owner.batches[-1][2]) else "inf"
    assert owner.seen("nan") == [(epoch, len(owner.batches),
                                  f"TerminateOnNaN: loss became {value} at batch {batch + 1} "
                                  f"of epoch {epoch + 1}; training stops")]


def test_nan_loss_without_terminate_on_nan_is_not_the_watchers_business():
    owner = WatcherOwner()
    x = np.full((8, 1), np.nan, "float32")
    overshooting_bias_model().fit(x, x, epochs=1, verbose=0, callbacks=[owner])
    assert owner.events == []


# -- LearningRateScheduler, CSVLogger, BackupAndRestore --------------------------------

@pytest.mark.parametrize("order", ORDERS)
def test_scheduler_rate_changes_are_reported_at_the_epoch_they_start(order):
    owner = WatcherOwner()
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, rate:
                                                      0.1 if epoch < 2 else 0.01)
    fit_overshooting(arrange(owner, [scheduler], order), epochs=4)
    assert owner.seen("lr_schedule") == [
        (0, 0, "LearningRateScheduler: learning rate 4.00e-01 -> 1.00e-01 from epoch 1"),
        (2, 2, "LearningRateScheduler: learning rate 1.00e-01 -> 1.00e-02 from epoch 3"),
    ]


@pytest.mark.parametrize("order", ORDERS)
def test_scheduler_and_plateau_reductions_are_told_apart(order):
    owner = WatcherOwner()
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, rate:
                                                      rate * 0.5 if epoch == 1 else rate)
    reducer = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=1)
    fit_overshooting(arrange(owner, [scheduler, reducer], order), epochs=4)
    assert [(epoch, kind) for epoch, kind in ((e.epoch, e.kind) for e in owner.events)] == [
        (1, "lr_schedule"), (2, "reduce_lr"), (3, "reduce_lr")]
    assert owner.events[0].message == ("LearningRateScheduler: learning rate 4.00e-01 -> "
                                       "2.00e-01 from epoch 2")
    assert owner.events[1].message.startswith("ReduceLROnPlateau: learning rate 2.00e-01 -> "
                                              "1.00e-01")


class RateChangingOwner(WatcherOwner):
    """An owner whose control sets the rate to 0.3 at the start of epoch 4 (index 3)."""

    def change_rate(self, batch):
        if self.epoch == 3 and batch == 0:
            self.model.optimizer.learning_rate = 0.3


@pytest.mark.parametrize("order", ORDERS)
def test_the_owners_own_rate_changes_are_not_taken_for_a_builtins(order):
    owner = RateChangingOwner()
    steady = keras.callbacks.LearningRateScheduler(lambda epoch, rate: rate)
    reducer = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2)
    fit_overshooting(arrange(owner, [steady, reducer], order), epochs=4)
    # The scheduler kept every rate: no lr_schedule event. ReduceLROnPlateau
    # halved the owner's 0.3, not the 0.4 the epoch started with.
    assert owner.seen() == [
        (3, 4, "ReduceLROnPlateau: learning rate 3.00e-01 -> 1.50e-01 (val_loss did not "
               "improve for 2 epochs)")]


@pytest.mark.parametrize("order", ORDERS)
def test_csv_logger_path_is_reported_at_the_end(order, tmp_path):
    owner = WatcherOwner()
    path = str(tmp_path / "training.csv")
    fit_overshooting(arrange(owner, [keras.callbacks.CSVLogger(path)], order), epochs=3)
    assert owner.seen() == [(2, 3, f"CSVLogger: wrote 3 epoch rows to {path}")]
    with open(path) as handle:
        assert len(list(csv.DictReader(handle))) == 3


class InterruptAtEpoch(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


@pytest.mark.parametrize("order", ORDERS)
def test_backup_and_restore_reports_the_resumed_fit(order, tmp_path):
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    model = overshooting_bias_model()
    first = WatcherOwner()
    with pytest.raises(KeyboardInterrupt):
        fit_overshooting(arrange(first, [backup], order) + [InterruptAtEpoch(2)], epochs=5,
                         model=model)
    assert first.events == []

    second = WatcherOwner()
    model, history = fit_overshooting(arrange(second, [backup], order), epochs=5, model=model)
    assert history.epoch == [2, 3, 4]
    assert second.seen() == [(2, 0, f"BackupAndRestore: restored the model from "
                                    f"{tmp_path / 'backup'} (backed up after epoch 2); "
                                    f"training resumes at epoch 3")]


# -- the watcher itself ----------------------------------------------------------------

def test_events_do_not_depend_on_where_the_owner_sits(tmp_path):
    """EarlyStopping, ReduceLROnPlateau, ModelCheckpoint together, owner first, middle, last."""
    seen = []
    for position in range(4):
        owner = WatcherOwner()
        builtins = [keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True),
                    keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=1),
                    keras.callbacks.ModelCheckpoint(str(tmp_path / f"{position}.keras"),
                                                    save_best_only=True)]
        builtins.insert(position, owner)
        fit_overshooting(builtins, epochs=20)
        seen.append([(e.epoch, e.step, e.kind, e.message.replace(f"/{position}.keras", "/"))
                     for e in owner.events])
    assert seen[0] == seen[1] == seen[2] == seen[3]
    assert [(epoch, kind) for epoch, _, kind, _ in seen[0]] == [
        (0, "checkpoint"), (1, "checkpoint"), (2, "reduce_lr"), (3, "reduce_lr"),
        (4, "early_stopping"), (4, "reduce_lr"), (1, "best_weights")]


def test_find_fit_callbacks_sees_the_fit_callbacks_in_call_order():
    found = {}

    class Look(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            found["callbacks"] = find_fit_callbacks(owner=self)
            found["watched"] = BuiltinCallbackWatcher.for_running_fit(self).watched

    stopper, look = keras.callbacks.EarlyStopping(), Look()
    nan = keras.callbacks.TerminateOnNaN()
    fit_overshooting([stopper, look, nan], epochs=1)
    names = [type(callback).__name__ for callback in found["callbacks"]]
    assert names == ["EarlyStopping", "Look", "TerminateOnNaN", "History"]
    assert found["watched"] == (stopper, nan)
    assert find_fit_callbacks() is None


def test_a_watcher_with_nothing_to_watch_stays_quiet():
    watcher = BuiltinCallbackWatcher([keras.callbacks.History()])
    assert watcher.watched == ()
    assert watcher.before_epoch(0, 0) == []
    assert watcher.after_batch(0, 0, 1, {"loss": float("nan")}) == []
    assert watcher.after_epoch(0, 1, {"loss": 1.0}) == []
    assert watcher.after_train(1) == []
    assert watcher.status() is None


def test_an_unreadable_callback_is_dropped_with_a_warning_and_training_goes_on(monkeypatch):
    def unreadable(self, moment):   # as if a Keras version kept its state elsewhere
        raise AttributeError("'EarlyStopping' object has no attribute 'stopped_epoch'")

    monkeypatch.setattr(EarlyStoppingObserver, "epoch_ended", unreadable)
    owner = WatcherOwner()
    with pytest.warns(RuntimeWarning, match="stopped watching EarlyStopping"):
        _, history = fit_overshooting([keras.callbacks.EarlyStopping(patience=50), owner],
                                      epochs=3)
    assert len(history.epoch) == 3
    assert owner.watcher.watched == ()
