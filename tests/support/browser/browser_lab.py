"""Driving JupyterLab in headless Chromium for the browser tests (see tests/browser/conftest.py).

:class:`JupyterLab` is a JupyterLab server (a :class:`~.frontend_base.JupyterServer`),
:class:`BrowserLab` the session's server and Chromium (or the reason they are
missing), :class:`LabPage` one test's page on one notebook, with helpers that
wait on what the page shows (:class:`~.frontend_base.NotebookPage`).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from .chromium import (
    INSTALL_CHROMIUM,
    INSTALL_PLAYWRIGHT,
    find_chromium,
    launch_chromium,
    release_chromium,
)
from .frontend_base import KERNEL_ENV, JupyterServer, NotebookPage

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


# -- the JupyterLab server -----------------------------------------------------------------
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


class JupyterLab(JupyterServer):
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
        super().__init__(root, python)
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
        command = [python, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
                   "--LabApp.news_url=", "--LabApp.check_for_updates_class="
                   "jupyterlab.NeverCheckForUpdate"]
        self.start(command, env, home / "jupyterlab.log", "JupyterLab")

    def notebook_url(self, relative: str) -> str:
        # ?reset: a fresh workspace each time, nothing restored from an earlier test.
        return f"{self.url}/lab/tree/{relative}?reset&token={self.token}"


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


# -- pages ---------------------------------------------------------------------------------
class LabPage(NotebookPage):
    """One test's JupyterLab page on one notebook."""

    CELLS = ".jp-Notebook .jp-Cell"
    CODE_CELLS = ".jp-CodeCell"
    INPUT = ".jp-InputArea"
    PROMPT = ".jp-InputPrompt"
    NOT_RUN = re.compile(r"^\[ ?\]:?$")
    # What a cell shows, read in one go (see NotebookPage.look).
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

    def kernel_idle(self):
        """The status bar's kernel item once it names a kernel and says idle (the toolbar
        indicator says "idle" even before a kernel exists)."""
        return self.page.locator(".jp-StatusBar-TextItem").filter(
            has_text=re.compile(r"^(?!No Kernel).+ \| Idle$"))

    def choose_run_all(self) -> None:
        """Run > Run All Cells."""
        page = self.page
        page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()

    def run_cell(self, cell) -> None:
        """Run one cell as a person would: click into its editor, Shift+Enter."""
        cell.locator(".jp-InputArea-editor").click()
        self.page.keyboard.press("Shift+Enter")
