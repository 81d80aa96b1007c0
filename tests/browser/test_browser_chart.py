"""The browser chart in JupyterLab, in headless Chromium, while a blocking ``fit`` runs.

A person's view of ``Dashboard()`` (``chart="auto"``): the chart draws (no "Error displaying
widget", no console error), its points grow while the cell shows ``[*]``, the mouse
reads values, zooms and resets, panels toggle, all with the kernel busy; after Stop the
plotted values are the history's; a switch to the dark theme recolours the chart and the
panel's text, readable.
The chart's logic in detail is tested on a page of its own (test_chart_view_in_chromium).
"""

from __future__ import annotations

import json
import re

import pytest
from support.browser.browser_lab import TEXT_CONTRAST_JS
from support.browser.chromium import expect

from .test_browser_dashboard import SETUP as PNG_SETUP

pytestmark = [pytest.mark.browser, pytest.mark.timeout(400)]

# The dashboard tests' scenario with the default chart ("auto": the browser chart in
# JupyterLab), updating four times a second.
SETUP = PNG_SETUP.replace('dash = Dashboard(chart="png")',
                          "dash = Dashboard(redraw_interval=0.25)")
assert SETUP != PNG_SETUP
FIT = """# cell: fit
history = model.fit(x, y, epochs=300, batch_size=32, validation_split=0.1, verbose=0,
                    callbacks=[dash])
"""
REPORT = """# cell: report
import json
print("REPORT " + json.dumps({
    "loss": dash.history.batch_values("loss").tolist(),
    "val_loss": dash.history.epoch_values("val_loss").tolist(),
    "hidden": sorted(dash._frames.view.hidden), "chart": dash.outputs[0].chart is not None,
    "events": [e.kind for e in dash.events]}))
"""
RUNNING = "[*]:"

# What the chart shows, read in the page: panels, points, scales, readout.
CHART_JS = """cell => {
  const root = cell.querySelector('.nbc-chart');
  if (!root || !root.nbcChartView) return null;
  const view = root.nbcChartView;
  const panels = {};
  for (const [name, plot] of view.plots()) {
    const x = plot.data[0];
    panels[name] = {points: x.length, min: plot.scales.x.min, max: plot.scales.x.max,
                    first: x[0], last: x[x.length - 1],
                    ydistr: plot.scales.y ? plot.scales.y.distr : null,
                    series: plot.data.slice(1).map(values => Array.from(values))};
  }
  const loss = root.querySelector('.nbc-chart-panel[data-panel="loss"]');
  return {panels, readout: loss ? loss.innerText : '',
          canvases: root.querySelectorAll('canvas').length,
          hidden: [...root.querySelectorAll('.nbc-chart-panel')]
                    .filter(p => p.offsetParent === null).map(p => p.dataset.panel)};
}"""


def chart(lab_page, cell):
    return cell.evaluate(CHART_JS)


def open_and_run(lab_page, extra=(), fit=FIT):
    """Open the scenario (and ``extra`` cells after it), Run All, and wait until the fit
    cell runs and shows the panel; returns the fit cell and the list the page's errors
    go to."""
    errors = []
    lab_page.open_cells(SETUP, fit, REPORT, *extra)
    lab_page.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    lab_page.page.on("pageerror", lambda e: errors.append(str(e)))
    lab_page.run_all()
    cell = lab_page.cell("# cell: fit")
    lab_page.wait_until(lambda: (lambda look: look["prompt"] == RUNNING and look["status"])(
        lab_page.look(cell)), 120, "the panel while the fit cell runs",
        seen=lambda: lab_page.look(cell))
    return cell, errors


def start(lab_page, extra=(), fit=FIT):
    """:func:`open_and_run`, then wait for the chart's first loss points."""
    cell, errors = open_and_run(lab_page, extra, fit)
    lab_page.wait_until(
        lambda: (lambda seen: seen and seen["panels"].get("loss", {}).get("points", 0) > 0)(
            chart(lab_page, cell)),
        120, "the chart to draw loss points", seen=lambda: lab_page.look(cell))
    return cell, errors


def stop_and_report(lab_page, cell) -> dict:
    lab_page.button(cell, "Stop").click()
    report = lab_page.cell("# cell: report")
    expect(report.locator(".jp-OutputArea-output")).to_contain_text("REPORT", timeout=60_000)
    text = report.locator(".jp-OutputArea-output").inner_text()
    return json.loads(text.split("REPORT ", 1)[1].strip().splitlines()[0])


