"""Small record helpers (smoothing, clock, formatting, metric names, events) and the throttle."""

import math
import threading

import numpy as np
import pytest

from nbcallbacks.outputs.throttle import Throttle
from nbcallbacks.records.events import Event, EventLog
from nbcallbacks.records.formatting import format_duration, format_rate, format_value
from nbcallbacks.records.metric_names import (
    base_name,
    higher_is_better,
    is_learning_rate,
    is_validation,
    panel_names,
)
from nbcallbacks.records.smoothing import ema
from nbcallbacks.records.training_clock import TrainingClock


class FakeClock:
    def __init__(self, now=0.0):
        self.now = now

    def __call__(self):
        return self.now


# -- smoothing -----------------------------------------------------------------

@pytest.mark.parametrize("weight", [-0.1, 1.0, 1.5, float("nan")])
def test_ema_rejects_weights_outside_unit_interval(weight):
    with pytest.raises(ValueError, match="smoothing weight"):
        ema(np.array([1.0, 2.0]), weight)


def test_ema_weight_zero_returns_a_copy_of_the_input():
    values = np.array([1.0, 5.0, 2.0])
    out = ema(values, 0.0)
    np.testing.assert_array_equal(out, values)
    out[0] = 100.0
    assert values[0] == 1.0


def test_ema_of_constant_is_constant_thanks_to_debiasing():
    out = ema(np.full(50, 3.0), 0.9)
    np.testing.assert_allclose(out, 3.0)


def test_ema_matches_the_debiased_recurrence():
    values = np.array([4.0, 0.0, 2.0, 8.0])
    weight = 0.6
    expected, average, debias = [], 0.0, 0.0
    for value in values:
        average = weight * average + (1 - weight) * value
        debias = weight * debias + (1 - weight)
        expected.append(average / debias)
    np.testing.assert_allclose(ema(values, weight), expected)
    assert ema(values, weight)[0] == 4.0  # first point is not pulled towards zero


def test_ema_smooths_noise():
    rng = np.random.default_rng(0)
    values = 1.0 + rng.normal(scale=0.5, size=2000)
    smooth = ema(values, 0.95)
    assert np.std(smooth[100:]) < np.std(values[100:]) / 3


def test_ema_passes_nan_and_inf_through_as_gaps_without_disturbing_average():
    values = np.array([1.0, np.nan, 3.0, np.inf, -np.inf, 5.0])
    out = ema(values, 0.5)
    clean = ema(np.array([1.0, 3.0, 5.0]), 0.5)
    assert np.isnan(out[[1, 3, 4]]).all()
    np.testing.assert_allclose(out[[0, 2, 5]], clean)


def test_ema_of_empty_and_all_nan():
    assert len(ema(np.array([]), 0.5)) == 0
    assert np.isnan(ema(np.array([np.nan, np.nan]), 0.5)).all()


# -- throttle --------------------------------------------------------------------

def test_throttle_first_redraw_is_due_then_waits_interval():
    clock = FakeClock()
    throttle = Throttle(interval=1.0, max_busy=0.5, clock=clock)
    assert throttle.due()
    throttle.start()
    throttle.done(cost=0.01)
    clock.now = 0.99
    assert not throttle.due()
    clock.now = 1.0
    assert throttle.due()


def test_throttle_waits_longer_after_expensive_redraws_and_recovers():
    clock = FakeClock()
    throttle = Throttle(interval=1.0, max_busy=0.05, clock=clock)
    for _ in range(2):  # expensive twice in a row
        throttle.start()
        throttle.done(cost=0.4)  # 0.4 s / 5 % -> wait 8 s
    clock.now = 7.9
    assert not throttle.due()
    clock.now = 8.0
    assert throttle.due()
    throttle.start()
    throttle.done(cost=0.001)  # cheap again: back to the 1 s interval
    clock.now = 9.0
    assert throttle.due()


def test_one_expensive_redraw_does_not_delay_the_next_ones():
    """The first frame builds the figure (0.3-0.8 s on a loaded machine): with max_busy 3 %
    it used to hold the next live frame back 10-26 s, so the plot looked frozen."""
    clock = FakeClock()
    throttle = Throttle(interval=1.0, max_busy=0.03, clock=clock)
    throttle.start()
    throttle.done(cost=0.6)  # the figure-building frame
    clock.now = 1.0
    assert throttle.due()
    throttle.start()
    throttle.done(cost=0.02)  # a normal frame
    throttle.start()
    throttle.done(cost=0.5)   # one slow frame among cheap ones (a GC pause)
    clock.now = 2.0
    assert throttle.due()


