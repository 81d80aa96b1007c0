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
import math
import threading
import time
from collections.abc import Container, Sequence
from typing import TYPE_CHECKING, Any

from nbcallbacks.chart.chart_choice import check_chart, choose_chart
from nbcallbacks.notebook.frontend import detect_frontend
from nbcallbacks.records.formatting import format_value
from nbcallbacks.render.palette import THEME_STYLESHEET
from nbcallbacks.runs.comparison_figure import comparison_panels, comparison_png
from nbcallbacks.runs.run_record import RunRecord
from nbcallbacks.runs.run_sources import load_runs
from nbcallbacks.ui.result_bundle import result_mimebundle
from nbcallbacks.ui.value_table import value_table_html

if TYPE_CHECKING:
    import pandas

    from nbcallbacks.chart.comparison_widget import ComparisonWidget


def compare(*sources: object, metrics: str | Sequence[str] | None = None, width: int = 960,
            chart: str = "auto") -> Comparison:
    """Runs overlaid in one chart, with a table of their settings and best values.

    Args:
        *sources: any mix of ``Dashboard``s, Keras ``History`` objects (what ``fit``
            returns) or their ``.history`` dicts, ``CSVLogger`` files, directories
            written by ``keras.callbacks.TensorBoard``, run directories written with
            ``Dashboard(log_dir=...)`` and the ``log_dir`` holding them, and lists of these.
            None at all is allowed: ``add`` them as they start (a sweep in one cell).
        metrics: the metric panels to show (default: every metric a run logged per epoch).
        width: the picture's width in pixels (the browser chart follows the cell's width).
        chart: ``"auto"`` (drawn in the browser where the live chart is, else a picture),
            ``"browser"`` or ``"png"``.

    Returns:
        a :class:`Comparison`, shown as the cell's value; ``.table()`` has the numbers.
        Shown in the browser, it follows dashboards that are still training, once a
        second, until they end.

    Raises:
        ValueError: a path that holds no run (the message says what it holds), or a
            metric no run logged.
    """
    check_chart(chart)
    return Comparison(list(sources), metrics=metrics, width=width, chart=chart)


