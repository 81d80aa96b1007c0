"""The gallery's checks (``conftest.py`` at the repository's root) fail when they should.

Three one-exercise notebooks run through nbval in a real kernel, with the root
``conftest.py`` as the gallery runs with it: a solution that passes its
self-check, one that fails it, and a notebook whose stated time is far from
its measured run.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.backend("tensorflow"), pytest.mark.environments("main")]


def exercise_notebook(stated_seconds: int, solution: str) -> nbformat.NotebookNode:
    """A notebook as the gallery writes them: first cell, one exercise, answer, check, solution.

    Its set-up cell sleeps 8 s, so that its run takes 8 s plus the import of
    ``nbcallbacks.classroom`` (2-5 s on the machines we run on): a stated 15 s
    is right on a fast machine and on a loaded one (7.5-30 s pass).
    """
    v4 = nbformat.v4
    return v4.new_notebook(cells=[
        v4.new_markdown_cell(f"# A lesson\n\nRun All: about {stated_seconds} s on a 2-core CPU"),
        v4.new_code_cell("import time\nfrom nbcallbacks.classroom import self_check\n"
                         "numbers = [3, 1, 2]\ntime.sleep(8)"),
        v4.new_markdown_cell("### Exercise 1: sort\n\nStore `numbers` sorted in `ordered`."),
        v4.new_code_cell("# Your answer to exercise 1."),
        v4.new_code_cell('with self_check("Exercise 1"):\n'
                         '    assert ordered == sorted(numbers), "ordered is not in order"'),
        v4.new_markdown_cell("<details><summary>Solution to exercise 1 (click to show)"
                             f"</summary>\n\n```python\n{solution}\n```\n\n"
                             "Why it works.\n\n</details>"),
    ])


def test_a_solution_that_fails_its_check_and_a_wrong_stated_time_fail_the_gallery_run(tmp_path):
    shutil.copy2(ROOT / "conftest.py", tmp_path / "conftest.py")
    notebooks = {"right": exercise_notebook(15, "ordered = sorted(numbers)"),
                 "wrong": exercise_notebook(15, "ordered = list(numbers)"),
                 "slow_claim": exercise_notebook(600, "ordered = sorted(numbers)")}
    for name, notebook in notebooks.items():
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=",
         "--nbval-lax", "-rA", *[f"{name}.ipynb" for name in notebooks]],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    lines = [line for line in run.stdout.splitlines() if line.startswith(("PASSED", "FAILED"))]
    verdicts = {line.split(" ", 1)[1].split(" - ")[0]: line.split(" ", 1)[0] for line in lines}
    assert verdicts == {
        "right.ipynb::Cell 0": "PASSED", "right.ipynb::Cell 1": "PASSED",
        "right.ipynb::Cell 2": "PASSED", "right.ipynb::solution to exercise 1": "PASSED",
        "right.ipynb::stop the programs it started": "PASSED",
        "right.ipynb::stated Run All time": "PASSED",
        "wrong.ipynb::Cell 0": "PASSED", "wrong.ipynb::Cell 1": "PASSED",
        "wrong.ipynb::Cell 2": "PASSED", "wrong.ipynb::solution to exercise 1": "FAILED",
        "wrong.ipynb::stop the programs it started": "PASSED",
        "wrong.ipynb::stated Run All time": "PASSED",
        "slow_claim.ipynb::Cell 0": "PASSED", "slow_claim.ipynb::Cell 1": "PASSED",
        "slow_claim.ipynb::Cell 2": "PASSED", "slow_claim.ipynb::solution to exercise 1": "PASSED",
        "slow_claim.ipynb::stop the programs it started": "PASSED",
        "slow_claim.ipynb::stated Run All time": "FAILED",
    }, run.stdout[-3000:]
    assert "the solution fails its self-check" in run.stdout
    assert "ordered is not in order" in run.stdout
    assert "states 'Run All: about 600 s' but ran in" in run.stdout
