"""Driving JupyterLab in headless Chromium for the browser tests (see conftest.py).

:class:`BrowserLab` is the session's JupyterLab server and Chromium (or the
reason they are missing), :class:`LabPage` one test's page on one notebook,
with helpers that wait on what the page shows.
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

try:
    from playwright.sync_api import expect

    # What the page shows while a fit runs comes from a kernel sharing the cores with
    # training: 30 s (the pages' own default) rather than expect's 5 s.
    expect.set_options(timeout=30_000)
except ImportError:  # reported by each test (BrowserLab.require), not at collection
    def expect(*_args, **_kwargs):
        pytest.fail(INSTALL_PLAYWRIGHT, pytrace=False)

HERE = Path(__file__).resolve().parent
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


# Page-side helpers of the contrast checks: `contrast(el)` is the WCAG contrast ratio of an
# element's text colour against the first opaque background behind it.
TEXT_CONTRAST_JS = """
  const parse = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = el => { for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c; }
    return 'rgb(255, 255, 255)'; };
  const contrast = el => { const a = lum(parse(getComputedStyle(el).color)),
      b = lum(parse(background(el)));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };"""


# -- failure screenshots -------------------------------------------------------------------
def screenshot_dir(always: bool = False) -> Path | None:
    """Where screenshots go: $NBCALLBACKS_SCREENSHOTS, else tests/browser/screenshots
    (failures only). None when screenshots were not asked for and ``always`` is False."""
    chosen = os.environ.get("NBCALLBACKS_SCREENSHOTS")
    if chosen:
        return Path(chosen).resolve()
    return DEFAULT_SCREENSHOTS if always else None


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
    """A JupyterLab server serving ``root`` (a temporary directory).

    ``python`` runs the server (and, through the native kernelspec, its
    kernels): this environment's by default, or an overlay environment holding
    another JupyterLab release over this one's packages
    (``tests/support/package_overlays.py``), whose widget extension comes from here.
    ``disabled_extensions`` are installed frontend extensions the page leaves
    out, as ``jupyter labextension disable NAME`` does.
    """

    def __init__(self, root: Path, home: Path, python: str = sys.executable,
                 disabled_extensions: tuple[str, ...] = ()):
        self.root = root
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        settings = home / "lab-settings"
        write_lab_settings(settings)
        if disabled_extensions:
            page_config = home / "jupyter-config" / "labconfig" / "page_config.json"
            page_config.parent.mkdir(parents=True, exist_ok=True)
            page_config.write_text(json.dumps(
                {"disabledExtensions": {name: True for name in disabled_extensions}}))
        env = {**os.environ, **KERNEL_ENV,
               "JUPYTERLAB_SETTINGS_DIR": str(settings),
               "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"),
               "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"),
               "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
               "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
               "IPYTHONDIR": str(home / "ipython"),
               # The labextensions (the widget manager) installed in this environment.
               "JUPYTER_PATH": str(Path(sys.prefix, "share", "jupyter"))}
        self.log_path = home / "jupyterlab.log"
        self._log = open(self.log_path, "w")
        self.python = python
        command = [python, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
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
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s; log:\n"
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


def find_chromium() -> tuple[str | None, str]:
    """The Chromium to drive, and where it was looked for (for the failure message)."""
    chosen = os.environ.get("NBCALLBACKS_CHROMIUM")
    if chosen:
        return (chosen if Path(chosen).exists() else None), f"NBCALLBACKS_CHROMIUM={chosen}"
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate, candidate
    return shutil.which("chromium"), ", ".join(CHROMIUM_CANDIDATES) + " and chromium on PATH"


# Playwright's sync API runs once per thread: the JupyterLab and classic Notebook pages
# of one session share a single Chromium, started on first use, closed with its last user.
_CHROMIUM = {"playwright": None, "browser": None, "users": 0}


def launch_chromium(executable: str):
    """The session's Chromium (started if needed); pair each call with :func:`release_chromium`."""
    if _CHROMIUM["browser"] is None:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            _CHROMIUM["browser"] = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Exception:
            playwright.stop()
            raise
        _CHROMIUM["playwright"] = playwright
    _CHROMIUM["users"] += 1
    return _CHROMIUM["browser"]


