"""find_lr: a sensible suggestion where the good range is known, and the model left untouched."""

import keras
import numpy as np
import pytest

from nbcallbacks import LRRangeTest, find_lr
from nbcallbacks.compat.keras_optimizer import stored_learning_rate
from nbcallbacks.model_access.model_state import ModelState


def linear_problem(samples=4096, features=8, seed=0):
    """Least squares: SGD on the mean squared error is stable only below 2 / max eigenvalue."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, features)).astype("float32")
    y = (x @ rng.normal(size=features) + rng.normal(0, 0.1, samples)).astype("float32")
    hessian = 2.0 * x.T.astype(np.float64) @ x / samples  # of mean((x w + b - y)^2) in w
    stable_below = 2.0 / np.linalg.eigvalsh(hessian).max()
    return x, y, stable_below


def classifier(optimizer=None):
    """Dense + BatchNorm + Dropout: weights, moving statistics and a seed state to restore."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.BatchNormalization(), keras.layers.Dropout(0.3),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=optimizer or keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def state_values(model):
    """Every weight, optimizer variable and metric accumulator, as NumPy arrays."""
    variables = model.variables + model.optimizer.variables + model.metrics_variables
    return [np.array(keras.ops.convert_to_numpy(v.value)) for v in variables]


def assert_same_state(before, after):
    assert len(before) == len(after)
    for old, new in zip(before, after):
        assert old.dtype == new.dtype and np.array_equal(old, new)


# -- the suggestion ------------------------------------------------------------------------------
def test_suggestion_is_inside_the_known_stable_range_and_the_test_stops_at_divergence(linear_model):
    x, y, stable_below = linear_problem()
    result = find_lr(linear_model(), x, y, start_lr=1e-5, end_lr=10.0, steps=100)
    assert isinstance(result, LRRangeTest)
    # Stable, and not timidly small: within 1.5 decades below the stability limit.
    assert stable_below / 30 < result.suggestion < stable_below
    assert result.diverged and "diverged" in result.stop_reason
    assert result.learning_rates[-1] > stable_below  # it did go past the edge, then stopped
    assert len(result.learning_rates) == len(result.losses) == len(result.smoothed_losses) < 100
    # The lowest loss is near the edge: the reason the suggestion is the steepest point instead.
    assert result.suggestion < result.lowest_loss_lr < 3 * stable_below


def test_the_rates_follow_the_exponential_ramp_as_the_optimizer_holds_them(linear_model):
    x, y, _ = linear_problem()
    result = find_lr(linear_model(), x, y, start_lr=1e-4, end_lr=1e-2, steps=20)
    expected = np.float32(np.geomspace(1e-4, 1e-2, 20))
    assert result.learning_rates.dtype == np.float32
    assert np.array_equal(result.learning_rates, expected)
    assert "all 20 steps done" in result.stop_reason and not result.diverged


