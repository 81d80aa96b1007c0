"""The gallery's own checks, added to nbval's run of each notebook in ``notebooks/``.

nbval runs a notebook's code cells in one kernel, as a student's "Run All" does.
After the notebook's last cell this plugin adds, in the same kernel:

* one item per exercise that runs the published solution (the Python block
  folded in the notebook's ``<details><summary>Solution ...`` cell) followed
  by the exercise's self-check cell, and fails unless the check says
  "correct": every solution shown to students works and passes its check;
* one item that stops the programs the notebook's kernel started and left running (the
  tour's ``%tensorboard``: students stop theirs with the notebook's ``stop_tensorboard()``;
  a test run must not leave servers behind);
* one item that compares the notebook's measured run (kernel start and every
  cell) with the "Run All: about N s" its first cell states, and fails when
  they differ by more than a factor of two either way.

Solutions run after the whole notebook, so a solution's objects never change
what a later cell of the student's notebook prints.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

SOLUTION = re.compile(r"<details><summary>Solution to exercise (\d+) \(click to show\)</summary>"
                      r"\s*```python\n(.*?)\n```", re.DOTALL)
STATED_TIME = re.compile(r"Run All: about (\d+) s")
# A stated time is honest when the measured run is within this factor of it, either way.
TIME_FACTOR = 2.0

_durations: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    _durations[report.nodeid] += report.duration


@pytest.hookimpl(trylast=True)    # after -k / -m deselection: only complete notebooks get the items
def pytest_collection_modifyitems(session, config, items):
    try:
        from nbval.plugin import IPyNbCell, IPyNbFile
    except ImportError:
        return
    by_notebook: dict[IPyNbFile, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        if isinstance(item, IPyNbCell) and isinstance(item.parent, IPyNbFile):
            by_notebook[item.parent].append(index)
    # Insert from the end so that earlier positions stay valid.
    for notebook, positions in sorted(by_notebook.items(), key=lambda pair: -pair[1][-1]):
        cells = [items[i] for i in positions]
        code_cells = [cell for cell in notebook.nb.cells if cell.cell_type == "code"]
        if len(cells) != len(code_cells):
            continue            # part of the notebook was selected: no whole-notebook checks
        added = [*solution_items(notebook, IPyNbCell), leftover_programs_item(notebook, IPyNbCell),
                 StatedTimeItem.from_parent(
            notebook, name="stated Run All time", cell_ids=[cell.nodeid for cell in cells])]
        items[positions[-1] + 1:positions[-1] + 1] = added


def solution_items(notebook, cell_class) -> list:
    """One nbval cell per published solution: the solution, its self-check, and an assertion."""
    import nbformat

    cells = notebook.nb.cells
    markdown = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    checks = {number: cell.source for cell in cells if cell.cell_type == "code"
              for number in re.findall(r'self_check\("Exercise (\d+)"\)', cell.source)}
    items = []
    for number, solution in SOLUTION.findall(markdown):
        source = solution
        if number in checks:
            source += ("\n\n" + checks[number] + "\n\nfrom nbcallbacks.classroom import last_check"
                       f"\nassert last_check().exercise == 'Exercise {number}' and "
                       "last_check().passed, f'the solution fails its self-check: {last_check()}'")
        cell = nbformat.v4.new_code_cell(source)
        items.append(cell_class.from_parent(
            notebook, name=f"solution to exercise {number}", cell_num=1000 + int(number),
            cell=cell, options=defaultdict(bool, check=False)))
    return items


# Run in the notebook's kernel after its last cell: end the processes it started (psutil comes
# with ipykernel), and say which, so a run's log shows what a notebook leaves behind.
STOP_CHILDREN = """import psutil as _psutil
for _child in _psutil.Process().children(recursive=True):
    print("stopping", _child.pid, " ".join(_child.cmdline()[:3]))
    _child.terminate()
_psutil.wait_procs(_psutil.Process().children(recursive=True), timeout=10)
"""


def leftover_programs_item(notebook, cell_class):
    import nbformat

    return cell_class.from_parent(
        notebook, name="stop the programs it started", cell_num=2000,
        cell=nbformat.v4.new_code_cell(STOP_CHILDREN), options=defaultdict(bool, check=False))


class StatedTimeItem(pytest.Item):
    """The notebook's measured run against the time its first cell states."""

    def __init__(self, *, cell_ids: list[str], **kwargs):
        super().__init__(**kwargs)
        self.cell_ids = cell_ids

    def runtest(self):
        first = self.parent.nb.cells[0].source
        stated = STATED_TIME.search(first)
        assert stated, f"{Path(self.path).name}: the first cell states no 'Run All: about N s'"
        stated_seconds = float(stated.group(1))
        measured = sum(_durations[cell_id] for cell_id in self.cell_ids)
        # Kept in the results file (junit XML): the figures the teacher's guide quotes.
        self.user_properties.append(("measured_seconds", round(measured, 1)))
        assert stated_seconds / TIME_FACTOR <= measured <= stated_seconds * TIME_FACTOR, (
            f"{Path(self.path).name} states 'Run All: about {stated.group(1)} s' but ran in "
            f"{measured:.0f} s here: measure it again and update the first cell and TEACHING.md")

    def reportinfo(self):
        return self.path, None, f"{Path(self.path).name}::stated Run All time"
