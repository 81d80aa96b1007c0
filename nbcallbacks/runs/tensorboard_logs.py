"""Reading the per-epoch scalars ``keras.callbacks.TensorBoard`` wrote (needs ``tensorboard``).

Keras writes ``<log_dir>/train`` and ``<log_dir>/validation``, each with event
files whose ``epoch_<metric>`` tags hold one value per epoch (the step is the
epoch index); ``validation``'s become ``val_<metric>``, ``epoch_learning_rate``
becomes ``learning_rate``. Verified with Keras 3.12-3.13 and TensorBoard
2.20-2.21.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from nbcallbacks.records.metric_store import MetricStore
from nbcallbacks.runs.run_record import RunRecord

_SUBDIRECTORIES = {"train": "", "validation": "val_"}


def is_tensorboard_directory(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds TensorBoard event files (in it, or in ``train/``/``validation/``)."""
    path = Path(path)
    return any(any(folder.glob("events.out.tfevents.*"))
               for folder in (path, *(path / sub for sub in _SUBDIRECTORIES)) if folder.is_dir())


def read_tensorboard_directory(path: str | os.PathLike[str], name: str | None = None
                               ) -> RunRecord:
    """The per-epoch values a ``keras.callbacks.TensorBoard`` callback wrote in ``path``."""
    try:
        from tensorboard.backend.event_processing import event_accumulator
        from tensorboard.util import tensor_util
    except ImportError as error:
        raise ImportError(f"{str(path)!r} holds TensorBoard logs; reading them needs the "
                          f"tensorboard package: pip install tensorboard") from error
    path = Path(path)
    by_epoch: dict[int, dict[str, float]] = {}
    folders = [(path / sub, prefix) for sub, prefix in _SUBDIRECTORIES.items()
               if (path / sub).is_dir()] or [(path, "")]
    for folder, prefix in folders:
        accumulator = event_accumulator.EventAccumulator(
            str(folder), size_guidance={event_accumulator.TENSORS: 0,
                                        event_accumulator.SCALARS: 0})
        accumulator.Reload()
        tags = accumulator.Tags()
        for tag in tags.get("tensors", []):
            if not tag.startswith("epoch_"):
                continue
            metric = tag.removeprefix("epoch_")
            key = metric if metric == "learning_rate" else prefix + metric
            for event in accumulator.Tensors(tag):
                value = tensor_util.make_ndarray(event.tensor_proto)
                if value.dtype.kind in "fiu" and value.size == 1:
                    by_epoch.setdefault(int(event.step), {})[key] = float(np.ravel(value)[0])
        for tag in tags.get("scalars", []):   # summaries written the TF1 way
            if tag.startswith("epoch_"):
                metric = tag.removeprefix("epoch_")
                for event in accumulator.Scalars(tag):
                    by_epoch.setdefault(int(event.step), {})[prefix + metric] = event.value
    if not by_epoch:
        raise ValueError(f"{str(path)!r} holds TensorBoard event files but no per-epoch "
                         f"scalars (epoch_loss, ...): was it written by "
                         f"keras.callbacks.TensorBoard?")
    rows = [{"epoch": epoch, "step": epoch + 1, **values}
            for epoch, values in sorted(by_epoch.items())]
    return RunRecord(name or path.name, MetricStore.from_rows(epochs=rows),
                     source=str(path), status="")
