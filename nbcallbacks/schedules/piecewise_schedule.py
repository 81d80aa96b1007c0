"""A schedule given as ``(epoch, learning_rate)`` pairs: the TensorFlow guide's ``LR_SCHEDULE``.

The guide ("Writing your own callbacks") keeps a list such as
``[(3, 0.05), (6, 0.01), (9, 0.005), (12, 0.001)]`` and a lookup function: at
the start of a listed epoch the rate becomes the listed one, at every other
epoch it stays what it is. :class:`PiecewiseSchedule` is that lookup function
as an object, usable directly with ``keras.callbacks.LearningRateScheduler``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable


class PiecewiseSchedule:
    """``schedule(epoch, lr)`` that switches to a listed rate at each listed epoch.

    Before the first listed epoch the optimizer's own rate is kept. The rates
    are returned as Python floats, the type Keras 3 accepts.

    Args:
        pairs: ``(epoch, learning_rate)`` pairs with strictly increasing,
            non-negative integer epochs (0-based, as Keras passes them).

    Example:
        >>> schedule = PiecewiseSchedule([(3, 0.05), (6, 0.01)])
        >>> [schedule(epoch, 0.1) for epoch in (0, 3, 4, 6)]
        [0.1, 0.05, 0.1, 0.01]

        ``0.1`` at epoch 4: the function returns ``lr`` unchanged there, and
        during training ``lr`` is already 0.05 (set at epoch 3).
    """

    def __init__(self, pairs: Iterable[tuple[int, float]]) -> None:
        checked: list[tuple[int, float]] = []
        for item in pairs:
            try:
                epoch, rate = item
            except (TypeError, ValueError):
                raise ValueError(
                    f"each entry must be an (epoch, learning_rate) pair; got {item!r}") from None
            if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
                raise ValueError(f"epochs must be non-negative integers (0-based); got {epoch!r} "
                                 f"in {item!r}")
            if isinstance(rate, bool) or not isinstance(rate, numbers.Real):
                raise ValueError(f"learning rates must be numbers; got {rate!r} in {item!r}")
            checked.append((int(epoch), float(rate)))
        if not checked:
            raise ValueError("the list of (epoch, learning_rate) pairs is empty")
        epochs = [epoch for epoch, _ in checked]
        if any(b <= a for a, b in zip(epochs, epochs[1:])):
            raise ValueError(f"epochs must be strictly increasing; got {epochs}")
        self.pairs = tuple(checked)
        self._rates = dict(checked)

    def __call__(self, epoch: int, lr: float) -> float:
        return self._rates.get(int(epoch), lr)

    def __repr__(self) -> str:
        return f"PiecewiseSchedule({list(self.pairs)!r})"
