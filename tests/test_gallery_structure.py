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
    assert "<details><summary>Answers</summary>" in last and last.rstrip().endswith("</details>")


def test_the_teachers_guide_lists_every_notebook_with_its_time():
    guide = (GALLERY / "TEACHING.md").read_text()
    for path in NOTEBOOKS:
        section = guide.split(f"[{path.name}]({path.name})", 1)
        assert len(section) == 2, f"{path.name} has no section in TEACHING.md"
        assert re.search(r"\*\*Time\.\*\* Run All takes about \d+ s", section[1].split("\n## ")[0])
