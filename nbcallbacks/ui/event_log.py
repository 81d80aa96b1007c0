"""The dashboard's event log as HTML: what happened, at which epoch and step.

Only the newest events are listed (the count of earlier ones is shown), so
the panel and the saved notebook stay the same size; ``dashboard.events``
holds them all.
"""

from __future__ import annotations

import html

from nbcallbacks.core.events import Event
from nbcallbacks.render.event_colors import KIND_COLORS

def event_log_html(events: list[Event], last: int = 8) -> str:
    """HTML rows for the newest ``last`` events.

    Example:
        >>> from nbcallbacks.core.events import EventLog
        >>> log = EventLog(); _ = log.add(0, 12, "mark", "warm-up done")
        >>> "warm-up done" in event_log_html(log.snapshot())
        True
    """
    if not events:
        return ""
    shown = events[-last:]
    rows = []
    if len(events) > len(shown):
        rows.append(f'<div style="color:#888">… {len(events) - len(shown)} earlier events '
                    "(all in <code>dashboard.events</code>)</div>")
    for event in shown:
        colour = KIND_COLORS.get(event.kind, "#5f6368")
        rows.append(
            f'<div><span style="display:inline-block;min-width:118px;color:{colour};'
            f'font-weight:600">{html.escape(event.kind)}</span>'
            f'<span style="color:#666;display:inline-block;min-width:130px">epoch {event.epoch + 1}'
            f" · step {event.step}</span>{html.escape(event.message)}</div>")
    return ('<div style="font:12px/1.6 ui-monospace,Menlo,Consolas,monospace;margin-top:4px">'
            '<div style="font-weight:600;color:#333">events</div>' + "".join(rows) + "</div>")
