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

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_SCREENSHOTS = HERE / "screenshots"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-extensions",
                 "--disable-background-timer-throttling",
                 "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]
VIEWPORT = {"width": 1280, "height": 1000}
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# What the kernels started by the server inherit: quiet TensorFlow.
KERNEL_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0",
              "KERAS_BACKEND": "tensorflow", "PYTHONUNBUFFERED": "1"}

INSTALL_CHROMIUM = (
    "The browser tests need Chromium at /usr/bin/chromium (or set NBCALLBACKS_CHROMIUM to a "
    "Chromium/Chrome executable). On Debian/Ubuntu: `sudo apt-get update && sudo apt-get "
    "install -y chromium` (.ci/run does this when it runs as root). Playwright's own "
    "browser download is not needed.")
INSTALL_PLAYWRIGHT = (
    "The browser tests need Playwright for Python: `.venv/bin/python -m pip install -e "
    "\".[tf,test]\"` (it is in the 'test' extra).")


# -- failure screenshots -------------------------------------------------------------------
def screenshot_dir(always: bool = False) -> Path | None:
    """Where screenshots go: $NBCALLBACKS_SCREENSHOTS, else tests/browser/screenshots
    (failures only). None when screenshots were not asked for and ``always`` is False."""
    chosen = os.environ.get("NBCALLBACKS_SCREENSHOTS")
    if chosen:
        return Path(chosen).resolve()
    return DEFAULT_SCREENSHOTS if always else None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        session = item.funcargs.get("lab_page") if hasattr(item, "funcargs") else None
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


# -- the JupyterLab server -----------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_lab_settings(settings: Path) -> None:
    """User settings of the test JupyterLab: no news, no update check, no windowing."""
    files = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        # Lazy/virtual rendering would leave cells out of the DOM.
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
            {"windowingMode": "none"},
        # The temporary notebooks need no autosave; it only adds noise.
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings":
            {"autosave": False},
    }
    for name, content in files.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