def release_chromium() -> None:
    _CHROMIUM["users"] -= 1
    if _CHROMIUM["users"] == 0:
        _CHROMIUM.pop("browser").close()
        _CHROMIUM.pop("playwright").stop()
        _CHROMIUM.update(browser=None, playwright=None)


class BrowserLab:
    """The session's JupyterLab + Chromium, or the reason they are not available."""

    def __init__(self, tmp: Path):
        self.problem = None
        self.lab = None
        self.browser = None
        self.root = tmp / "served"
        self.root.mkdir()
        try:
            import playwright.sync_api  # noqa: F401 - only to say how to install it
        except ImportError:
            self.problem = INSTALL_PLAYWRIGHT
            return
        chromium, looked = find_chromium()
        if chromium is None:
            self.problem = f"Chromium not found (looked at {looked}). {INSTALL_CHROMIUM}"
            return
        try:
            self.lab = self.start_server(tmp)
        except RuntimeError as error:  # reported by each test, with the server's log
            self.problem = str(error)
            return
        try:
            self.browser = launch_chromium(chromium)
        except Exception as error:  # noqa: BLE001 - reported in each test
            self.problem = f"Chromium at {chromium} did not start ({error}). {INSTALL_CHROMIUM}"

    def start_server(self, tmp: Path):
        """The server the pages talk to (the classic Notebook's subclass starts its own)."""
        return JupyterLab(self.root, tmp)

    def require(self) -> None:
        if self.problem:
            pytest.fail(self.problem, pytrace=False)

    def close(self) -> None:
        if self.browser is not None:
            self.browser = None
            release_chromium()
        if self.lab is not None:
            self.lab.close()


