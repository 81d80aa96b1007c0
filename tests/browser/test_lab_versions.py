"""The chart and Stop during a blocking fit in older JupyterLab releases, in headless Chromium.

JupyterLab 4.0–4.3 (and Notebook 7.0–7.3, built on them) send widget messages
without a kernel subshell; from 4.4 on the frontend can name one. The other
browser tests run the newest JupyterLab; these serve the page from an overlay
environment holding an older release over this environment's packages
(``tests/support/package_overlays.py``: same kernel, ipykernel 7.4, ipywidgets 8), and
check what the person sees (the default browser chart draws and grows, its last point
is the history's, no console error; Stop ends training early) and the subshells the
kernel holds: on 4.0 only the one it made for nbcallbacks (the frontend
created none, so that is where the click came through), on 4.4 the
frontend's too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.browser.browser_lab import BrowserLab, JupyterLab
from support.browser.chromium import expect
from support.package_overlays import installed_version, overlay_python  # tests/ is on sys.path

from .test_browser_chart import (
    FIT,
    grows_three_times,
    last_plotted_loss,
    reload_mid_fit,
    start,
    stop_reloaded_fit,
)

pytestmark = [pytest.mark.browser, pytest.mark.backend("tensorflow"), pytest.mark.timeout(600)]

# The oldest JupyterLab 4 (no subshells in the frontend) and the floor of the notebooks extra.
LAB_VERSIONS = ("4.0.13", "4.4.0")
SUBSHELLS = """# cell: subshells
from nbcallbacks.compat import subshell_routing
manager = get_ipython().kernel.shell_channel_thread.manager
ids = manager.list_subshell()
own = subshell_routing._own["id"]
print("subshells:", len(ids), "nbcallbacks' own among them:", own in ids)
"""


class OlderLab(BrowserLab):
    """The session's Chromium on a JupyterLab of another release."""

    def __init__(self, tmp: Path, python: str):
        self.python = python
        super().__init__(tmp)

    def start_server(self, tmp: Path):
        return JupyterLab(self.root, tmp, python=self.python)


@pytest.fixture(scope="module", params=LAB_VERSIONS)
def browser_lab(request, tmp_path_factory):
    """Overrides the session's JupyterLab for this module: ``lab_page`` opens pages here."""
    python = overlay_python("jupyterlab", request.param)
    lab = OlderLab(tmp_path_factory.mktemp(f"lab-{request.param}"), python)
    lab.version = request.param
    yield lab
    lab.close()


def test_the_chart_and_stop_work_during_a_blocking_fit_in_an_older_jupyterlab(browser_lab,
                                                                                lab_page):
    older_lab, page = browser_lab, lab_page
    older_lab.require()
    assert installed_version(older_lab.python, "jupyterlab") == older_lab.version
    cell, errors = start(page, extra=(SUBSHELLS,), fit=FIT.replace("epochs=300", "epochs=3000"))
    grows_three_times(page, cell)
    # A page reopened mid-fit: JupyterLab 4.0 never names a subshell, 4.4 learns of
    # subshells only once the busy kernel answers its kernel_info_request.
    failed = []   # the reloaded page's requests that failed
    page.page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    cell = reload_mid_fit(page, cell)
    page.screenshot("reloaded", focus=cell)
    report = stop_reloaded_fit(page, cell)
    epochs = len(report["val_loss"])
    assert epochs < 3000
    assert report["chart"], "the chart gave way to pictures: it never said it drew"
    assert last_plotted_loss(page, cell) == pytest.approx(report["loss"][-1], rel=1e-6)
    assert "Error displaying widget" not in page.look(cell)["outputs"]
    # Not ours, and on every load of an older JupyterLab here: this environment's Notebook 7
    # extension, built for the newest JupyterLab, fails to load into an older one, and the
    # older one asks for a language server this environment does not run.
    assert all("/lsp/status" in url for url in failed), failed
    ours = [e for e in errors if "@jupyter-notebook/lab-extension" not in e
            and not e.startswith("Failed to load resource")]
    assert not ours, ours
    subshell_cell = page.cell("# cell: subshells")
    page.run_cell(subshell_cell)   # Run All ran it for the page that is gone
    expect(subshell_cell.locator(".jp-OutputArea-output")).to_contain_text("subshells:",
                                                                          timeout=60_000)
    subshells = subshell_cell.locator(".jp-OutputArea-output").inner_text()
    count, own = re.search(r"subshells: (\d+) nbcallbacks' own among them: (\w+)",
                           subshells).groups()
    page.screenshot("stopped", focus=cell)
    print(f"\n[JupyterLab {older_lab.version}] stopped after {epochs} epochs; {subshells.strip()}")
    assert own == "True", subshells  # made at train begin, for frontends that name none
    if older_lab.version.startswith(("4.0.", "4.1.", "4.2.", "4.3.")):
        # The frontend created no subshell: the click came through the kernel's own.
        assert count == "1", subshells
    else:
        assert int(count) >= 2, f"JupyterLab {older_lab.version} created no subshell: {subshells}"
