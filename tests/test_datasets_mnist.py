"""load_mnist: the real MNIST where it can work, scikit-learn's digits in MNIST's layout where not.

No test here touches the network: the Keras cache is pointed at an empty
folder and the connection check at hosts that cannot answer (or is replaced).
"""

import socket
import time

import numpy as np
import pytest
from support.network import connect_that_never_answers

from nbcallbacks.datasets import mnist
from nbcallbacks.datasets.mnist import load_mnist


@pytest.fixture(autouse=True)
def empty_keras_cache(tmp_path, monkeypatch):
    """No cached mnist.npz, whatever the machine running the tests has downloaded."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    return tmp_path / "keras-home"


def fake_arrays():
    """Small arrays of MNIST's shapes and dtypes: 60 training and 10 test images."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(70, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=70, dtype=np.uint8)
    return (images[:60], labels[:60]), (images[60:], labels[60:])


@pytest.fixture
def fake_mnist(monkeypatch):
    """The MNIST download replaced by fake_arrays(); the list counts the calls."""
    calls = []

    def load_data():
        calls.append(1)
        return fake_arrays()

    monkeypatch.setattr(mnist, "_keras_mnist", load_data)
    return calls


def test_offline_falls_back_to_digits_with_mnist_shapes_and_dtypes(offline, capsys):
    (x_train, y_train), (x_test, y_test) = load_mnist()

    assert x_train.shape == (1297, 28, 28) and x_test.shape == (500, 28, 28)
    assert y_train.shape == (1297,) and y_test.shape == (500,)
    assert x_train.dtype == x_test.dtype == np.uint8
    assert y_train.dtype == y_test.dtype == np.uint8
    assert x_train.min() == 0 and x_train.max() == 255
    assert set(np.unique(y_train)) == set(np.unique(y_test)) == set(range(10))
    # Stratified split: every digit has 50 +- 2 test images.
    assert np.bincount(y_test, minlength=10).min() >= 48
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith("MNIST is not reachable here (no cached copy, no connection to "
                          "storage.googleapis.com): using scikit-learn's 8x8 digits upscaled "
                          "to 28x28 instead: 1,297 training and 500 test images.")


def test_digits_sit_in_a_centred_20x20_box_like_mnist():
    (x_train, _), (x_test, _) = load_mnist(source="digits")
    images = np.concatenate([x_train, x_test])
    assert len(images) == 1797
    border = np.ones((28, 28), bool)
    border[4:24, 4:24] = False
    assert images[:, border].max() == 0
    assert (images[:, 4:24, 4:24].reshape(len(images), -1).max(axis=1) > 100).all()


def test_the_fallback_split_is_the_same_every_time(offline):
    (x_train, y_train), (x_test, y_test) = load_mnist()
    (x_train_2, y_train_2), (x_test_2, y_test_2) = load_mnist(source="digits")
    for first, second in [(x_train, x_train_2), (y_train, y_train_2), (x_test, x_test_2),
                          (y_test, y_test_2)]:
        np.testing.assert_array_equal(first, second)


def test_n_train_and_n_test_keep_the_first_images(capsys):
    (x_all, y_all), (t_all, _) = load_mnist(source="digits")
    (x_train, y_train), (x_test, y_test) = load_mnist(n_train=1000, n_test=100, source="digits")
    assert x_train.shape == (1000, 28, 28) and y_train.shape == (1000,)
    assert x_test.shape == (100, 28, 28) and y_test.shape == (100,)
    np.testing.assert_array_equal(x_train, x_all[:1000])
    np.testing.assert_array_equal(x_test, t_all[:100])
    # More than there is: all there is.
    (x_big, _), _ = load_mnist(n_train=60000, source="digits")
    assert len(x_big) == 1297
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == ("Using scikit-learn's 8x8 digits upscaled to 28x28 (source=\"digits\"): "
                        "1,000 training and 100 test images.")


# The probes below hang for 30 s unless given up on. Giving up takes the probe's timeout,
# then loading the fallback data 0.5-3 s on a loaded two-core machine (a cold
# scikit-learn import): well under this bound, well under the hang.
GIVES_UP_WITHIN = 12


