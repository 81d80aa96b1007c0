"""What Keras' running ``fit`` knows but does not tell callbacks: read from its frame.

Keras 3 gives each callback its model and params, not the batch size or its
neighbour callbacks. ``fit`` keeps both in its locals: ``epoch_iterator`` (its
data adapter knows the batch size; it also holds the running epoch, which
:func:`close_open_epoch` closes after a stop inside an epoch) and
``callbacks`` (a ``keras.callbacks.CallbackList``), so these functions walk
up the calling frames to that ``fit`` frame. That is an internal detail of
Keras, hence every step is optional: when anything differs the answer is None
(or False), and callers carry on without it (the dashboard shows batches/s
instead of samples/s; the watcher and tracer see no neighbours; the interrupt
guard hands Ctrl-C back to the kernel; an open epoch is left to the garbage
collector, as without nbcallbacks).

Verified on Keras 3.12.4 (the floor), 3.13.2 (Colab's stack) and 3.15.1 with
TensorFlow, and on 3.15.1 with the JAX and PyTorch backends
(``trainers/*_trainer.py`` ``fit``: the locals ``epoch_iterator`` and
``callbacks``; ``EpochIterator._epoch_iterator``). ``tests/test_keras_internals.py``
runs real fits and fails when a Keras release moves any of them.
"""

from __future__ import annotations

import inspect
import sys
from types import FrameType
from typing import Any


def fit_epoch_iterator(max_depth: int = 12) -> Any:
    """The epoch iterator of the enclosing ``model.fit`` call (its local ``epoch_iterator``),
    or None when not called from inside ``fit``.

    Keras 3.12.4, 3.13.2 and 3.15.1 (every backend) name it so.

    Example:
        >>> fit_epoch_iterator() is None    # not called from inside fit
        True
    """
    try:
        frame: FrameType | None = sys._getframe(1)
    except ValueError:
        return None
    for _ in range(max_depth):
        if frame is None:
            return None
        iterator = frame.f_locals.get("epoch_iterator") if frame.f_code.co_name == "fit" else None
        if iterator is not None:
            return iterator
        frame = frame.f_back
    return None


def batch_size_of(iterator: Any) -> int | None:
    """The batch size ``fit``'s epoch iterator knows (``data_adapter.batch_size``), or None.

    None for a ``tf.data`` or generator input, whose adapter does not know it.

    Example:
        >>> batch_size_of(None) is None
        True
    """
    size = getattr(getattr(iterator, "data_adapter", None), "batch_size", None)
    try:
        return int(size) if size else None
    except (TypeError, ValueError):
        return None


def close_open_epoch(iterator: Any, release_data: bool = False) -> bool:
    """Close the epoch a ``fit`` stopped mid-way left open; True when there was one.

    Why: Keras' ``EpochIterator`` keeps the running epoch's generator in
    ``_epoch_iterator`` (Keras 3.12.4, 3.13.2, 3.15.1), and that generator
    refers back to the iterator. When a fit stops inside an epoch (the Stop
    button, the interrupt, ``TerminateOnNaN``, an error) the generator stays
    suspended, and the pair, with the backend's data pipeline, is freed only by
    Python's cyclic garbage collector: at some later moment, in whatever thread
    allocates then. With TensorFlow, freeing a ``tf.data`` iterator waits for
    its background threads without releasing the GIL: seen to freeze a kernel
    for 5 to 60 seconds, in the middle of a later cell. Closing the generator
    breaks the cycle, so the iterator goes when ``fit`` returns, as after an
    epoch that ran to its end (the generator then ends by itself).

    ``release_data``: also drop the iterator's current data iterator
    (``_current_iterator``), for a fit that raised. Its traceback keeps the
    fit's locals, and so the epoch iterator, alive until the next error.

    Example:
        >>> def epoch():
        ...     yield 1
        ...     yield 2
        >>> class Iterator:
        ...     _epoch_iterator = epoch()
        >>> it = Iterator(); next(it._epoch_iterator)
        1
        >>> close_open_epoch(it), it._epoch_iterator, close_open_epoch(it)
        (True, None, False)
    """
    generator = getattr(iterator, "_epoch_iterator", None)
    closed = False
    if inspect.isgenerator(generator) and not generator.gi_running:
        closed = generator.gi_frame is not None   # suspended (None: it ended by itself)
        generator.close()
        iterator._epoch_iterator = None
    if release_data and getattr(iterator, "_current_iterator", None) is not None:
        iterator._current_iterator = None
    return closed


def find_fit_callbacks(owner: Any = None, max_depth: int = 25) -> list | None:
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
        frame: FrameType | None = sys._getframe(1)
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


def runs_inside_fit(frame: FrameType | None, callback: Any) -> bool:
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
