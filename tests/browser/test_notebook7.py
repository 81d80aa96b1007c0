"""Notebook 7 (smoke): the default chart and Stop during a blocking fit, and a comparison
drawn and hovered, in headless Chromium.

Notebook 7 is JupyterLab's components in a one-notebook page: the same Jupyter
server serves it at ``/notebooks/<path>`` (the ``notebook`` package is a server
extension), with the same widget manager. What differs for a person — and for
:class:`Notebook7Page` — is the URL and where the kernel's state is shown. The
scenario is the JupyterLab chart test's: the chart draws and grows while the cell
runs, Stop ends training, the last plotted loss is the history's, no console error.
"""

from __future__ import annotations

import re

import pytest
from support.browser.browser_lab import LabPage
from support.browser.chromium import expect

from .test_browser_chart import grows_three_times, last_plotted_loss, start, stop_and_report
from .test_browser_compare import view

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


class Notebook7Page(LabPage):
    """A :class:`LabPage` on Notebook 7's page for the notebook instead of JupyterLab's."""

    def notebook_url(self, relative: str) -> str:
        lab = self.browser_lab.lab
        return f"{lab.url}/notebooks/{relative}?token={lab.token}"

    def listen(self, page) -> None:
        self.refused = []   # (status, url) of every request the server refused
        page.on("response", lambda r: self.refused.append((r.status, r.url))
                if r.status >= 400 else None)

    def kernel_idle(self):
        return self.page.locator(KERNEL_IDLE)

    def wait_kernel_idle(self, timeout: float = 60) -> None:
        """Notebook 7 has no status bar: its toolbar names the kernel and shows its state
        (the indicator says "idle" before a kernel exists too, hence both)."""
        expect(self.page.locator(KERNEL_NAMED).first).to_be_visible(timeout=timeout * 1000)
        super().wait_kernel_idle(timeout)


KERNEL_NAMED = '.jp-KernelName [aria-label="Python 3 (ipykernel)"]'
KERNEL_IDLE = '.jp-Notebook-ExecutionIndicator[data-status="idle"]'


@pytest.fixture
def notebook7_page(browser_lab, request):
    session = Notebook7Page(browser_lab, request.node.name)
    yield session
    session.close()


def test_the_default_chart_grows_and_stop_ends_a_blocking_fit_in_notebook_7(notebook7_page):
    page = notebook7_page
    cell, errors = start(page)
    assert "/notebooks/" in page.page.url   # Notebook 7's page, not JupyterLab's
    grows_three_times(page, cell)
    page.screenshot("chart-running", focus=cell)
    report = stop_and_report(page, cell)
    assert report["chart"], "the chart gave way to pictures: it never said it drew"
    assert len(report["val_loss"]) < 300 and "stop" in report["events"], report["events"]
    assert last_plotted_loss(page, cell) == pytest.approx(report["loss"][-1], rel=1e-6)
    assert "Error displaying widget" not in page.look(cell)["outputs"]
    # Notebook 7's server now and then refuses one of its own fonts (403, seen after
    # another page of the session was reloaded); that is the console's "Failed to load
    # resource". Any other refused request, and any other console error, fails the test.
    assert all(re.search(r"/static/notebook/[0-9a-f]+\.woff2?$", url)
               for _, url in page.refused), page.refused
    assert not [e for e in errors if not e.startswith("Failed to load resource")], errors


COMPARE = """# cell: compare
from nbcallbacks import compare
compare({"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6]},
        {"loss": [0.8, 0.7, 0.6], "val_loss": [0.9, 0.8, 0.75]})
"""


def test_a_comparison_is_drawn_and_hovered_in_the_browser_in_notebook_7(notebook7_page):
    page = notebook7_page
    page.open_cells(COMPARE)
    errors = []
    page.page.on("pageerror", lambda e: errors.append(str(e)))
    page.run_all()
    cell = page.cell("# cell: compare")
    expect(cell.locator(".nbc-compare-chip")).to_have_count(2, timeout=60_000)
    seen = view(cell)
    plotted = {(s["run"], s["key"]): s["values"] for s in seen["panels"]["loss"]["series"]}
    assert plotted[("run 1", "val_loss")] == pytest.approx([1.0, 0.7, 0.6], rel=1e-6)
    assert plotted[("run 2", "loss")] == pytest.approx([0.8, 0.7, 0.6], rel=1e-6)
    box = cell.locator('.nbc-compare-panel[data-panel="loss"] .u-over').bounding_box()
    page.page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.wait_until(lambda: view(cell)["readoutRuns"] == ["run 1", "run 2"], 10,
                    "the hover readout", seen=lambda: view(cell)["readout"])
    page.screenshot("compare", focus=cell)
    assert not errors, errors
