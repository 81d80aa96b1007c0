"""preview_schedule against real fits: the previewed rates are the rates Keras applies.

Each test trains a tiny model with the schedule and records the learning rate
the optimizer holds at every epoch's first batch (after LearningRateScheduler
has acted), or — for per-step schedules — the rate the compiled train step
actually used, read back from an SGD update whose gradient is exactly 1.
"""

import math

import keras
import numpy as np
import pytest
from support.schedules import EpochRateRecorder

from nbcallbacks import PiecewiseSchedule, SchedulePreview, preview_schedule

# The TensorFlow guide "Writing your own callbacks": (epoch to start, learning rate).
LR_SCHEDULE = [(3, 0.05), (6, 0.01), (9, 0.005), (12, 0.001)]


def guide_lr_schedule(epoch, lr):
    """The guide's lookup function, verbatim apart from the name."""
    if epoch < LR_SCHEDULE[0][0] or epoch > LR_SCHEDULE[-1][0]:
        return lr
    for i in range(len(LR_SCHEDULE)):
        if epoch == LR_SCHEDULE[i][0]:
            return LR_SCHEDULE[i][1]
    return lr


def keras_doc_scheduler(epoch, lr):
    """keras.callbacks.LearningRateScheduler's own example, fixed for Keras 3."""
    if epoch < 10:
        return lr
    return lr * math.exp(-0.1)


def keras_doc_scheduler_as_written(epoch, lr):
    """The same example as the Keras docs and TF tutorials write it: returns a tensor."""
    if epoch < 10:
        return lr
    return lr * keras.ops.exp(-0.1)


def decay_after_two(epoch, lr):
    return lr if epoch < 2 else lr * 0.99


def old_api(epoch):
    return 0.1 / (1 + epoch)


def fit_with_scheduler(linear_model, schedule, epochs, initial_lr, initial_epoch=0):
    """Train a ``linear_model`` 3 batches per epoch with LearningRateScheduler; return the
    recorder."""
    model = linear_model(3, keras.optimizers.SGD(initial_lr))
    recorder = EpochRateRecorder()
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    # The recorder runs after the scheduler, as a Dashboard would.
    model.fit(x, np.zeros((8, 1), "float32"), batch_size=3, epochs=epochs, verbose=0,
              initial_epoch=initial_epoch,
              callbacks=[keras.callbacks.LearningRateScheduler(schedule), recorder])
    return recorder


@pytest.mark.parametrize("schedule, epochs, initial_lr", [
    (keras_doc_scheduler, 15, 0.01),
    (decay_after_two, 15, 0.001),
    (guide_lr_schedule, 15, 0.1),
    (old_api, 5, 0.5),
    (lambda epoch, lr: np.float32(lr) * np.float32(0.9), 8, 0.3),   # np.float32 returns
    (lambda epoch, lr: 1e-3 * (epoch + 1) / 5 if epoch < 5 else 1e-3 * 0.5 ** (epoch - 4), 12,
     0.01),
], ids=["keras-doc-exp", "times-0.99", "tf-guide-lookup", "old-api", "np-float32", "warmup"])
def test_function_schedules_match_a_real_fit(schedule, epochs, initial_lr, linear_model):
    preview = preview_schedule(schedule, epochs=epochs, initial_lr=initial_lr)
    applied = fit_with_scheduler(linear_model, schedule, epochs, initial_lr).rates
    assert preview.problem is None
    assert preview.learning_rates.dtype == np.float32
    assert preview.learning_rates.tolist() == applied


def test_rounding_compounds_like_the_optimizer_variable(linear_model):
    """lr * 0.99 on the float32-rounded rate, not on the exact one: the two drift apart."""
    preview = preview_schedule(decay_after_two, epochs=12, initial_lr=0.001)
    exact = np.float32([0.001] * 2 + [0.001 * 0.99 ** k for k in range(1, 11)])
    assert (preview.learning_rates != exact).sum() >= 5
    assert preview.learning_rates.tolist() == fit_with_scheduler(
        linear_model, decay_after_two, 12, 0.001).rates


def test_callback_instance_pairs_and_initial_epoch(linear_model):
    callback = keras.callbacks.LearningRateScheduler(guide_lr_schedule)
    from_callback = preview_schedule(callback, 15, initial_lr=0.1)
    from_pairs = preview_schedule(LR_SCHEDULE, 15, initial_lr=0.1)
    assert from_callback.kind == "LearningRateScheduler" and from_pairs.kind == "pairs"
    assert np.array_equal(from_callback.learning_rates, from_pairs.learning_rates)
    # The pairs' schedule is what to hand to LearningRateScheduler, and it matches a fit.
    assert isinstance(from_pairs.schedule, PiecewiseSchedule)
    assert from_pairs.learning_rates.tolist() == fit_with_scheduler(
        linear_model, from_pairs.schedule, 15, 0.1).rates
    resumed = preview_schedule(decay_after_two, epochs=10, initial_lr=0.001, initial_epoch=4)
    assert resumed.epochs.tolist() == list(range(4, 10))
    assert resumed.learning_rates.tolist() == fit_with_scheduler(
        linear_model, decay_after_two, 10, 0.001, initial_epoch=4).rates


