"""``load_mnist``: MNIST from ``keras.datasets``, or a stand-in of its shape where it cannot be had.

``keras.datasets.mnist.load_data()`` downloads an 11 MB file the first time
and caches it under ``~/.keras/datasets``. Where neither the cache nor the
network is there (a classroom behind a firewall, a CI machine without
internet access) a notebook would stop at its first cell; instead,
:func:`load_mnist` hands out scikit-learn's 1,797 real 8x8 handwritten digits,
resized to MNIST's 28x28 ``uint8`` layout, and says so. The network check is a
single TCP connect with a short timeout run on a helper thread, so the
decision takes at most about ``PROBE_TIMEOUT`` seconds, whatever the network does;
a download that then stalls fails after ``DOWNLOAD_TIMEOUT`` seconds without data.
"""

from __future__ import annotations

import os
import socket

import numpy as np

from nbcallbacks.datasets.reachability import can_connect

__all__ = ["load_mnist"]

# ((x_train, y_train), (x_test, y_test)): images and labels, as keras.datasets returns them.
_Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

SOURCES = ("auto", "mnist", "digits")

# Where keras.datasets.mnist downloads from, and how long we wait to learn whether it answers.
MNIST_HOST = "storage.googleapis.com"
MNIST_PORT = 443
PROBE_TIMEOUT = 2.0
# A download that stalls this long between two reads fails ("auto" then falls back): no hang.
DOWNLOAD_TIMEOUT = 30.0

# The stand-in: scikit-learn's digits, split once (stratified, fixed seed) like a fixed test set.
DIGITS_TEST_SIZE = 500
DIGITS_SPLIT_SEED = 0
# MNIST centres each digit in a 20x20 box inside the 28x28 image; the stand-in does the same.
MNIST_SIZE = 28
DIGIT_BOX = 20