class Comparison:
    """Runs compared: :attr:`runs`, :meth:`table`, :meth:`png`, :meth:`add`; shown as a chart
    and a run table (in the browser where widgets show, else a picture and an HTML table).

    Example:
        >>> comparison = Comparison([{"loss": [0.5, 0.4]}])
        >>> comparison.add({"loss": [0.6, 0.3]})
        >>> [run.name for run in comparison.runs]
        ['run 1', 'run 2']
    """

    REFRESH_SECONDS = 1.0
    # A dashboard added but not trained yet is waited for this long, then the view stops
    # following (it shows whatever is there; displaying the comparison again resumes).
    WAIT_FOR_START_SECONDS = 120.0

    def __init__(self, sources: list, metrics: str | Sequence[str] | None = None,
                 width: int = 960, chart: str = "auto") -> None:
        self.sources = list(sources)
        self.metrics = metrics
        self.width = width
        self.chart = chart
        self.widget: ComparisonWidget | None = None
        self._follower: threading.Thread | None = None
        self._lock = threading.Lock()
        self.runs: list[RunRecord] = []
        self.panels: list[str] = []
        self._reload()

    def add(self, *sources: object) -> None:
        """Add runs (a dashboard about to train, a finished ``History``, a path): a
        comparison shown in the browser shows them at once, and follows live ones."""
        self.show_sources([*self.sources, *sources])

    def show_sources(self, sources: list) -> None:
        """Compare ``sources`` from now on (e.g. a dashboard that finished, replaced by its
        :class:`~nbcallbacks.runs.run_record.RunRecord`): shown at once, live ones followed."""
        self.sources = list(sources)
        self._reload()
        self._push()
        self._follow()

    def _reload(self) -> None:
        runs = load_runs(*self.sources)
        panels = comparison_panels(runs, self.metrics) if runs else []
        with self._lock:
            self.runs, self.panels = runs, panels

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

    def to_pandas(self) -> pandas.DataFrame:
        """:meth:`table` as a ``pandas.DataFrame`` (needs pandas)."""
        import pandas

        return pandas.DataFrame(self.table())

    def png(self) -> bytes:
        """The chart as PNG bytes."""
        return comparison_png(self.runs, self.panels, width=self.width)

    def table_html(self) -> str:
        columns, rows = self._table_cells()
        return value_table_html(columns, [[_cell(v) for v in row] for row in rows])

    def __repr__(self) -> str:
        return f"Comparison of {len(self.runs)} runs: {', '.join(r.name for r in self.runs)}"

    def _repr_mimebundle_(self, include: Container[str] | None = None,
                          exclude: Container[str] | None = None) -> dict[str, Any]:
        # The picture and the HTML table: what Colab, GitHub and a saved notebook show
        # (not while runs train: it would be a picture of a moment).
        png = static_html = None
        if self.runs and not self._live():
            png = self.png()
            image = base64.b64encode(png).decode("ascii")
            static_html = (f"{THEME_STYLESHEET}<div><img alt='{html.escape(repr(self))}' "
                           f"src='data:image/png;base64,{image}' style='max-width:100%'>"
                           f"{self.table_html()}</div>")
        return result_mimebundle(repr(self), png=png, html=static_html,
                                 widget=self._browser_widget, shows_widgets=self._in_browser())

    # -- the browser view ----------------------------------------------------------------
    def _in_browser(self) -> bool:
        if self.chart == "png":
            return False
        frontend = detect_frontend()
        if self.chart == "auto" and not frontend.shows_widgets:
            return False
        return choose_chart(self.chart, frontend)[0] == "browser"

    def _browser_widget(self) -> Any:
        """The browser view, made on first display and following the runs from then on."""
        if self.widget is None:
            from nbcallbacks.chart.comparison_widget import ComparisonWidget

            self.widget = ComparisonWidget(title=self._title())
            self._push()
        self._follow()
        return self.widget

    def _title(self) -> str:
        return f"{len(self.runs)} runs compared" if self.runs else "runs compared (none yet)"

    def _table_cells(self) -> tuple[list[str], list[list]]:
        rows = self.table()
        columns = list(dict.fromkeys(key for row in rows for key in row))
        return columns, [[json_number(row.get(c)) for c in columns] for row in rows]

    def _push(self) -> None:
        """Send the runs as they are now to the browser view (if one is shown)."""
        if self.widget is None:
            return
        with self._lock:
            runs = list(self.runs)
            panels = list(self.panels)
        columns, rows = self._table_cells()
        with self.widget.hold_sync():
            self.widget.runs = [run_payload(run) for run in runs]
            self.widget.panels = panels
            self.widget.table = {"columns": columns, "rows": rows}
            self.widget.title = self._title()

    def _live(self) -> bool:
        return any(run.status in ("running", "not started") and run.source == "Dashboard"
                   for run in self.runs)

    def _follow(self) -> None:
        """Refresh the browser view once a second while a dashboard trains (a thread: the
        cell's ``fit`` keeps the kernel's main thread)."""
        if self.widget is None or not self._live():
            return
        if self._follower is not None and self._follower.is_alive():
            return
        self._follower = threading.Thread(target=self._follow_runs, daemon=True,
                                          name="nbcallbacks-compare")
        self._follower.start()

    def _follow_runs(self) -> None:
        waited = 0.0
        while True:
            time.sleep(self.REFRESH_SECONDS)
            try:
                self._reload()
                self._push()
            except Exception as error:  # noqa: BLE001 - a view problem never reaches training
                print(f"nbcallbacks: the comparison stopped following its runs: {error}")
                return
            running = any(r.status == "running" for r in self.runs)
            waiting = any(r.status == "not started" and r.source == "Dashboard"
                          for r in self.runs)
            waited = 0.0 if running else waited + self.REFRESH_SECONDS
            if not running and (not waiting or waited > self.WAIT_FOR_START_SECONDS):
                return


def run_payload(run: RunRecord) -> dict:
    """What the browser view is sent of a run: its per-epoch columns, NaN as None.

    Example:
        >>> from nbcallbacks.runs.run_sources import load_runs
        >>> run_payload(load_runs({"loss": [0.5, float("nan")]})[0])["series"]
        {'loss': [0.5, None]}
    """
    columns = run.history.columns("epoch")
    epochs = [int(e) for e in columns.get("epoch", [])]
    series = {key: [json_number(v) for v in values.tolist()] for key, values in columns.items()
              if key not in ("epoch", "step", "seconds")}
    return {"name": run.name, "status": run.status, "epochs": epochs, "series": series}


def json_number(value: Any) -> str | float | None:
    """``value`` as JSON carries it: a finite float, or None (NaN and infinities).

    Example:
        >>> json_number(0.5), json_number(float("nan")), json_number("Adam")
        (0.5, None, 'Adam')
    """
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number if math.isfinite(number) else None


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return format_value(value)
    return str(value)
