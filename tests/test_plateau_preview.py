"""preview_schedule(ReduceLROnPlateau(...), history=...) against real ReduceLROnPlateau runs.

Two kinds of curves: a real training run's, and crafted ones written into the
logs by a callback placed before ReduceLROnPlateau — so edge cases (float32
comparisons, NaN, cooldown, min_lr) are checked against Keras itself.
"""

import keras
import numpy as np
import pytest
from support.schedules import EpochRateRecorder

from nbcallbacks import preview_schedule


class ScriptedMetric(keras.callbacks.Callback):
    """Writes a prepared value of ``name`` into each epoch's logs (runs before the others)."""

    def __init__(self, name, values):
        super().__init__()
        self.name, self.values = name, list(values)

    def on_epoch_end(self, epoch, logs=None):
        logs[self.name] = self.values[epoch]


def run_plateau(linear_model, callback, values=None, name="val_loss", initial_lr=0.1,
                epochs=None):
    model = linear_model(2, keras.optimizers.SGD(initial_lr))
    recorder = EpochRateRecorder()
    scripted = [ScriptedMetric(name, values)] if values is not None else []
    callbacks = scripted + [callback, recorder]
    history = model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), batch_size=2,
                        epochs=epochs or len(values), verbose=0, callbacks=callbacks)
    return history, recorder.rates


def plateau(**kwargs):
    return keras.callbacks.ReduceLROnPlateau(**kwargs)


@pytest.mark.parametrize("settings, values", [
    (dict(factor=0.5, patience=2), [1.0, 0.9, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85]),
    (dict(factor=0.5, patience=1, cooldown=2), [1.0] * 12),
    (dict(factor=0.1, patience=1, min_lr=0.002), [1.0] * 8),
    (dict(factor=0.5, patience=2, min_delta=0.07), [1.0, 0.97, 0.94, 0.91, 0.88, 0.85, 0.8, 0.7]),
    # Improvements by just over min_delta in float64 but not in float32: Keras compares in float32.
    (dict(factor=0.5, patience=2), [0.5] + [0.5 - 1e-4 - 1e-9] * 4),
    (dict(factor=0.5, patience=1), [1.0, float("nan"), 0.9, float("nan"), float("nan"), 0.5]),
    (dict(factor=0.5, patience=2, mode="max", monitor="val_accuracy"),
     [0.5, 0.6, 0.6, 0.55, 0.7, 0.7, 0.7, 0.69]),
], ids=["basic", "cooldown", "min_lr", "min_delta", "float32-compare", "nan", "mode-max"])
def test_replay_matches_keras_on_scripted_curves(settings, values, linear_model):
    callback = plateau(**settings)
    history, applied = run_plateau(linear_model, callback, values,
                                   name=settings.get("monitor", "val_loss"))
    preview = preview_schedule(plateau(**settings), history=history, initial_lr=0.1)
    assert preview.learning_rates.tolist() == applied
    changed = [epoch for epoch in range(1, len(applied)) if applied[epoch] != applied[epoch - 1]]
    # A cut at the end of the last epoch shows in no applied rate.
    assert [r.epoch + 1 for r in preview.reductions if r.epoch + 1 < len(applied)] == changed
    assert changed or settings.get("min_lr")


def test_the_float32_comparison_matters():
    """The same curve compared in float64 would cut the rate later: the test above can fail."""
    values = [0.5] + [0.5 - 1e-4 - 1e-9] * 3
    preview = preview_schedule(plateau(factor=0.5, patience=2), history={"val_loss": values},
                               initial_lr=0.1)
    assert [r.epoch for r in preview.reductions] == [2]
    # In float64, epoch 1 would be an improvement (the cut one epoch later).
    assert values[1] + 1e-4 < values[0]
    assert not np.float32(values[1] + 1e-4) < np.float32(values[0])


def test_replay_of_a_real_training_run_with_its_history():
    """Train with ReduceLROnPlateau on a real loss; replaying its History gives the same rates."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 0.0], "float32") + rng.normal(0, 0.5, 256)).reshape(-1, 1)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    recorder = EpochRateRecorder()
    callback = plateau(monitor="val_loss", factor=0.5, patience=2, min_delta=0.01)
    history = model.fit(x, y, validation_split=0.25, epochs=25, batch_size=32, verbose=0,
                        callbacks=[callback, recorder])
    preview = preview_schedule(callback, history=history)  # initial_lr from history
    assert preview.learning_rates.tolist() == recorder.rates
    assert len(preview.reductions) >= 1
    assert preview.initial_lr == history.history["learning_rate"][0]


def test_auto_mode_follows_the_metric_name():
    preview = preview_schedule(plateau(monitor="val_accuracy", patience=1),
                               history={"val_accuracy": [0.5, 0.4, 0.3]}, initial_lr=0.1)
    assert preview.reductions[0].epoch == 1  # accuracy going down is no improvement
    assert "(max)" in preview.name
    loss = preview_schedule(plateau(patience=1), history={"val_loss": [0.5, 0.4, 0.3]},
                            initial_lr=0.1)
    assert loss.reductions == []


def test_a_history_from_a_resumed_fit_keeps_its_epoch_numbers(linear_model):
    callback = plateau(factor=0.5, patience=1)
    model = linear_model(2, keras.optimizers.SGD(0.1))
    history = model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=8,
                        initial_epoch=3, verbose=0,
                        callbacks=[ScriptedMetric("val_loss", [None] * 3 + [1.0] * 5), callback])
    preview = preview_schedule(plateau(factor=0.5, patience=1), history=history, initial_lr=0.1)
    assert preview.epochs.tolist() == [3, 4, 5, 6, 7]
    assert [r.epoch for r in preview.reductions] == [4, 5, 6, 7]
    rows = preview.table_rows()[1]
    assert [row[0] for row in rows] == ["3", "4", "5", "6", "7"]
    assert [row[-1] for row in rows] == ["", "0.05", "0.025", "0.0125", "0.00625"]


def test_history_forms_and_epochs():
    values = [1.0, 1.0, 1.0, 1.0, 1.0]
    from_list = preview_schedule(plateau(patience=1, factor=0.5), history=values, initial_lr=0.1)
    from_dict = preview_schedule(plateau(patience=1, factor=0.5), history={"val_loss": values},
                                 initial_lr=0.1, epochs=3)
    assert len(from_list.learning_rates) == 5 and len(from_dict.learning_rates) == 3
    assert np.array_equal(from_list.learning_rates[:3], from_dict.learning_rates)


def test_clear_errors():
    with pytest.raises(ValueError, match="history="):
        preview_schedule(plateau())
    with pytest.raises(ValueError, match="has no 'val_loss'.*'loss'"):
        preview_schedule(plateau(), history={"loss": [1.0, 0.5]})
    with pytest.raises(ValueError, match="fewer than epochs=5"):
        preview_schedule(plateau(), history=[1.0, 0.9], epochs=5)


def test_table_and_chart_show_the_cuts():
    preview = preview_schedule(plateau(factor=0.5, patience=2), history=[1.0] * 8, initial_lr=0.1)
    columns, rows, marks = preview.table_rows()
    assert columns[1] == "val_loss" and columns[-1] == "cut to"
    cut_rows = [row for row in rows if row[-1]]
    assert [row[0] for row in cut_rows] == ["2", "4", "6"]
    assert cut_rows[0][-1] == "0.05"
    assert preview.png().startswith(b"\x89PNG")
    assert "3 cut(s) on val_loss" in str(preview)
