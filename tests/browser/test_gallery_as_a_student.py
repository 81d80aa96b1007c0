"""A gallery notebook as a student opens it: the first screen, and an exercise whose
solution stays folded until its summary is clicked.

The committed notebook is opened with its stored outputs (what Colab, GitHub and a
fresh clone show), in JupyterLab in the light and the dark theme; the classic
Notebook's case is in ``test_classic_notebook.py``. The solution's code must not be
visible on the page until "Solution to exercise 1" is clicked, and the stored
self-check under the exercise must say it is not answered yet (not "correct", which
would give the answer away). With ``NBCALLBACKS_SCREENSHOTS=<dir>`` the screens are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from .test_browser_chart import switch_theme

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

GALLERY = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK = GALLERY / "keras_builtin_callbacks_tour.ipynb"


def first_solution_line(notebook: Path) -> str:
    """The first line of code in the notebook's folded solution to exercise 1."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        found = re.search(r"Solution to exercise 1 \(click to show\)</summary>\s*```python\n(.*)",
                          cell.source)
        if cell.cell_type == "markdown" and found:
            return found.group(1).strip()
    raise AssertionError(f"{notebook.name} has no folded solution to exercise 1")


def solution_one(page, cell_selector: str):
    """The ``<details>`` element that folds the solution to exercise 1."""
    return page.locator(f"{cell_selector} details",
                        has=page.locator("summary", has_text="Solution to exercise 1"))


def check_folded_then_shown(session, details, code_line: str, label: str) -> None:
    """The solution's code is hidden, then shown by a click on its summary, as a student does."""
    details.scroll_into_view_if_needed()
    code = details.locator("pre")
    assert details.evaluate("d => d.open") is False
    assert not code.is_visible(), "the solution's code shows before a click"
    session.screenshot(f"{label}-exercise-folded", focus=details)
    details.locator("summary").click()
    assert code.is_visible() and code_line in code.inner_text()
    session.screenshot(f"{label}-exercise-unfolded", focus=details)
    details.locator("summary").click()          # folded again for the next look


def test_a_student_sees_the_lesson_and_unfolds_a_solution_in_jupyterlab(lab_page):
    page = lab_page.open_copy(NOTEBOOK, folder="student", keep_outputs=True)
    first = page.locator(".jp-MarkdownCell").first
    assert "After this notebook you can" in first.inner_text()
    assert first.locator("img[alt='Open in Colab']").is_visible()
    lab_page.screenshot("lab-light-first-screen")
    checks = page.locator(".jp-CodeCell", has_text='self_check("Exercise 1")')
    assert "not answered yet" in checks.locator(".jp-OutputArea").inner_text()
    details = solution_one(page, ".jp-MarkdownCell")
    check_folded_then_shown(lab_page, details, first_solution_line(NOTEBOOK), "lab-light")
    switch_theme(lab_page, "JupyterLab Dark")
    try:
        lab_page.wait_until(lambda: page.evaluate(
            "() => document.body.dataset.jpThemeLight") == "false", 30, "the dark theme")
        first.scroll_into_view_if_needed()
        lab_page.screenshot("lab-dark-first-screen")
        check_folded_then_shown(lab_page, details, first_solution_line(NOTEBOOK), "lab-dark")
    finally:   # the theme is a server setting: the next tests get the light one
        switch_theme(lab_page, "JupyterLab Light")


def test_every_gallery_notebook_opens_on_its_lesson_card_in_jupyterlab(lab_page):
    """Each notebook's first screen, as a student opens it: the lesson card (objectives,
    the stated Run All time, the Colab and Binder buttons) is on screen without scrolling.
    The notebooks are opened one after another from the file browser, as a student does."""
    shown = {}
    notebooks = sorted(GALLERY.glob("*.ipynb"))
    for notebook in notebooks[1:]:
        lab_page.write_copy(notebook, folder="student-cards", keep_outputs=True)
    page = lab_page.open_copy(notebooks[0], folder="student-cards", keep_outputs=True)
    for notebook in notebooks:
        if notebook != notebooks[0]:
            page.locator(".jp-DirListing-item", has_text=notebook.name).dblclick()
        first = page.locator(".jp-NotebookPanel:visible .jp-MarkdownCell").first
        first.locator("img[alt='Open in Colab']").wait_for(timeout=60_000)
        text = first.inner_text()
        box, viewport = first.bounding_box(), page.viewport_size
        colab = first.locator("a", has=page.locator("img[alt='Open in Colab']"))
        shown[notebook.name] = {
            "its own card": colab.get_attribute("href").endswith(f"/{notebook.name}"),
            "objectives": "After this notebook you can" in text,
            "time": re.search(r"Run All: about \d+ s", text) is not None,
            "buttons": all(first.locator(f"img[alt='{alt}']").is_visible()
                           for alt in ("Open in Colab", "Launch Binder")),
            "on the first screen": box is not None and box["y"] < viewport["height"] / 2,
        }
        lab_page.screenshot(f"first-screen-{notebook.stem}")
    missing = {name: [what for what, ok in found.items() if not ok]
               for name, found in shown.items() if not all(found.values())}
    assert len(shown) == 8 and not missing, missing
