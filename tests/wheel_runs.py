"""The suite and the gallery against the installed wheel, in the Colab and the floors
environments, both at once.

Each environment gets one inner pytest run of ``tests/``, the installed
package's doctests and ``notebooks/`` (nbval), from a copy of the suite
without the sources (:func:`copy_suite`), so every ``import nbcallbacks`` is
the wheel's. The two runs go side by side: like the JAX and PyTorch runs,
each mostly waits on one core (a small model, a kernel, a render thread), so
together they take about the time of the longer one rather than the sum
(measured: 568 s for both, about 900 s one after the other).
Their whole output is kept in ``.venv-<name>/run.log``, and their results per
test in ``.venv-<name>/run.xml``; the outer tests read the suite's part and
the gallery's part from there (:meth:`WheelRun.check`).

By hand, after a first run built the environments::

    .venv/bin/python -m pytest tests/test_colab_stack.py tests/test_floor_versions.py
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

from extra_environments import COLAB_ROOT, REPOSITORY, colab_python
from floor_environment import FLOORS_ROOT, floors_python

# The parts of one run, told apart by the test's class name in the results file.
GALLERY, SUITE = "gallery", "suite"


def part_of(classname: str) -> str:
    """Which part a test of the results file belongs to.

    >>> part_of("notebooks.quickstart.ipynb"), part_of("tests.test_core_small")
    ('gallery', 'suite')
    """
    return GALLERY if classname.startswith("notebooks.") else SUITE


def copy_suite(destination: Path) -> Path:
    """A copy of the tests, the gallery and the pytest settings, without the package.

    Run from there, ``import nbcallbacks`` cannot find the repository's
    sources: it finds the installed wheel or nothing.
    """
    if destination.exists():
        for name in ("tests", "notebooks", "pyproject.toml"):
            target = destination / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "checkpoints",
                                    "logs", "screenshots")
    for name in ("tests", "notebooks"):
        shutil.copytree(REPOSITORY / name, destination / name, ignore=ignore)
    shutil.copy2(REPOSITORY / "pyproject.toml", destination / "pyproject.toml")
    return destination


@dataclass
class WheelRun:
    """One inner pytest run against the installed wheel, started and not yet waited for."""

    environment: str          # "colab" or "floors": NBCALLBACKS_TEST_ENVIRONMENT there
    root: Path
    process: subprocess.Popen
    package: str              # the installed package's folder
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None

    @property
    def log(self) -> Path:
        return self.root / "run.log"

    @property
    def results(self) -> Path:
        return self.root / "run.xml"

    def wait(self, timeout: float) -> int:
        if self.seconds is None:
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
            self.seconds = time.monotonic() - self.started
        return self.process.returncode

    def outcomes(self) -> dict[str, dict[str, list[str]]]:
        """part -> outcome ("passed", "failed", "skipped") -> test ids, from the results file."""
        found: dict[str, dict[str, list[str]]] = {GALLERY: {}, SUITE: {}}
        if not self.results.exists():
            return found
        for case in ElementTree.parse(self.results).getroot().iter("testcase"):
            classname = case.get("classname", "")
            tags = {child.tag for child in case}
            outcome = ("failed" if tags & {"failure", "error"} else
                       "skipped" if "skipped" in tags else "passed")
            found[part_of(classname)].setdefault(outcome, []).append(
                f"{classname}::{case.get('name')}")
        return found

    def check(self, part: str, capsys, timeout: float = 2400) -> None:
        """Wait for the run; fail when ``part`` (suite or gallery) has a failure or no test.

        Prints the part's counts into the outer log.
        """
        import pytest

        returncode = self.wait(timeout)
        every_part = self.outcomes()
        outcomes = every_part[part]
        counts = ", ".join(f"{len(ids)} {outcome}" for outcome, ids in sorted(outcomes.items()))
        with capsys.disabled():  # the inner summary belongs in the outer log
            print(f"\n[{self.environment} {part}, run of {self.seconds:.0f} s] "
                  f"{counts or 'no tests'}")
        tail = "\n".join(self.log.read_text().strip().splitlines()[-120:])
        if outcomes.get("failed") or not outcomes.get("passed"):
            pytest.fail(f"the {part} in {self.root.name} (whole output: {self.log}):\n"
                        + "\n".join(outcomes.get("failed", [])) + "\n\n" + tail, pytrace=False)
        if returncode != 0 and not any(o.get("failed") for o in every_part.values()):
            pytest.fail(f"the run in {self.root.name} exited with {returncode} without a "
                        f"failed test (whole output: {self.log}):\n{tail}", pytrace=False)
        assert f"package from {self.package}" in self.log.read_text(), (
            "the inner run did not use the installed wheel")


def start_run(python: Path, root: Path, environment: str) -> WheelRun:
    """Start ``python -m pytest tests <package> notebooks`` from a copy of the suite in ``root``."""
    suite = copy_suite(root / "suite")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # PYDEVD_...: ipykernel 6's debugger warns about frozen modules at every kernel start.
    env.update(KERAS_BACKEND="tensorflow", NBCALLBACKS_TEST_ENVIRONMENT=environment,
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    package = subprocess.run(
        [str(python), "-c",
         "import nbcallbacks, os; print(os.path.dirname(nbcallbacks.__file__))"],
        cwd=suite, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert "site-packages" in package, package
    results = root / "run.xml"
    results.unlink(missing_ok=True)
    with open(root / "run.log", "w") as out:  # the child keeps its own copy of the file
        process = subprocess.Popen(
            [str(python), "-m", "pytest", "-c", str(suite / "pyproject.toml"), "--rootdir",
             str(suite), f"--junitxml={results}", "tests", package, "notebooks"],
            cwd=suite, env=env, stdout=out, stderr=subprocess.STDOUT)
    return WheelRun(environment, root, process, package)


@functools.cache
def _started() -> dict[str, WheelRun]:
    pythons = {"colab": (colab_python(), COLAB_ROOT), "floors": (floors_python(), FLOORS_ROOT)}
    runs = {name: start_run(python, root, name) for name, (python, root) in pythons.items()}
    # A run cut short (Ctrl-C, a timeout) must not leave the inner runs going.
    atexit.register(lambda: [r.process.kill() for r in runs.values() if r.process.poll() is None])
    return runs


def wheel_runs(timeout: float = 2400) -> dict[str, WheelRun]:
    """The Colab and the floors runs, run at once and waited for; environment name -> its run.

    The environments are built first, one after the other. Both runs are
    waited for before any result is read, so the outer suite does not go on
    beside them: its own timing checks (click latencies, pauses) would then
    share two cores with three runs.
    """
    runs = _started()
    for run in runs.values():
        run.wait(timeout)
    return runs
