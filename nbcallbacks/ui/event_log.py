"""The dashboard's event log as HTML: what happened, at which epoch and step.

Only the newest events are listed (the count of earlier ones is shown), so
the panel and the saved notebook stay the same size; ``dashboard.events``
holds them all.
"""

from __future__ import annotations

import html

from nbcallbacks.records.events import Event
from nbcallbacks.render.event_colors import THEMED_KIND_COLORS
from nbcallbacks.render.palette import THEMED


def event_log_html(events: list[Event], last: int = 8) -> str:
    """HTML rows for the newest ``last`` events.

    Example:
        >>> from nbcallbacks.records.events import EventLog
        >>> log = EventLog(); _ = log.add(0, 12, "mark", "warm-up done")
        >>> "warm-up done" in event_log_html(log.snapshot())
        True
    """
    if not events:
        return ""
    shown = events[-last:]
    rows = []
    if len(events) > len(shown):
        rows.append(f'<div style="color:{THEMED.PLACEHOLDER}">'
                    f'… {len(events) - len(shown)} earlier events '
                    "(all in <code>dashboard.events</code>)</div>")
    for event in shown:
        colour = THEMED_KIND_COLORS.get(event.kind, THEMED.ROUTINE)
        # Three columns: a long position ("epoch 12 · step 1234") never runs into the
        # message, and a wrapped message stays in its own column.
        rows.append(
            f'<div style="display:flex;align-items:baseline;column-gap:1ch">'
            f'<span style="flex:none;min-width:15ch;color:{colour};font-weight:600">'
            f'{html.escape(event.kind)}</span>'
            f'<span style="flex:none;min-width:19ch;color:{THEMED.FAINT_TEXT};'
            'white-space:nowrap">'
            f"epoch {event.epoch + 1} · step {event.step}</span>"
            f'<span style="flex:1 1 0;min-width:0;overflow-wrap:anywhere">'
            f"{html.escape(event.message)}</span></div>")
    return ('<div style="font:12px/1.6 ui-monospace,Menlo,Consolas,monospace;margin-top:4px">'
            f'<div style="font-weight:600;color:{THEMED.TEXT}">events</div>'
            + "".join(rows) + "</div>")
