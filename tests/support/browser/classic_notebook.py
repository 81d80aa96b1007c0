"""Driving the classic Notebook (6.5) with ipywidgets 7 in headless Chromium.

This is the widget protocol of Google Colab's pins (ipywidgets 7.7.1,
widgetsnbextension 3.6.10, ipykernel 6.17.1): the server and its kernels run
in the Colab-pinned ``.venv-colab`` (:func:`server_python`, with the built
wheel installed), while Playwright and the test run in the main environment.
:class:`ClassicBrowser` is the server and Chromium of a test module (or why
they are missing), :class:`ClassicPage` one page on one notebook. Starting the
server, waiting until the kernel is idle, Run All and the waiting, button and
screenshot helpers are the ones the JupyterLab harness uses
(:mod:`.frontend_base`); what differs from JupyterLab is here: the command,
URLs, menus, prompts ("In [*]:"), output areas and the kernel indicator.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from pathlib import Path

from .browser_lab import BrowserLab
from .frontend_base import KERNEL_ENV, JupyterServer, NotebookPage

WIDGETS_NBEXTENSION = "jupyter-js-widgets/extension"


def server_python() -> str:
    """The Python that runs the Notebook 6 server; its kernels are this Python's too
    (the kernelspec's ``python`` means the server's interpreter): ``.venv-colab``, built on
    first use, with the freshly built nbcallbacks wheel installed."""
    from ..extra_environments import colab_python

    return str(colab_python())


class ClassicNotebookServer(JupyterServer):
    """A classic Notebook server (``python -m notebook``) serving ``root``.

    It has its own Jupyter config/data/runtime directories under ``home``, so
    nothing of this machine's Jupyter set-up leaks in; the widgets nbextension
    comes from the server environment's own ``etc/jupyter`` (where
    widgetsnbextension enables itself when installed) and is switched on in the
    private config directory only when that environment does not enable it
    (:meth:`ensure_widgets_extension`).
    """

    def __init__(self, python: str, root: Path, home: Path):
        super().__init__(root, python)
        bin_dir = str(Path(python).parent)
        env = {key: value for key, value in os.environ.items()
               if key not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH",
                              "JUPYTER_CONFIG_PATH")}
        env.update(KERNEL_ENV,
                   PATH=bin_dir + os.pathsep + env.get("PATH", ""),
                   JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
                   JUPYTER_DATA_DIR=str(home / "jupyter-data"),
                   JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"),
                   IPYTHONDIR=str(home / "ipython"),
                   MPLCONFIGDIR=str(home / "matplotlib"))
        command = [python, "-m", "notebook", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--NotebookApp.port_retries=0",
                   f"--NotebookApp.token={self.token}",
                   f"--NotebookApp.notebook_dir={root}", "--NotebookApp.open_browser=False",
                   # Notebook 6.5's "migrate to Notebook 7" banner only pushes cells down.
                   "--NotebookApp.show_banner=False"]
        self.start(command, env, home / "notebook.log",
                   f"the Notebook server ({python} -m notebook)")
        self.enabled_by_test = self.ensure_widgets_extension()

    def ensure_widgets_extension(self) -> bool:
        """Make sure the notebook page loads the ipywidgets 7 frontend; True when this had
        to enable it (in the private config directory only, nothing is installed).

        The server's merged ``notebook`` frontend config says whether it is enabled
        (what ``jupyter nbextension list`` reports); the extension's files must be
        served either way, else widgetsnbextension is missing from the environment.
        """
        try:
            with urllib.request.urlopen(f"{self.url}/nbextensions/{WIDGETS_NBEXTENSION}.js"
                                        f"?token={self.token}", timeout=10) as response:
                response.read(1)
        except OSError as error:
            raise RuntimeError(
                f"the Notebook server does not serve {WIDGETS_NBEXTENSION}.js ({error}): "
                f"install widgetsnbextension in {Path(self.python).parent.parent} "
                "(it comes with ipywidgets 7)") from None
        config = self.api("GET", "/api/config/notebook") or {}
        if config.get("load_extensions", {}).get(WIDGETS_NBEXTENSION):
            return False
        self.api("PATCH", "/api/config/notebook",
                 {"load_extensions": {WIDGETS_NBEXTENSION: True}})
        return True

    def notebook_url(self, relative: str) -> str:
        return f"{self.url}/notebooks/{relative}?token={self.token}"


class ClassicBrowser(BrowserLab):
    """A classic Notebook server (from ``.venv-colab``) + the session's Chromium, or the
    reason they are not available; its pages are :class:`ClassicPage`."""

    def start_server(self, tmp: Path):
        try:
            python = server_python()
        except RuntimeError as error:  # the environment or the wheel could not be built
            raise RuntimeError(f"the Colab-pinned environment is not available: {error}") from None
        return ClassicNotebookServer(python, self.root, tmp)


class ClassicPage(NotebookPage):
    """One test's page on one notebook in the classic Notebook."""

    RUNNING = "In [*]:"
    CELLS = "#notebook .cell"
    CODE_CELLS = ".code_cell"
    INPUT = ".input_area"
    PROMPT = ".input_prompt"
    NOT_RUN = "In [ ]:"
    # What a classic cell shows, read in one go (see NotebookPage.look): besides what
    # JupyterLab's shows, the plot's size on the page, the button labels, and the
    # error/stderr outputs.
    LOOK_JS = """cell => {
  const text = el => (el ? el.innerText : '').replace(/\\u00a0/g, ' ');
  const prompt = text(cell.querySelector('.input_prompt')).trim();
  const htmls = [...cell.querySelectorAll('.widget-html-content')];
  const status = htmls.find(el => /elapsed|waiting for training/.test(el.textContent));
  let image = null, size = null;
  const img = cell.querySelector('img.widget-image');
  if (img && img.complete && img.naturalWidth) {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
    const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 2166136261;
    for (let i = 0; i < data.length; i += 3) { h ^= data[i]; h = Math.imul(h, 16777619); }
    image = canvas.width + 'x' + canvas.height + ':' + (h >>> 0);
    const box = img.getBoundingClientRect();
    size = [Math.round(box.width), Math.round(box.height)];
  }
  const outputs = [...cell.querySelectorAll('.output_area')];
  return {prompt, status: text(status), image, size, src: img ? img.src : null,
          widgets: htmls.map(text).join('\\n'),
          buttons: [...cell.querySelectorAll('button.jupyter-button')].map(
              b => text(b).trim()),
          outputs: text(cell.querySelector('.output')),
          // Tracebacks and anything written to stderr (warnings included).
          problems: [...cell.querySelectorAll('.output_error, .output_stderr')].map(text)};
}"""

    def open(self, relative: str):
        self.relative = relative
        page = super().open(relative)
        # The widget manager has registered itself with the page's notebook.
        page.wait_for_function(
            "() => window.require && require.defined('nbextensions/" + WIDGETS_NBEXTENSION
            + "')", timeout=60_000)
        return page

    def kernel_idle(self):
        """The toolbar's kernel indicator showing a connected, idle kernel."""
        return self.page.locator("#kernel_indicator_icon.kernel_idle_icon")

    def menu(self, menu: str, item_id: str) -> None:
        """Open the menu bar's ``menu`` ("File", "Cell", ...) and click its item ``#item_id``."""
        self.page.locator(f"#{menu.lower()}link").click()
        self.page.locator(f"#{item_id} > a").click()

    def choose_run_all(self) -> None:
        """Cell > Run All."""
        self.menu("Cell", "run_all_cells")

    def save(self, relative: str, timeout: float = 30) -> None:
        """File > Save and Checkpoint; returns once the server has written ``relative``
        (its modification time changed)."""
        server = self.browser_lab.lab
        path = "/api/contents/" + urllib.parse.quote(relative) + "?content=0"
        before = server.api("GET", path)["last_modified"]
        self.menu("File", "save_checkpoint")
        self.wait_until(lambda: server.api("GET", path)["last_modified"] != before, timeout,
                        f"the page to save {relative}",
                        seen=lambda: self.page.locator("#notification_area").inner_text())
