"""The tables of a :class:`~nbcallbacks.schedules.schedule_preview_result.SchedulePreview`.

One row per epoch, in three layouts: the rate per epoch (with the first step
when ``steps_per_epoch`` is known), the first and last rate of each epoch for
a per-step ``LearningRateSchedule``, and the monitored value, wait counter
and cuts for ``ReduceLROnPlateau``. The notebook shows the rows as HTML
(:func:`~nbcallbacks.ui.value_table.value_table_html`); :func:`preview_text`
writes them as text for terminals and saved notebooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from nbcallbacks.records.formatting import format_learning_rate
from nbcallbacks.schedules.schedule_problems import problems_line

if TYPE_CHECKING:  # schedule_preview_result imports this module
    from nbcallbacks.schedules.schedule_preview_result import SchedulePreview

# Rows a text table shows before it elides the middle (marked rows always show).
TEXT_ROWS = 12


def preview_table_rows(preview: SchedulePreview
                       ) -> tuple[list[str], list[list[str]], dict[int, str]]:
    """Columns, formatted rows (one per epoch) and row marks (``"changed"``, ``"problem"``).

    Example:
        >>> from nbcallbacks import preview_schedule
        >>> columns, rows, marks = preview_table_rows(
        ...     preview_schedule([(0, 0.1), (2, 0.01)], epochs=3))
        >>> columns, rows, marks
        (['epoch', 'learning rate'], [['0', '0.1'], ['1', '0.1'], ['2', '0.01']], {2: 'changed'})
    """
    row_marks: dict[int, str] = {}
    if preview.plateau is not None:
        replay = preview.plateau
        assert preview.monitor is not None  # a ReduceLROnPlateau preview names its monitor
        cut_epochs = {r.epoch: r.new_lr for r in replay.reductions}
        columns = ["epoch", preview.monitor, "new best", "wait", "learning rate", "cut to"]
        rows = []
        for index, epoch in enumerate(preview.epochs.tolist()):
            value = replay.monitored[index]
            cut = cut_epochs.get(epoch)
            rows.append([str(epoch), "—" if np.isnan(value) else f"{value:.5g}",
                         "yes" if replay.improved[index] else "",
                         str(int(replay.wait[index])),
                         format_learning_rate(replay.learning_rates[index]),
                         "" if cut is None else format_learning_rate(cut)])
            if cut is not None:
                row_marks[index] = "changed"
        return columns, rows, row_marks
    if preview.per_step:
        columns = ["epoch", "steps", "rate at first step", "rate at last step"]
        rows = []
        per_epoch, steps = preview.steps_per_epoch, preview.steps
        assert per_epoch is not None and steps is not None  # a per-step preview knows both
        for index in range(preview.epoch_count):
            chunk = preview.learning_rates[index * per_epoch:(index + 1) * per_epoch]
            first_step = int(steps[index * per_epoch])
            rows.append([str(preview.first_epoch + index),
                         f"{first_step}-{first_step + per_epoch - 1}",
                         format_learning_rate(chunk[0]), format_learning_rate(chunk[-1])])
        return columns, rows, row_marks
    columns = ["epoch"] + (["first step"] if preview.steps is not None else []) + \
        ["learning rate"]
    rows = []
    previous = None
    problems = {p.epoch: p for p in preview.problems}
    stop = preview.stop_epoch
    for index, epoch in enumerate(preview.epochs.tolist()):
        rate = preview.learning_rates[index]
        row = [str(epoch)] + ([str(int(preview.steps[index]))]
                              if preview.steps is not None else [])
        if stop is not None and epoch >= stop:
            rows.append(row + ["stops here" if epoch == stop else "—"])
            if epoch == stop:
                row_marks[index] = "problem"
            continue
        rows.append(row + [format_learning_rate(rate)])
        if epoch in problems:
            row_marks[index] = "problem"
        elif previous is not None and rate != previous:
            row_marks[index] = "changed"
        previous = rate
    return columns, rows, row_marks


def preview_text(preview: SchedulePreview) -> str:
    """The summary, notes, problem and table as text; long tables keep their ends
    and every marked row, with ``...`` for the rows left out.

    Example:
        >>> from nbcallbacks import preview_schedule
        >>> print(preview_text(preview_schedule([(0, 0.1), (2, 0.01)], epochs=3)))
        2 (epoch, rate) pairs: 3 epochs (epochs 0-2); rate 0.1 -> 0.01 (min 0.01, max 0.1)
        epoch  learning rate
            0            0.1
            1            0.1
            2           0.01
    """
    lines = [preview.summary()]
    lines += [f"note: {n}" for n in preview.notes]
    if preview.problems:
        lines.append(f"PROBLEM at {problems_line(preview.problems)}")
    columns, rows, marks = preview_table_rows(preview)
    if len(rows) > TEXT_ROWS:
        # The first and last rows, and every marked row (problems, cuts), with "..." gaps.
        keep = sorted(set(range(TEXT_ROWS - 4)) | set(range(len(rows) - 3, len(rows)))
                      | set(marks))
        shown, last = [], -1
        for index in keep:
            if index != last + 1:
                shown.append(["..."] * len(columns))
            shown.append(rows[index])
            last = index
        rows = shown
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    lines.append("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)
