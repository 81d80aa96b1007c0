"""Find the other callbacks of the running ``fit``, without asking the user to list them again.

Keras gives each callback its model and params, not its neighbours. ``fit``
keeps them in its local ``callbacks`` (a ``keras.callbacks.CallbackList``), so,
like :mod:`nbcallbacks.adapters.batch_size`, we look for that frame. It is an
internal detail of Keras, hence every step is optional: when anything
differs, the answer is None and callers carry on without the neighbours.
"""

from __future__ import annotations

import sys


def find_fit_callbacks(owner=None, max_depth: int = 25) -> list | None:
    """The callbacks of the enclosing ``model.fit`` call, in the order Keras calls them.

    Walks up the calling frames to the nearest ``fit`` frame whose ``callbacks``
    local is a ``keras.callbacks.CallbackList`` (and, when ``owner`` is given,
    one that contains ``owner``: a fit started inside another fit's callback
    is then told apart from the outer one). The list includes ``owner`` and the
    ``History``/``ProgbarLogger`` callbacks Keras adds.

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
