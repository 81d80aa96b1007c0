"""Find the batch size of the running ``fit`` (for samples/s), without asking the user.

Keras 3 does not pass the batch size to callbacks. ``fit`` keeps it on its
local ``epoch_iterator`` (its data adapter knows it), so we look for that
frame. It is an internal detail of Keras, hence every step is optional: when
anything differs, the dashboard shows batches/s instead of samples/s.
"""

from __future__ import annotations

import sys


def infer_batch_size(max_depth: int = 12) -> int | None:
    """The batch size of the enclosing ``model.fit`` call, or None when unknown.

    Example:
        >>> infer_batch_size() is None    # not called from inside fit
        True
    """
    try:
        frame = sys._getframe(1)
    except ValueError:
        return None
    for _ in range(max_depth):
        if frame is None:
            return None
        iterator = frame.f_locals.get("epoch_iterator") if frame.f_code.co_name == "fit" else None
        if iterator is not None:
            adapter = getattr(iterator, "data_adapter", None)
            size = getattr(adapter, "batch_size", None)
            try:
                return int(size) if size else None
            except (TypeError, ValueError):
                return None
        frame = frame.f_back
    return None
