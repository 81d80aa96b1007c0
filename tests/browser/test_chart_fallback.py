"""A JupyterLab page without anywidget's frontend: the panel falls back to PNG frames, in Chromium.

This is what a person gets after ``pip install nbcallbacks`` into the environment of a
Jupyter server that was already running (the page never loaded anywidget's extension),
here made by disabling that extension on the server, as ``jupyter labextension disable
anywidget`` does. The chart never says it drew, so within the render timeout the panel
shows PNG frames drawn in the kernel and one line saying why and what to do, while the
blocking fit goes on; the controls still work (Stop ends it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.browser.browser_lab import BrowserLab, JupyterLab

from nbcallbacks.outputs.widget_output import CHART_RENDER_TIMEOUT

from .test_browser_chart import RUNNING, open_and_run, stop_and_report

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


class LabWithoutAnywidget(BrowserLab):
    """The session's Chromium on a JupyterLab whose page leaves anywidget's extension out."""

    def start_server(self, tmp: Path):
        return JupyterLab(self.root, tmp, disabled_extensions=("anywidget",))


@pytest.fixture(scope="module")
def browser_lab(tmp_path_factory):
    """Overrides the session's JupyterLab for this module: ``lab_page`` opens pages here."""
    lab = LabWithoutAnywidget(tmp_path_factory.mktemp("lab-without-anywidget"))
    yield lab
    lab.close()


def test_without_anywidgets_frontend_the_panel_falls_back_to_pictures_and_stop_works(lab_page):
    cell, _errors = open_and_run(lab_page)   # the page's errors: the missing extension's
    seen = lab_page.wait_until(
        lambda: (lambda look: look if look["image"] and "did not draw" in look["widgets"]
                 else None)(lab_page.look(cell)),
        CHART_RENDER_TIMEOUT + 60, "PNG frames and the line saying why",
        seen=lambda: lab_page.look(cell))
    assert seen["prompt"] == RUNNING          # the fit went on meanwhile
    assert re.search(r"restart Jupyter and reload the page", seen["widgets"]), seen["widgets"]
    first = seen["image"]
    lab_page.wait_until(lambda: lab_page.look(cell)["image"] not in (None, first), 30,
                        "a newer frame while the cell runs")
    lab_page.screenshot("fallen-back", focus=cell)
    report = stop_and_report(lab_page, cell)
    assert not report["chart"] and "stop" in report["events"], report
    assert len(report["val_loss"]) < 300
    assert "Error displaying widget" not in lab_page.look(cell)["outputs"]
