"""A real browser on a real JupyterLab: the fixtures of the browser suite.

One JupyterLab server (127.0.0.1, random free port, random token) and one
headless Chromium (Debian's ``chromium`` driven by Playwright for Python) are
shared by the whole session. The server runs in a temporary directory with
its own settings (news and update checks off, notebook windowing off so every
cell is in the page), its own workspaces and Jupyter data/config directories,
and serves only temporary files: scenario notebooks written by the tests and
copies of the gallery notebooks — never the committed notebooks themselves.

Screenshots: a failing test saves one of the page into
``tests/browser/screenshots/`` (the path is printed in the failure report).
With ``NBCALLBACKS_SCREENSHOTS=<dir>`` every test also saves its screenshots at
the interesting moments (and failures go there too).

If Chromium or Playwright is missing the tests fail (they do not skip) and
say how to install them.
"""

from __future__ import annotations

import pytest
from support.browser.browser_lab import BrowserLab, LabPage
from support.browser.frontend_base import screenshot_dir


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs JupyterLab in headless Chromium")


@pytest.fixture(scope="session")
def browser_lab(tmp_path_factory):
    """JupyterLab + Chromium for the whole session (started once, on first use)."""
    lab = BrowserLab(tmp_path_factory.mktemp("browser-lab"))
    yield lab
    lab.close()


@pytest.fixture
def lab_page(browser_lab, request):
    """This test's page; the kernels it started are shut down afterwards."""
    session = LabPage(browser_lab, request.node.name)
    yield session
    session.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test saves a screenshot and names it in its failure report."""
    report = yield
    if report.when == "call" and report.failed:
        funcargs = getattr(item, "funcargs", {})
        session = (funcargs.get("lab_page") or funcargs.get("classic_page")  # Notebook 6
                   or funcargs.get("notebook7_page"))
        if session is not None and session.page is not None:
            path = session.screenshot("FAILED", directory=screenshot_dir(always=True))
            text = (f"screenshot of the page at the failure: {path}\n"
                    f"(all screenshots of this test: {path.parent})" if path else
                    "the page could not be captured")
            longrepr = report.longrepr
            if hasattr(longrepr, "addsection"):
                longrepr.addsection("browser screenshot", text)
            else:
                report.longrepr = f"{longrepr}\n\n{text}"
    return report
