"""metric_table_html: column order, best highlighting, bounded window of recent epochs."""

import math
from html.parser import HTMLParser

import pytest

from nbcallbacks.records.metric_columns import table_columns
from nbcallbacks.records.metric_store import MetricStore
from nbcallbacks.ui.metric_table import best_epochs, metric_table_html


class _Table(HTMLParser):
    """Rows of the rendered table: header texts, and per body row (row class, cells)."""

    def __init__(self, page):
        super().__init__()
        self.header, self.rows = [], []
        self._cell = None
        self._in_head = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append((attrs.get("class"), []))
        elif tag in ("td", "th"):
            self._cell = [attrs.get("class"), ""]

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            cell = (self._cell[0], self._cell[1].strip())
            (self.header if self._in_head else self.rows[-1][1]).append(cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data

    @property
    def columns(self):
        return [text for _, text in self.header]

    def epoch_rows(self):
        return [cells for cls, cells in self.rows
                if cls != "bestrow" and cells and cells[0][1].isdigit()]

    def best_row(self):
        (row,) = [cells for cls, cells in self.rows if cls == "bestrow"]
        return dict(zip(self.columns, (text for _, text in row)))

    def highlighted(self):
        """{column: epoch number shown in the highlighted cell's row}."""
        found = {}
        for cells in self.epoch_rows():
            for name, (cls, _) in zip(self.columns, cells):
                if cls == "best":
                    assert name not in found, f"{name} highlighted twice"
                    found[name] = int(cells[0][1])
        return found


def _rows(losses, accuracies, val_losses=None, val_accuracies=None):
    rows = []
    for i, (loss, acc) in enumerate(zip(losses, accuracies)):
        row = {"epoch": i, "loss": loss, "accuracy": acc}
        if val_losses is not None:
            row["val_loss"] = val_losses[i]
        if val_accuracies is not None:
            row["val_accuracy"] = val_accuracies[i]
        rows.append(row)
    return rows


def test_empty_rows_give_empty_html():
    assert metric_table_html([]) == ""


def test_columns_ordered_train_then_validation_loss_first_rate_last():
    keys = ["epoch", "step", "accuracy", "learning_rate", "loss", "val_accuracy", "val_loss",
            "mae"]
    assert table_columns(keys) == ["loss", "val_loss", "accuracy", "val_accuracy", "mae",
                                   "learning_rate"]
    page = _Table(metric_table_html([dict.fromkeys(keys, 0.5) | {"epoch": 0}]))
    assert page.columns == ["epoch", "loss", "val_loss", "accuracy", "val_accuracy", "mae",
                            "learning_rate"]
    assert [cls for cls, _ in page.header[1:3]] == ["train", "val"]


def test_best_is_min_for_loss_and_max_for_accuracy():
    rows = _rows(losses=[0.9, 0.5, 0.3, 0.4], accuracies=[0.5, 0.7, 0.6, 0.65],
                 val_losses=[1.0, 0.6, 0.7, 0.8], val_accuracies=[0.4, 0.5, 0.9, 0.8])
    assert best_epochs(rows, table_columns(rows[0])) == {
        "loss": 2, "val_loss": 1, "accuracy": 1, "val_accuracy": 2}
    page = _Table(metric_table_html(rows))
    # Epochs are shown 1-based.
    assert page.highlighted() == {"loss": 3, "val_loss": 2, "accuracy": 2, "val_accuracy": 3}
    best = page.best_row()
    assert best["epoch"] == "best"
    assert best["loss"] == "0.3000 (ep 3)"
    assert best["val_loss"] == "0.6000 (ep 2)"
    assert best["accuracy"] == "0.7000 (ep 2)"
    assert best["val_accuracy"] == "0.9000 (ep 3)"


def test_best_ignores_nan_and_inf_and_ties_keep_the_first():
    rows = _rows(losses=[float("nan"), 0.5, float("-inf"), 0.5],
                 accuracies=[float("inf"), 0.2, 0.2, float("nan")])
    assert best_epochs(rows, ["loss", "accuracy"]) == {"loss": 1, "accuracy": 1}
    page = _Table(metric_table_html(rows))
    texts = [[text for _, text in cells] for cells in page.epoch_rows()]
    assert texts[0][1:] == ["nan", "inf"]
    assert texts[2][1] == "-inf"


def test_column_without_any_finite_value_has_no_best():
    rows = [{"epoch": 0, "loss": 1.0, "val_loss": float("nan")},
            {"epoch": 1, "loss": 0.5, "val_loss": float("nan")}]
    assert best_epochs(rows, ["loss", "val_loss"]) == {"loss": 1}
    page = _Table(metric_table_html(rows))
    assert page.best_row()["val_loss"] == ""
    assert page.highlighted() == {"loss": 2}


def test_learning_rate_is_listed_but_never_highlighted():
    rows = [{"epoch": i, "loss": 1.0 / (i + 1), "learning_rate": 0.1 / (i + 1)}
            for i in range(3)]
    assert "learning_rate" not in best_epochs(rows, table_columns(rows[0]))
    page = _Table(metric_table_html(rows))
    assert "learning_rate" in page.columns
    assert "learning_rate" not in page.highlighted()
    assert page.best_row()["learning_rate"] == ""


def test_mape_is_lower_is_better_in_the_table():
    rows = [{"epoch": i, "loss": 1.0, "mape": value} for i, value in enumerate([30.0, 10.0, 20.0])]
    assert best_epochs(rows, ["mape"]) == {"mape": 1}


def test_only_last_rows_shown_with_earlier_note_and_best_row():
    losses = [1.0 / (i + 1) for i in range(20)]
    losses[3] = 0.001  # best loss long before the window
    rows = _rows(losses, accuracies=[0.5 + 0.01 * i for i in range(20)])
    page_html = metric_table_html(rows, last=5)
    page = _Table(page_html)
    shown = [int(cells[0][1]) for cells in page.epoch_rows()]
    assert shown == [16, 17, 18, 19, 20]
    assert "15 earlier epochs" in page_html
    assert "dashboard.history" in page_html
    # The best loss is outside the window: no highlighted cell, but the best row has it.
    assert "loss" not in page.highlighted()
    assert page.highlighted()["accuracy"] == 20
    assert page.best_row()["loss"] == "1.00e-03 (ep 4)"
    # Only the newest row is marked as latest.
    assert [cls for cls, _ in page.rows].count("latest") == 1
    assert page.rows[-2][0] == "latest"


def test_no_earlier_note_when_everything_fits():
    rows = _rows([0.5, 0.4], [0.1, 0.2])
    page_html = metric_table_html(rows, last=8)
    assert "earlier epochs" not in page_html
    assert len(_Table(page_html).epoch_rows()) == 2


def test_html_size_does_not_grow_with_a_thousand_epochs():
    def rows(count):
        return _rows([1.0 / (i + 1) for i in range(count)], [i / count for i in range(count)],
                     [1.1 / (i + 1) for i in range(count)], [i / count for i in range(count)])

    window = len(metric_table_html(rows(20), last=8))
    long = metric_table_html(rows(1000), last=8)
    assert len(long) < window + 100
    assert len(_Table(long).epoch_rows()) == 8
    assert "992 earlier epochs" in long


def test_html_escapes_metric_names():
    rows = [{"epoch": 0, "loss": 1.0, "<b>evil</b>": 2.0}]
    page_html = metric_table_html(rows)
    assert "<b>evil</b>" not in page_html
    assert "&lt;b&gt;evil&lt;/b&gt;" in page_html


def test_rows_from_a_metric_store():
    """The table renders what MetricStore.epoch_rows() produces (step column hidden)."""
    store = MetricStore()
    for epoch in range(3):
        store.record_batch(epoch, 0, {"loss": 1.0})
        store.record_epoch(epoch, {"loss": 0.5 - 0.1 * epoch, "val_loss": 0.6 + 0.1 * epoch,
                                   "accuracy": 0.5 + 0.1 * epoch})
    page = _Table(metric_table_html(store.epoch_rows()))
    assert page.columns == ["epoch", "loss", "val_loss", "accuracy"]
    assert [cells[0][1] for cells in page.epoch_rows()] == ["1", "2", "3"]
    assert page.highlighted() == {"loss": 3, "val_loss": 1, "accuracy": 3}
    assert math.isclose(float(page.best_row()["loss"].split()[0]), 0.3, rel_tol=1e-3)


@pytest.mark.parametrize("last", [1, 3, 50])
def test_window_size_parameter(last):
    rows = _rows([1.0] * 10, [0.5] * 10)
    assert len(_Table(metric_table_html(rows, last=last)).epoch_rows()) == min(last, 10)
