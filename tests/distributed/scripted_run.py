"""What the distributed training scripts share: a scripted person, step durations, a report.

The scripts run in their own processes (device counts and ``TF_CONFIG`` must
be set before TensorFlow or JAX starts) and write a JSON report the tests read.
"""

import json
import sys
import threading
import time
from pathlib import Path

import keras
import numpy as np

# The model and its weight are the controls tests' (tests/support/models.py); these scripts
# run in processes of their own, from tests/distributed/, where tests/ is not on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.models import rate_summing_model, weight_of

# Global batch -> what the person does (through dash.signals, as the buttons do).
LR_AT, PAUSE_AT, SAVE_AT, STOP_AT = 3, 10, 13, 20
FIRST_RATE, NEW_RATE, PAUSE_SECONDS = 0.05, 0.02, 1.0
# The weight after the run: SGD adds -rate * g per step (see rate_summing_model),
# g being the gradient the strategy steps with (gradient_scale measures it).
EXPECTED_SUM_OF_RATES = LR_AT * FIRST_RATE + (STOP_AT + 1 - LR_AT) * NEW_RATE


def gradient_scale(fit_steps):
    """``g`` of a fresh model trained ``fit_steps(model, 4)`` steps at FIRST_RATE, no callbacks.

    Strategies differ in how they combine replica gradients of a custom loss
    (Keras' MirroredStrategy fit sums them: g = 2 on two replicas); the
    controls must not. Measured, not assumed.
    """
    model = rate_summing_model(FIRST_RATE)
    fit_steps(model, 4)
    return -weight_of(model) / (4 * FIRST_RATE)


def ones(samples):
    return np.ones((samples, 1), "float32")


class Person(keras.callbacks.Callback):
    """Clicks at fixed global batches; only on the process that owns the controls."""

    def __init__(self, dash, save_path):
        super().__init__()
        self.dash, self.save_path, self.step = dash, save_path, 0

    def on_train_batch_begin(self, batch, logs=None):
        if self.dash.role.is_chief:
            signals = self.dash.signals
            if self.step == LR_AT:
                signals.request_learning_rate(NEW_RATE)
            elif self.step == PAUSE_AT:
                signals.request_pause()
                threading.Timer(PAUSE_SECONDS, signals.request_resume).start()
            elif self.step == SAVE_AT:
                signals.request_save(self.save_path)
            elif self.step == STOP_AT:
                signals.request_stop()
        self.step += 1


class StepTimes(keras.callbacks.Callback):
    """How long each batch took, from its first ``on_train_batch_begin`` to its train step's end.

    Placed first among the callbacks, it starts the clock before the person's
    request and the dashboard's begin hook (where a pause waits and a save
    writes) and stops it before the end hooks. What lies between batches is
    left out on purpose: at an epoch boundary MirroredStrategy detects the end
    of the data and builds the next epoch's distributed iterator (0.15-0.6 s on
    an idle machine, 1.1 s seen in plain Keras without nbcallbacks, 4 s on a
    loaded machine). Never touches the model: no JAX state sync.
    """

    def __init__(self):
        super().__init__()
        self.durations, self._began = [], None

    def on_train_batch_begin(self, batch, logs=None):
        self._began = time.monotonic()

    def on_train_batch_end(self, batch, logs=None):
        self.durations.append(time.monotonic() - self._began)


def hook_calls(tracer) -> dict:
    """``{hook: calls}`` the CallbackTracer saw during fit."""
    return {row.hook: row.calls for row in tracer.summary().rows if row.method == "fit"}


def range_test(model) -> dict:
    """Run find_lr on the trained model; report its suggestion and whether the state came back."""
    from nbcallbacks import find_lr

    before = [w.copy() for w in model.get_weights()]
    result = find_lr(model, ones(160), ones(160), batch_size=8, steps=20, start_lr=1e-4,
                     end_lr=1.0)
    after = model.get_weights()
    return {"steps": len(result.losses),
            "restored": all(np.array_equal(a, b) for a, b in zip(before, after))}


def scripted_fit(report_path, save_path, scope, devices_of, replicas):
    """The ``model.fit`` run of a single-process strategy, reported.

    ``scope``: the context the models are built in (a strategy's scope);
    ``devices_of(model)``: the devices holding its weight.
    """
    from nbcallbacks import CallbackTracer, Dashboard

    def fit_steps(model, steps):
        model.fit(ones(8 * steps), ones(8 * steps), batch_size=8, shuffle=False, verbose=0)

    with scope:
        scale = gradient_scale(fit_steps)
        model = rate_summing_model(FIRST_RATE)
    dash, times, tracer = Dashboard(), StepTimes(), CallbackTracer(output="none")
    model.fit(ones(64), ones(64), batch_size=8, epochs=3, shuffle=False, verbose=0,
              callbacks=[times, Person(dash, save_path), dash, tracer])
    write_report(report_path, dash, model, times, gradient_scale=scale,
                 hooks=hook_calls(tracer), range_test=range_test(model), replicas=replicas,
                 variable_devices=sorted(devices_of(model)))


def write_report(path, dash, model, step_times, **extra):
    """The JSON the tests read: what the dashboard recorded, the model's end state, and
    ``step_durations`` and ``paused_seconds`` (the dashboard clock's paused time)."""
    weight = weight_of(model)
    rate = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    with open(path, "w") as handle:
        json.dump({"role": dash.role.describe(), "is_chief": dash.role.is_chief,
                   "mode": dash._mode,
                   "has_panel": any(output.name == "widget" for output in dash.outputs),
                   "steps": dash.history.steps, "weight": weight, "learning_rate": rate,
                   "step_durations": step_times.durations,
                   "paused_seconds": dash._clock.elapsed - dash._clock.active,
                   "events": [[e.kind, e.message, e.step] for e in dash.events], **extra}, handle)
