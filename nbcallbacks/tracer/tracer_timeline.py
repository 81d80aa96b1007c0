"""The callback tracer's live view: a filterable timeline of hook calls, as ipywidgets.

A checkbox folds batch-level hooks, a text box filters by hook name, and the
timeline (an ``ipywidgets.HTML``) is replaced in place while ``fit`` runs, so
nothing is cleared and nothing flickers. The timeline keeps itself scrolled
to the newest call and lists at most ``max_entries`` entries; every call stays
in ``tracer.calls``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from nbcallbacks.compat.ipywidgets_versions import tooltip_kwargs
from nbcallbacks.render.palette import THEMED
from nbcallbacks.tracer.hook_call import HookCall, format_log_value
from nbcallbacks.tracer.hook_timeline import FoldedBatches, timeline_entries
from nbcallbacks.ui.theme_style import theme_style

METHOD_COLORS = {"fit": THEMED.TRAIN, "evaluate": THEMED.VALIDATION_TEXT,
                 "predict": THEMED.PREDICT}
_FONT = "font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
_HOOK_STYLE = {"method": f"font-weight:700;color:{THEMED.HEADING};",
               "epoch": f"color:{THEMED.HEADING};",
               "batch": f"color:{THEMED.FAINT_TEXT};"}


def timeline_html(calls: Sequence[HookCall], batches: bool = True, hook_filter: str | None = None,
                  max_entries: int = 400, height: int = 420) -> str:
    """The timeline as HTML: one table row per entry, a header row per Keras method call.

    Example:
        >>> calls = [HookCall("on_train_begin", "fit", 1, 0, None, None, {}, 0.0),
        ...          HookCall("on_epoch_end", "fit", 1, 0, 0, 0, {"loss": 0.5}, 0.1)]
        >>> page = timeline_html(calls)
        >>> "fit #1" in page and "on_epoch_end" in page and ">0.5000<" in page
        True
    """
    entries = timeline_entries(calls, batches, hook_filter)
    rows = []
    hidden = max(0, len(entries) - max_entries)
    if hidden:
        rows.append(f'<tr><td colspan="3" style="color:{THEMED.PLACEHOLDER};padding:2px 8px">'
                    f'… {hidden:,} '
                    f"earlier entries (all calls are in <code>tracer.calls</code>)</td></tr>")
    run = None
    for entry in entries[hidden:]:
        if entry.run != run:
            run = entry.run
            color = METHOD_COLORS.get(entry.method, THEMED.SECONDARY_TEXT)
            rows.append(f'<tr><td colspan="3" style="padding:6px 8px 2px;color:{color};'
                        f'font-weight:700;border-bottom:1px solid {color}">'
                        f"{html.escape(entry.method)} #{entry.run}</td></tr>")
        rows.append(_row(entry))
    if not entries:
        message = "no hook calls yet" if not calls else "no hook matches the filter"
        rows.append(f'<tr><td style="color:{THEMED.PLACEHOLDER};padding:4px 8px">'
                    f'{message}</td></tr>')
    # column-reverse keeps the scroll position at the bottom: the newest call stays in view.
    return (f'<div style="{_FONT}max-height:{height}px;overflow:auto;display:flex;'
            f'flex-direction:column-reverse;border:1px solid {THEMED.BORDER};border-radius:4px">'
            f'<div><table style="border-collapse:collapse;width:100%">{"".join(rows)}'
            f"</table></div></div>")


def _row(entry: HookCall | FoldedBatches) -> str:
    indent = 12 + 18 * entry.depth
    if isinstance(entry, FoldedBatches):
        return (f'<tr><td style="color:{THEMED.TIMESTAMP};padding:0 8px;white-space:nowrap"></td>'
                f'<td colspan="2" style="padding:0 8px 0 {indent}px;color:{THEMED.DIM_TEXT};'
                'font-style:italic">'
                f"… {html.escape(entry.describe())}</td></tr>")
    call: HookCall = entry
    argument = f"{call.index_name}={call.index}" if call.index_name else ""
    logs = " ".join(f'{html.escape(key)}=<span style="color:{THEMED.VALUE}">'
                    f"{html.escape(format_log_value(value))}</span>"
                    for key, value in call.logs.items())
    # Validation inside fit is an evaluate in disguise: say so where it starts.
    tag = (f' <span style="color:{THEMED.VALIDATION_TEXT};font-weight:400;font-size:11px">'
           'validation</span>'
           if call.depth and call.hook == "on_test_begin" else "")
    # A faint line before each epoch keeps the epochs apart in a long list.
    row_style = (f' style="border-top:1px solid {THEMED.ROW_RULE}"'
                 if call.hook == "on_epoch_begin" else "")
    return (f'<tr{row_style}><td style="color:{THEMED.TIMESTAMP};padding:0 8px;white-space:nowrap;'
            f'text-align:right">{call.time:.3f}s</td>'
            f'<td style="padding:0 8px 0 {indent}px;white-space:nowrap;'
            f'{_HOOK_STYLE[call.level]}">{html.escape(call.hook)}'
            f'<span style="color:{THEMED.PLACEHOLDER};font-weight:400">({argument})</span>'
            f'{tag}</td>'
            f'<td style="padding:0 8px;color:{THEMED.TEXT}">{logs}</td></tr>')


class TracerTimeline:
    """The widget tree: a controls row (fold batch hooks, filter) above the timeline.

    Args:
        source: returns the calls to show (the tracer's ``calls``).
        show_batches: whether batch-level hooks start unfolded (default True).
        max_entries: most timeline entries listed (default 400).

    Example:
        >>> calls = [HookCall("on_predict_begin", "predict", 1, 0, None, None, {}, 0.0)]
        >>> timeline = TracerTimeline(lambda: calls)
        >>> timeline.refresh()
        >>> "predict #1" in timeline.body.value
        True
        >>> timeline.filter.value = "epoch"             # re-renders on change
        >>> "no hook matches the filter" in timeline.body.value
        True
    """

    def __init__(self, source: Callable[[], list], show_batches: bool = True,
                 max_entries: int = 400, note: Callable[[], str] | None = None) -> None:
        self._source = source
        self._note = note
        self.max_entries = max_entries
        self.batches = widgets.Checkbox(
            value=show_batches, description="batch hooks", indent=False,
            **tooltip_kwargs(widgets.Checkbox, "show every batch-level call; "
                             "off: fold each run of them into one line"),
            layout=widgets.Layout(width="120px"))
        self.filter = widgets.Text(
            placeholder="filter hooks: epoch, test, predict …", continuous_update=True,
            layout=widgets.Layout(width="280px"))
        self.counts = widgets.HTML(layout=widgets.Layout(margin="0 0 0 12px"))
        self.body = widgets.HTML()
        self.widget = widgets.VBox(
            [theme_style(), widgets.HBox([self.batches, self.filter, self.counts]), self.body],
            layout=widgets.Layout(width="100%", max_width="1000px"))
        self.batches.observe(self._changed, names="value")
        self.filter.observe(self._changed, names="value")
        self.refresh()

    def _changed(self, change: dict[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Render the current calls with the current controls (replaces the HTML in place)."""
        calls = self._source()
        self.body.value = self.html(calls)
        runs = list(dict.fromkeys(f"{call.method} #{call.run}" for call in calls))
        note = self._note() if self._note is not None else ""
        self.counts.value = (f'<span style="{_FONT}color:{THEMED.TICK}">{len(calls):,} calls'
                             + "".join(f" · {html.escape(run)}" for run in runs[-4:])
                             + (f" · {html.escape(note)}" if note else "") + "</span>")

    def html(self, calls: Sequence[HookCall] | None = None) -> str:
        """The timeline HTML as the controls set it (also the static copy for saved notebooks)."""
        calls = self._source() if calls is None else calls
        return timeline_html(calls, self.batches.value, self.filter.value, self.max_entries)