def grows_three_times(lab_page, cell, prompt=RUNNING) -> None:
    """The plotted loss points grow at least three times while the cell still runs
    (``prompt``: what its prompt shows then; None: not checked)."""
    counts = []
    lab_page.wait_until(
        lambda: (counts.append(chart(lab_page, cell)["panels"]["loss"]["points"])
                 or len(set(counts)) >= 4), 90, "the loss points to grow three times",
        seen=lambda: counts[-5:])
    assert counts == sorted(counts)
    if prompt is not None:
        assert lab_page.prompt(cell).inner_text().strip() == prompt


def last_plotted_loss(lab_page, cell) -> float:
    return [v for v in chart(lab_page, cell)["panels"]["loss"]["series"][0]
            if v is not None][-1]


def test_the_chart_grows_and_answers_the_mouse_while_a_blocking_fit_runs(lab_page):
    cell, errors = start(lab_page)
    page = lab_page.page
    grows_three_times(lab_page, cell)
    lab_page.screenshot("chart-running", focus=cell)

    plot = cell.locator('.nbc-chart-panel[data-panel="loss"] .u-over')
    box = plot.bounding_box()
    # Hover: the readout names the step and the loss there.
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    lab_page.wait_until(lambda: "loss" in chart(lab_page, cell)["readout"]
                        and "step" in chart(lab_page, cell)["readout"], 10,
                        "the hover readout", seen=lambda: chart(lab_page, cell)["readout"])
    lab_page.screenshot("panel-light", element=cell.locator(".jp-OutputArea"))
    box = plot.bounding_box()   # the element screenshot may have scrolled the page
    # Drag-zoom into the middle; new points must not undo it; double-click resets.
    whole = chart(lab_page, cell)["panels"]["loss"]  # the x axis before the drag
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5, steps=8)
    page.mouse.up()
    zoomed = chart(lab_page, cell)["panels"]["loss"]
    assert whole["min"] < zoomed["min"] < zoomed["max"], (whole, zoomed)
    grown = zoomed["points"]
    lab_page.wait_until(lambda: chart(lab_page, cell)["panels"]["loss"]["points"] > grown, 30,
                        "more points while zoomed")
    still = chart(lab_page, cell)["panels"]["loss"]
    assert (still["min"], still["max"]) == (zoomed["min"], zoomed["max"])
    # The accuracy panel's x follows the zoom too (one x range for every panel).
    accuracy = chart(lab_page, cell)["panels"]["accuracy"]
    assert (accuracy["min"], accuracy["max"]) == (zoomed["min"], zoomed["max"])
    page.mouse.dblclick(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    lab_page.wait_until(lambda: chart(lab_page, cell)["panels"]["loss"]["max"] > zoomed["max"],
                        10, "double-click to reset the zoom")
    reset = chart(lab_page, cell)["panels"]["loss"]
    # The drag spanned 30 % of the x axis as it was then. The axis only grows while the
    # run goes on, so that is between 30 % of the axis read before the drag and 30 % of
    # the one after the reset (the margins allow for the drag's pixel rounding).
    width = zoomed["max"] - zoomed["min"]
    assert (0.25 * (whole["max"] - whole["min"]) < width
            < 0.35 * (reset["max"] - reset["min"])), (whole, zoomed, reset)
    assert reset["min"] == whole["min"], (whole, reset)  # the whole run again, from 0
    # Log y and a panel toggle, still while training.
    cell.locator('.nbc-chart input[data-control="log"]').check(force=True)
    lab_page.wait_until(lambda: chart(lab_page, cell)["panels"]["loss"]["ydistr"] == 3, 10,
                        "a logarithmic y axis")
    cell.locator('.nbc-chart-chip[data-panel="accuracy"]').click()
    lab_page.wait_until(lambda: "accuracy" in chart(lab_page, cell)["hidden"], 10,
                        "the accuracy panel hidden")
    assert lab_page.prompt(cell).inner_text().strip() == RUNNING

    report = stop_and_report(lab_page, cell)
    assert report["chart"] and report["hidden"] == ["accuracy"]
    # The last plotted per-batch loss is the history's (float32 on the wire).
    assert last_plotted_loss(lab_page, cell) == pytest.approx(report["loss"][-1], rel=1e-6)
    assert "Error displaying widget" not in lab_page.look(cell)["outputs"]
    assert not errors, errors


def reload_mid_fit(lab_page, cell):
    """Save, reload the page while the fit runs, and check that the reopened page's chart
    shows the run from its first step and goes on growing; returns the reopened fit cell.

    The reopened page asks the busy kernel for its info, its widgets and their states;
    the click route answers between batches.
    """
    page = lab_page.page
    page.keyboard.press("Control+s")   # the reloaded page opens the saved notebook
    page.wait_for_timeout(1000)
    before = chart(lab_page, cell)["panels"]["loss"]
    page.on("dialog", lambda dialog: dialog.accept())   # "leave the page?" - yes
    page.reload()
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=90_000)
    cell = lab_page.cell("# cell: fit")
    lab_page.wait_until(
        # A chart not fed yet has no last point (None).
        lambda: (lambda seen: seen and (seen["panels"].get("loss", {}).get("last") or 0)
                 > before["last"])(chart(lab_page, cell)),
        90, "the reloaded chart to show the run",
        seen=lambda: (before["last"], lab_page.look(cell)))
    after = chart(lab_page, cell)["panels"]["loss"]
    assert after["first"] == before["first"], (before, after)
    grows_three_times(lab_page, cell, prompt=None)   # the reopened page has no prompt for it
    # The status bar says the kernel is busy: the answers did not leave it saying "Idle".
    expect(page.locator(".jp-StatusBar-TextItem").filter(
        has_text=re.compile(r"\| Busy$"))).to_have_count(1, timeout=10_000)
    return cell