def test_initial_lr_from_a_compiled_model_and_a_default(linear_model):
    model = linear_model(2, keras.optimizers.SGD(0.05))
    from_model = preview_schedule(decay_after_two, 4, initial_lr=model)
    assert from_model.learning_rates[0] == np.float32(0.05)
    default = preview_schedule(decay_after_two, 4)
    assert default.learning_rates[0] == np.float32(0.001)
    assert any("0.001" in note for note in default.notes)


# -- problems, reported before training ----------------------------------------------------
def test_the_tutorials_tensor_schedule_is_reported_at_the_epoch_keras_fails(linear_model):
    preview = preview_schedule(keras_doc_scheduler_as_written, epochs=15, initial_lr=0.01)
    problem = preview.problem
    assert problem is not None and problem.fatal
    assert problem.epoch == 10
    assert "tensor" in problem.reason and "math.exp" in problem.fix
    assert "Epoch 11" in str(problem)
    assert np.isnan(preview.learning_rates[10:]).all()
    with pytest.raises(ValueError, match="epoch 10"):
        preview.check()
    # Keras really does stop there, after applying the same first ten rates.
    recorder = EpochRateRecorder()
    with pytest.raises(ValueError, match="should be a float"):
        model = linear_model(3, keras.optimizers.SGD(0.01))
        # The recorder first: it notes epoch 10 beginning before the scheduler raises.
        model.fit(np.ones((4, 3)), np.zeros((4, 1)), epochs=15, verbose=0, callbacks=[
            recorder, keras.callbacks.LearningRateScheduler(keras_doc_scheduler_as_written)])
    assert recorder.epochs[-1] == problem.epoch
    assert preview.learning_rates[:10].tolist() == recorder.rates


@pytest.mark.parametrize("schedule, epoch, words, fatal", [
    (lambda epoch, lr: 1 if epoch == 3 else lr, 3, "int", True),
    (lambda epoch, lr: "0.01" if epoch == 2 else lr, 2, "string", True),
    (lambda epoch, lr: None if epoch == 4 else lr, 4, "None", True),
    (lambda epoch, lr: np.array([lr]) if epoch == 1 else lr, 1, "NumPy array", True),
    (lambda epoch, lr: -0.5 if epoch == 6 else lr, 6, "negative", False),
    (lambda epoch, lr: float("nan") if epoch == 5 else lr, 5, "NaN", False),
    (lambda epoch, lr: lr * 1e30, 1, "infinite", False),   # 1e28, then inf as a float32
])
def test_bad_values_are_reported_with_epoch_and_reason(schedule, epoch, words, fatal):
    preview = preview_schedule(schedule, epochs=8, initial_lr=0.01)
    assert preview.problem is not None
    assert (preview.problem.epoch, preview.problem.fatal) == (epoch, fatal)
    assert words in preview.problem.reason
    assert preview.problem.fix


def test_fatal_values_really_stop_keras_and_harmless_looking_ones_do_not(linear_model):
    stops = lambda epoch, lr: 1 if epoch == 3 else lr  # noqa: E731
    preview = preview_schedule(stops, epochs=6, initial_lr=0.01)
    with pytest.raises(ValueError):
        fit_with_scheduler(linear_model, stops, 6, 0.01)
    negative = lambda epoch, lr: -0.01  # noqa: E731
    assert not preview_schedule(negative, 3, 0.01).problem.fatal
    applied = fit_with_scheduler(linear_model, negative, 3, 0.01).rates
    assert applied == [np.float32(-0.01).item()] * 3
    assert preview.problem.epoch == 3


def test_an_exception_in_the_schedule_is_reported():
    preview = preview_schedule(lambda epoch, lr: [0.1, 0.01][epoch], epochs=4, initial_lr=0.1)
    assert preview.problem.epoch == 2 and preview.problem.fatal
    assert "IndexError" in preview.problem.reason


def test_the_first_problem_comes_first_and_the_stop_is_still_reported():
    preview = preview_schedule(lambda epoch, lr: 1.0 / (epoch - 2), epochs=5, initial_lr=0.1)
    assert [(p.epoch, p.fatal) for p in preview.problems] == [(0, False), (1, False), (2, True)]
    assert "negative" in preview.problem.reason
    assert "ZeroDivisionError" in str(preview)
    assert preview.table_rows()[1][2][-1] == "stops here"