# -- notebooks and pages ---------------------------------------------------------------------
def new_notebook(*cells: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return notebook


# Read in the page, in one go, what a cell shows (see LabPage.look).
LOOK_JS = """cell => {
  const text = el => (el ? el.innerText : '').replace(/\\u00a0/g, ' ');
  const prompt = text(cell.querySelector('.jp-InputPrompt')).trim();
  const htmls = [...cell.querySelectorAll('.widget-html-content')];
  const status = htmls.find(el => /elapsed|waiting for training/.test(el.textContent));
  let image = null;
  const img = cell.querySelector('img.widget-image');
  if (img && img.complete && img.naturalWidth) {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
    const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 2166136261;
    for (let i = 0; i < data.length; i += 3) { h ^= data[i]; h = Math.imul(h, 16777619); }
    image = canvas.width + 'x' + canvas.height + ':' + (h >>> 0);
  }
  return {prompt, status: text(status), image, src: img ? img.src : null,
          widgets: htmls.map(text).join('\\n'),
          outputs: text(cell.querySelector('.jp-OutputArea'))};
}"""

STATUS_PROGRESS = re.compile(r"epoch\s+(\d+)(?:/\d+)?\D+?batch\s+(\d+)")


def progress(status: str) -> tuple[int, int] | None:
    """(epoch, batch) read from a dashboard status line, e.g. "epoch 3/300 · batch 12/58"."""
    match = STATUS_PROGRESS.search(status or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def new_pictures(looks: list[dict]) -> set:
    """The plot images the later ``looks`` show that the first did not (fingerprints).

    Distinct pictures, not changes: an image being decoded reads as none for a moment,
    which would count one new frame as two changes.
    """
    return {seen["image"] for seen in looks[1:] if seen["image"]} - {looks[0]["image"]}


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

    def open_copy(self, notebook: Path, folder: str = "gallery", keep_outputs: bool = False):
        """Open a copy of ``notebook`` (outputs cleared unless ``keep_outputs``; its folder's
        files copied beside it)."""
        return self.open(self.write_copy(notebook, folder, keep_outputs))

    def write_copy(self, notebook: Path, folder: str = "gallery",
                   keep_outputs: bool = False) -> str:
        """Write the copy :meth:`open_copy` opens; return its path in the served directory."""
        destination = self.browser_lab.root / folder
        if not destination.exists():
            shutil.copytree(notebook.parent, destination,
                            ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints",
                                                          "checkpoints", "logs"))
        copy = nbformat.read(notebook, as_version=4)
        for cell in copy.cells:
            # Collapsed inputs/outputs are expanded: every prompt and output is on the page.
            cell.metadata.pop("collapsed", None)
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
            cell.metadata.get("jupyter", {}).pop("outputs_hidden", None)
            if cell.cell_type == "code" and not keep_outputs:
                cell.outputs, cell.execution_count = [], None
        copy.metadata["kernelspec"] = dict(KERNELSPEC)
        nbformat.write(copy, destination / notebook.name)
        return f"{folder}/{notebook.name}"

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
        expect(self.page.locator(".jp-StatusBar-TextItem").filter(
            has_text=re.compile(r"^(?!No Kernel).+ \| Idle$"))).to_have_count(
                1, timeout=timeout * 1000)

    def run_all(self) -> None:
        """Run > Run All Cells, through the menu bar as a person would."""
        page = self.page
        page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        # The first code cell is queued or ran: its prompt is no longer empty.
        expect(page.locator(".jp-CodeCell .jp-InputPrompt").first).not_to_have_text(
            re.compile(r"^\[ ?\]:?$"), timeout=15_000)

    def run_cell(self, cell) -> None:
        """Run one cell as a person would: click into its editor, Shift+Enter."""
        cell.locator(".jp-InputArea-editor").click()
        self.page.keyboard.press("Shift+Enter")

    def prompt(self, cell):
        """The execution prompt of ``cell`` as shown: "[*]:" while it runs, "[3]:" after."""
        return cell.locator(".jp-InputPrompt").first

    def cell(self, marker: str):
        """The code cell whose source contains ``marker``."""
        return self.page.locator(".jp-CodeCell").filter(
            has=self.page.locator(".jp-InputArea", has_text=marker))

    def button(self, scope, text: str):
        """The widget button showing exactly ``text`` (its icon aside) inside ``scope``."""
        return scope.locator("button.jupyter-button",
                             has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))

    def look(self, cell) -> dict:
        """What ``cell`` shows right now, read in one go: its prompt, the dashboard's status
        line, a fingerprint of the first widget image's pixels, all widget text and all
        output text."""
        return cell.evaluate(LOOK_JS)

    def wait_until(self, check, timeout: float, what: str, seen=None, interval: float = 0.2):
        """Poll ``check()`` until it returns something truthy and return that; after
        ``timeout`` seconds fail, saying what was awaited and (``seen()``) what the page
        showed instead."""
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                shown = f"\nthe page shows: {seen()!r}" if seen is not None else ""
                pytest.fail(f"waited {timeout:.0f} s for {what}{shown}")
            self.page.wait_for_timeout(interval * 1000)

    def screenshot(self, label: str, directory: Path | None = None, focus=None,
                   element=None) -> Path | None:
        """Save a screenshot when asked for ($NBCALLBACKS_SCREENSHOTS) or when ``directory``
        is given, and return its path: the viewport, after scrolling ``focus`` into view,
        or only ``element``."""
        directory = directory or screenshot_dir()
        if directory is None or self.page is None:
            return None
        self._shots += 1
        directory.mkdir(parents=True, exist_ok=True)
        label = re.sub(r"[^A-Za-z0-9_-]+", "_", label)
        path = directory / f"{self.name}-{self._shots:02d}-{label}.png"
        try:  # a screenshot must never hide the real failure
            if element is not None:
                element.screenshot(path=str(path), timeout=15_000)
                return path
            if focus is not None:
                focus.scroll_into_view_if_needed(timeout=5_000)
            self.page.screenshot(path=str(path), timeout=15_000)
        except Exception:  # noqa: BLE001
            return path if path.exists() else None
        return path

    def close(self) -> None:
        if self.context is not None:
            try:
                self.context.close()
            except Exception:  # noqa: BLE001
                pass
        if self.browser_lab.lab is not None:
            self.browser_lab.lab.shutdown_kernels()
