"""The gallery as classroom material: what every notebook must carry, read from its JSON.

A student opens a notebook from a link (Colab, Binder, GitHub) and must find, in its first
cell, the lesson it belongs to, what it teaches, how long it takes and the buttons that
open it; test markers stay out of the code they read; the teacher's guide lists every
notebook with its measured time.
"""

import json
import re
from pathlib import Path

import pytest

GALLERY = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(GALLERY.glob("*.ipynb"))

pytestmark = [pytest.mark.backend("tensorflow"), pytest.mark.environments("main")]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_first_cell_says_the_lesson_objectives_time_and_how_to_open_it(path):
    first = source(cells(path)[0])
    colab = (f"https://colab.research.google.com/github/nbcallbacks/nbcallbacks/blob/main/"
             f"notebooks/{path.name}")
    binder = f"urlpath=lab/tree/notebooks/{path.name}"
    assert colab in first and binder in first, "the Colab and Binder buttons open this notebook"
    assert re.search(r"\*\*Lesson \d of \d\*\* in the \[callbacks unit\]\(TEACHING\.md\)", first)
    assert re.search(r"Run All: about \d+ s on a 2-core CPU", first), "a measured time"
    objectives = first.split("**After this notebook you can**", 1)
    assert len(objectives) == 2 and objectives[1].lstrip().startswith("- "), "objectives"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_test_marker_in_the_code_students_read(path):
    marked = [index for index, cell in enumerate(cells(path))
              if re.search(r"^\s*#\s*(NBVAL|PYTEST_VALIDATE)_", source(cell), re.MULTILINE)]
    assert not marked, f"cells {marked}: use a cell tag (nbval-check-output, ...) instead"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_recap_closes_the_notebook_with_its_answers_folded(path):
    last = source(cells(path)[-1])
    assert last.startswith("## Recap")
    assert "<details><summary>Answers (click to show)</summary>" in last
    assert last.rstrip().endswith("</details>")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_an_answer_cell_and_a_folded_solution_and_no_solution_is_code(path):
    notebook = cells(path)
    headings = [(index, int(number)) for index, cell in enumerate(notebook)
                if cell["cell_type"] == "markdown"
                for number in re.findall(r"^### Exercise (\d+):", source(cell), re.MULTILINE)]
    assert headings, "an '## Exercises' section with '### Exercise N: title' cells"
    assert [number for _, number in headings] == list(range(1, len(headings) + 1))
    solutions = {}
    for index, cell in enumerate(notebook):
        text = source(cell)
        assert not cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"), (
            f"cell {index} is hidden by JupyterLab metadata only: Colab, GitHub and the classic "
            "Notebook show it")
        if cell["cell_type"] == "code":
            assert not re.search(r"^#\s*Solutions?\b", text, re.MULTILINE | re.IGNORECASE), (
                f"cell {index}: a solution in a code cell is visible, and so are its outputs")
        for number in re.findall(
                r"<details><summary>Solution to exercise (\d+) \(click to show\)</summary>", text):
            assert cell["cell_type"] == "markdown" and text.rstrip().endswith("</details>")
            assert text.count("```python") == 1, f"cell {index}: one Python block per solution"
            solutions[int(number)] = index
    assert sorted(solutions) == [number for _, number in headings], "one solution per exercise"
    for index, number in headings:
        answer = notebook[index + 1]
        assert answer["cell_type"] == "code" and source(answer).startswith("# Your answer"), (
            f"exercise {number}: an empty cell to answer in, right under the task")
        assert solutions[number] > index, f"exercise {number}: its solution follows it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_stored_self_checks_show_unanswered_exercises(path):
    """A self-check's stored output must not be a passed check: that would give the answer away."""
    for index, cell in enumerate(cells(path)):
        if cell["cell_type"] == "code" and "self_check(" in source(cell):
            printed = "".join("".join(output.get("text", "")) for output in cell["outputs"])
            assert "not answered yet" in printed, f"cell {index}: {printed!r}"


def test_the_teachers_guide_lists_every_notebook_with_its_time():
    guide = (GALLERY / "TEACHING.md").read_text()
    for path in NOTEBOOKS:
        section = guide.split(f"[{path.name}]({path.name})", 1)
        assert len(section) == 2, f"{path.name} has no section in TEACHING.md"
        assert re.search(r"\*\*Time\.\*\* Run All takes about \d+ s", section[1].split("\n## ")[0])
