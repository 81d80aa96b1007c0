"""A compact HTML table of already formatted values, in a scroll box, with marked rows.

Used for the learning rate per epoch of a schedule preview: long schedules
stay a fixed height on the page and scroll.
"""

from __future__ import annotations

import html

from nbcallbacks.render.palette import THEMED

_STYLE = (
    "<style>"
    ".nbcb-values{max-height:260px;overflow-y:auto;display:inline-block;"
    f"border:1px solid {THEMED.LIGHT_BORDER};border-radius:4px;}}"
    ".nbcb-values table{border-collapse:collapse;"
    "font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;}"
    f".nbcb-values th{{position:sticky;top:0;background:{THEMED.HEADER_BACKGROUND};"
    "font-weight:600;text-align:right;"
    f"padding:2px 10px;border-bottom:1px solid {THEMED.RULE};color:{THEMED.TEXT};}}"
    f".nbcb-values td{{text-align:right;padding:1px 10px;color:{THEMED.BODY_TEXT};}}"
    f".nbcb-values tr.changed td{{background:{THEMED.HIGHLIGHT_BACKGROUND};}}"
    f".nbcb-values tr.problem td{{background:{THEMED.PROBLEM_BACKGROUND};"
    f"color:{THEMED.PROBLEM_STRONG};font-weight:600;}}"
    "</style>"
)


def value_table_html(columns: list[str], rows: list[list[str]],
                     row_classes: dict[int, str] | None = None) -> str:
    """HTML for ``rows`` of strings under ``columns``; ``row_classes`` marks rows.

    Known classes: ``"changed"`` (light blue) and ``"problem"`` (red).

    Example:
        >>> page = value_table_html(["epoch", "learning rate"], [["0", "0.1"], ["1", "0.05"]],
        ...                         {1: "changed"})
        >>> page.count("<tr"), 'class="changed"' in page
        (3, True)
    """
    row_classes = row_classes or {}
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for index, row in enumerate(rows):
        css = row_classes.get(index)
        attribute = f' class="{css}"' if css else ""
        cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
        body.append(f"<tr{attribute}>{cells}</tr>")
    return (f'{_STYLE}<div class="nbcb-values"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")