def load_mnist(n_train: int | None = None, n_test: int | None = None,
               source: str = "auto") -> _Split:
    """Load MNIST like ``keras.datasets.mnist.load_data()``, falling back to shipped digits offline.

    With ``source="auto"`` the real MNIST is used when it can work: the file is
    already in the Keras cache (``$KERAS_HOME/datasets/mnist.npz``, by default
    ``~/.keras/datasets/mnist.npz``), or ``storage.googleapis.com`` accepts a
    connection within ``PROBE_TIMEOUT`` (2) seconds. Otherwise, or if the
    download fails, the images are scikit-learn's ``load_digits`` (1,797 real
    handwritten digits of 8x8 pixels, intensities 0-16): each is resized
    bilinearly to 20x20, scaled to 0-255 and centred in a 28x28 ``uint8``
    image, the way MNIST centres its digits; they are split, stratified and
    always the same way, into 1,297 training and 500 test images. One line
    is printed saying which data is used.

    Args:
        n_train: keep only the first ``n_train`` training images (default
            ``None``: all of them, 60,000 for MNIST, 1,297 for the digits).
            Asking for more than there are returns all there are.
        n_test: the same for the test images (default ``None``: all of them,
            10,000 for MNIST, 500 for the digits).
        source: ``"auto"`` (default), ``"mnist"`` (the real MNIST or an
            error: ``ConnectionError`` when it is neither cached nor
            reachable, instead of a download that cannot work) or
            ``"digits"`` (the scikit-learn stand-in, without any network access).

    Returns:
        ``((x_train, y_train), (x_test, y_test))``, as Keras returns them:
        images of shape ``(n, 28, 28)``, ``uint8`` 0-255, white digit on black;
        labels of shape ``(n,)``, ``uint8`` 0-9.

    Example:
        >>> from nbcallbacks.datasets.mnist import load_mnist
        >>> (x_train, y_train), (x_test, y_test) = load_mnist(n_train=1000, source="digits")
        Using scikit-learn's 8x8 digits upscaled to 28x28 (source="digits"):
        1,000 training and 500 test images.
        >>> x_train.shape, x_train.dtype, int(x_train.min()), int(x_train.max())
        ((1000, 28, 28), dtype('uint8'), 0, 255)
        >>> y_train.dtype, sorted(set(y_test.tolist()))
        (dtype('uint8'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    for name, value in (("n_train", n_train), ("n_test", n_test)):
        is_count = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
        if value is not None and (not is_count or value < 0):
            raise ValueError(f"{name} must be None or an integer >= 0, got {value!r}")

    if source == "digits":
        data = _first(_digits_as_mnist(), n_train, n_test)
        print(f"Using scikit-learn's 8x8 digits upscaled to 28x28 (source=\"digits\"): "
              f"{_sizes(data)}.")
        return data

    reason = _why_mnist_unavailable()
    if reason is None:
        try:
            data = _first(_keras_mnist(), n_train, n_test)
        except Exception as error:
            if source == "mnist":
                raise
            reason = f"its download failed: {type(error).__name__}"
        else:
            print(f"Using MNIST from keras.datasets: {_sizes(data)}.")
            return data
    if source == "mnist":
        raise ConnectionError(f"MNIST is not available here: {reason}. Use source=\"auto\" "
                              f"or \"digits\" for scikit-learn's digits instead.")
    data = _first(_digits_as_mnist(), n_train, n_test)
    print(f"MNIST is not reachable here ({reason}): using scikit-learn's 8x8 digits "
          f"upscaled to 28x28 instead: {_sizes(data)}.")
    return data


def _keras_mnist() -> _Split:
    import keras

    # keras' download (urlretrieve) sets no timeout of its own: bound each read for its duration.
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)
    try:
        return keras.datasets.mnist.load_data()
    finally:
        socket.setdefaulttimeout(previous)


def _mnist_cache_file() -> str:
    """Where ``keras.datasets.mnist.load_data()`` keeps its download (Keras' own rule)."""
    home = os.environ.get("KERAS_HOME")
    if not home:
        base = os.path.expanduser("~")
        home = os.path.join(base if os.access(base, os.W_OK) else "/tmp", ".keras")
    return os.path.join(os.path.expanduser(home), "datasets", "mnist.npz")


def _why_mnist_unavailable() -> str | None:
    """``None`` when MNIST can be loaded (cached or reachable), else a short reason."""
    if os.path.isfile(_mnist_cache_file()):
        return None
    if can_connect(MNIST_HOST, MNIST_PORT, PROBE_TIMEOUT):
        return None
    return f"no cached copy, no connection to {MNIST_HOST}"


def _digits_as_mnist() -> _Split:
    """scikit-learn's digits in MNIST's layout: 28x28 uint8 images, uint8 labels, a fixed split."""
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError as error:
        raise ImportError("MNIST is not available and the fallback needs scikit-learn: "
                          "pip install scikit-learn") from error
    digits = load_digits()
    resize = _linear_resize_matrix(digits.images.shape[-1], DIGIT_BOX)
    boxes = resize @ digits.images @ resize.T                  # (n, 20, 20), still 0-16
    pixels = np.clip(np.rint(boxes * (255.0 / 16.0)), 0, 255).astype(np.uint8)
    margin = (MNIST_SIZE - DIGIT_BOX) // 2
    images = np.pad(pixels, ((0, 0), (margin, margin), (margin, margin)))
    labels = digits.target.astype(np.uint8)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=DIGITS_TEST_SIZE, stratify=labels,
        random_state=DIGITS_SPLIT_SEED)
    return (x_train, y_train), (x_test, y_test)


def _linear_resize_matrix(size_in: int, size_out: int) -> np.ndarray:
    """The ``(size_out, size_in)`` matrix of 1-D linear interpolation between pixel centres."""
    centres = (np.arange(size_out) + 0.5) * size_in / size_out - 0.5
    centres = np.clip(centres, 0, size_in - 1)
    low = np.floor(centres).astype(int)
    high = np.minimum(low + 1, size_in - 1)
    weight = centres - low
    matrix = np.zeros((size_out, size_in))
    rows = np.arange(size_out)
    np.add.at(matrix, (rows, low), 1.0 - weight)
    np.add.at(matrix, (rows, high), weight)
    return matrix


def _first(data: _Split, n_train: int | None, n_test: int | None) -> _Split:
    (x_train, y_train), (x_test, y_test) = data
    return (x_train[:n_train], y_train[:n_train]), (x_test[:n_test], y_test[:n_test])


def _sizes(data: _Split) -> str:
    (x_train, _), (x_test, _) = data
    return f"{len(x_train):,} training and {len(x_test):,} test images"
