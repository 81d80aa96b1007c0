"""The controls change training itself, on whichever Keras backend this suite runs.

The learning rate is checked through what SGD did, not through the variable:
a one-weight model whose loss falls with a constant slope of 1 moves its
weight by exactly the learning rate each step, so after training the weight
is the sum of the rates the optimizer really used. (On JAX, a rate written to
the variable but not to the compiled step's state would leave the sum
unchanged.) Nothing here reads ``Callback.model`` per batch, which would hide
that bug by syncing the state.
"""

import os
import threading
import time

import keras
import numpy as np
import pytest
from support.models import rate_summing_model, weight_of

from nbcallbacks import Dashboard

BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")


def test_the_suite_runs_on_the_backend_it_was_asked_for():
    assert keras.backend.backend() == BACKEND


class AtBatch(keras.callbacks.Callback):
    """Run ``action`` at the start of global batch ``at`` (no model access)."""

    def __init__(self, at, action):
        super().__init__()
        self.at, self.action, self.count = at, action, 0

    def on_train_batch_begin(self, batch, logs=None):
        if self.count == self.at:
            self.action()
        self.count += 1


def test_a_new_learning_rate_is_the_one_the_optimizer_steps_with():
    model = rate_summing_model(0.125)
    dash = Dashboard(output="none")
    ones = np.ones((10, 1), "float32")
    model.fit(ones, ones, epochs=1, batch_size=1, shuffle=False, verbose=0,
              callbacks=[AtBatch(3, lambda: dash.signals.request_learning_rate(0.5)), dash])
    # 3 steps at 0.125, then 7 at 0.5 (the request applies before batch 3 runs).
    assert weight_of(model) == pytest.approx(-(3 * 0.125 + 7 * 0.5), abs=1e-6)
    assert [e.kind for e in dash.events] == ["lr_change"]
    assert dash.history.learning_rates.column("learning_rate")[-1] == pytest.approx(0.5)


def test_stop_ends_training_after_the_current_batch():
    model = rate_summing_model(0.25)
    dash = Dashboard(output="none")
    ones = np.ones((20, 1), "float32")
    history = model.fit(ones, ones, epochs=3, batch_size=1, shuffle=False, verbose=0,
                        callbacks=[AtBatch(5, dash.signals.request_stop), dash])
    assert dash.history.steps == 6 and weight_of(model) == pytest.approx(-6 * 0.25)
    assert len(history.history["loss"]) == 1  # Keras ended the fit normally, History kept
    assert [e.kind for e in dash.events] == ["stop"]


def test_save_now_writes_the_weights_of_that_moment(tmp_path):
    model = rate_summing_model(0.25)
    dash = Dashboard(output="none")
    ones = np.ones((8, 1), "float32")
    path = tmp_path / "new" / "mid.weights.h5"
    model.fit(ones, ones, epochs=1, batch_size=1, shuffle=False, verbose=0,
              callbacks=[AtBatch(4, lambda: dash.signals.request_save(path)), dash])
    assert path.exists(), [e.message for e in dash.events]
    saved = rate_summing_model(0.25)
    saved.load_weights(path)
    assert weight_of(saved) == pytest.approx(-4 * 0.25)  # saved before batch 4 ran
    assert weight_of(model) == pytest.approx(-8 * 0.25)


