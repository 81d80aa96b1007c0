"""Runs compared in JupyterLab, in headless Chromium: a three-learning-rate sweep in one cell.

A person's view of the sweep written the plain way, a loop of ``fit`` calls each with
its own ``Dashboard``: from the second run on the cell shows one comparison, each run
appears as it starts and grows while the cell runs, the panels of finished runs fold
to their status line; afterwards the plotted values are each run's
history, hovering reads all three runs at one epoch, dragging zooms every panel (a
double-click resets), the table lists their rates and
sorts, a click on a row highlights a run, its checkbox hides it; in the dark theme the
text stays readable.
"""

from __future__ import annotations

import json
import re

import pytest
from support.browser.browser_lab import TEXT_CONTRAST_JS
from support.browser.chromium import expect

from .test_browser_chart import switch_theme

pytestmark = [pytest.mark.browser, pytest.mark.timeout(400)]

SETUP = """# cell: setup
import numpy as np, keras
from nbcallbacks import Dashboard
x = np.random.default_rng(0).random((2048, 16)).astype("float32")
y = (x.sum(1) > 8).astype("int32")
def make_model(rate):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(rate), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
"""
SWEEP = """# cell: sweep
histories = {}
for rate in (0.1, 0.01, 0.001):
    histories[f"lr={rate:g}"] = make_model(rate).fit(
        x, y, epochs=25, batch_size=32, validation_split=0.2, verbose=0,
        callbacks=[Dashboard(run=f"lr={rate:g}")]).history
"""
REPORT = """# cell: report
import json
print("REPORT " + json.dumps(histories))
"""

VIEW_JS = """cell => {
  const root = cell.querySelector('.nbc-compare');
  if (!root || !root.nbcCompareView) return null;
  const view = root.nbcCompareView;
  const panels = {};
  for (const {panel, plot, keys} of view.plots) {
    panels[panel] = {epochs: Array.from(plot.data[0]),
                     series: keys.map((k, i) => ({run: view.runs[k.run].name, key: k.key,
                                                  show: plot.series[i + 1].show,
                                                  values: Array.from(plot.data[i + 1])}))};
  }
  return {panels, chips: [...root.querySelectorAll('.nbc-compare-chip')].map(c => c.innerText),
          rows: [...root.querySelectorAll('.nbc-compare-table tbody tr')].map(
            r => [...r.querySelectorAll('td')].map(td => td.innerText)),
          header: [...root.querySelectorAll('.nbc-compare-table th')].map(th => th.innerText),
          highlighted: [...root.querySelectorAll('tr.nbc-compare-highlighted')].map(
            r => r.dataset.run),
          xRanges: view.plots.map(({plot}) => [plot.scales.x.min, plot.scales.x.max]),
          readout: root.querySelector('.nbc-compare-readout').innerText,
          readoutRuns: [...root.querySelectorAll(
            '.nbc-compare-readout-panel[data-panel="loss"] .nbc-compare-value')].map(
            v => v.dataset.run)};
}"""

CONTRAST_JS = "cell => {\n" + TEXT_CONTRAST_JS + """
  const texts = [...cell.querySelectorAll('.nbc-compare td, .nbc-compare th button, '
                                          + '.nbc-compare-chip, .nbc-compare-title')]
    .filter(el => el.innerText.trim());
  return {light: document.body.dataset.jpThemeLight, count: texts.length,
          worst: Math.min(...texts.map(contrast))};
}"""


def view(cell):
    return cell.evaluate(VIEW_JS)


