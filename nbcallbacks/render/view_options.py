"""What the person looking at the dashboard chose to see."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

X_AXES = ("steps", "epochs", "time")


@dataclass(frozen=True)
class ViewOptions:
    """Display choices shared by the renderer and the view controls.

    Attributes:
        log_scale: logarithmic y axis on metric panels whose values are all
            positive (the learning-rate panel is always logarithmic).
        smoothing: EMA weight in [0, 1) applied to per-batch curves.
        x_axis: ``"steps"`` (training batches), ``"epochs"`` or ``"time"`` (seconds of
            training, the store's ``seconds``).
        hidden: metric panels the person switched off.
    """

    log_scale: bool = False
    smoothing: float = 0.0
    x_axis: str = "steps"
    hidden: frozenset = frozenset()

    def __post_init__(self) -> None:
        if self.x_axis not in X_AXES:
            raise ValueError(f"x_axis must be one of {X_AXES}, got {self.x_axis!r}")
        if not 0.0 <= self.smoothing < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {self.smoothing!r}")

    def with_(self, **changes: Any) -> ViewOptions:
        return replace(self, **changes)
