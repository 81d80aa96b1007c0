"""``load_cats_vs_dogs``: a small, balanced cats-vs-dogs subset, or a real-photo stand-in offline.

TensorFlow Datasets' ``cats_vs_dogs`` (23,262 photos of cats and dogs from
Microsoft's Asirra set) is what the callback tutorials train on, but it is an
~800 MB download, and TFDS is not installed everywhere. Where the real set
cannot be had (no ``tensorflow_datasets``, no cached copy, no network) a
notebook would stop at its first cell; instead, :func:`load_cats_vs_dogs`
builds a two-class set from the real photos that ship inside scikit-image
(the cat ``chelsea`` against four photos without a cat) and says so in one
printed line. The network check is a single TCP connect with a short timeout
run on a helper thread, so deciding takes at most about ``PROBE_TIMEOUT``
seconds, whatever the network does.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence

import numpy as np

from nbcallbacks.datasets.reachability import can_connect

__all__ = ["load_cats_vs_dogs"]

# ((x_train, y_train), (x_val, y_val)): images and labels, as keras.datasets returns them.
_Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

SOURCES = ("auto", "tfds", "scikit-image")

TFDS_NAME = "cats_vs_dogs"
# Where TFDS downloads cats_vs_dogs from, and how long we wait to learn whether it answers.
DOWNLOAD_HOST = "download.microsoft.com"
DOWNLOAD_PORT = 443
PROBE_TIMEOUT = 2.0

# The stand-in: random crops of scikit-image's real photos. Label 0 is always "cat".
FALLBACK_CAT_PHOTO = "chelsea"
FALLBACK_OTHER_PHOTOS = ("astronaut", "coffee", "rocket", "motorcycle")
# A crop's side, as a fraction of the photo's shorter side; brightness is scaled within this range.
CROP_FRACTION = (0.3, 0.9)
BRIGHTNESS = (0.75, 1.25)


def load_cats_vs_dogs(n_train: int = 400, n_val: int = 100, image_size: int = 64, *,
                      source: str = "auto", seed: int = 0,
                      data_dir: str | None = None) -> _Split:
    """Load a small, class-balanced image set for a cat-vs-dog classifier.

    With ``source="auto"`` the real TFDS ``cats_vs_dogs`` is used when it can
    work: ``tensorflow_datasets`` is importable and the prepared data set is
    already in the TFDS cache (``data_dir``, else ``$TFDS_DATA_DIR``, else
    ``~/tensorflow_datasets``), or ``download.microsoft.com`` accepts a
    connection within ``PROBE_TIMEOUT`` (2) seconds, in which case TFDS
    downloads and prepares the whole set first (~800 MB, a few minutes, once).
    The first photos of each class in TFDS' order are taken, half of the
    requested images per class, and resized (bilinear, aspect ratio not
    kept) to ``image_size`` x ``image_size``. Label 0 is a cat, 1 a dog.

    Otherwise, or if the download fails, the images are random crops of real
    photos shipped with scikit-image (``pip install scikit-image``): label 0
    ("cat") crops of ``skimage.data.chelsea()``, a tabby cat; label 1 ("other")
    crops of ``astronaut``, ``coffee``, ``rocket`` and the left view of
    ``stereo_motorcycle``, in turn. Each crop is a random square of 30-90 % of
    the photo's shorter side, flipped left-right half of the time, brightness
    scaled by 0.75-1.25, then resized. Every cat image comes from the same
    photo, so the stand-in teaches how training and callbacks behave, not how
    to recognise cats. The set depends only on ``seed``.

    Either way, one line is printed saying which data is used.

    Args:
        n_train: training images (default ``400``), half of each class; must be even.
        n_val: validation images (default ``100``), half of each class, none of
            them in the training set; must be even.
        image_size: side of the square images in pixels (default ``64``).
        source: ``"auto"`` (default), ``"tfds"`` (the real set or an error:
            ``ImportError`` without ``tensorflow_datasets``, ``ConnectionError``
            when it is neither cached nor reachable, instead of a download that
            cannot work) or ``"scikit-image"`` (the stand-in, without any
            network access).
        seed: shuffles the order of the images (and draws the stand-in's
            crops); default ``0``.
        data_dir: the TFDS data directory (default ``None``: TFDS' own).

    Returns:
        ``((x_train, y_train), (x_val, y_val))``, like ``keras.datasets``:
        images of shape ``(n, image_size, image_size, 3)``, ``uint8`` 0-255
        (RGB); labels of shape ``(n,)``, ``uint8``, 0 (cat) or 1 (dog, or
        "other" for the stand-in), shuffled.

    Example:
        >>> import numpy as np
        >>> from nbcallbacks.datasets.cats_vs_dogs import load_cats_vs_dogs
        >>> (x_train, y_train), (x_val, y_val) = load_cats_vs_dogs(
        ...     n_train=40, n_val=10, image_size=32, source="scikit-image")
        Using a two-class set made from scikit-image's real photos (source="scikit-image"):
        label 0 'cat' = random crops of 'chelsea', label 1 'other' = random crops of
        'astronaut', 'coffee', 'rocket', 'motorcycle'; 40 training and 10 validation images
        of 32x32.
        >>> x_train.shape, x_train.dtype, y_train.dtype, x_val.shape
        ((40, 32, 32, 3), dtype('uint8'), dtype('uint8'), (10, 32, 32, 3))
        >>> np.bincount(y_train).tolist(), np.bincount(y_val).tolist()
        ([20, 20], [5, 5])
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    for name, value in (("n_train", n_train), ("n_val", n_val), ("image_size", image_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    for name, value in (("n_train", n_train), ("n_val", n_val)):
        if value % 2:
            raise ValueError(f"{name} must be even (half of the images are cats), got {value}")

    sizes = f"{n_train:,} training and {n_val:,} validation images of {image_size}x{image_size}"
    if source == "scikit-image":
        data = _photo_crops(n_train, n_val, image_size, seed)
        print(f"Using a two-class set made from scikit-image's real photos "
              f"(source=\"scikit-image\"): {_stand_in_description()}; {sizes}.")
        return data

    reason = _why_tfds_unavailable(data_dir)
    if reason is None:
        try:
            data = _tfds_subset(n_train, n_val, image_size, seed, data_dir)
        except Exception as error:
            if source == "tfds":
                raise
            reason = f"loading it failed ({type(error).__name__}: {error})"
        else:
            print(f"Using TFDS cats_vs_dogs (photos from Microsoft's Asirra set; "
                  f"label 0 cat, 1 dog): {sizes}.")
            return data
    if source == "tfds":
        error_type = ImportError if reason.startswith("tensorflow_datasets") else ConnectionError
        raise error_type(f"cats_vs_dogs is not available here: {reason}. Use source=\"auto\" or "
                         f"\"scikit-image\" for a stand-in made from scikit-image's photos.")
    data = _photo_crops(n_train, n_val, image_size, seed)
    print(f"cats_vs_dogs is not reachable here ({reason}): using a two-class set made from "
          f"scikit-image's real photos instead: {_stand_in_description()}; {sizes}.")
    return data


def _stand_in_description() -> str:
    others = ", ".join(f"'{name}'" for name in FALLBACK_OTHER_PHOTOS)
    return (f"label 0 'cat' = random crops of '{FALLBACK_CAT_PHOTO}', "
            f"label 1 'other' = random crops of {others}")


# --- the real data set ---------------------------------------------------------------------

def _tfds_data_dir(data_dir: str | None) -> str:
    """The directory TFDS reads from (its own rule: argument, ``$TFDS_DATA_DIR``, home)."""
    return os.path.expanduser(data_dir or os.environ.get("TFDS_DATA_DIR")
                              or os.path.join("~", "tensorflow_datasets"))


def _tfds_is_cached(data_dir: str | None) -> bool:
    """Whether a prepared ``cats_vs_dogs`` is in the cache (any version).

    Checked on disk rather than with ``tfds.builder(...).is_prepared()``,
    which logs a warning for every half-written version folder it meets.
    """
    pattern = os.path.join(_tfds_data_dir(data_dir), TFDS_NAME, "*", "dataset_info.json")
    return bool(glob.glob(pattern))


def _why_tfds_unavailable(data_dir: str | None) -> str | None:
    """``None`` when TFDS' cats_vs_dogs can be loaded (cached or reachable), else a short reason."""
    try:
        import tensorflow_datasets  # noqa: F401
    except ImportError:
        return "tensorflow_datasets is not installed"
    if _tfds_is_cached(data_dir):
        return None
    if can_connect(DOWNLOAD_HOST, DOWNLOAD_PORT, PROBE_TIMEOUT):
        return None
    return f"no cached copy in {_tfds_data_dir(data_dir)}, no connection to {DOWNLOAD_HOST}"


def _tfds_subset(n_train: int, n_val: int, image_size: int, seed: int,
                 data_dir: str | None) -> _Split:
    """The first photos of each class in TFDS' order, resized, split and shuffled."""
    import tensorflow_datasets as tfds

    dataset = tfds.load(TFDS_NAME, split="train", as_supervised=True, shuffle_files=False,
                        data_dir=data_dir)
    per_class = (n_train + n_val) // 2
    images: dict[int, list[np.ndarray]] = {0: [], 1: []}
    for image, label in tfds.as_numpy(dataset):
        bucket = images[int(label)]
        if len(bucket) < per_class:
            bucket.append(_resize(image, image_size))
        if all(len(bucket) == per_class for bucket in images.values()):
            break
    else:
        found = {label: len(bucket) for label, bucket in images.items()}
        raise ValueError(f"cats_vs_dogs has fewer than {per_class} images of a class: {found}")
    return _split(images[0], images[1], n_train, n_val, seed)


# --- the stand-in: crops of scikit-image's photos -----------------------------------------------

def _scikit_image_photos() -> tuple[np.ndarray, list[np.ndarray]]:
    """The cat photo and the other photos, as ``uint8`` RGB arrays (shipped, no download)."""
    try:
        from skimage import data
    except ImportError as error:
        raise ImportError("cats_vs_dogs is not available and the stand-in needs scikit-image: "
                          "pip install scikit-image") from error
    loaders = {"astronaut": data.astronaut, "coffee": data.coffee, "rocket": data.rocket,
               "motorcycle": lambda: data.stereo_motorcycle()[0]}
    return data.chelsea(), [loaders[name]() for name in FALLBACK_OTHER_PHOTOS]


def _photo_crops(n_train: int, n_val: int, image_size: int, seed: int) -> _Split:
    cat, others = _scikit_image_photos()
    rng = np.random.default_rng(seed)
    per_class = (n_train + n_val) // 2
    cats = [_random_crop(cat, image_size, rng) for _ in range(per_class)]
    not_cats = [_random_crop(others[i % len(others)], image_size, rng) for i in range(per_class)]
    return _split(cats, not_cats, n_train, n_val, seed)


def _random_crop(photo: np.ndarray, image_size: int, rng: np.random.Generator) -> np.ndarray:
    height, width = photo.shape[:2]
    side = int(round(rng.uniform(*CROP_FRACTION) * min(height, width)))
    top = int(rng.integers(0, height - side + 1))
    left = int(rng.integers(0, width - side + 1))
    crop = photo[top:top + side, left:left + side]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    image = _resize(crop, image_size).astype(np.float32) * rng.uniform(*BRIGHTNESS)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


# --- shared -----------------------------------------------------------------------------------

def _resize(image: np.ndarray, image_size: int) -> np.ndarray:
    """Bilinear resize (antialiased when shrinking) of an RGB ``uint8`` image to a square."""
    from PIL import Image

    picture = Image.fromarray(np.ascontiguousarray(image[..., :3], dtype=np.uint8))
    return np.asarray(picture.resize((image_size, image_size), Image.Resampling.BILINEAR))


def _split(cats: Sequence[np.ndarray], not_cats: Sequence[np.ndarray], n_train: int, n_val: int,
           seed: int) -> _Split:
    """Balanced train/validation arrays, each shuffled with ``seed``."""
    half_train = n_train // 2
    rng = np.random.default_rng([seed, 1])

    def arrays(cat_images: Sequence[np.ndarray],
               other_images: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        x = np.stack(list(cat_images) + list(other_images)).astype(np.uint8)
        y = np.array([0] * len(cat_images) + [1] * len(other_images), dtype=np.uint8)
        order = rng.permutation(len(x))
        return x[order], y[order]

    train = arrays(cats[:half_train], not_cats[:half_train])
    val = arrays(cats[half_train:], not_cats[half_train:])
    return train, val
