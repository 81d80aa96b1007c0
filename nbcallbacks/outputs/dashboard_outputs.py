"""Which outputs a :class:`~nbcallbacks.Dashboard` gets, once its output mode is known.

The one place that turns a mode (``output_mode``: ``"widget"``, ``"console"`` or
``"none"``) and the dashboard's settings into the list the dashboard tells
everything to: the widget panel (with the sweep it may join), printed lines, a
PNG file, a run directory, or nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nbcallbacks.chart.chart_choice import choose_chart
from nbcallbacks.outputs.console_output import ConsoleOutput
from nbcallbacks.outputs.dashboard_output import DashboardOutput
from nbcallbacks.outputs.null_output import NullOutput
from nbcallbacks.outputs.png_file_output import PngFileOutput
from nbcallbacks.outputs.run_log_output import RunLogOutput
from nbcallbacks.render.view_options import ViewOptions

if TYPE_CHECKING:
    from nbcallbacks.dashboard.dashboard import Dashboard
    from nbcallbacks.notebook.frontend import Frontend


def dashboard_outputs(dashboard: Dashboard, mode: str, frontend: Frontend, *,
                      view: ViewOptions, on_view_change: Callable[[ViewOptions], None],
                      width: int) -> list[DashboardOutput]:
    """The outputs of ``dashboard`` in ``mode``; ``[NullOutput()]`` when it shows nothing.

    ``view``, ``on_view_change`` and ``width`` are the frame pipeline's, which the
    widget panel's view controls drive.

    Example:
        >>> from nbcallbacks import Dashboard
        >>> from nbcallbacks.notebook.frontend import Frontend
        >>> dash = Dashboard(output="console", png_path="plot.png")
        >>> outputs = dashboard_outputs(dash, "console", Frontend(False, "script", False),
        ...                             view=ViewOptions(), on_view_change=print, width=960)
        >>> [type(output).__name__ for output in outputs]
        ['ConsoleOutput', 'PngFileOutput']
    """
    outputs: list[DashboardOutput] = []
    console = None
    if mode == "widget":
        # Imported here: scripts and consoles never load the widget stack.
        from nbcallbacks.outputs.sweep_output import SweepOutput
        from nbcallbacks.outputs.widget_output import WidgetOutput

        chart, _why = choose_chart(dashboard.chart, frontend)
        widget = WidgetOutput(
            dashboard.history, dashboard.events, dashboard.signals, title=dashboard.title,
            view=view, on_view_change=on_view_change, width=width,
            controls=dashboard.show_controls, save_path=dashboard.save_path, chart=chart,
            scale=dashboard.scale)
        outputs += [widget, SweepOutput(dashboard, fold=widget.fold)]
    elif mode == "console":
        console = ConsoleOutput()
        outputs.append(console)
    if dashboard.png_path is not None:
        outputs.append(PngFileOutput(dashboard.png_path,
                                     announce=console.note if console else None))
    if dashboard.log_dir is not None and dashboard.role.is_chief:
        outputs.append(RunLogOutput(dashboard.history, dashboard.log_dir, dashboard.run,
                                    dashboard.hyperparameters))
    return outputs or [NullOutput()]