def test_a_page_reloaded_mid_fit_shows_the_whole_run_and_keeps_updating(lab_page):
    # Ten times longer than the other scenarios: reopening the page takes a while, and the
    # fit must still run after it.
    cell, errors = start(lab_page, fit=FIT.replace("epochs=300", "epochs=3000"))
    grows_three_times(lab_page, cell)
    cell = reload_mid_fit(lab_page, cell)
    lab_page.screenshot("reloaded", focus=cell)
    stop_reloaded_fit(lab_page, cell)
    assert not errors, errors


def stop_reloaded_fit(lab_page, cell) -> dict:
    """Stop from the reopened page (its controls answer too), run the report cell (the one
    Run All queued reports to the page that is gone), check the events and the chart's
    last point; returns the report."""
    lab_page.button(cell, "Stop").click()
    lab_page.wait_kernel_idle(60)
    report_cell = lab_page.cell("# cell: report")
    lab_page.run_cell(report_cell)
    expect(report_cell.locator(".jp-OutputArea-output")).to_contain_text("REPORT",
                                                                         timeout=60_000)
    report = json.loads(report_cell.locator(".jp-OutputArea-output").inner_text()
                        .split("REPORT ", 1)[1].strip().splitlines()[0])
    assert report["events"] == ["stop"], report["events"]
    lab_page.wait_until(
        lambda: last_plotted_loss(lab_page, cell) == pytest.approx(report["loss"][-1], rel=1e-6),
        30, "the chart's last point to be the history's")
    return report


CONTRAST_JS = "cell => {\n" + TEXT_CONTRAST_JS + """
  const pick = sel => [...cell.querySelectorAll(sel)].filter(el => el.innerText.trim());
  const texts = [...pick('.widget-html-content div'), ...pick('.widget-html-content td'),
                 ...pick('.nbc-chart-panel-title'), ...pick('.nbc-chart-control-text'),
                 ...pick('.nbc-chart-legend-item')];
  return {light: document.body.dataset.jpThemeLight,
          worst: Math.min(...texts.map(contrast)),
          count: texts.length,
          titleColor: getComputedStyle(cell.querySelector('.nbc-chart-panel-title')).color};
}"""


def test_the_chart_and_the_panel_follow_a_switch_to_the_dark_theme(lab_page):
    cell, errors = start(lab_page)
    report = stop_and_report(lab_page, cell)
    assert report["chart"]
    light = cell.evaluate(CONTRAST_JS)
    assert light["light"] == "true" and light["worst"] >= 4.5, light
    lab_page.screenshot("chart-light", focus=cell)
    switch_theme(lab_page, "JupyterLab Dark")
    try:
        lab_page.wait_until(lambda: cell.evaluate(CONTRAST_JS)["light"] == "false", 30,
                            "the dark theme")
        lab_page.wait_until(lambda: cell.evaluate(CONTRAST_JS)["titleColor"]
                            != light["titleColor"], 10, "the chart to recolour")
        dark = cell.evaluate(CONTRAST_JS)
        assert dark["count"] >= light["count"] - 2 and dark["worst"] >= 4.5, dark
        lab_page.screenshot("chart-dark", focus=cell)
        lab_page.screenshot("panel-dark", element=cell.locator(".jp-OutputArea"))
    finally:   # the theme is a server setting: the next tests get the light one
        switch_theme(lab_page, "JupyterLab Light")
    assert not errors, errors


def switch_theme(lab_page, name: str) -> None:
    """Use the theme ``name`` through the command palette, as a person would."""
    page = lab_page.page
    page.keyboard.press("Control+Shift+C")
    search = page.locator(".lm-CommandPalette-input")
    search.fill(f"Use Theme: {name}")
    page.locator(".lm-CommandPalette-item", has_text=f"Use Theme: {name}").first.click()
