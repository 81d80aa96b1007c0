"""``compare``: several runs side by side, as a chart and a run table.

Example:
    >>> import nbcallbacks
    >>> comparison = nbcallbacks.compare({"loss": [0.9, 0.5, 0.4]}, {"loss": [0.8, 0.7, 0.6]})
    >>> [row["run"] for row in comparison.table()], comparison.table()[0]["best loss"]
    (['run 1', 'run 2'], 0.4000000059604645)
"""

from __future__ import annotations

import base64
import html

from nbcallbacks.core.formatting import format_value
from nbcallbacks.render.comparison_figure import comparison_panels, comparison_png
from nbcallbacks.render.palette import THEME_STYLESHEET
from nbcallbacks.runs.run_record import RunRecord
from nbcallbacks.runs.run_sources import load_runs
from nbcallbacks.ui.value_table import value_table_html


def compare(*sources, metrics=None, width: int = 960) -> Comparison:
    """Runs overlaid in one chart, with a table of their settings and best values.

    Args:
        *sources: any mix of ``Dashboard``s, Keras ``History`` objects (what ``fit``
            returns) or their ``.history`` dicts, ``CSVLogger`` files, directories
            written by ``keras.callbacks.TensorBoard``, run directories written with
            ``Dashboard(log_dir=...)`` and the ``log_dir`` holding them, and lists of these.
        metrics: the metric panels to show (default: every metric a run logged per epoch).
        width: the chart's width in pixels.

    Returns:
        a :class:`Comparison`, shown as the cell's value; ``.table()`` has the numbers.

    Raises:
        ValueError: a path that holds no run (the message says what it holds), or a
            metric no run logged.
    """
    runs = load_runs(*sources)
    if not runs:
        raise ValueError("compare() needs at least one run: a Dashboard, a History, a "
                         "CSVLogger file or a log directory")
    return Comparison(runs, comparison_panels(runs, metrics), width=width)


class Comparison:
    """Runs compared: :attr:`runs`, :meth:`table`, :meth:`png`; shown as chart and table."""

    def __init__(self, runs: list[RunRecord], panels: list[str], width: int = 960):
        self.runs = runs
        self.panels = panels
        self.width = width

    def table(self) -> list[dict]:
        """One row per run: its name, hyperparameters, best value of each panel's metric
        (validation when logged) with its epoch, training seconds and how it ended."""
        rows = []
        for run in self.runs:
            row = {"run": run.name, **run.hyperparameters}
            for panel in self.panels:
                key = "val_" + panel if "val_" + panel in run.metric_names() else panel
                best = run.best(key)
                row[f"best {key}"] = best[0] if best else None
                row[f"best {key} epoch"] = best[1] if best else None
            row["seconds"] = run.duration()
            row["status"] = run.status
            rows.append(row)
        return rows

    def to_pandas(self):
        """:meth:`table` as a ``pandas.DataFrame`` (needs pandas)."""
        import pandas

        return pandas.DataFrame(self.table())

    def png(self) -> bytes:
        """The chart as PNG bytes."""
        return comparison_png(self.runs, self.panels, width=self.width)

    def table_html(self) -> str:
        rows = self.table()
        columns = list(dict.fromkeys(key for row in rows for key in row))
        cells = [[_cell(row.get(column)) for column in columns] for row in rows]
        return value_table_html(columns, cells)

    def __repr__(self) -> str:
        return f"Comparison of {len(self.runs)} runs: {', '.join(r.name for r in self.runs)}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        png = self.png()
        image = base64.b64encode(png).decode("ascii")
        page = (f"{THEME_STYLESHEET}<div><img alt='{html.escape(repr(self))}' "
                f"src='data:image/png;base64,{image}' style='max-width:100%'>"
                f"{self.table_html()}</div>")
        return {"text/plain": repr(self), "text/html": page, "image/png": image}


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return format_value(value)
    return str(value)
