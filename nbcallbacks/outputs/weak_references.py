"""Callbacks and references that do not keep their target alive.

A dashboard hands its methods to widgets, threads and IPython's event hooks;
held strongly, they would keep a discarded dashboard (and its model) alive as
long as the widget or hook exists.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, overload


@overload
def weak_callback(function: Callable[..., Any]) -> Callable[..., Any]: ...
@overload
def weak_callback(function: None) -> None: ...


def weak_callback(function: Callable[..., Any] | None) -> Callable[..., Any] | None:
    """``function`` without a strong reference to the object it is a method of.

    Once that object is gone, calling the result does nothing.

    Example:
        >>> class Owner:
        ...     def hello(self, name): return f"hello {name}"
        >>> owner = Owner(); call = weak_callback(owner.hello)
        >>> call("you")
        'hello you'
        >>> del owner; call("you") is None
        True
    """
    if function is None or not hasattr(function, "__self__"):
        return function
    method = weakref.WeakMethod(function)

    def call(*args: Any, **kwargs: Any) -> Any:
        target = method()
        return None if target is None else target(*args, **kwargs)

    return call


def weak_or_none(thing: Any) -> Callable[[], Any]:
    """A weak reference to ``thing``; a callable answering None when it is None or
    cannot be referenced weakly.

    Example:
        >>> class Data: pass
        >>> data = Data(); ref = weak_or_none(data)
        >>> ref() is data, weak_or_none(None)(), weak_or_none(3)()
        (True, None, None)
    """
    try:
        return weakref.ref(thing)
    except TypeError:
        return lambda: None
