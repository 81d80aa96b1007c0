"""The browser chart's kernel side: what is sent, how it is packed, which chart is chosen.

The browser side of the same contract is tested in Chromium
(tests/test_chart_javascript.py, tests/test_chart_view_in_chromium.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nbcallbacks.chart import esm_bundle
from nbcallbacks.chart.chart_choice import choose_chart
from nbcallbacks.chart.chart_panels import chart_panels
from nbcallbacks.chart.chart_wire import ChartFeed, decimated_rows, decode
from nbcallbacks.chart.vendor import update_uplot
from nbcallbacks.notebook.frontend import Frontend
from nbcallbacks.records import MetricStore

JUPYTER = Frontend(kernel=True, name="jupyter", widgets=True)


def recorded_store(epochs=3, batches=5):
    store = MetricStore()
    for epoch in range(epochs):
        for batch in range(batches):
            store.record_batch(epoch, batch, {"loss": 1.0 / (1 + epoch * batches + batch),
                                              "accuracy": 0.1 * batch})
        store.record_epoch(epoch, {"loss": 0.5 / (epoch + 1), "val_loss": 0.6 / (epoch + 1)})
        store.record_learning_rate(epoch + 1.0, 0.01 / (epoch + 1))
    return store


def test_an_update_carries_every_new_row_of_every_table_once():
    store = recorded_store()
    feed = ChartFeed()
    header, buffer = feed.next_update(store.snapshot())
    tables = decode(header, buffer)
    assert header["kind"] == "append"
    assert [t["rows"] for t in header["tables"]] == [15, 3, 3]
    np.testing.assert_array_equal(tables["batches"]["loss"], store.batch_values("loss"))
    np.testing.assert_array_equal(tables["epochs"]["val_loss"], store.epoch_values("val_loss"))
    assert tables["batches"]["step"].dtype == np.float64
    assert tables["batches"]["loss"].dtype == np.float32
    assert header["batches_per_epoch"] == {"0": 5, "1": 5, "2": 5}
    # Only what came since: one more batch.
    store.record_batch(3, 0, {"loss": 0.01, "accuracy": 0.9})
    header, buffer = feed.next_update(store.snapshot())
    assert [(t["name"], t["start"], t["rows"]) for t in header["tables"]] == [("batches", 15, 1)]
    assert decode(header, buffer)["batches"]["loss"].tolist() == [pytest.approx(0.01)]
    assert feed.next_update(store.snapshot()) is None


def test_nan_and_infinity_travel_as_they_are():
    store = MetricStore()
    for batch, value in enumerate([1.0, math.nan, math.inf, -math.inf, 2.0]):
        store.record_batch(0, batch, {"loss": value})
    header, buffer = ChartFeed().next_update(store.snapshot())
    values = decode(header, buffer)["batches"]["loss"]
    assert values[0] == 1.0 and math.isnan(values[1]) and values[2] == math.inf
    assert values[3] == -math.inf and values[4] == 2.0


def test_columns_are_padded_so_every_column_starts_on_eight_bytes():
    store = MetricStore()
    for batch in range(3):   # 3 float32 values: 12 bytes, padded to 16
        store.record_batch(0, batch, {"loss": 1.0, "mae": 2.0})
    header, buffer = ChartFeed().next_update(store.snapshot())
    # Four float64 positions (step, epoch, batch, seconds), two float32 metrics.
    assert len(buffer) == 4 * (3 * 8) + 2 * 16
    assert decode(header, buffer)["batches"]["mae"].tolist() == [2.0, 2.0, 2.0]


def test_a_view_that_reloaded_is_sent_what_it_lacks():
    store = recorded_store()
    feed = ChartFeed()
    feed.next_update(store.snapshot())
    feed.rewind({"batches": 10, "epochs": 3, "rates": 3})   # a second view has less
    header, _ = feed.next_update(store.snapshot())
    assert [(t["name"], t["start"], t["rows"]) for t in header["tables"]] == [("batches", 10, 5)]
    # The first view to say what it has sets the counters (nothing was delivered before).
    fresh = ChartFeed()
    fresh.rewind({"batches": 12, "epochs": 2, "rates": 2}, restart=True)
    header, _ = fresh.next_update(store.snapshot())
    assert [(t["start"], t["rows"]) for t in header["tables"]] == [(12, 3), (2, 1), (2, 1)]
    fresh.rewind({"batches": "many"})     # nonsense from a page changes nothing
    assert fresh.next_update(store.snapshot()) is None


def test_the_snapshot_keeps_every_series_spikes_and_says_how_many_rows_there_were():
    store = MetricStore()
    rng = np.random.default_rng(0)
    values = rng.uniform(1.0, 2.0, size=50_000)
    values[12_345] = 40.0          # a spike in loss
    accuracy = rng.uniform(0.4, 0.6, size=50_000)
    accuracy[33_333] = 0.0         # a dip in accuracy
    values[40_000] = math.nan      # a gap
    for step in range(50_000):
        store.record_batch(step // 1000, step % 1000,
                           {"loss": values[step], "accuracy": accuracy[step]})
    header, buffer = ChartFeed.snapshot(store.snapshot(), max_rows=2000)
    batches = decode(header, buffer)["batches"]
    assert header["kind"] == "snapshot" and header["total_rows"]["batches"] == 50_000
    assert len(batches["step"]) <= 2000 + 2   # min and max of 2 columns in 500 bins, a gap
    assert np.nanmax(batches["loss"]) == pytest.approx(40.0)
    assert np.nanmin(batches["accuracy"]) == 0.0
    assert 40_000 in batches["step"] and math.isnan(
        batches["loss"][list(batches["step"]).index(40_000)])
    assert batches["step"][-1] == 49_999


def test_decimation_leaves_short_tables_whole():
    columns = {"step": np.arange(5.0), "loss": np.ones(5, dtype=np.float32)}
    assert decimated_rows(columns, 100).tolist() == [0, 1, 2, 3, 4]


def test_panels_follow_the_png_figures_rules():
    panels = chart_panels(recorded_store().snapshot())
    assert [p["name"] for p in panels] == ["loss", "accuracy", "learning rate"]
    loss, accuracy, rate = panels
    assert (loss["batch"], loss["epoch"], loss["val"]) == ("loss", "loss", "val_loss")
    assert accuracy["bounded"] and accuracy["higher_is_better"] and accuracy["epoch"] is None
    assert rate["rate"] and not loss["rate"]


def test_the_chart_choice():
    assert choose_chart("auto", JUPYTER) == ("browser", None)
    assert choose_chart("png", JUPYTER) == ("png", None)
    assert choose_chart("browser", Frontend(True, "colab", True)) == ("browser", None)
    chart, why = choose_chart("auto", Frontend(True, "colab", True))
    assert chart == "png" and "Colab" in why
    with pytest.raises(ValueError, match="chart must be one of"):
        choose_chart("html", JUPYTER)


def test_without_anywidget_auto_draws_pictures_and_browser_says_how_to_fix(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "anywidget" else real(name, *a))
    assert choose_chart("auto", JUPYTER) == ("png", "anywidget is not installed")
    with pytest.raises(ImportError, match=r"pip install 'anywidget>=0.9.21'"):
        choose_chart("browser", JUPYTER)


def test_the_vendored_uplot_is_the_pinned_release():
    assert update_uplot.check() == []


def test_the_bundle_joins_the_modules_in_dependency_order(tmp_path, monkeypatch):
    (tmp_path / "widget.js").write_text(
        'import { double } from "./maths.js";\n'
        "export default { render() { return double(2); } };\n")
    (tmp_path / "maths.js").write_text(
        'import {\n  ONE,\n} from "./constants.js";\n'
        "export function double(x) { return 2 * x * ONE; }\n")
    (tmp_path / "constants.js").write_text("export const ONE = 1;\n")
    monkeypatch.setattr(esm_bundle, "JS_FOLDER", tmp_path)
    esm_bundle.chart_esm.cache_clear()
    try:
        text = esm_bundle.chart_esm()
        assert text.index("const ONE") < text.index("function double") < text.index(
            "export default")
        assert "import" not in text.split("// ---- js/constants.js")[1]
        assert "export const" not in text and "export function" not in text
        (tmp_path / "constants.js").write_text("export const ONE = 1;\nfunction double() {}\n")
        esm_bundle.chart_esm.cache_clear()
        with pytest.raises(ValueError, match="declares 'double' at top level"):
            esm_bundle.chart_esm()
    finally:
        esm_bundle.chart_esm.cache_clear()


def test_vs_code_finds_the_charts_frontend_in_the_kernels_environment():
    # VS Code renders a local kernel's widgets with the module's script from that
    # environment's share/jupyter/nbextensions/<module>/index.js (its CDN fallback fails
    # offline): anywidget's wheel puts the AnyModel/AnyView AMD module there.
    import sys
    from pathlib import Path

    from nbcallbacks.chart.chart_widget import ChartWidget

    module = ChartWidget._model_module.default_value
    script = Path(sys.prefix, "share", "jupyter", "nbextensions", module, "index.js")
    assert script.is_file(), f"{script} is missing: reinstall anywidget in {sys.prefix}"
    text = script.read_text(encoding="utf-8")
    assert 'define(["@jupyter-widgets/base"]' in text and "AnyView" in text