class JupyterLab:
    """A JupyterLab server serving ``root`` (a temporary directory)."""

    def __init__(self, root: Path, home: Path):
        self.root = root
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        settings = home / "lab-settings"
        write_lab_settings(settings)
        env = {**os.environ, **KERNEL_ENV,
               "JUPYTERLAB_SETTINGS_DIR": str(settings),
               "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"),
               "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"),
               "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
               "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
               "IPYTHONDIR": str(home / "ipython")}
        self.log_path = home / "jupyterlab.log"
        self._log = open(self.log_path, "w")
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
                   "--LabApp.news_url=", "--LabApp.check_for_updates_class="
                   "jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.process = subprocess.Popen(command, env=env, cwd=root, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(120)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.process.returncode}); log:\n"
                                   + self.log_path.read_text()[-4000:])
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("JupyterLab did not answer within {timeout} s; log:\n"
                           + self.log_path.read_text()[-4000:])

    def api(self, method: str, path: str):
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel (a test's training must not slow the next test)."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except OSError:
            pass

    def notebook_url(self, relative: str) -> str:
        # ?reset: a fresh workspace each time, nothing restored from an earlier test.
        return f"{self.url}/lab/tree/{relative}?reset&token={self.token}"

    def close(self) -> None:
        self.shutdown_kernels()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self._log.close()


def find_chromium() -> str | None:
    chosen = os.environ.get("NBCALLBACKS_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


class BrowserLab:
    """The session's JupyterLab + Chromium, or the reason they are not available."""

    def __init__(self, tmp: Path):
        self.problem = None
        self.lab = None
        self.browser = None
        self._playwright = None
        self.root = tmp / "served"
        self.root.mkdir()
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            self.problem = INSTALL_PLAYWRIGHT
            return
        chromium = find_chromium()
        if chromium is None:
            self.problem = INSTALL_CHROMIUM
            return
        self.lab = JupyterLab(self.root, tmp)
        self._playwright = sync_playwright().start()
        try:
            self.browser = self._playwright.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - reported in each test
            self.problem = f"Chromium at {chromium} did not start ({error}). {INSTALL_CHROMIUM}"

    def require(self) -> None:
        if self.problem:
            pytest.fail(self.problem, pytrace=False)

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        if self.lab is not None:
            self.lab.close()


@pytest.fixture(scope="session")
def browser_lab(tmp_path_factory):
    lab = BrowserLab(tmp_path_factory.mktemp("browser-lab"))
    yield lab
    lab.close()


# -- notebooks and pages ---------------------------------------------------------------------
def new_notebook(*cells: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return notebook


class LabPage:
    """One test's browser page on one notebook, with helpers that wait on what is visible."""

    def __init__(self, browser_lab: BrowserLab, name: str):
        self.browser_lab = browser_lab
        self.name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        self.page = None
        self.context = None
        self._shots = 0

    # -- opening -----------------------------------------------------------------------
    def open_cells(self, *cells: str, folder: str = "scenarios"):
        """Write a scenario notebook of ``cells`` into the served directory and open it."""
        target = self.browser_lab.root / folder / f"{self.name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(new_notebook(*cells), target)
        return self.open(target.relative_to(self.browser_lab.root).as_posix())

    def open_copy(self, notebook: Path, folder: str = "gallery"):
        """Open a copy of ``notebook`` (outputs cleared; its folder's files copied beside it)."""
        destination = self.browser_lab.root / folder
        if not destination.exists():
            shutil.copytree(notebook.parent, destination,
                            ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints",
                                                          "checkpoints", "logs"))
        copy = nbformat.read(notebook, as_version=4)
        for cell in copy.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        copy.metadata["kernelspec"] = dict(KERNELSPEC)
        nbformat.write(copy, destination / notebook.name)
        return self.open(f"{folder}/{notebook.name}")

    def open(self, relative: str):
        self.browser_lab.require()
        self.context = self.browser_lab.browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.page.goto(self.browser_lab.lab.notebook_url(relative))
        self.page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=90_000)
        self.wait_kernel_idle(120)
        return self.page

    # -- state of the page ---------------------------------------------------------------
    def wait_kernel_idle(self, timeout: float = 60) -> None:
        """Wait until the status bar says the notebook's kernel is connected and idle
        (the toolbar indicator says "idle" even before a kernel exists)."""
        from playwright.sync_api import expect

        expect(self.page.locator(".jp-StatusBar-TextItem").filter(
            has_text=re.compile(r"^(?!No Kernel).+ \| Idle$"))).to_have_count(
                1, timeout=timeout * 1000)

    def run_all(self) -> None:
        """Run > Run All Cells, through the menu bar as a person would."""
        from playwright.sync_api import expect

        page = self.page
        page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        # The first code cell is queued or ran: its prompt is no longer empty.
        expect(page.locator(".jp-CodeCell .jp-InputPrompt").first).not_to_have_text(
            re.compile(r"^\[ ?\]:?$"), timeout=15_000)

    def prompt(self, cell):
        """The execution prompt of ``cell`` as shown: "[*]:" while it runs, "[3]:" after."""
        return cell.locator(".jp-InputPrompt").first

    def cell(self, marker: str):
        """The code cell whose source contains ``marker``."""
        return self.page.locator(".jp-CodeCell").filter(
            has=self.page.locator(".jp-InputArea", has_text=marker))

    def screenshot(self, label: str, directory: Path | None = None) -> Path | None:
        """Save a screenshot of the viewport when asked for ($NBCALLBACKS_SCREENSHOTS) or
        when ``directory`` is given; returns its path."""
        directory = directory or screenshot_dir()
        if directory is None or self.page is None:
            return None
        self._shots += 1
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.name}-{self._shots:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '_', label)}.png"
        try:
            self.page.screenshot(path=str(path), timeout=15_000)
        except Exception:  # noqa: BLE001 - a screenshot must not hide the real failure
            return None
        return path

    def close(self) -> None:
        if self.context is not None:
            try:
                self.context.close()
            except Exception:  # noqa: BLE001
                pass
        if self.browser_lab.lab is not None:
            self.browser_lab.lab.shutdown_kernels()


@pytest.fixture
def lab_page(browser_lab, request):
    session = LabPage(browser_lab, request.node.name)
    yield session
    session.close()
