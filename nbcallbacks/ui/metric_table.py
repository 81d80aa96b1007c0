"""The per-epoch metric table as HTML, with each metric's best value highlighted.

Only the most recent epochs are listed (plus a "best" row), so the table and
the saved notebook stay the same size however long training runs; the full
record is in ``dashboard.history``.
"""

from __future__ import annotations

import html
import math

from nbcallbacks.records.formatting import format_value
from nbcallbacks.records.metric_columns import table_columns
from nbcallbacks.records.metric_names import higher_is_better, is_learning_rate, is_validation
from nbcallbacks.render.palette import THEMED

_STYLE = (
    "<style>"
    ".nbcb-table{border-collapse:collapse;font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;}"
    ".nbcb-table th{font-weight:600;text-align:right;padding:2px 10px;"
    f"border-bottom:1px solid {THEMED.RULE};"
    f"color:{THEMED.TEXT};}}"
    f".nbcb-table td{{text-align:right;padding:1px 10px;color:{THEMED.BODY_TEXT};}}"
    f".nbcb-table tr.latest td{{background:{THEMED.HIGHLIGHT_BACKGROUND};}}"
    f".nbcb-table td.best{{background:{THEMED.GOOD_BACKGROUND};color:{THEMED.GOOD_TEXT};"
    "font-weight:700;}"
    f".nbcb-table tr.bestrow td{{border-top:1px solid {THEMED.RULE};color:{THEMED.GOOD_TEXT};}}"
    f".nbcb-table .train{{color:{THEMED.TRAIN};}} "
    f".nbcb-table .val{{color:{THEMED.VALIDATION_TEXT};}}"
    "</style>"
)


def best_epochs(rows: list[dict], columns: list[str]) -> dict[str, int]:
    """Index (into ``rows``) of the best finite value of each column."""
    best = {}
    for column in columns:
        if is_learning_rate(column):
            continue
        bigger = higher_is_better(column)
        chosen = None
        for index, row in enumerate(rows):
            value = row.get(column)
            if value is None or not math.isfinite(value):
                continue
            if chosen is None or (value > rows[chosen][column] if bigger
                                  else value < rows[chosen][column]):
                chosen = index
        if chosen is not None:
            best[column] = chosen
    return best


def metric_table_html(rows: list[dict], last: int = 8) -> str:
    """HTML for the last ``last`` epochs of ``rows`` (dicts with ``epoch`` + log keys).

    Example:
        >>> rows = [{"epoch": 0, "loss": 0.9, "val_loss": 1.0},
        ...         {"epoch": 1, "loss": 0.5, "val_loss": 1.2}]
        >>> page = metric_table_html(rows)
        >>> page.count('class="best"')   # loss at epoch 2, val_loss at epoch 1
        2
    """
    if not rows:
        return ""
    keys = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    columns = table_columns(keys)
    best = best_epochs(rows, columns)
    shown = range(max(0, len(rows) - last), len(rows))
    head = "".join(
        f'<th class="{"val" if is_validation(c) else "train"}">{html.escape(c)}</th>'
        for c in columns)
    body = []
    if shown.start > 0:
        body.append(f'<tr><td colspan="{len(columns) + 1}" '
                    f'style="text-align:left;color:{THEMED.PLACEHOLDER}">'
                    f"… {shown.start} earlier epochs "
                    "(all in <code>dashboard.history</code>)</td></tr>")
    for index in shown:
        row = rows[index]
        cells = "".join(
            ('<td class="best">' if best.get(c) == index else "<td>")
            + f"{format_value(row.get(c))}</td>" for c in columns)
        latest = ' class="latest"' if index == len(rows) - 1 else ""
        body.append(f"<tr{latest}><td>{int(row['epoch']) + 1}</td>{cells}</tr>")
    best_cells = "".join(
        f"<td>{format_value(rows[best[c]][c])} "
        f"<small>(ep {int(rows[best[c]]['epoch']) + 1})</small></td>"
        if c in best else "<td></td>" for c in columns)
    body.append(f'<tr class="bestrow"><td>best</td>{best_cells}</tr>')
    return (f'{_STYLE}<table class="nbcb-table"><thead><tr><th>epoch</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")
