"""Replay ``ReduceLROnPlateau`` over a recorded curve: where would it have cut the rate?

The rules are Keras 3's (``keras/src/callbacks/reduce_lr_on_plateau.py`` and
``monitor_callback.py``), step for step, at each epoch end:

1. in cooldown: count the cooldown down and reset ``wait``;
2. an improvement (``current - min_delta`` better than the best so far, the
   first value always counts) becomes the new best and resets ``wait``;
3. otherwise, outside cooldown, ``wait`` grows; at ``patience`` the rate is
   multiplied by ``factor`` (not below ``min_lr``; nothing happens once it is
   at ``min_lr``) and cooldown starts.

Keras compares with ``keras.ops.less`` / ``greater`` on Python floats, which
become float32 tensors: the comparison is done in float32 here too. A
reduction at the end of epoch ``e`` applies from epoch ``e + 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Reduction:
    """One cut of the rate, at the end of ``epoch`` (0-based)."""

    epoch: int
    old_lr: float
    new_lr: float


@dataclass
class PlateauReplay:
    """What ``ReduceLROnPlateau`` would have done over a curve.

    Attributes:
        monitored: the curve (one value per epoch; NaN where it was missing).
        learning_rates: the rate in effect during each epoch (float32).
        reductions: the :class:`Reduction` records, in order.
        improved: per epoch, whether the value counted as a new best.
        wait: per epoch, the ``wait`` counter after the epoch end.
        cooldown: per epoch, the cooldown counter after the epoch end.
    """

    monitored: np.ndarray
    learning_rates: np.ndarray
    reductions: list[Reduction]
    improved: np.ndarray
    wait: np.ndarray
    cooldown: np.ndarray


def simulate_reduce_lr_on_plateau(values: Sequence[float | None], initial_lr: float, *,
                                  mode: str = "min", factor: float = 0.1, patience: int = 10,
                                  min_delta: float = 1e-4, cooldown: int = 0,
                                  min_lr: float = 0.0,
                                  dtype: type[np.floating[Any]] = np.float32) -> PlateauReplay:
    """Replay the ``ReduceLROnPlateau`` rules over ``values`` (one per epoch).

    Args:
        values: the monitored value at each epoch end; ``None`` for an epoch
            where it was missing (Keras then skips the epoch entirely).
        initial_lr: the optimizer's rate at the start.
        mode: ``"min"`` or ``"max"`` (resolve ``"auto"`` before calling).
        factor: ``new_lr = lr * factor`` (default 0.1; must be < 1).
        patience: epochs without improvement before a cut (default 10).
        min_delta: smallest change that counts as improvement (default 1e-4).
        cooldown: epochs after a cut before counting again (default 0).
        min_lr: lower bound on the rate (default 0).
        dtype: the optimizer variable's dtype (default float32).

    Example:
        >>> replay = simulate_reduce_lr_on_plateau([1.0, 0.5, 0.5, 0.5, 0.5], 0.1,
        ...                                        factor=0.5, patience=2)
        >>> [(r.epoch, round(r.new_lr, 4)) for r in replay.reductions]
        [(3, 0.05)]
        >>> replay.learning_rates        # float32, as the optimizer stores it
        array([0.1 , 0.1 , 0.1 , 0.1 , 0.05], dtype=float32)
    """
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
    if factor >= 1.0:
        raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0; got {factor}")
    delta = -abs(min_delta) if mode == "min" else abs(min_delta)
    better = np.less if mode == "min" else np.greater
    count = len(values)
    monitored = np.full(count, np.nan)
    rates = np.zeros(count, dtype=dtype)
    improved = np.zeros(count, dtype=bool)
    waits = np.zeros(count, dtype=np.int64)
    cooldowns = np.zeros(count, dtype=np.int64)
    reductions: list[Reduction] = []
    stored = dtype(initial_lr)
    best: float | None = None
    wait, cooldown_counter = 0, 0
    for epoch, current in enumerate(values):
        rates[epoch] = stored  # the rate during this epoch; a cut applies from the next
        if current is not None:
            current = float(current)
            monitored[epoch] = current
            if cooldown_counter > 0:
                cooldown_counter -= 1
                wait = 0
            if best is None or better(dtype(current - delta), dtype(best)):
                best, wait = current, 0
                improved[epoch] = True
            elif cooldown_counter <= 0:
                wait += 1
                if wait >= patience:
                    old = float(stored)
                    if old > np.float32(min_lr):  # Keras compares with np.float32(min_lr)
                        new = max(old * factor, min_lr)
                        stored = dtype(new)
                        reductions.append(Reduction(epoch, old, float(stored)))
                        cooldown_counter, wait = cooldown, 0
        waits[epoch], cooldowns[epoch] = wait, cooldown_counter
    return PlateauReplay(monitored, rates, reductions, improved, waits, cooldowns)
