"""``load_cats_vs_dogs``: the real TFDS set when it can work, scikit-image's photos otherwise.

No test reaches the network: TFDS is replaced by a small fake module where
its path is tested, and the network probe by a fake connect.
"""

import sys
import time
import types

import numpy as np
import pytest
from support.network import connect_that_never_answers

from nbcallbacks.datasets import cats_vs_dogs, reachability
from nbcallbacks.datasets.cats_vs_dogs import load_cats_vs_dogs

pytest.importorskip("skimage")


def fake_tfds(n_per_class=30, fail=None):
    """A stand-in ``tensorflow_datasets`` whose cats_vs_dogs alternates cat, dog, cat, ...

    Image ``i`` has odd sizes and every pixel equal to ``i``, so tests can tell
    which photos were taken. ``fail`` is an exception ``load`` raises instead.
    """
    module = types.ModuleType("tensorflow_datasets")
    module.calls = []

    def load(name, split, as_supervised, shuffle_files, data_dir):
        module.calls.append(dict(name=name, split=split, as_supervised=as_supervised,
                                 data_dir=data_dir))
        if fail is not None:
            raise fail
        return [(np.full((50 + i % 7, 70 + i % 5, 3), i, dtype=np.uint8), np.int64(i % 2))
                for i in range(2 * n_per_class)]

    module.load = load
    module.as_numpy = iter
    return module


@pytest.fixture
def no_tfds(monkeypatch):
    """As if tensorflow_datasets were not installed."""
    monkeypatch.setitem(sys.modules, "tensorflow_datasets", None)


def cached(tmp_path):
    """A TFDS data directory holding a prepared cats_vs_dogs."""
    version = tmp_path / "cats_vs_dogs" / "4.0.1"
    version.mkdir(parents=True)
    (version / "dataset_info.json").write_text("{}")
    return str(tmp_path)


def test_stand_in_shapes_dtypes_and_balance(capsys):
    (x_train, y_train), (x_val, y_val) = load_cats_vs_dogs(
        n_train=60, n_val=20, image_size=48, source="scikit-image")
    assert x_train.shape == (60, 48, 48, 3) and x_val.shape == (20, 48, 48, 3)
    assert x_train.dtype == x_val.dtype == np.uint8
    assert y_train.shape == (60,) and y_train.dtype == y_val.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [30, 30]
    assert np.bincount(y_val).tolist() == [10, 10]
    assert x_train.max() > 200 and x_train.min() < 50      # real photos, full range
    assert not np.array_equal(y_train, np.sort(y_train))    # shuffled, not cats first


def test_stand_in_says_what_it_is(capsys):
    load_cats_vs_dogs(n_train=4, n_val=2, image_size=16, source="scikit-image")
    line = capsys.readouterr().out.strip()
    assert line == (
        "Using a two-class set made from scikit-image's real photos (source=\"scikit-image\"): "
        "label 0 'cat' = random crops of 'chelsea', label 1 'other' = random crops of "
        "'astronaut', 'coffee', 'rocket', 'motorcycle'; 4 training and 2 validation images "
        "of 16x16.")


def test_stand_in_depends_only_on_the_seed():
    first = load_cats_vs_dogs(n_train=8, n_val=4, image_size=16, source="scikit-image")
    again = load_cats_vs_dogs(n_train=8, n_val=4, image_size=16, source="scikit-image")
    other = load_cats_vs_dogs(n_train=8, n_val=4, image_size=16, source="scikit-image", seed=1)
    assert np.array_equal(first[0][0], again[0][0]) and np.array_equal(first[1][1], again[1][1])
    assert not np.array_equal(first[0][0], other[0][0])


def test_auto_without_tfds_falls_back_and_names_the_reason(no_tfds, capsys):
    (x_train, y_train), _ = load_cats_vs_dogs(n_train=10, n_val=4, image_size=16)
    line = capsys.readouterr().out.strip()
    assert line.startswith("cats_vs_dogs is not reachable here (tensorflow_datasets is not "
                           "installed): using a two-class set made from scikit-image's real "
                           "photos instead: label 0 'cat' = random crops of 'chelsea'")
    assert line.endswith("10 training and 4 validation images of 16x16.")
    assert x_train.shape == (10, 16, 16, 3) and np.bincount(y_train).tolist() == [5, 5]


