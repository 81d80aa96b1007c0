"""Buttons that act on a running ``fit``: Stop, Pause/Resume, learning rate, Save now.

Handlers run on whatever thread delivers the click (a kernel subshell while
a blocking ``fit`` runs on ipykernel 7.4, the kernel's event loop during
``await dash.fit``, the training thread itself when the main shell's messages
are pumped between batches on ipykernel 6 and 7.0–7.3: see
:mod:`nbcallbacks.compat.click_route`). They only call
:class:`~nbcallbacks.run_control.training_signals.TrainingSignals`; the training
thread applies the change at the next batch boundary and reports back via
:meth:`TrainingControls.show_message`.
"""

from __future__ import annotations

import html
import math
from typing import Any, SupportsFloat

import ipywidgets as widgets

from nbcallbacks.compat.ipywidgets_versions import tooltip_kwargs
from nbcallbacks.compat.subshell_routing import route_widgets
from nbcallbacks.records.formatting import format_value
from nbcallbacks.render.palette import THEMED
from nbcallbacks.run_control.training_signals import TrainingSignals

_MESSAGE_STYLE = "font:12px/1.4 system-ui,sans-serif;"


class TrainingControls:
    """The control row of a dashboard.

    Args:
        signals: where requests go.
        save_path: initial value of the "save to" box.

    Example:
        >>> signals = TrainingSignals()
        >>> controls = TrainingControls(signals)
        >>> controls.learning_rate_text.value = "0"            # refused, visibly
        >>> "positive" in controls.message.value, signals.take_learning_rate()
        (True, None)
        >>> controls.learning_rate_text.value = "3e-4"
        >>> signals.take_learning_rate()
        0.0003
    """

    def __init__(self, signals: TrainingSignals,
                 save_path: str = "checkpoints/manual.keras") -> None:
        self.signals = signals
        self.stop_button = widgets.Button(
            description="Stop", icon="stop", button_style="danger",
            tooltip="finish the current batch, then end training normally (History is kept)",
            layout=widgets.Layout(width="82px"))
        self.pause_button = widgets.ToggleButton(
            description="Pause", icon="pause", value=False,
            tooltip="wait between batches; press again to resume",
            layout=widgets.Layout(width="96px"))
        self.learning_rate_slider = widgets.FloatLogSlider(
            value=1e-3, base=10, min=-6, max=0, step=0.05, description="learning rate",
            readout=False, continuous_update=False, style={"description_width": "initial"},
            layout=widgets.Layout(width="200px"))
        self.learning_rate_text = widgets.Text(
            value="", placeholder="e.g. 3e-4", continuous_update=False,
            **tooltip_kwargs(widgets.Text, "type a rate and press Enter"),
            layout=widgets.Layout(width="86px"))
        # Grows into the row's free space, so that a path like the default
        # "checkpoints/manual.keras" is not cut off when there is room for it.
        self.save_path = widgets.Text(value=save_path, description="save to",
                                      continuous_update=True,
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(flex="1 1 220px", min_width="200px",
                                                            max_width="360px"))
        self.save_button = widgets.Button(
            description="Save now", icon="save",
            tooltip="write the model (.keras) or its weights (.weights.h5) at the next batch",
            layout=widgets.Layout(width="100px"))
        self.message = widgets.HTML(layout=widgets.Layout(margin="0 0 0 6px"))
        self.hint = widgets.HTML()
        self._syncing = False
        self.stop_button.on_click(self._on_stop)
        self.pause_button.observe(self._on_pause, "value")
        self.learning_rate_slider.observe(self._on_slider, "value")
        self.learning_rate_text.observe(self._on_text, "value")
        self.save_button.on_click(self._on_save)
        row = widgets.HBox(
            [self.stop_button, self.pause_button, self.learning_rate_slider,
             self.learning_rate_text, self.save_path, self.save_button],
            layout=widgets.Layout(align_items="center", flex_flow="row wrap", grid_gap="6px"))
        self.widget = widgets.VBox([row, self.message, self.hint])
        route_widgets(self.stop_button, self.pause_button, self.learning_rate_slider,
                      self.learning_rate_text, self.save_path, self.save_button)

    # -- handlers (any thread: signal only) -------------------------------------------
    def _on_stop(self, _button: object = None) -> None:
        self.signals.request_stop("stop")
        self.show_message("stop requested: training ends after the current batch")

    def _on_pause(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.signals.request_pause()
            self.show_message("paused between batches: press Resume to continue")
        else:
            self.signals.request_resume()
            self.show_message("resumed")
        self._show_pause_state(bool(change["new"]))

    def _on_slider(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        self._request_rate(change["new"])

    def _on_text(self, change: dict[str, Any]) -> None:
        if self._syncing or not str(change["new"]).strip():
            return
        self._request_rate(str(change["new"]).strip())

    def _request_rate(self, value: SupportsFloat | str) -> None:
        try:
            self.signals.request_learning_rate(value)
        except ValueError as error:
            self.show_message(f"refused: {error}", error=True)
            return
        self.show_message(f"learning rate {format_value(float(value))} requested: "
                          "applied at the next batch")

    def _on_save(self, _button: object = None) -> None:
        try:
            self.signals.request_save(self.save_path.value.strip())
        except ValueError as error:
            self.show_message(f"refused: {error}", error=True)
            return
        self.show_message(f"save requested: {self.save_path.value.strip()}")

    # -- updates from the training thread ------------------------------------------
    def show_message(self, text: str, error: bool = False) -> None:
        colour = THEMED.STOP if error else THEMED.SUCCESS
        self.message.value = (f'<span style="{_MESSAGE_STYLE}color:{colour}">'
                              f"{html.escape(text)}</span>")

    def show_hint(self, text_html: str) -> None:
        """Show an explanation (trusted HTML from the dashboard) under the controls."""
        self.hint.value = (f'<div style="{_MESSAGE_STYLE}color:{THEMED.ROUTINE}">{text_html}</div>'
                           if text_html else "")

    def show_learning_rate(self, rate: float | None) -> None:
        """Reflect the optimizer's current rate without sending a request."""
        if rate is None or not math.isfinite(rate) or rate <= 0:
            return
        self._syncing = True
        try:
            self.learning_rate_slider.value = rate
            self.learning_rate_text.value = f"{rate:.3g}"
        finally:
            self._syncing = False

    def _show_pause_state(self, paused: bool) -> None:
        self.pause_button.description = "Resume" if paused else "Pause"
        self.pause_button.icon = "play" if paused else "pause"
        self.pause_button.button_style = "warning" if paused else ""

    def set_running(self, running: bool) -> None:
        """Stop and Pause only make sense while a fit runs."""
        self.stop_button.disabled = not running
        if not running and self.pause_button.value:
            self.pause_button.value = False
        self.pause_button.disabled = not running
