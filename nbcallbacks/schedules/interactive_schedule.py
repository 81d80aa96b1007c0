"""``interactive_schedule``: sliders for a schedule's arguments, the preview redrawn on each change.

Write the schedule as a factory with numeric keyword arguments —
``def warmup_cosine(base=1e-3, warmup=5, floor=1e-5)`` returning a
``schedule(epoch, lr)`` function or a ``LearningRateSchedule`` — or as a
schedule with tuning arguments, ``def schedule(epoch, lr, warmup=5)``. Each
numeric argument gets a slider; moving one rebuilds the schedule and redraws
its :func:`~nbcallbacks.preview_schedule` preview. The chosen schedule is
``.schedule``, ready for ``LearningRateScheduler`` (``.callback()``) or the
optimizer.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

import keras

from nbcallbacks.render.palette import THEMED
from nbcallbacks.schedules.schedule_parameters import build_schedule, schedule_parameters
from nbcallbacks.schedules.schedule_preview import SchedulePreview, preview_schedule
from nbcallbacks.ui.result_bundle import result_mimebundle

if TYPE_CHECKING:  # the widgets are imported when first shown: they import ipywidgets
    import numpy as np

    from nbcallbacks.schedules.parameter_sliders import ParameterSliders
    from nbcallbacks.schedules.schedule_preview_panel import SchedulePreviewPanel


class InteractiveSchedule:
    """A schedule factory with sliders and a live preview.

    Created by :func:`interactive_schedule`; displays itself as the sliders
    above the preview (a PNG of the current preview in saved notebooks).

    Attributes:
        values: the current value of each tuned argument.
        schedule: the schedule built from ``values`` — a ``schedule(epoch, lr)``
            function for ``keras.callbacks.LearningRateScheduler``, or a
            ``LearningRateSchedule`` for the optimizer.
        preview: its :class:`~nbcallbacks.schedules.schedule_preview_result.SchedulePreview`.
        error: why the last change could not be previewed (the factory
            raised), or None; ``schedule`` and ``preview`` then keep the last
            good values.
    """

    def __init__(self, factory: Callable, epochs: int, *, initial_lr: Any = None,
                 steps_per_epoch: int | None = None, initial_epoch: int = 0,
                 values: Mapping[str, float] | None = None,
                 ranges: Mapping[str, tuple] | None = None) -> None:
        if not callable(factory):
            raise TypeError(f"interactive_schedule needs a function, got {type(factory).__name__}")
        self.factory = factory
        self.specs = schedule_parameters(factory, values, ranges)
        self._fixed = {k: v for k, v in (values or {}).items()
                       if k not in {spec.name for spec in self.specs}}
        self._preview_arguments: dict[str, Any] = dict(
            epochs=epochs, initial_lr=initial_lr, steps_per_epoch=steps_per_epoch,
            initial_epoch=initial_epoch)
        self.values = {spec.name: spec.value for spec in self.specs}
        self.error: str | None = None
        self._holding = False
        self._sliders: ParameterSliders | None = None
        self._panel: SchedulePreviewPanel | None = None
        # The first build must work: a factory that fails on its defaults is a plain error.
        self.schedule, self.preview = self._build(self.values)

    # -- changing values ------------------------------------------------------------------
    def set(self, **values: float) -> InteractiveSchedule:
        """Change some values (the sliders follow) and redraw.

        Example:
            >>> def step_decay(drop=0.5, every=10):
            ...     return lambda epoch, lr: lr * drop if epoch and epoch % every == 0 else lr
            >>> tuner = interactive_schedule(step_decay, epochs=30, initial_lr=0.1)
            >>> tuner.set(drop=0.1).preview.learning_rates[[9, 10]].tolist()
            [0.10000000149011612, 0.009999999776482582]
        """
        unknown = [name for name in values if name not in self.values]
        if unknown:
            raise ValueError(f"no slider for {unknown}; the sliders are {list(self.values)}")
        if self._sliders is not None:
            self._holding = True  # one redraw for all the values, not one per slider
            try:
                for name, value in values.items():
                    self._sliders.show_value(name, value)
            finally:
                self._holding = False
        self._changed({**self.values, **values})
        return self

    def _build(self, values: Mapping[str, float]) -> tuple[object, SchedulePreview]:
        schedule = build_schedule(self.factory, {**self._fixed, **values})
        preview = preview_schedule(schedule, **self._preview_arguments)
        name = getattr(self.factory, "__name__", "schedule")
        arguments = ", ".join(f"{k}={_short(v)}" for k, v in values.items())
        preview.name = f"{name}({arguments})"
        return schedule, preview

    def _changed(self, values: dict) -> None:
        if self._holding:
            return
        try:
            schedule, preview = self._build(values)
        except Exception as error:  # noqa: BLE001 - shown next to the sliders, not raised
            self.error = f"{type(error).__name__}: {error}"
            if self._panel is not None:
                self._panel.show_error(f"{self.factory.__name__} failed with these values: "
                                       f"{self.error}")
            return
        self.values, self.schedule, self.preview, self.error = dict(values), schedule, preview, None
        if self._panel is not None:
            self._panel.show_preview(preview)

    # -- using the result -----------------------------------------------------------------
    @property
    def learning_rates(self) -> np.ndarray:
        """The current preview's rates (see :attr:`SchedulePreview.learning_rates`)."""
        return self.preview.learning_rates

    def callback(self, verbose: int = 0) -> keras.callbacks.LearningRateScheduler:
        """A ``LearningRateScheduler`` with the current schedule.

        Raises ``TypeError`` for a ``LearningRateSchedule``, which belongs to
        the optimizer (``keras.optimizers.Adam(learning_rate=tuner.schedule)``).
        """
        if isinstance(self.schedule, keras.optimizers.schedules.LearningRateSchedule):
            raise TypeError("this schedule is a LearningRateSchedule: pass it to the optimizer, "
                            "keras.optimizers.Adam(learning_rate=tuner.schedule)")
        return keras.callbacks.LearningRateScheduler(self.schedule, verbose=verbose)

    # -- display --------------------------------------------------------------------------
    @property
    def widget(self) -> Any:
        """Sliders above the preview panel (built on first use)."""
        if self._panel is None:
            import ipywidgets as widgets

            from nbcallbacks.schedules.parameter_sliders import ParameterSliders
            from nbcallbacks.schedules.schedule_preview_panel import SchedulePreviewPanel

            self._sliders = ParameterSliders(self.specs, on_change=self._changed)
            self._holding = True   # values set before the first display: the sliders start there
            try:
                for name, value in self.values.items():
                    self._sliders.show_value(name, value)
            finally:
                self._holding = False
            self._panel = SchedulePreviewPanel()
            self._panel.show_preview(self.preview)
            hint = widgets.HTML(
                f"<small style='color:{THEMED.FAINT_TEXT}'>Move a slider to redraw. "
                "Use the chosen schedule "
                "with <code>tuner.schedule</code> or <code>tuner.callback()</code>; "
                "<code>tuner.values</code> holds the values.</small>")
            sliders = self._sliders.widget if self.specs else widgets.HTML(
                f"<i>{html.escape(self.factory.__name__)} has no numeric arguments to "
                f"tune</i>")
            self._box = widgets.VBox([sliders, hint, self._panel.widget])
        return self._box

    def __str__(self) -> str:
        return str(self.preview)

    def __repr__(self) -> str:
        return f"<InteractiveSchedule {self.preview.name}>"

    def _repr_mimebundle_(self, include: Collection[str] | None = None,
                          exclude: Collection[str] | None = None) -> dict[str, Any]:
        return result_mimebundle(str(self), png=self.preview.png(), widget=lambda: self.widget)