def test_auto_offline_and_uncached_falls_back(monkeypatch, tmp_path, offline, capsys):
    monkeypatch.setitem(sys.modules, "tensorflow_datasets", fake_tfds())
    load_cats_vs_dogs(n_train=4, n_val=2, image_size=16, data_dir=str(tmp_path))
    line = capsys.readouterr().out
    assert f"(no cached copy in {tmp_path}, no connection to download.microsoft.com)" in line
    assert offline == [("download.microsoft.com", 443)]
    assert sys.modules["tensorflow_datasets"].calls == []


@pytest.mark.timing
def test_a_network_that_never_answers_does_not_hang(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "tensorflow_datasets", fake_tfds())
    monkeypatch.setattr(cats_vs_dogs, "PROBE_TIMEOUT", 0.3)
    monkeypatch.setattr(reachability.socket, "create_connection", connect_that_never_answers)
    started = time.monotonic()
    (x_train, _), _ = load_cats_vs_dogs(n_train=4, n_val=2, image_size=16, data_dir=str(tmp_path))
    assert time.monotonic() - started < 12  # the hang lasts 30 s; the fallback loads in 0.5-3 s
    assert x_train.shape == (4, 16, 16, 3)
    assert "no connection to download.microsoft.com" in capsys.readouterr().out


def test_cached_tfds_gives_the_first_photos_of_each_class(monkeypatch, tmp_path, offline, capsys):
    tfds = fake_tfds(n_per_class=30)
    monkeypatch.setitem(sys.modules, "tensorflow_datasets", tfds)
    data_dir = cached(tmp_path)
    (x_train, y_train), (x_val, y_val) = load_cats_vs_dogs(n_train=20, n_val=6, image_size=32,
                                                            data_dir=data_dir)
    assert capsys.readouterr().out.strip() == (
        "Using TFDS cats_vs_dogs (photos from Microsoft's Asirra set; label 0 cat, 1 dog): "
        "20 training and 6 validation images of 32x32.")
    assert offline == []                                     # a cached copy needs no network
    assert tfds.calls == [dict(name="cats_vs_dogs", split="train", as_supervised=True,
                               data_dir=data_dir)]
    assert x_train.shape == (20, 32, 32, 3) and x_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [10, 10] and np.bincount(y_val).tolist() == [3, 3]
    # Each fake photo is filled with its index (even: cat, odd: dog); 13 per class are needed.
    photo_of = lambda images: sorted(int(image[0, 0, 0]) for image in images)  # noqa: E731
    assert sorted(photo_of(x_train) + photo_of(x_val)) == list(range(26))
    assert all(int(image[0, 0, 0]) % 2 == label for image, label in zip(x_train, y_train))
    assert not set(photo_of(x_train)) & set(photo_of(x_val))


def test_forced_tfds_without_tfds_is_an_import_error(no_tfds):
    with pytest.raises(ImportError, match="tensorflow_datasets is not installed"):
        load_cats_vs_dogs(source="tfds")


def test_forced_tfds_offline_is_a_connection_error(monkeypatch, tmp_path, offline):
    monkeypatch.setitem(sys.modules, "tensorflow_datasets", fake_tfds())
    with pytest.raises(ConnectionError, match="no cached copy.*no connection"):
        load_cats_vs_dogs(source="tfds", data_dir=str(tmp_path))


def test_a_failed_tfds_load_falls_back_unless_forced(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "tensorflow_datasets",
                        fake_tfds(fail=RuntimeError("checksum mismatch")))
    data_dir = cached(tmp_path)
    load_cats_vs_dogs(n_train=4, n_val=2, image_size=16, data_dir=data_dir)
    assert ("(loading it failed (RuntimeError: checksum mismatch)): using a two-class set"
            in capsys.readouterr().out)
    with pytest.raises(RuntimeError, match="checksum mismatch"):
        load_cats_vs_dogs(n_train=4, n_val=2, data_dir=data_dir, source="tfds")


@pytest.mark.parametrize("arguments, message", [
    (dict(source="kaggle"), "source must be one of"),
    (dict(n_train=7), "n_train must be even"),
    (dict(n_val=0), "n_val must be a positive integer"),
    (dict(image_size=2.5), "image_size must be a positive integer"),
])
def test_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        load_cats_vs_dogs(**arguments)


def test_stand_in_trains_a_small_classifier():
    """What the notebook does with it: a tiny CNN learns the two classes above chance."""
    import keras

    (x_train, y_train), (x_val, y_val) = load_cats_vs_dogs(
        n_train=120, n_val=40, image_size=32, source="scikit-image")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Rescaling(1 / 255),
                              keras.layers.Conv2D(8, 3, activation="relu"),
                              keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0,
                        validation_data=(x_val, y_val))
    assert history.history["val_accuracy"][-1] > 0.6