def test_a_sweep_in_one_cell_is_compared_live_hovered_sorted_and_highlighted(lab_page):
    errors = []
    lab_page.open_cells(SETUP, SWEEP, REPORT)
    page = lab_page.page
    refused = []   # (status, url) of every request the server refused
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: refused.append((r.status, r.url)) if r.status >= 400 else None)
    lab_page.run_all()
    cell = lab_page.cell("# cell: sweep")
    # Live: while the cell runs, a second run appears and its curve grows.
    growing = []
    lab_page.wait_until(
        lambda: (lambda seen: seen and len(seen["chips"]) >= 2 and growing.append(
            len([v for v in seen["panels"]["loss"]["series"][2]["values"] if v is not None]))
            is None and len(set(growing)) >= 3)(view(cell)),
        180, "a second run to appear and grow while the sweep runs",
        seen=lambda: (growing[-5:], lab_page.look(cell)))
    assert lab_page.prompt(cell).inner_text().strip() == "[*]:"
    report_cell = lab_page.cell("# cell: report")
    expect(report_cell.locator(".jp-OutputArea-output")).to_contain_text("REPORT",
                                                                         timeout=240_000)
    histories = json.loads(report_cell.locator(".jp-OutputArea-output").inner_text()
                           .split("REPORT ", 1)[1].strip().splitlines()[0])
    lab_page.wait_until(lambda: "live" not in " ".join(view(cell)["chips"]), 10,
                        "the runs to be shown finished", seen=lambda: view(cell)["chips"])
    seen = view(cell)
    assert [chip.strip() for chip in seen["chips"]] == ["lr=0.1", "lr=0.01", "lr=0.001"]
    # One chart of the runs; of the three panels only the last run's shows its chart.
    expect(cell.locator(".nbc-compare")).to_have_count(1)
    expect(cell.locator(".nbc-chart:visible")).to_have_count(1)
    # The plotted values are each run's history (float32 in the store).
    for panel in ("loss", "accuracy"):
        for series in seen["panels"][panel]["series"]:
            expected = histories[series["run"]][series["key"]]
            assert series["values"] == pytest.approx(expected, rel=1e-6), series
    # The table: one row a run, with its rate.
    header = [h.strip() for h in seen["header"]]
    rate_column = header.index("learning_rate")
    assert [row[rate_column] for row in seen["rows"]] == ["0.1000", "0.0100", "1.00e-03"]
    # Hover the loss panel: every run's value at that epoch.
    canvas = cell.locator('.nbc-compare-panel[data-panel="loss"] .u-over')
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    lab_page.wait_until(lambda: len(view(cell)["readoutRuns"]) == 3, 10, "the hover readout",
                        seen=lambda: view(cell)["readout"])
    hovered = view(cell)
    assert hovered["readoutRuns"] == ["lr=0.1", "lr=0.01", "lr=0.001"]
    assert hovered["readout"].startswith("epoch ")
    lab_page.screenshot("compare-hover", focus=cell)
    # Drag across the middle of the loss panel: every panel zooms to those epochs together;
    # a double-click shows every epoch again.
    full = view(cell)["xRanges"]
    assert all(r == [0, 24] for r in full), full
    box = canvas.bounding_box()   # again: the screenshot may have scrolled the page
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5, steps=8)
    page.mouse.up()
    zoomed = view(cell)["xRanges"]
    assert len({tuple(r) for r in zoomed}) == 1 and 3 < zoomed[0][0] < zoomed[0][1] < 20, zoomed
    lab_page.screenshot("compare-zoomed", focus=cell)
    canvas.dblclick()
    assert view(cell)["xRanges"] == full
    # Sort by rate, ascending: the smallest rate first.
    cell.locator(".nbc-compare-sort", has_text="learning_rate").click()
    assert view(cell)["rows"][0][1].endswith("lr=0.001")
    # A click on a row highlights its run; its checkbox hides it everywhere.
    cell.locator('.nbc-compare-table tr[data-run="lr=0.01"] td').nth(2).click()
    assert view(cell)["highlighted"] == ["lr=0.01"]
    cell.locator('.nbc-compare-table tr[data-run="lr=0.1"] input[type=checkbox]').click()
    hidden = view(cell)
    assert all(not s["show"] for s in hidden["panels"]["loss"]["series"] if s["run"] == "lr=0.1")
    assert all(s["show"] for s in hidden["panels"]["loss"]["series"] if s["run"] != "lr=0.1")
    expect(cell.locator('.nbc-compare-chip[data-run="lr=0.1"]')).to_have_attribute(
        "aria-pressed", "false")
    light = cell.evaluate(CONTRAST_JS)
    assert light["worst"] >= 4.5, light
    lab_page.screenshot("compare-light", element=cell.locator(".jp-OutputArea"))
    switch_theme(lab_page, "JupyterLab Dark")
    try:
        lab_page.wait_until(lambda: cell.evaluate(CONTRAST_JS)["light"] == "false", 30,
                            "the dark theme")
        lab_page.wait_until(lambda: cell.evaluate(CONTRAST_JS)["worst"] >= 4.5, 10,
                            "readable text in the dark theme",
                            seen=lambda: cell.evaluate(CONTRAST_JS))
        lab_page.screenshot("compare-dark", element=cell.locator(".jp-OutputArea"))
    finally:   # the theme is a server setting: the next tests get the light one
        switch_theme(lab_page, "JupyterLab Light")
    # After a Notebook 7 page in the same server session, the server now and then refuses
    # one of its own fonts (403, seen for JupyterLab's too; see test_notebook7.py): the
    # console's "Failed to load resource". Any other refused request, and any other
    # console error, fails the test.
    assert all(re.search(r"/static/(lab|notebook)/[0-9a-f]+\.woff2?$", url)
               for _, url in refused), refused
    assert not [e for e in errors if not e.startswith("Failed to load resource")], errors
