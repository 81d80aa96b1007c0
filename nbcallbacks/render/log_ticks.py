"""Ticks and labels for a log axis at any span, from twelve decades to a sliver.

A learning rate that never changes, or a loss that moves between 0.6 and 0.8,
leaves a log axis well under a decade tall. Matplotlib's log ticks then give
one label or none (which ones depends on its version), and a fixed precision
prints neighbours as copies ("1e-02, 1e-02, 1e-02, 9e-03"). Here the ticks are
chosen by span — powers of ten, else 1, 2 and 5 x 10^k, else evenly spaced
round values — so there are always a few, and each label gets the digits that
tell it from its neighbours.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axis import Axis
from matplotlib.ticker import Formatter, Locator, LogLocator, MaxNLocator, NullFormatter

if TYPE_CHECKING:
    from matplotlib.projections.polar import _AxisWrapper
    from matplotlib.ticker import _DummyAxis

# ``style(value, digits)``: one tick label, ``digits`` the mantissa decimals to show.
LabelStyle = Callable[[float, int], str]

MIN_TICKS = 3   # fewer labels than this and a reader cannot tell the scale
MAX_TICKS = 6   # more would overlap on a 250-pixel panel
MAX_DIGITS = 4  # decimals of the mantissa a label may grow to
# Two 1-2-5 ticks are enough when they are this far apart, as a share of the
# axis (a rate cut from 0.01 to 0.005 is best labelled at exactly those two).
TWO_TICK_SPREAD = 0.4


def log_tick_values(low: float, high: float, max_ticks: int = MAX_TICKS) -> list[float]:
    """Major tick positions for a log axis from ``low`` to ``high``.

    1, 2 and 5 x 10^k when that gives a readable number of ticks, else powers
    of ten (every second or third one over many decades), else, under about
    half a decade, two 1-2-5 ticks far enough apart or evenly spaced round
    values as on a linear axis.

    Example:
        >>> log_tick_values(1e-5, 1.0)
        [1e-05, 0.0001, 0.001, 0.01, 0.1, 1.0]
        >>> log_tick_values(0.0015, 0.012)
        [0.002, 0.005, 0.01]
        >>> log_tick_values(0.0043, 0.0115)
        [0.005, 0.01]
        >>> log_tick_values(0.0067, 0.015)
        [0.008, 0.01, 0.012, 0.014]
    """
    low, high = min(low, high), max(low, high)
    if not (math.isfinite(low) and math.isfinite(high)) or high <= 0:
        return []
    low = low if low > 0 else high / 1000
    decades = _in_range(low, high, (1.0,))
    one_two_five = _in_range(low, high, (1.0, 2.0, 5.0))
    if MIN_TICKS <= len(one_two_five) <= max_ticks:
        return one_two_five
    for ticks in (decades, one_two_five):
        if len(ticks) >= MIN_TICKS:
            return ticks[::math.ceil(len(ticks) / max_ticks)]
    if (len(one_two_five) == 2 and math.log10(one_two_five[1] / one_two_five[0])
            >= TWO_TICK_SPREAD * math.log10(high / low)):
        return one_two_five
    # Under about half a decade: round values evenly spaced, as on a linear axis.
    round_ticks = MaxNLocator(nbins=MAX_TICKS - 1, steps=[1, 2, 5, 10]).tick_values(low, high)
    return [_round_to_nice(t) for t in round_ticks if low <= t <= high and t > 0]


def is_one_two_five(value: float) -> bool:
    """Whether ``value`` is 1, 2 or 5 x 10^k.

    Example:
        >>> is_one_two_five(0.002), is_one_two_five(0.012)
        (True, False)
    """
    return value > 0 and round(value / 10 ** math.floor(math.log10(value)), 6) in (1, 2, 5)


def _in_range(low: float, high: float, subs: tuple[float, ...]) -> list[float]:
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    ticks = (_round_to_nice(sub * 10.0 ** exponent)
             for exponent in range(first, last + 1) for sub in subs)
    # A hair of tolerance: limits are often exactly a tick (10 ** -2.0).
    return [t for t in ticks if low * (1 - 1e-9) <= t <= high * (1 + 1e-9)]


def _round_to_nice(value: float) -> float:
    # 2 * 10.0 ** -3 is 0.0020000000000000005: print as the number it stands for.
    return float(f"{value:.12g}")


class LogTicks(Locator):
    """The major ticks of :func:`log_tick_values` for the axis's current view."""

    def __init__(self, max_ticks: int = MAX_TICKS) -> None:
        self.max_ticks = max_ticks

    def __call__(self) -> list[float]:
        assert self.axis is not None, "called as the locator of an axis"
        low, high = self.axis.get_view_interval()
        return self.tick_values(low, high)

    def tick_values(self, vmin: float, vmax: float) -> list[float]:
        return log_tick_values(vmin, vmax, self.max_ticks)


