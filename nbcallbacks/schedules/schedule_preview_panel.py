"""The schedule preview as widgets: summary, problem notice, chart, log-scale toggle, table.

``show_preview(preview)`` shows a :class:`~nbcallbacks.SchedulePreview`
(the interactive schedule calls it on each slider change, replacing
everything at once); the toggle asks the preview for a new chart. ``show``
takes the parts as they are, for a caller with no preview.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from nbcallbacks.render.palette import THEMED
from nbcallbacks.schedules.schedule_preview_table import preview_table_rows
from nbcallbacks.schedules.schedule_problems import problems_line
from nbcallbacks.ui.theme_style import theme_style
from nbcallbacks.ui.value_table import value_table_html

if TYPE_CHECKING:
    from nbcallbacks.schedules.schedule_preview_result import SchedulePreview

_TEXT_STYLE = ("font:13px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
               f"color:{THEMED.BODY_TEXT};")
_PROBLEM_STYLE = (_TEXT_STYLE + f"color:{THEMED.PROBLEM_TEXT};"
                  f"background:{THEMED.PROBLEM_BACKGROUND};"
                  f"border-left:4px solid {THEMED.PROBLEM};"
                  "padding:6px 10px;border-radius:3px;")


class SchedulePreviewPanel:
    """Widgets of one schedule preview.

    Args:
        render: ``render(log_scale) -> PNG bytes`` for the current schedule
            (``show_preview`` sets it to the preview's chart).
        log_scale: start with a log-scale rate axis (default False).
        width: chart width in pixels (default 760).

    Example:
        >>> calls = []
        >>> panel = SchedulePreviewPanel(lambda log: calls.append(log) or b"")
        >>> panel.show("<b>step decay</b>", "", "<table></table>")
        >>> panel.log_scale.value = True
        >>> calls
        [False, True]
    """

    def __init__(self, render: Callable[[bool], bytes] = lambda log_scale: b"",
                 log_scale: bool = False,
                 width: int = 760) -> None:
        self._render = render
        self.summary = widgets.HTML()
        self.problem = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width="100%", max_width=f"{width}px", height="auto"))
        self.log_scale = widgets.ToggleButton(
            value=log_scale, description="log scale", icon="line-chart",
            tooltip="logarithmic learning-rate axis", layout=widgets.Layout(width="110px"))
        self.log_scale.observe(self._redraw, "value")
        self.table = widgets.HTML()
        # Collapsed: ipywidgets 8's default; 7 would open the first page.
        self.table_box = widgets.Accordion(children=[self.table], selected_index=None)
        self.table_box.set_title(0, "values")
        self.widget = widgets.VBox(
            [theme_style(), self.summary, self.problem, self.image, self.log_scale,
             self.table_box],
            layout=widgets.Layout(width="100%", max_width=f"{width + 20}px"))

    def show_preview(self, preview: SchedulePreview) -> None:
        """Show ``preview``: its summary and notes, its problems, its chart and its table."""
        notes = "".join(f"<br><small style='color:{THEMED.FAINT_TEXT}'>{html.escape(n)}</small>"
                        for n in preview.notes)
        summary = (f"<b>Learning-rate preview</b> &nbsp;·&nbsp; "
                   f"{html.escape(preview.summary())}{notes}")
        self.show(summary, problems_line(preview.problems),
                  value_table_html(*preview_table_rows(preview)),
                  render=lambda log_scale: preview.png(log_scale=log_scale))

    def show(self, summary_html: str, problem_text: str, table_html: str,
             render: Callable[[bool], bytes] | None = None) -> None:
        """Replace summary, problem notice (plain text, empty for none), table and chart."""
        if render is not None:
            self._render = render
        self.summary.value = f'<div style="{_TEXT_STYLE}">{summary_html}</div>'
        self.problem.value = (f'<div style="{_PROBLEM_STYLE}">{html.escape(problem_text)}</div>'
                              if problem_text else "")
        self.table.value = table_html
        self._redraw()

    def show_error(self, text: str) -> None:
        """Show a problem notice only (the chart and table keep their last content)."""
        self.problem.value = f'<div style="{_PROBLEM_STYLE}">{html.escape(text)}</div>'

    def _redraw(self, _change: dict[str, Any] | None = None) -> None:
        self.image.value = self._render(bool(self.log_scale.value))