def test_throttle_busy_fraction_stays_under_max_busy_in_a_simulation():
    """Redrawing whenever due, with a 0.2 s redraw, uses at most max_busy of the time."""
    clock = FakeClock()
    throttle = Throttle(interval=0.1, max_busy=0.1, clock=clock)
    busy = 0.0
    while clock.now < 100.0:
        if throttle.due():
            throttle.start()
            clock.now += 0.2
            busy += 0.2
            throttle.done(cost=0.2)
        clock.now += 0.01
    assert busy / clock.now <= 0.1 + 0.01


def test_throttle_reset_and_done_without_start():
    clock = FakeClock(5.0)
    throttle = Throttle(interval=2.0, clock=clock)
    throttle.done(cost=0.0)  # counts from now
    assert not throttle.due()
    throttle.reset()
    assert throttle.due()


@pytest.mark.parametrize("kwargs", [{"interval": -1}, {"interval": float("nan")},
                                    {"max_busy": 0}, {"max_busy": 1.5}])
def test_throttle_rejects_invalid_settings(kwargs):
    with pytest.raises(ValueError):
        Throttle(**kwargs)


def test_throttle_zero_interval_is_always_due_after_cheap_redraw():
    clock = FakeClock()
    throttle = Throttle(interval=0, max_busy=1, clock=clock)
    throttle.start()
    throttle.done(cost=0.0)
    assert throttle.due()


# -- training clock --------------------------------------------------------------

def test_clock_before_start_knows_nothing():
    clock = TrainingClock(clock=FakeClock())
    assert clock.elapsed == 0.0 and clock.active == 0.0
    assert clock.steps_per_second is None and clock.eta is None
    assert clock.samples_per_second is None


def test_clock_rates_and_eta():
    now = FakeClock(100.0)
    clock = TrainingClock(clock=now)
    clock.start(total_steps=50, batch_size=16)
    now.now = 110.0
    clock.step_done(10)
    assert clock.elapsed == 10.0
    assert clock.steps_per_second == pytest.approx(1.0)
    assert clock.samples_per_second == pytest.approx(16.0)
    assert clock.eta == pytest.approx(40.0)


def test_clock_excludes_paused_time_including_an_ongoing_pause():
    now = FakeClock()
    clock = TrainingClock(clock=now)
    clock.start(total_steps=10)
    now.now = 2.0
    clock.step_done(2)
    clock.pause()
    assert clock.paused
    now.now = 100.0  # still paused
    assert clock.active == pytest.approx(2.0)
    assert clock.steps_per_second == pytest.approx(1.0)
    clock.pause()  # a second pause does not restart the pause
    clock.resume()
    assert not clock.paused
    clock.resume()  # resuming twice does not count anything
    now.now = 104.0
    clock.step_done(4)
    assert clock.elapsed == pytest.approx(104.0)
    assert clock.active == pytest.approx(6.0)
    assert clock.eta == pytest.approx(4.0)


def test_clock_restart_forgets_previous_pause_and_steps():
    now = FakeClock()
    clock = TrainingClock(clock=now)
    clock.start(total_steps=5)
    clock.pause()
    now.now = 50.0
    clock.start(total_steps=5)
    assert not clock.paused and clock.steps == 0
    now.now = 60.0
    clock.step_done(5)
    assert clock.active == pytest.approx(10.0)
    assert clock.eta == 0


def test_clock_eta_unknown_without_total_and_zero_when_overrun():
    now = FakeClock()
    clock = TrainingClock(clock=now)
    clock.start()
    now.now = 1.0
    clock.step_done(3)
    assert clock.eta is None
    clock.total_steps = 2
    assert clock.eta == 0


# -- formatting ------------------------------------------------------------------

