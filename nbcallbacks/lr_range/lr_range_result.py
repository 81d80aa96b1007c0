"""The result of an LR range test: rates, losses, the suggestion, and a chart of them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nbcallbacks.lr_range.lr_range_chart import lr_range_chart_png
from nbcallbacks.render.chart_style import compact_number
from nbcallbacks.ui.result_bundle import result_mimebundle


@dataclass
class LRRangeTest:
    """What :func:`~nbcallbacks.find_lr` measured, and the rate it suggests.

    Displays itself as a log-x chart of the loss against the learning rate,
    the suggestion marked (a PNG, so saved notebooks show it too).

    Attributes:
        learning_rates: the rate of each step, as the optimizer held it (float32).
        losses: the training loss of each step's batch (before its update).
        smoothed_losses: ``losses`` (exploded ones capped at the divergence
            level) smoothed by a bias-corrected exponential moving average
            with weight ``smoothing``, run forwards and then backwards (no
            delay: each value sits at the rate that caused it).
        suggestion: the suggested learning rate, or None (see ``reason``).
        suggestion_index: its index in ``learning_rates``, or None.
        reason: how the suggestion was chosen, or why there is none.
        stop_reason: why the test ended (all steps done, the loss diverged, ...).
        steps_planned: the steps of the full ramp.
        start_lr, end_lr: the ramp's bounds.
        smoothing: the EMA weight used.
    """

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed_losses: np.ndarray
    suggestion: float | None
    suggestion_index: int | None
    reason: str
    stop_reason: str
    steps_planned: int
    start_lr: float
    end_lr: float
    smoothing: float
    notes: list[str] = field(default_factory=list)

    @property
    def diverged(self) -> bool:
        """The test stopped early because the loss blew up."""
        return len(self.losses) < self.steps_planned and "diverg" in self.stop_reason

    @property
    def lowest_loss_lr(self) -> float | None:
        """The rate where the smoothed loss was lowest (already near instability)."""
        finite = np.isfinite(self.smoothed_losses)
        if not finite.any():
            return None
        return float(self.learning_rates[int(np.nanargmin(
            np.where(finite, self.smoothed_losses, np.nan)))])

    def png(self, width: int = 760) -> bytes:
        """The chart as PNG bytes."""
        title = "LR range test"
        if self.suggestion is not None:
            title += f" · suggested learning rate {compact_number(self.suggestion)}"
        return lr_range_chart_png(self.learning_rates, self.losses, self.smoothed_losses,
                                  self.suggestion_index, title=title, diverged=self.diverged,
                                  width=width)

    def __str__(self) -> str:
        lines = [f"LR range test: {len(self.losses)} of {self.steps_planned} steps, rates "
                 f"{compact_number(self.start_lr)} to {compact_number(self.end_lr)}; "
                 f"{self.stop_reason}"]
        if self.suggestion is not None:
            lines.append(f"suggested learning rate: {self.suggestion:.3g} ({self.reason})")
        else:
            lines.append(f"no suggestion: {self.reason}")
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        suggestion = "None" if self.suggestion is None else f"{self.suggestion:.3g}"
        return f"<LRRangeTest steps={len(self.losses)} suggestion={suggestion}>"

    def _repr_mimebundle_(self, include: Collection[str] | None = None,
                          exclude: Collection[str] | None = None) -> dict[str, Any]:
        return result_mimebundle(str(self), png=self.png())