class LogMinorTicks(Locator):
    """Unlabelled 2..9 x 10^k ticks, only where the major ticks are whole decades
    or 1-2-5 steps (between evenly spaced round values they would clash)."""

    def __init__(self) -> None:
        self._log = LogLocator(base=10, subs="auto")

    def set_axis(self, axis: Axis | _DummyAxis | _AxisWrapper | None) -> None:
        super().set_axis(axis)
        self._log.set_axis(axis)

    def __call__(self) -> Sequence[float]:
        assert isinstance(self.axis, Axis), "called as the minor locator of an Axis"
        if not all(is_one_two_five(t) for t in self.axis.get_majorticklocs()):
            return []
        return self._log()

    def tick_values(self, vmin: float, vmax: float) -> Sequence[float]:
        return self._log.tick_values(vmin, vmax)


class DistinctLabels(Formatter):
    """Labels with the fewest mantissa digits that still tell neighbours apart.

    ``style(value, digits)`` writes one label; ``digits`` is the number of
    mantissa decimals needed to show ``value`` exactly (0 for 5e-04, 1 for
    1.2e-02), raised for all labels together while any two would print alike.

    Example:
        >>> labels = DistinctLabels(lambda value, digits: f"{value:.{digits}e}")
        >>> labels.format_ticks([0.008, 0.01, 0.012])
        ['8e-03', '1e-02', '1.2e-02']
        >>> labels.format_ticks([0.0100, 0.0105, 0.011])
        ['1e-02', '1.05e-02', '1.1e-02']
    """

    def __init__(self, style: LabelStyle) -> None:
        self.style = style

    def __call__(self, value: float, pos: int | None = None) -> str:
        return self.style(value, mantissa_digits(value))

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        digits = [mantissa_digits(v) for v in values]
        for extra in range(MAX_DIGITS + 1):
            labels = [self.style(v, d + extra) for v, d in zip(values, digits)]
            if len(set(labels)) == len(labels):
                break
        return labels


def mantissa_digits(value: float) -> int:
    """Decimals of the mantissa that show ``value`` (a round tick value) exactly.

    Example:
        >>> mantissa_digits(0.0005), mantissa_digits(0.012), mantissa_digits(0.0105)
        (0, 1, 2)
    """
    if value == 0 or not np.isfinite(value):
        return 0
    for digits in range(MAX_DIGITS + 1):
        if abs(float(f"{value:.{digits}e}") - value) <= 1e-6 * abs(value):
            return digits
    return MAX_DIGITS


def use_log_ticks(axis: Axis, style: LabelStyle, max_ticks: int = MAX_TICKS) -> None:
    """Give a log-scale ``axis`` these ticks, labelled by ``style(value, digits)``."""
    axis.set_major_locator(LogTicks(max_ticks))
    axis.set_minor_locator(LogMinorTicks())
    axis.set_major_formatter(DistinctLabels(style))
    axis.set_minor_formatter(NullFormatter())


def scientific_label(value: float, digits: int) -> str:
    """A rate as the dashboard writes it: "5e-04", "1.2e-02".

    Example:
        >>> scientific_label(0.0005, 0), scientific_label(0.012, 1)
        ('5e-04', '1.2e-02')
    """
    return f"{value:.{digits}e}"


def plain_label(value: float, digits: int) -> str:
    """A value in plain digits where short: "0.6", "0.65", "1e-05", "2.5e+04".

    Example:
        >>> plain_label(0.65, 1), plain_label(1e-05, 0), plain_label(25000.0, 1)
        ('0.65', '1e-05', '2.5e+04')
    """
    return f"{value:.{max(4, digits + 1)}g}"
