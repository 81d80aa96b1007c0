"""Batches for a fixed number of training steps, from arrays or a dataset, counted up front.

The LR range test needs one fresh batch per learning rate and must know, before
it trains anything, whether the data has enough of them: a ramp planned for 100
steps that runs out of data after 30 has only tried the lowest rates.

* Arrays (NumPy, or lists/dicts of them for several inputs): shuffled once
  with a local generator (the global random state is left alone), cut into full
  batches only — a smaller last batch would give a noisier loss at one rate.
* A ``tf.data.Dataset`` (already batched), a ``torch.utils.data.DataLoader``
  or any iterable of ``(x, y)`` / ``(x, y, sample_weight)`` batches (a
  generator, a ``keras.utils.PyDataset``): used in order; its length is known
  when the dataset reports a cardinality or the object has ``len()``. Under
  the JAX and PyTorch backends a ``tf.data.Dataset`` yields NumPy arrays, as
  ``fit`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def _backend() -> str:
    import keras

    return keras.backend.backend()


class NotEnoughData(ValueError):
    """The data has fewer batches than the steps requested."""


def _leaves(structure: Any) -> list[Any]:
    if isinstance(structure, dict):
        return [leaf for value in structure.values() for leaf in _leaves(value)]
    if isinstance(structure, (list, tuple)):
        return [leaf for value in structure for leaf in _leaves(value)]
    return [structure]


def _take(structure: Any, index: np.ndarray) -> Any:
    if isinstance(structure, dict):
        return {key: _take(value, index) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_take(value, index) for value in structure)
    return structure[index]


def _as_arrays(structure: Any) -> Any:
    if isinstance(structure, dict):
        return {key: _as_arrays(value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)) and structure and \
            not isinstance(structure[0], (int, float, np.number)):
        return type(structure)(_as_arrays(value) for value in structure)
    return np.asarray(structure)


def is_dataset_like(x: object) -> bool:
    """A ``tf.data.Dataset``, a ``PyDataset``, a generator or another iterator of batches.

    Example:
        >>> is_dataset_like(np.zeros((4, 2))), is_dataset_like(iter([]))
        (False, True)
    """
    module = type(x).__module__ or ""
    if module.startswith("tensorflow") and hasattr(x, "element_spec"):
        return True
    if hasattr(x, "__next__"):
        return True
    if module.startswith("torch.utils.data"):  # DataLoader: iterable, with len()
        return True
    return type(x).__name__ == "PyDataset" or any(
        base.__name__ == "PyDataset" for base in type(x).__mro__)


def dataset_length(dataset: Any) -> int | None:
    """Batches in ``dataset`` when known (None for unknown; a large number for infinite)."""
    if hasattr(dataset, "cardinality"):
        count = int(dataset.cardinality())
        if count == -1:  # tf.data.INFINITE_CARDINALITY
            return 2**62
        return count if count >= 0 else None
    if hasattr(dataset, "num_batches"):  # keras.utils.PyDataset
        count = dataset.num_batches
        return int(count) if count is not None else 2**62
    try:
        return len(dataset)
    except TypeError:
        return None


def array_batches(x: Any, y: Any, sample_weight: ArrayLike | None, batch_size: int, steps: int,
                  shuffle: bool = True, seed: int = 0) -> Iterator[tuple]:
    """``steps`` full batches ``(x, y, sample_weight)`` from arrays.

    Example:
        >>> batches = list(array_batches(np.arange(10), np.arange(10), None, 4, 2, shuffle=False))
        >>> [b[0].tolist() for b in batches]
        [[0, 1, 2, 3], [4, 5, 6, 7]]
    """
    x, y = _as_arrays(x), None if y is None else _as_arrays(y)
    weights = None if sample_weight is None else np.asarray(sample_weight)
    count = len(_leaves(x)[0])
    order = np.random.default_rng(seed).permutation(count) if shuffle else np.arange(count)
    for step in range(steps):
        index = order[step * batch_size:(step + 1) * batch_size]
        yield (_take(x, index), None if y is None else _take(y, index),
               None if weights is None else weights[index])


def count_array_batches(x: Any, batch_size: int) -> tuple[int, int]:
    """``(samples, full batches)`` of array data; checks all inputs have the same length."""
    lengths = {len(leaf) for leaf in _leaves(_as_arrays(x))}
    if len(lengths) != 1:
        raise ValueError(f"the input arrays have different numbers of samples: {sorted(lengths)}")
    samples = lengths.pop()
    return samples, samples // batch_size


def dataset_batches(dataset: Any, steps: int) -> Iterator[tuple]:
    """``(x, y, sample_weight)`` from the first ``steps`` batches; raises :class:`NotEnoughData`."""
    produced = 0
    if hasattr(dataset, "as_numpy_iterator") and _backend() != "tensorflow":
        dataset = dataset.as_numpy_iterator()  # JAX and PyTorch take NumPy, not tf tensors
    if steps > 0:
        for batch in dataset:
            if isinstance(batch, (tuple, list)):
                parts = tuple(batch) + (None,) * (3 - len(batch))
                yield parts[:3]
            else:  # inputs only (the model computes its own loss)
                yield batch, None, None
            produced += 1
            if produced == steps:
                return  # before asking for another batch: a generator keeps the rest
    if produced < steps:
        raise NotEnoughData(
            f"the dataset ended after {produced} batches, fewer than the {steps} steps of the "
            f"test: pass steps={produced} or fewer, or repeat the data (dataset.repeat())")