@pytest.mark.parametrize("seconds, text", [
    (0, "00:00"), (59.4, "00:59"), (59.6, "01:00"), (75.2, "01:15"), (3599, "59:59"),
    (3600, "1:00:00"), (3725, "1:02:05"), (90061, "25:01:01"),
    (None, "--:--"), (float("nan"), "--:--"), (float("inf"), "--:--"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize("value, text", [
    (0.0, "0.0000"), (0.123456, "0.1235"), (1.0, "1.0000"), (-2.5, "-2.5000"),
    (0.01, "0.0100"), (0.00999, "9.99e-03"), (1e-4, "1.00e-04"), (-1e-5, "-1.00e-05"),
    (99999.0, "99999.0000"), (1e5, "1.00e+05"), (123456789.0, "1.23e+08"),
    (float("nan"), "nan"), (float("inf"), "inf"), (float("-inf"), "-inf"), (None, "—"),
    (np.float32(0.5), "0.5000"),
])
def test_format_value(value, text):
    assert format_value(value) == text


def test_format_value_digits():
    assert format_value(math.pi, digits=2) == "3.14"


@pytest.mark.parametrize("value, text", [
    (1234.5, "1,234 samples/s"), (10.0, "10 samples/s"), (9.876, "9.88 samples/s"),
    (0.0, "0.00 samples/s"), (None, "— samples/s"),
])
def test_format_rate(value, text):
    assert format_rate(value, "samples/s") == text


# -- metric names ----------------------------------------------------------------

def test_base_name_and_validation():
    assert base_name("val_loss") == "loss"
    assert base_name("loss") == "loss"
    assert base_name("val_val_x") == "val_x"  # only one prefix stripped
    assert base_name("interval_loss") == "interval_loss"
    assert is_validation("val_accuracy") and not is_validation("accuracy")


def test_learning_rate_keys():
    assert is_learning_rate("learning_rate") and is_learning_rate("lr")
    assert is_learning_rate("val_lr")
    assert not is_learning_rate("lr_decay") and not is_learning_rate("loss")


@pytest.mark.parametrize("key", [
    "accuracy", "val_accuracy", "acc", "sparse_categorical_accuracy", "auc", "val_auc",
    "precision", "recall", "f1_score", "mean_iou", "r2_score", "top_k_categorical_accuracy",
    "cosine_similarity", "map",
])
def test_higher_is_better(key):
    assert higher_is_better(key)


@pytest.mark.parametrize("key", [
    "loss", "val_loss", "mae", "mse", "rmse", "mean_squared_error", "kl_divergence",
    "categorical_crossentropy", "hinge", "dice_loss", "accuracy_loss", "val_mae",
    "mape", "val_mape", "mean_absolute_percentage_error",
])
def test_lower_is_better(key):
    assert not higher_is_better(key)


def test_panel_names_put_loss_first_and_skip_learning_rate():
    keys = ["accuracy", "loss", "learning_rate", "val_accuracy", "val_loss", "mae", "lr"]
    assert panel_names(keys) == ["loss", "accuracy", "mae"]
    assert panel_names(["val_auc"]) == ["auc"]
    assert panel_names([]) == []


# -- events ----------------------------------------------------------------------

def test_event_log_records_in_order_and_coerces_types():
    log = EventLog()
    first = log.add(epoch=np.int64(1), step=10.0, kind="mark", message=42)
    log.add(epoch=2, step=20, kind="stop", message="stopped by user")
    assert isinstance(first, Event)
    assert (first.epoch, first.step, first.message) == (1, 10, "42")
    assert type(first.epoch) is int and type(first.step) is int
    assert len(log) == 2
    assert [e.kind for e in log] == ["mark", "stop"]
    assert log[-1].message == "stopped by user"
    assert [e.kind for e in log[:1]] == ["mark"]
    assert first.time > 0


def test_event_is_immutable():
    event = EventLog().add(0, 0, "mark", "x")
    with pytest.raises(AttributeError):
        event.kind = "other"


def test_event_log_snapshot_is_detached():
    log = EventLog()
    log.add(0, 0, "mark", "a")
    snap = log.snapshot()
    log.add(0, 1, "mark", "b")
    assert len(snap) == 1 and len(log) == 2


def test_event_log_is_thread_safe():
    """Many writers and a reader iterating concurrently: nothing lost, no errors."""
    log = EventLog()
    writers, per_writer = 8, 2000
    errors = []
    stop = threading.Event()

    def write(worker):
        try:
            for i in range(per_writer):
                log.add(epoch=worker, step=i, kind="mark", message=f"{worker}:{i}")
        except BaseException as error:  # noqa: BLE001 - the main thread fails the test with it
            errors.append(error)

    def read():
        try:
            while not stop.is_set():
                seen = [e.step for e in log if e.epoch == 0]
                assert seen == sorted(seen)  # one writer's events keep their order
        except BaseException as error:  # noqa: BLE001 - the main thread fails the test with it
            errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    stop.set()
    reader.join(timeout=30)
    assert errors == []
    assert len(log) == writers * per_writer
    assert len({e.message for e in log}) == writers * per_writer
