"""The gallery run in JupyterLab in headless Chromium: no traceback on the page.

The notebooks are copied with their outputs cleared into the server's temporary
directory and run with Run > Run All Cells. The test then reads the page: every code cell
ran, no output shows a Python traceback, no widget failed to display.

Every notebook runs under nbval in three environments (here, Colab's pins, the
floors). In the browser run here are the three whose displays no other browser test
drives: ``quickstart`` (the dashboard and a comparison, as a newcomer first sees them),
``writing_your_own_callbacks`` (the tracer's timeline, dashboards with a schedule) and
``checkpoint_scheduler_custom`` (built-in callbacks' markers, a schedule preview). The
others display nothing these and the other browser tests do not: the controls and the
chart (``test_browser_dashboard.py``, ``test_browser_chart.py``: ``training_controls``),
schedule previews with sliders and comparisons (``test_browser_schedule.py``,
``test_browser_compare.py``: ``learning_rate_tools``), the tracer (``callback_tracer``),
dashboards with built-in callbacks' markers (``tf_callbacks_in_action``,
``keras_builtin_callbacks_tour``); in the browser they took 230 s of this file's 400 s
on 2 cores.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.browser.frontend_base import screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.timeout(660)]

GALLERY = Path(__file__).resolve().parents[2] / "notebooks"
IN_THE_BROWSER = ("quickstart", "writing_your_own_callbacks", "checkpoint_scheduler_custom")
NOTEBOOKS = [GALLERY / f"{stem}.ipynb" for stem in IN_THE_BROWSER]
PER_NOTEBOOK_SECONDS = 600

# Read in the page: each code cell's prompt and source head, and the outputs that
# show a failure (tracebacks in error/stderr outputs, widgets that did not render).
CELLS_JS = """notebook => [...notebook.querySelectorAll('.jp-CodeCell')].map(cell => {
  const text = el => (el ? el.innerText : '').replace(/\\u00a0/g, ' ');
  const failures = [];
  for (const out of cell.querySelectorAll('.jp-OutputArea-output')) {
    const shown = text(out);
    const stderr = out.matches('[data-mime-type="application/vnd.jupyter.stderr"]') ||
                   out.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]');
    if ((stderr && /Traceback|Error:/.test(shown))
        || /Traceback \\(most recent call last\\)/.test(shown)
        || /Error displaying widget|Model not found/i.test(shown)) {
      failures.push(shown.slice(-1500));
    }
  }
  const prompt = cell.querySelector('.jp-InputPrompt');
  return {prompt: prompt ? prompt.textContent.replace(/\u00a0/g, ' ').trim() : '',
          source: text(cell.querySelector('.jp-InputArea-editor')).trim().split('\\n')[0],
          failures};
})"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_gallery_notebook_runs_without_tracebacks(lab_page, notebook):
    page = lab_page.open_copy(notebook)
    lab_page.run_all()
    notebook_node = page.locator(".jp-Notebook").first

    def finished():
        cells = notebook_node.evaluate(CELLS_JS)
        running = [c for c in cells if "*" in c["prompt"]]
        failed = [c for c in cells if c["failures"]]
        last_ran = not cells or cells[-1]["prompt"] not in ("[ ]:", "[]:", "")
        return {"cells": cells} if not running and (last_ran or failed) else None

    cells = lab_page.wait_until(
        finished, PER_NOTEBOOK_SECONDS, f"Run All of {notebook.name} to finish",
        seen=lambda: [(c["prompt"], c["source"]) for c in notebook_node.evaluate(CELLS_JS)],
        interval=1.0)["cells"]
    lab_page.screenshot("finished")
    if screenshot_dir() is not None:  # asked for: every widget output, for a look
        for index, output in enumerate(page.locator(
                ".jp-OutputArea-output:has(.jupyter-widgets)").all()):
            lab_page.screenshot(f"widget-output-{index + 1}", element=output)
    failed = [c for c in cells if c["failures"]]
    if failed:  # the failure screenshot should show the first traceback
        try:
            page.locator(".jp-OutputArea-output").filter(
                has_text="Traceback").first.scroll_into_view_if_needed(timeout=5_000)
        except Exception:  # noqa: BLE001 - the assertion below says what is wrong
            pass
    assert not failed, f"{notebook.name}: tracebacks on the page:\n" + "\n\n".join(
        f"cell {c['prompt']} {c['source']!r}:\n{f}" for c in failed for f in c["failures"])
    not_run = [c for c in cells if not c["prompt"].strip("[]: ").isdigit()]
    assert not not_run, f"{notebook.name}: cells that did not run: {not_run}"