def test_a_learning_rate_schedule_given_to_the_callback_gets_the_right_advice():
    decay = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
    preview = preview_schedule(keras.callbacks.LearningRateScheduler(decay), 5, 0.1)
    assert preview.problem.fatal and "optimizer" in preview.problem.fix


# -- per-step schedules ------------------------------------------------------------------------
class AppliedRateProbe(keras.callbacks.Callback):
    """The rate the compiled train step used at each step: w = 0, gradient 1, SGD -> w = -lr."""

    def __init__(self):
        super().__init__()
        self.rates = []

    def on_train_batch_begin(self, batch, logs=None):
        self.model.layers[0].kernel.assign(np.zeros((1, 1), "float32"))

    def on_train_batch_end(self, batch, logs=None):
        self.rates.append(float(-keras.ops.convert_to_numpy(self.model.layers[0].kernel)[0, 0]))


def rates_applied_per_step(schedule, epochs, steps_per_epoch):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(optimizer=keras.optimizers.SGD(schedule),
                  loss=lambda y_true, y_pred: keras.ops.mean(y_pred))
    probe = AppliedRateProbe()
    model.fit(np.ones((steps_per_epoch, 1), "float32"), np.zeros((steps_per_epoch, 1), "float32"),
              batch_size=1, epochs=epochs, shuffle=False, verbose=0, callbacks=[probe])
    return probe.rates


class WarmupThenDecay(keras.optimizers.schedules.LearningRateSchedule):
    """A user-written per-step schedule: linear warm-up, then exponential decay."""

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        return keras.ops.where(step < 10, 0.01 * (step + 1) / 10,
                               0.01 * keras.ops.power(0.95, step - 10))


@pytest.mark.parametrize("schedule", [
    keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=7, decay_rate=0.96),
    keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=40, warmup_target=1e-2,
                                           warmup_steps=10),
    keras.optimizers.schedules.PiecewiseConstantDecay([10, 25], [0.1, 0.05, 0.01]),
    keras.optimizers.schedules.PolynomialDecay(0.1, 30, 0.001, power=2.0),
    WarmupThenDecay(),
], ids=["exponential", "cosine-warmup", "piecewise", "polynomial", "custom"])
def test_learning_rate_schedules_match_the_rates_the_train_step_applies(schedule):
    preview = preview_schedule(schedule, epochs=4, steps_per_epoch=12)
    applied = rates_applied_per_step(schedule, epochs=4, steps_per_epoch=12)
    assert preview.per_step and len(preview.learning_rates) == 48
    assert preview.learning_rates.tolist() == applied
    assert preview.steps.tolist() == list(range(48))
    assert preview.epochs.tolist() == [s // 12 for s in range(48)]


def test_a_learning_rate_schedule_needs_steps_per_epoch():
    with pytest.raises(ValueError, match="steps_per_epoch"):
        preview_schedule(keras.optimizers.schedules.CosineDecay(1e-3, 100), epochs=5)


def test_bad_arguments_get_clear_errors():
    with pytest.raises(ValueError, match="epochs"):
        preview_schedule(decay_after_two)
    with pytest.raises(TypeError, match="schedule\\(epoch, lr\\)"):
        preview_schedule("cosine", 5)
    with pytest.raises(ValueError, match="strictly increasing"):
        preview_schedule([(5, 0.1), (2, 0.01)], 10)
    with pytest.raises(ValueError, match="initial_epoch"):
        preview_schedule(decay_after_two, epochs=3, initial_epoch=3)


# -- what a person sees ------------------------------------------------------------------------
def test_display_has_a_png_a_text_table_and_the_problem():
    preview = preview_schedule(keras_doc_scheduler_as_written, epochs=15, initial_lr=0.01,
                               steps_per_epoch=50)
    bundle = preview._repr_mimebundle_()
    assert set(bundle) >= {"image/png", "text/plain"}
    text = bundle["text/plain"]
    assert "PROBLEM" in text and "first step" in text and "stops here" in text
    assert preview.steps.tolist()[:3] == [0, 50, 100]
    columns, rows, marks = preview.table_rows()
    assert marks[10] == "problem" and rows[10][-1] == "stops here"
    assert isinstance(preview, SchedulePreview)
    for log_scale in (False, True):
        assert preview.png(log_scale=log_scale).startswith(b"\x89PNG")


def test_the_widget_redraws_when_log_scale_is_toggled():
    preview = preview_schedule(LR_SCHEDULE, 15, initial_lr=0.1)
    widget = preview.widget
    panel = preview._panel
    linear = panel.image.value
    panel.log_scale.value = True
    assert bytes(panel.image.value) != bytes(linear)
    assert bytes(panel.image.value).startswith(b"\x89PNG")
    assert "0.005" in panel.table.value
    assert widget is preview.widget  # built once
