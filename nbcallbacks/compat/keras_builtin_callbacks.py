"""What Keras' built-in callbacks keep privately about the files they write.

The callback watcher reports what ``ModelCheckpoint`` saved and what
``BackupAndRestore`` restored from. ``ModelCheckpoint`` with a pattern path
(``"ckpt-{epoch:02d}.keras"``) knows which file it last wrote only through
its private ``_get_most_recently_modified_file_matching_pattern``;
``BackupAndRestore`` keeps its file names in ``_weights_path`` and
``_training_metadata_path``.

Verified on Keras 3.12.4 (the floor), 3.13.2 (Colab's stack) and 3.15.1
(``callbacks/model_checkpoint.py``, ``callbacks/backup_and_restore.py``).
When an internal is missing or fails, each function falls back to what the
public attributes give (the pattern itself; the file names Keras documents
in ``backup_dir``), so the watcher's messages lose precision, not training.
"""

from __future__ import annotations

import os
from typing import Any


def latest_checkpoint_file(checkpoint: Any) -> str:
    """The file a ``ModelCheckpoint`` wrote last, or its ``filepath`` when not known.

    For a plain path that is the path; for a pattern, the newest file matching
    it (Keras' own lookup), or the pattern when none matches.

    Example:
        >>> import keras
        >>> latest_checkpoint_file(keras.callbacks.ModelCheckpoint("model.keras"))
        'model.keras'
    """
    pattern = checkpoint.filepath
    finder = getattr(checkpoint, "_get_most_recently_modified_file_matching_pattern", None)
    path = None
    if "{" in pattern and finder is not None:
        try:
            path = finder(pattern)
        except Exception:  # noqa: BLE001 - a Keras internal; fall back to the plain path
            path = None
    return path or pattern


def backup_files(backup: Any) -> tuple[str, str]:
    """``(weights, metadata)``: the files a ``BackupAndRestore`` restores from.

    Example:
        >>> import keras, os
        >>> backup_files(keras.callbacks.BackupAndRestore("backup")) == (
        ...     os.path.join("backup", "latest.weights.h5"),
        ...     os.path.join("backup", "training_metadata.json"))
        True
    """
    directory = getattr(backup, "backup_dir", "")
    weights = getattr(backup, "_weights_path", None) or \
        os.path.join(directory, "latest.weights.h5")
    metadata = getattr(backup, "_training_metadata_path", None) or \
        os.path.join(directory, "training_metadata.json")
    return weights, metadata
