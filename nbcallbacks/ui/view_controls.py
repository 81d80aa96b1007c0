"""Widgets that change what the plot shows: log scale, smoothing, x axis, panels.

They only change :class:`~nbcallbacks.render.view_options.ViewOptions`; the
dashboard redraws from the stored history, so they work during training (when
the frontend can reach the kernel) and after it. Like the training controls,
their messages are routed away from the busy main shell on ipykernel 7.4
(:func:`~nbcallbacks.compat.subshell_routing.route_widgets`), so that they
answer during a blocking ``model.fit`` too; their handler then runs on a
subshell's thread and only swaps the options and asks for a frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from nbcallbacks.compat.ipywidgets_versions import tooltip_kwargs
from nbcallbacks.compat.subshell_routing import route_widgets
from nbcallbacks.render.view_options import ViewOptions


class ViewControls:
    """A row of view widgets bound to a :class:`ViewOptions` value.

    Example:
        >>> seen = []
        >>> controls = ViewControls(on_change=seen.append)
        >>> controls.log_scale.value = True
        >>> seen[-1].log_scale
        True
    """

    def __init__(self, options: ViewOptions = ViewOptions(),
                 on_change: Callable[[ViewOptions], None] | None = None) -> None:
        self.options = options
        self._on_change = on_change
        self.log_scale = widgets.ToggleButton(
            value=options.log_scale, description="log y", icon="line-chart",
            tooltip="logarithmic y axis for metric panels whose values are all positive",
            layout=widgets.Layout(width="80px"))
        self.smoothing = widgets.FloatSlider(
            value=options.smoothing, min=0.0, max=0.99, step=0.01, description="smoothing",
            readout_format=".2f", continuous_update=False,
            **tooltip_kwargs(widgets.FloatSlider,
                             "exponential moving average of the per-batch curves"),
            style={"description_width": "initial"}, layout=widgets.Layout(width="250px"))
        self.x_axis = widgets.ToggleButtons(
            options=[("steps", "steps"), ("epochs", "epochs"), ("time", "time")],
            value=options.x_axis,
            tooltips=["x axis in training batches", "x axis in epochs",
                      "x axis in seconds of training"],
            style={"button_width": "72px"})
        self.panels = widgets.HBox([], layout=widgets.Layout(flex_flow="row wrap"))
        self._panel_buttons: dict[str, widgets.ToggleButton] = {}
        self.log_scale.observe(self._changed, "value")
        self.smoothing.observe(self._changed, "value")
        self.x_axis.observe(self._changed, "value")
        self.widget = widgets.HBox(
            [self.log_scale, self.smoothing, self.x_axis, self.panels],
            layout=widgets.Layout(align_items="center", flex_flow="row wrap",
                                  grid_gap="8px"))
        route_widgets(self.log_scale, self.smoothing, self.x_axis)

    def set_panels(self, names: list[str]) -> None:
        """Offer one show/hide toggle per panel (called when new metrics appear)."""
        if list(self._panel_buttons) == list(names):
            return
        for name in names:
            if name not in self._panel_buttons:
                button = widgets.ToggleButton(
                    value=name not in self.options.hidden, description=name,
                    tooltip=f"show or hide the {name} panel",
                    layout=widgets.Layout(width="auto"))
                button.observe(self._changed, "value")
                route_widgets(button)
                self._panel_buttons[name] = button
        self.panels.children = [self._panel_buttons[n] for n in names
                                if n in self._panel_buttons]

    def _changed(self, _change: dict[str, Any] | None = None) -> None:
        # list(): the training thread may add a panel button meanwhile.
        hidden = frozenset(n for n, b in list(self._panel_buttons.items()) if not b.value)
        self.options = ViewOptions(log_scale=self.log_scale.value,
                                   smoothing=float(self.smoothing.value),
                                   x_axis=self.x_axis.value, hidden=hidden)
        if self._on_change is not None:
            self._on_change(self.options)
