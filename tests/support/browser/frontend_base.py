"""What the JupyterLab and classic Notebook harnesses share: the server, and a page on a notebook.

:class:`JupyterServer` is a Jupyter server process on 127.0.0.1 (a free port, a
random token) serving a temporary directory: started in its own process group,
waited for until its REST API answers, asked to stop the kernels a test
started, shut down. :class:`NotebookPage` is one test's Chromium page on one
notebook of that server: opening it and waiting until the kernel is idle, Run
All through the menu bar, and the helpers that wait on what the page shows.
The subclasses in ``browser_lab`` (JupyterLab; Notebook 7's page in
``tests/browser/test_notebook7.py`` derives from its page) and
``classic_notebook`` (Notebook 6.5) give the command that starts their server,
their URLs, menus and where the page shows cells, prompts and the kernel's
state.
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
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from .chromium import expect

TESTS = Path(__file__).resolve().parents[2]
DEFAULT_SCREENSHOTS = TESTS / "browser" / "screenshots"
VIEWPORT = {"width": 1280, "height": 1000}
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# What the kernels started by the server inherit: quiet TensorFlow.
KERNEL_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0",
              "KERAS_BACKEND": "tensorflow", "PYTHONUNBUFFERED": "1"}


# -- failure screenshots -------------------------------------------------------------------
def screenshot_dir(always: bool = False) -> Path | None:
    """Where screenshots go: $NBCALLBACKS_SCREENSHOTS, else tests/browser/screenshots
    (failures only). None when screenshots were not asked for and ``always`` is False."""
    chosen = os.environ.get("NBCALLBACKS_SCREENSHOTS")
    if chosen:
        return Path(chosen).resolve()
    return DEFAULT_SCREENSHOTS if always else None


# -- the server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    """A Jupyter server serving ``root``, run by ``python``; a subclass starts it (:meth:`start`)
    with its own command, environment and log, and says where a notebook's page is
    (:meth:`notebook_url`)."""

    def __init__(self, root: Path, python: str):
        self.root = root
        self.python = python
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, command: list[str], env: dict[str, str], log_path: Path, what: str,
              timeout: float = 120) -> None:
        """Run the server's ``command`` in ``root``, in its own process group (so that
        :meth:`close` stops its kernels too), its output in ``log_path``; return once it
        answers. ``what`` names it in the errors, which end with its log."""
        self.what = what
        self.log_path = log_path
        self._log = open(log_path, "w")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command = [*command, "--allow-root"]
        self.process = subprocess.Popen(command, env=env, cwd=self.root, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.what} exited ({self.process.returncode}); log:\n"
                                   + self.log())
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.what} did not answer within {timeout:.0f} s; log:\n"
                           + self.log())

    def log(self) -> str:
        """The end of the server's output so far."""
        self._log.flush()
        return self.log_path.read_text()[-4000:]

    def api(self, method: str, path: str, body=None):
        """Call the server's REST API (``body`` sent as JSON); the decoded answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, method=method, data=data,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def notebook_url(self, relative: str) -> str:
        """The page of the notebook at ``relative`` (a path in ``root``), with the token."""
        raise NotImplementedError

    def shutdown_kernels(self) -> None:
        """Stop every kernel (a test's training must not slow the next test)."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except OSError:
            pass

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


# -- notebooks and pages ---------------------------------------------------------------------
def new_notebook(*cells: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return notebook


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


class NotebookPage:
    """One test's browser page on one notebook, with helpers that wait on what is visible.

    A subclass says where its frontend shows things: ``CELLS`` (every cell, there
    once the notebook is loaded), ``CODE_CELLS``, ``INPUT`` (a code cell's source),
    ``PROMPT`` (its execution prompt), ``NOT_RUN`` (that prompt's text before the
    cell ran), ``LOOK_JS`` (what :meth:`look` reads), and implements
    :meth:`kernel_idle` and :meth:`choose_run_all`.
    """

    CELLS: str
    CODE_CELLS: str
    INPUT: str
    PROMPT: str
    NOT_RUN: str | re.Pattern
    LOOK_JS: str

    def __init__(self, browser_lab, name: str):
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
        """Open the served notebook ``relative`` in a new page; return the page once its cells
        are shown and its kernel is idle."""
        self.browser_lab.require()
        self.context = self.browser_lab.browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.listen(self.page)
        self.page.goto(self.notebook_url(relative))
        self.page.locator(self.CELLS).first.wait_for(timeout=90_000)
        self.wait_kernel_idle(120)
        return self.page

    def notebook_url(self, relative: str) -> str:
        """Where the page of ``relative`` is: the server's own notebook page by default."""
        return self.browser_lab.lab.notebook_url(relative)

    def listen(self, page) -> None:
        """What to record from the page's events, set up before it loads (nothing here)."""

    # -- state of the page ---------------------------------------------------------------
    def kernel_idle(self):
        """The element that shows the notebook's kernel connected and idle (one of them)."""
        raise NotImplementedError

    def wait_kernel_idle(self, timeout: float = 60) -> None:
        """Wait until the page shows the notebook's kernel connected and idle."""
        expect(self.kernel_idle()).to_have_count(1, timeout=timeout * 1000)

    def choose_run_all(self) -> None:
        """Click the menu bar's item that runs every cell."""
        raise NotImplementedError

    def run_all(self) -> None:
        """Run every cell through the menu bar, as a person would; return once the first code
        cell is queued or ran (its prompt is no longer the empty one)."""
        self.choose_run_all()
        expect(self.prompt(self.page.locator(self.CODE_CELLS).first)).not_to_have_text(
            self.NOT_RUN, timeout=15_000)

    def prompt(self, cell):
        """The execution prompt of ``cell`` as shown ("[*]:" or "In [*]:" while it runs)."""
        return cell.locator(self.PROMPT).first

    def cell(self, marker: str):
        """The code cell whose source contains ``marker``."""
        return self.page.locator(self.CODE_CELLS).filter(
            has=self.page.locator(self.INPUT, has_text=marker))

    def button(self, scope, text: str):
        """The widget button showing exactly ``text`` (its icon aside) inside ``scope``."""
        return scope.locator("button.jupyter-button",
                             has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))

    def look(self, cell) -> dict:
        """What ``cell`` shows right now, read in one go (``LOOK_JS``): its prompt, the
        dashboard's status line, a fingerprint of the first widget image's pixels, all widget
        text and all output text, and what the frontend adds."""
        return cell.evaluate(self.LOOK_JS)

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