@pytest.mark.timing
def test_pause_holds_training_until_resumed():
    model = rate_summing_model(0.25)
    dash = Dashboard(output="none")
    ones = np.ones((6, 1), "float32")
    durations, steps_at_resume = [], []

    class BatchDurations(keras.callbacks.Callback):
        """First in the list: times each batch from its first begin hook (before the
        dashboard's, where a pause waits) to its train step's end."""

        def on_train_batch_begin(self, batch, logs=None):
            self.began = time.monotonic()

        def on_train_batch_end(self, batch, logs=None):
            durations.append(time.monotonic() - self.began)

    def resume():
        steps_at_resume.append(len(durations))  # batches that ended while paused: none
        dash.signals.request_resume()

    def pause():
        dash.signals.request_pause()
        threading.Timer(0.6, resume).start()

    model.fit(ones, ones, epochs=1, batch_size=1, shuffle=False, verbose=0,
              callbacks=[BatchDurations(), AtBatch(2, pause), dash])
    assert steps_at_resume == [2]  # the wait is before batch 2, and no batch ran during it
    assert durations[2] >= 0.55, durations  # held until the resume: load only lengthens it
    # No wait anywhere else: a batch without one takes milliseconds (the first also traces
    # the step); a second wait would last until a resume that never comes.
    assert max(durations[1:2] + durations[3:]) < 0.3, durations
    assert [e.kind for e in dash.events] == ["pause", "resume"]
    assert weight_of(model) == pytest.approx(-6 * 0.25)


@pytest.fixture
def mixed_precision():
    """The mixed_float16 policy for one test (compile then wraps the optimizer in a
    LossScaleOptimizer), the previous policy back afterwards."""
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy(previous)


def schedule_refusal():
    """Fit the rate-summing model on a schedule, request a rate mid-fit: model, dashboard and
    the sum of the rates the schedule gives (the weight when every step followed it)."""
    schedule = keras.optimizers.schedules.ExponentialDecay(0.125, decay_steps=4, decay_rate=0.5)
    model = rate_summing_model(0.125)
    model.compile(optimizer=keras.optimizers.SGD(schedule),
                  loss=lambda y, p: keras.ops.mean(p - y))
    dash = Dashboard(output="none")
    ones = np.ones((6, 1), "float32")
    model.fit(ones, ones, epochs=1, batch_size=1, shuffle=False, verbose=0,
              callbacks=[AtBatch(2, lambda: dash.signals.request_learning_rate(0.5)), dash])
    used = sum(float(keras.ops.convert_to_numpy(schedule(step))) for step in range(6))
    return model, dash, used


def assert_refused_by_the_controller(dash):
    messages = [e.message for e in dash.events]
    assert [e.kind for e in dash.events] == ["lr_change"], messages
    assert messages[0].startswith("learning rate not changed: the optimizer follows a "
                                  "LearningRateSchedule"), messages
    assert "LearningRateScheduler callback" in messages[0]  # names the way that works


def test_a_schedule_driven_optimizer_refuses_a_new_rate_and_keeps_its_schedule():
    model, dash, used = schedule_refusal()
    assert_refused_by_the_controller(dash)
    assert weight_of(model) == pytest.approx(-used, rel=1e-5)  # every step on the schedule


def test_under_mixed_precision_the_refusal_is_the_same(mixed_precision):
    model, dash, used = schedule_refusal()
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)  # the case at hand
    assert_refused_by_the_controller(dash)  # not Keras' "This optimizer was created with ..."
    assert weight_of(model) == pytest.approx(-used, rel=1e-5)


def test_a_rate_from_a_callable_is_refused_by_the_controller_too():
    model = rate_summing_model(0.125)
    model.compile(optimizer=keras.optimizers.SGD(lambda: 0.125),
                  loss=lambda y, p: keras.ops.mean(p - y))
    dash = Dashboard(output="none")
    ones = np.ones((6, 1), "float32")
    model.fit(ones, ones, epochs=1, batch_size=1, shuffle=False, verbose=0,
              callbacks=[AtBatch(2, lambda: dash.signals.request_learning_rate(0.5)), dash])
    messages = [e.message for e in dash.events]
    assert messages == ["learning rate not changed: the optimizer takes its rate from a "
                        "callable; its rate cannot be set by hand (use a float learning rate "
                        "or a LearningRateScheduler callback instead)"]  # not "... 'assign'"
    assert weight_of(model) == pytest.approx(-6 * 0.125)