@pytest.mark.timing
def test_unreachable_network_decides_within_a_few_seconds(monkeypatch, capsys):
    # A connect that never answers (a blackholed address) and one that hangs in
    # name resolution, which socket timeouts do not cover: both give up in time.
    monkeypatch.setattr(mnist, "MNIST_HOST", "10.255.255.1")
    monkeypatch.setattr(mnist, "PROBE_TIMEOUT", 1.0)
    start = time.monotonic()
    (x_train, _), _ = load_mnist(n_train=10)
    assert time.monotonic() - start < GIVES_UP_WITHIN
    assert x_train.shape == (10, 28, 28)
    assert "MNIST is not reachable here" in capsys.readouterr().out

    monkeypatch.setattr(socket, "create_connection", connect_that_never_answers)
    start = time.monotonic()
    load_mnist(n_train=10)
    assert time.monotonic() - start < GIVES_UP_WITHIN


def test_default_probe_timeout_is_short():
    assert mnist.PROBE_TIMEOUT <= 2


def test_reachable_network_uses_keras_mnist(monkeypatch, fake_mnist, capsys):
    monkeypatch.setattr(mnist, "can_connect", lambda host, port, timeout: True)
    (x_train, y_train), (x_test, y_test) = load_mnist(n_train=50)
    assert fake_mnist == [1]
    assert x_train.shape == (50, 28, 28) and x_test.shape == (10, 28, 28)
    assert capsys.readouterr().out == ("Using MNIST from keras.datasets: 50 training and "
                                       "10 test images.\n")


def test_a_cached_file_is_used_without_asking_the_network(empty_keras_cache, monkeypatch,
                                                         fake_mnist, capsys):
    (empty_keras_cache / "datasets").mkdir(parents=True)
    (empty_keras_cache / "datasets" / "mnist.npz").write_bytes(b"cached")

    def no_network(*args, **kwargs):
        raise AssertionError("the network was asked although MNIST is cached")
    monkeypatch.setattr(socket, "create_connection", no_network)
    load_mnist()
    assert fake_mnist == [1]
    assert capsys.readouterr().out.startswith("Using MNIST from keras.datasets")


def test_a_failed_download_falls_back(monkeypatch, capsys):
    monkeypatch.setattr(mnist, "can_connect", lambda host, port, timeout: True)

    def broken():
        raise Exception("URL fetch failure on https://storage.googleapis.com/...")
    monkeypatch.setattr(mnist, "_keras_mnist", broken)
    (x_train, _), _ = load_mnist()
    assert x_train.shape == (1297, 28, 28)
    assert capsys.readouterr().out.startswith(
        "MNIST is not reachable here (its download failed: Exception): using scikit-learn's")


@pytest.mark.timing
def test_forced_mnist(monkeypatch, fake_mnist, offline, capsys):
    start = time.monotonic()
    with pytest.raises(ConnectionError, match="MNIST is not available here"):
        load_mnist(source="mnist")
    assert time.monotonic() - start < GIVES_UP_WITHIN
    assert fake_mnist == []
    assert capsys.readouterr().out == ""

    monkeypatch.setattr(mnist, "can_connect", lambda host, port, timeout: True)
    (x_train, _), _ = load_mnist(source="mnist")
    assert x_train.shape == (60, 28, 28)


def test_forced_digits_never_touches_the_network(monkeypatch, fake_mnist, capsys):
    def no_network(*args, **kwargs):
        raise AssertionError("source='digits' asked the network")
    monkeypatch.setattr(socket, "create_connection", no_network)
    load_mnist(source="digits")
    assert fake_mnist == []
    assert capsys.readouterr().out.startswith("Using scikit-learn's 8x8 digits")


@pytest.mark.parametrize("kwargs", [dict(source="emnist"), dict(n_train=-1),
                                    dict(n_test=1.5), dict(n_train=True)])
def test_bad_arguments_are_errors(kwargs):
    with pytest.raises(ValueError):
        load_mnist(**kwargs)


def test_the_download_cannot_stall_forever(monkeypatch):
    import keras

    seen = []

    def load_data():
        seen.append(socket.getdefaulttimeout())
        return fake_arrays()
    monkeypatch.setattr(keras.datasets.mnist, "load_data", load_data)
    monkeypatch.setattr(mnist, "can_connect", lambda host, port, timeout: True)
    before = socket.getdefaulttimeout()
    load_mnist()
    assert seen == [mnist.DOWNLOAD_TIMEOUT]
    assert socket.getdefaulttimeout() == before
