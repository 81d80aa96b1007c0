"""interactive_schedule: sliders from a factory's numeric arguments, a preview that follows them."""

import math

import ipywidgets as widgets
import keras
import numpy as np
import pytest
from support.schedules import step_decay, warmup_cosine

from nbcallbacks import InteractiveSchedule, interactive_schedule, preview_schedule


def sliders_of(tuner):
    _ = tuner.widget  # builds the sliders
    return tuner._sliders.sliders


def test_numeric_arguments_get_fitting_sliders():
    tuner = interactive_schedule(warmup_cosine, epochs=30)
    sliders = sliders_of(tuner)
    assert list(sliders) == ["base", "warmup", "floor", "total"]   # not the string argument
    assert isinstance(sliders["base"], widgets.FloatLogSlider)
    assert isinstance(sliders["warmup"], widgets.IntSlider)
    assert sliders["base"].min < math.log10(1e-3) < sliders["base"].max
    assert sliders["warmup"].max >= 20


def test_moving_a_slider_redraws_the_preview_and_changes_the_schedule():
    tuner = interactive_schedule(warmup_cosine, epochs=30)
    sliders = sliders_of(tuner)
    image_before = bytes(tuner._panel.image.value)
    sliders["warmup"].value = 10   # what a slider drag does
    assert tuner.values["warmup"] == 10
    assert bytes(tuner._panel.image.value) != image_before
    expected = preview_schedule(warmup_cosine(warmup=10), epochs=30)
    assert np.array_equal(tuner.learning_rates, expected.learning_rates)
    assert "warmup=10" in tuner._panel.summary.value
    assert tuner.learning_rates[9] == np.float32(1e-3)   # peak at the end of the warm-up


def test_the_chosen_schedule_trains_as_previewed(linear_model):
    tuner = interactive_schedule(warmup_cosine, epochs=8).set(base=0.02, warmup=3, total=8)
    model = linear_model(2, keras.optimizers.SGD(0.01))
    history = model.fit(np.ones((4, 2)), np.zeros((4, 1)), epochs=8, verbose=0,
                        callbacks=[tuner.callback()])
    assert history.history["learning_rate"] == tuner.learning_rates.tolist()


def test_a_schedule_with_tuning_arguments_and_initial_lr():
    tuner = interactive_schedule(step_decay, epochs=25, initial_lr=0.1)
    assert [spec.name for spec in tuner.specs] == ["drop", "every"]
    tuner.set(drop=0.1, every=5)
    rates = tuner.learning_rates
    assert rates[4] == np.float32(0.1) and rates[5] == np.float32(float(np.float32(0.1)) * 0.1)
    assert repr(tuner.schedule) == "step_decay(drop=0.1, every=5)"


def test_a_factory_of_learning_rate_schedules_previews_per_step():
    def cosine(initial=1e-3, decay_steps=200):
        return keras.optimizers.schedules.CosineDecay(initial, decay_steps)

    tuner = interactive_schedule(cosine, epochs=4, steps_per_epoch=50,
                                 ranges={"initial": (1e-5, 1e-1)})
    assert tuner.preview.per_step and len(tuner.learning_rates) == 200
    assert tuner.set(decay_steps=100).learning_rates[150] == np.float32(0.0)
    with pytest.raises(TypeError, match="optimizer"):
        tuner.callback()


def test_a_failing_value_is_shown_and_the_last_good_schedule_kept():
    def picky(base=1e-3, warmup=5):
        if warmup == 0:
            raise ValueError("warmup must be positive")
        return warmup_cosine(base, warmup)

    tuner = interactive_schedule(picky, epochs=10)
    good = tuner.learning_rates.copy()
    sliders_of(tuner)["warmup"].value = 0
    assert "warmup must be positive" in tuner.error
    assert "warmup must be positive" in tuner._panel.problem.value
    assert np.array_equal(tuner.learning_rates, good)


def test_set_widens_a_slider_and_unknown_names_are_errors():
    tuner = interactive_schedule(warmup_cosine, epochs=30)
    sliders = sliders_of(tuner)
    tuner.set(warmup=60, total=90)
    assert sliders["warmup"].value == 60 and tuner.values["warmup"] == 60
    with pytest.raises(ValueError, match="no slider for \\['gamma'\\]"):
        tuner.set(gamma=2.0)
    with pytest.raises(ValueError, match="has no argument"):
        interactive_schedule(warmup_cosine, ranges={"gamma": (0, 1)})


def test_values_set_before_the_first_display_are_where_the_sliders_start():
    tuner = interactive_schedule(warmup_cosine, epochs=30).set(warmup=3, total=90)
    preview_before = tuner.preview
    sliders = sliders_of(tuner)
    assert sliders["warmup"].value == 3 and sliders["total"].value == 90
    assert tuner.values["warmup"] == 3 and tuner.preview is preview_before  # no redraw


def test_display_bundle():
    tuner = interactive_schedule(warmup_cosine, epochs=30)
    assert isinstance(tuner, InteractiveSchedule)
    bundle = tuner._repr_mimebundle_()
    assert bundle["image/png"] and "warmup_cosine(" in bundle["text/plain"]
