"""One slider per :class:`~nbcallbacks.schedules.schedule_parameters.ParameterSpec`.

Integers get an ``IntSlider``, rates a ``FloatLogSlider`` (log scale), other
floats a ``FloatSlider``. Sliders report when released (``continuous_update``
off): each change redraws a chart, and a drag would queue dozens of redraws.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from nbcallbacks.schedules.schedule_parameters import ParameterSpec

_LAYOUT = dict(width="420px")


def slider_for(spec: ParameterSpec, label_width: str = "initial") -> widgets.Widget:
    """The slider widget for one parameter (``label_width``: CSS width of its name).

    Example:
        >>> slider_for(ParameterSpec("warmup", 5, 0, 20, 1, integer=True)).value
        5
    """
    common = dict(description=spec.name, continuous_update=False,
                  style={"description_width": label_width}, layout=widgets.Layout(**_LAYOUT))
    if spec.integer:
        return widgets.IntSlider(value=int(spec.value), min=int(spec.minimum),
                                 max=int(spec.maximum), step=int(spec.step) or 1, **common)
    if spec.log:
        return widgets.FloatLogSlider(value=spec.value, base=10,
                                      min=math.log10(spec.minimum), max=math.log10(spec.maximum),
                                      step=spec.step, readout_format=".2e", **common)
    return widgets.FloatSlider(value=spec.value, min=spec.minimum, max=spec.maximum,
                               step=spec.step, readout_format=".3g", **common)


class ParameterSliders:
    """Sliders for ``specs``; ``on_change(values)`` is called after each change.

    Example:
        >>> seen = []
        >>> sliders = ParameterSliders([ParameterSpec("warmup", 5, 0, 20, 1, integer=True)],
        ...                            on_change=seen.append)
        >>> sliders.sliders["warmup"].value = 8
        >>> seen
        [{'warmup': 8}]
    """

    def __init__(self, specs: list[ParameterSpec],
                 on_change: Callable[[dict], None] | None = None) -> None:
        self.specs = list(specs)
        self._on_change = on_change
        # One label width for all, so the sliders line up.
        width = f"{max([len(s.name) for s in self.specs] + [4]) + 1}ch"
        self.sliders = {spec.name: slider_for(spec, width) for spec in self.specs}
        for slider in self.sliders.values():
            slider.observe(self._changed, "value")
        self.widget = widgets.VBox(list(self.sliders.values()))

    @property
    def values(self) -> dict:
        """The current value of each parameter (ints for integer parameters)."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def show_value(self, name: str, value: float) -> None:
        """Move one slider to ``value``, widening its range when the value lies outside."""
        slider = self.sliders[name]
        if isinstance(slider, widgets.FloatLogSlider):
            exponent = math.log10(value) if value > 0 else slider.min
            slider.min, slider.max = min(slider.min, math.floor(exponent)), \
                max(slider.max, math.ceil(exponent))
        else:
            slider.min, slider.max = min(slider.min, value), max(slider.max, value)
        slider.value = value

    def _changed(self, _change: dict[str, Any] | None = None) -> None:
        if self._on_change is not None:
            self._on_change(self.values)
