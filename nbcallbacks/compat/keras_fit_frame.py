"""What Keras' running ``fit`` knows but does not tell callbacks: read from its frame.

Keras 3 gives each callback its model and params, not the batch size or its
neighbour callbacks. ``fit`` keeps both in its locals: ``epoch_iterator`` (its
data adapter knows the batch size) and ``callbacks`` (a
``keras.callbacks.CallbackList``), so these functions walk up the calling
frames to that ``fit`` frame. That is an internal detail of Keras, hence every
step is optional: when anything differs the answer is None (or False), and
callers carry on without it (the dashboard shows batches/s instead of
samples/s; the watcher and tracer see no neighbours; the interrupt guard
hands Ctrl-C back to the kernel).

Verified on Keras 3.12.4 (the floor), 3.13.2 (Colab's stack) and 3.15.1 with
TensorFlow, and on 3.15.1 with the JAX and PyTorch backends
(``trainers/*_trainer.py`` ``fit``: the locals ``epoch_iterator`` and
``callbacks``). ``tests/test_keras_internals.py`` runs a real fit and fails
when a Keras release moves either local.
"""

from __future__ import annotations

import sys


def infer_batch_size(max_depth: int = 12) -> int | None:
    """The batch size of the enclosing ``model.fit`` call, or None when unknown.

    Reads ``fit``'s local ``epoch_iterator.data_adapter.batch_size`` (Keras
    3.12.4, 3.13.2, 3.15.1; None for a ``tf.data`` or generator input, whose adapter
    does not know it).

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


def find_fit_callbacks(owner=None, max_depth: int = 25) -> list | None:
    """The callbacks of the enclosing ``model.fit`` call, in the order Keras calls them.

    Walks up the calling frames to the nearest ``fit`` frame whose ``callbacks``
    local is a ``keras.callbacks.CallbackList`` (and, when ``owner`` is given,
    one that contains ``owner``: a fit started inside another fit's callback
    is then told apart from the outer one). The list includes ``owner`` and the
    ``History``/``ProgbarLogger`` callbacks Keras adds. Reads ``fit``'s local
    ``callbacks`` and its ``.callbacks`` list (Keras 3.12.4, 3.13.2, 3.15.1).

    Args:
        owner: the callback asking (usually ``self`` in a hook), or None.
        max_depth: how many frames to look up (default 25).

    Returns:
        A new list of the callbacks, or None when no such frame is found (not
        called from inside ``fit``, or a Keras version that keeps them elsewhere).

    Example:
        >>> find_fit_callbacks() is None    # not called from inside fit
        True
    """
    try:
        import keras

        callback_list_type = keras.callbacks.CallbackList
        frame = sys._getframe(1)
    except (ImportError, AttributeError, ValueError):
        return None
    for _ in range(max_depth):
        if frame is None:
            return None
        if frame.f_code.co_name == "fit":
            found = frame.f_locals.get("callbacks")
            if isinstance(found, callback_list_type):
                callbacks = list(getattr(found, "callbacks", None) or [])
                if owner is None or any(callback is owner for callback in callbacks):
                    return callbacks
        frame = frame.f_back
    return None


def runs_inside_fit(frame, callback) -> bool:
    """Whether ``frame`` runs inside a Keras ``fit`` whose callbacks include ``callback``.

    Walks from ``frame`` outwards, looking at each ``fit`` frame's local
    ``callbacks`` (Keras 3.12.4, 3.13.2, 3.15.1: a ``CallbackList`` whose ``.callbacks``
    holds the user's callbacks). ``callback`` None: always True (nothing to
    tell apart). When Keras keeps the list elsewhere the answer is False, so
    an interrupt guard asking this hands Ctrl-C back to the kernel rather than
    keep it.

    Example:
        >>> import sys
        >>> runs_inside_fit(sys._getframe(), None), runs_inside_fit(sys._getframe(), object())
        (True, False)
    """
    if callback is None:
        return True
    while frame is not None:
        if frame.f_code.co_name == "fit":
            callbacks = frame.f_locals.get("callbacks")
            if callback in getattr(callbacks, "callbacks", ()) or callbacks is callback:
                return True
        frame = frame.f_back
    return False