def _short(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else repr(value)


def interactive_schedule(factory: Callable, epochs: int = 30, *, initial_lr: Any = None,
                         steps_per_epoch: int | None = None, initial_epoch: int = 0,
                         values: Mapping[str, float] | None = None,
                         ranges: Mapping[str, tuple] | None = None) -> InteractiveSchedule:
    """Sliders for the numeric arguments of ``factory``, with a live schedule preview.

    Args:
        factory: ``factory(**values) -> schedule`` (a ``schedule(epoch, lr)``
            function or a ``LearningRateSchedule``), or a schedule with tuning
            arguments, ``schedule(epoch, lr, **values)``. Arguments with an int
            or float default get a slider: integer sliders for ints, log-scale
            sliders for rates (small positive floats, or names with "lr" or
            "rate"), [0, 1] for other fractions.
        epochs: epochs to preview (default 30).
        initial_lr: the optimizer's starting rate (see :func:`preview_schedule`;
            default 0.001).
        steps_per_epoch: batches per epoch; needed when the factory returns a
            ``LearningRateSchedule`` (default None).
        initial_epoch: as in ``fit`` (default 0).
        values: starting values by argument name, overriding defaults (and
            supplying arguments without one).
        ranges: slider range by argument name: ``(min, max)`` or
            ``(min, max, step)``.

    Returns:
        An :class:`InteractiveSchedule`; display it (last line of a cell) to
        get the sliders.

    Example:
        >>> import math
        >>> def warmup_cosine(base=1e-3, warmup=5, floor=1e-5, total=30):
        ...     def schedule(epoch, lr):
        ...         if epoch < warmup:
        ...             return base * (epoch + 1) / warmup
        ...         progress = (epoch - warmup) / max(1, total - warmup)
        ...         return floor + (base - floor) * 0.5 * (1 + math.cos(math.pi * progress))
        ...     return schedule
        >>> tuner = interactive_schedule(warmup_cosine, epochs=30)
        >>> [spec.name for spec in tuner.specs]
        ['base', 'warmup', 'floor', 'total']
        >>> round(float(tuner.learning_rates.max()), 6)
        0.001
        >>> round(float(tuner.set(base=3e-3).learning_rates.max()), 6)
        0.003
    """
    return InteractiveSchedule(factory, epochs, initial_lr=initial_lr,
                               steps_per_epoch=steps_per_epoch, initial_epoch=initial_epoch,
                               values=values, ranges=ranges)