def test_a_training_rate_from_the_suggestion_trains_well():
    """On a classifier, fitting with the suggestion beats a rate 100x smaller in 3 epochs."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2048, 8)).astype("float32")
    y = (x[:, :4].sum(axis=1) > 0).astype("int32")
    result = find_lr(classifier(), x, y, start_lr=1e-6, end_lr=10.0)
    assert 1e-4 < result.suggestion < 1.0
    losses = {}
    for name, rate in (("suggested", result.suggestion), ("tiny", result.suggestion / 100)):
        model = classifier(keras.optimizers.Adam(rate))
        history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
        losses[name] = history.history["loss"][-1]
    assert losses["suggested"] < 0.8 * losses["tiny"]


# -- leaving the model as it was -----------------------------------------------------------------
def test_weights_optimizer_state_and_metrics_are_restored_bit_for_bit():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1024, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    model = classifier()
    model.fit(x, y, epochs=2, batch_size=64, verbose=0)  # non-trivial moments, iterations, BN stats
    before = state_values(model)
    rate_before = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    result = find_lr(model, x, y, steps=30, start_lr=1e-5, end_lr=100.0)
    assert len(result.losses) > 5
    assert_same_state(before, state_values(model))
    assert float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)) == rate_before


def test_training_after_find_lr_is_identical_to_training_without_it():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(512, 8)).astype("float32")
    y = (x[:, 1] > 0).astype("int32")
    with_test, without = classifier(), classifier()
    for model in (without, with_test):
        # The same global random state for both runs: on PyTorch an unseeded
        # Dropout draws from torch's global generator, which the test must restore.
        keras.utils.set_random_seed(1)
        model.fit(x, y, epochs=1, batch_size=64, verbose=0, shuffle=False)
        if model is with_test:
            find_lr(with_test, x, y, steps=12, batch_size=32)
        model.fit(x, y, epochs=1, batch_size=64, verbose=0, shuffle=False)
    assert_same_state(state_values(without), state_values(with_test))


def test_the_model_is_restored_when_the_test_fails_midway(linear_model):
    x, y, _ = linear_problem(samples=640)
    model = linear_model()
    model.fit(x, y, epochs=1, verbose=0)
    before = state_values(model)

    def batches():  # the generator's length is unknown: the shortage shows at step 6
        for start in range(0, 6 * 32, 32):
            yield x[start:start + 32], y[start:start + 32]

    with pytest.raises(ValueError, match="ended after 6 batches.*steps=6 or fewer"):
        find_lr(model, batches(), steps=20)
    assert_same_state(before, state_values(model))


def test_an_optimizer_with_a_learning_rate_schedule_keeps_its_schedule():
    schedule = keras.optimizers.schedules.CosineDecay(1e-2, decay_steps=200)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(640, 8)).astype("float32")
    y = (x[:, 2] > 0).astype("int32")
    model = classifier(keras.optimizers.Adam(schedule))
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    before = state_values(model)
    result = find_lr(model, x, y, steps=20)
    assert any("LearningRateSchedule" in note for note in result.notes)
    assert stored_learning_rate(model.optimizer) is schedule
    assert_same_state(before, state_values(model))
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)  # traced again, with the schedule
    iterations = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    assert iterations == 40
    assert float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)) == float(
        keras.ops.convert_to_numpy(schedule(iterations)))


def test_an_unbuilt_model_is_built_and_its_initial_weights_kept():
    x, y, _ = linear_problem(samples=1024)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    result = find_lr(model, x, y, steps=20)
    assert model.built and len(result.losses) > 0
    state = ModelState.capture(model)
    assert state.changed() == []


# -- data forms and clear errors -----------------------------------------------------------------
class Batches(keras.utils.PyDataset):
    """The backend-neutral dataset type: ``(x, y)`` batches with a known count."""

    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size

    def __getitem__(self, index):
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[part], self.y[part]


def assert_same_curve(linear_model, dataset):
    x, y, _ = linear_problem(samples=1024)
    from_arrays = find_lr(linear_model(), x, y, batch_size=32, steps=30, shuffle=False)
    from_dataset = find_lr(linear_model(), dataset(x, y, 32), steps=30)
    assert np.array_equal(from_arrays.losses, from_dataset.losses)
    assert np.array_equal(from_arrays.learning_rates, from_dataset.learning_rates)


def test_a_py_dataset_gives_the_same_curve_as_the_same_arrays(linear_model):
    assert_same_curve(linear_model, Batches)


@pytest.mark.needs_package("tensorflow")
def test_a_tf_data_dataset_gives_the_same_curve_as_the_same_arrays(linear_model):
    import tensorflow as tf

    assert_same_curve(linear_model,
                      lambda x, y, size: tf.data.Dataset.from_tensor_slices((x, y)).batch(size))


@pytest.mark.backend("torch")
def test_a_torch_data_loader_gives_the_same_curve_as_the_same_arrays(linear_model):
    import torch

    assert_same_curve(linear_model, lambda x, y, size: torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)),
        batch_size=size, shuffle=False))


def test_default_steps_use_the_batches_there_are(linear_model):
    x, y, _ = linear_problem(samples=1000)
    result = find_lr(linear_model(), x, y, batch_size=32, start_lr=1e-4, end_lr=1e-2)
    assert result.steps_planned == 31  # 1000 // 32 full batches, fewer than 100
    dataset = Batches(x, y, 50)
    assert find_lr(linear_model(), dataset, start_lr=1e-4, end_lr=1e-2).steps_planned == 20


def test_an_uncompiled_model_gets_a_clear_error():
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    x, y, _ = linear_problem(samples=512)
    with pytest.raises(ValueError, match=r"call model.compile\(optimizer=..., loss=...\) first"):
        find_lr(model, x, y)


def test_too_little_data_gets_a_clear_error_before_any_training(linear_model):
    x, y, _ = linear_problem(samples=100)
    model = linear_model()
    before = state_values(model)
    with pytest.raises(ValueError, match="100 samples: 3 full batches of 32.*batch_size=10"):
        find_lr(model, x, y)
    x, y, _ = linear_problem(samples=640)
    with pytest.raises(ValueError, match="20 full batches of 32.*Pass steps=20 or fewer"):
        find_lr(model, x, y, steps=50)
    dataset = Batches(x, y, 64)
    with pytest.raises(ValueError, match="the dataset has 10 batches, fewer than steps=50"):
        find_lr(model, dataset, steps=50)
    with pytest.raises(ValueError, match="leave y=None"):
        find_lr(model, dataset, y)
    assert_same_state(before, state_values(model))


def test_display_bundle_and_text(linear_model):
    x, y, _ = linear_problem(samples=1024)
    result = find_lr(linear_model(), x, y, steps=30, start_lr=1e-4, end_lr=10.0)
    bundle = result._repr_mimebundle_()
    assert set(bundle) == {"image/png", "text/plain"}
    assert "suggested learning rate" in bundle["text/plain"]
    assert result.png().startswith(b"\x89PNG")
