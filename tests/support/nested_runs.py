"""The suite again in the other test environments: Colab's stack, the floors, JAX, PyTorch.

Each environment gets one inner pytest run, started as a separate process:

* ``colab`` and ``floors`` test the installed wheel: the run goes from a copy
  of the suite without the sources (:func:`copy_suite`), so every
  ``import nbcallbacks`` is the wheel's, and covers ``tests/``, the installed
  package's doctests and ``notebooks/`` (nbval);
* ``jax`` and ``torch`` run the repository's suite on that Keras backend
  (an editable install without TensorFlow; the TensorFlow gallery and
  tf.data cases are deselected by the markers in ``conftest.py``).

Every run mostly waits on one core (a small model, a kernel, a render
thread), so they go :data:`AT_ONCE` at a time, longest first, rather than one
after the other: all four in about the time of the two longest. The outer
tests wait for every run before reading any result, so the outer suite never
goes on beside them (its own timing checks would then share two cores with
three runs). Only the runs some selected test reads are started
(:func:`want`, called by ``conftest.py`` after collection).

Each run's whole output is kept in ``.venv-<name>/run.log`` and its results
per test in ``.venv-<name>/run.xml``; the outer tests read the suite's and the
gallery's part from there (:meth:`NestedRun.check`), and their failure names
the inner test and its assertion.

By hand, after a first run built the environments::

    .venv/bin/python -m pytest tests/test_colab_stack.py tests/test_floor_versions.py
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import threading
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .backend_environments import BACKENDS, backend_python
from .extra_environments import COLAB_ROOT, REPOSITORY, colab_python
from .floor_environment import FLOORS_ROOT, floors_python

# The parts of one run, told apart by the test's class name in the results file.
GALLERY, SUITE = "gallery", "suite"
AT_ONCE = 2  # runs going at the same time: the two cores CI has
# Longest first, so that the two lanes end together (measured: colab 780 s, floors 630 s,
# jax 230 s, torch 185 s: floors ends first and takes jax, colab then takes torch).
ORDER = ("colab", "floors", "jax", "torch")
_wanted: set[str] = set(ORDER)


def want(names) -> None:
    """Start only these runs (the ones the selected tests read)."""
    _wanted.clear()
    _wanted.update(names)


def part_of(classname: str) -> str:
    """Which part a test of the results file belongs to.

    >>> part_of("notebooks.quickstart.ipynb"), part_of("tests.test_records_small")
    ('gallery', 'suite')
    """
    return GALLERY if classname.startswith("notebooks.") else SUITE


def copy_suite(destination: Path) -> Path:
    """A copy of the tests, the gallery and the pytest settings, without the package.

    Run from there, ``import nbcallbacks`` cannot find the repository's
    sources: it finds the installed wheel or nothing.
    """
    if destination.exists():
        for name in ("tests", "notebooks", "pyproject.toml", "conftest.py"):
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
    for name in ("pyproject.toml", "conftest.py"):      # conftest.py: the gallery's checks
        shutil.copy2(REPOSITORY / name, destination / name)
    return destination


@dataclass
class NestedRun:
    """One inner pytest run in another environment, started and not yet waited for."""

    name: str                 # "colab", "floors", "jax" or "torch"
    root: Path                # .venv-<name>: its log and results go there
    process: subprocess.Popen
    package: str              # the folder nbcallbacks is imported from there
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

    def check(self, part: str, capsys) -> None:
        """Fail when ``part`` (suite or gallery) of this ended run has a failure or no test.

        Prints the part's counts and the inner summary line into the outer log.
        """
        import pytest

        returncode = self.process.returncode  # nested_run() waited for it
        every_part = self.outcomes()
        outcomes = every_part[part]
        counts = ", ".join(f"{len(ids)} {outcome}" for outcome, ids in sorted(outcomes.items()))
        lines = self.log.read_text().strip().splitlines()
        summary = next((line for line in reversed(lines) if " in " in line and (
            "passed" in line or "failed" in line)), "")
        with capsys.disabled():  # the inner summary belongs in the outer log
            print(f"\n[{self.name} {part}, run of {self.seconds:.0f} s] "
                  f"{counts or 'no tests'} (the whole run: {summary.strip('= ')})")
        tail = "\n".join(lines[-120:])
        if outcomes.get("failed") or not outcomes.get("passed"):
            pytest.fail(f"the {part} in {self.root.name} (whole output: {self.log}):\n"
                        + "\n".join(outcomes.get("failed", [])) + "\n\n" + tail, pytrace=False)
        if returncode != 0 and not any(o.get("failed") for o in every_part.values()):
            pytest.fail(f"the run in {self.root.name} exited with {returncode} without a "
                        f"failed test (whole output: {self.log}):\n{tail}", pytrace=False)
        assert f"package from {self.package}" in self.log.read_text(), (
            f"the inner run did not import nbcallbacks from {self.package}")


def _environment(**overrides: str) -> dict[str, str]:
    """This process's environment for a run, without PYTHONPATH, with ``overrides``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(overrides)
    return env


def _package_folder(python: Path, cwd: Path, env: dict[str, str]) -> str:
    """The folder ``python`` imports nbcallbacks from, when started in ``cwd``."""
    return subprocess.run(
        [str(python), "-c", "import nbcallbacks, os; print(os.path.dirname(nbcallbacks.__file__))"],
        cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout.strip()


def _start(name: str, python: Path, root: Path, cwd: Path, env: dict[str, str],
           package: str, arguments: list[str]) -> NestedRun:
    """Start ``python -m pytest <arguments>`` in ``cwd``, its output in ``root``."""
    results = root / "run.xml"
    results.unlink(missing_ok=True)
    with open(root / "run.log", "w") as out:  # the child keeps its own copy of the file
        process = subprocess.Popen(
            [str(python), "-m", "pytest", f"--junitxml={results}", *arguments],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    return NestedRun(name, root, process, package)


def start_wheel_run(name: str) -> NestedRun:
    """The suite, the installed package's doctests and the gallery against the wheel."""
    python, root = {"colab": (colab_python, COLAB_ROOT),
                    "floors": (floors_python, FLOORS_ROOT)}[name]
    python = python()
    suite = copy_suite(root / "suite")
    # PYDEVD_...: ipykernel 6's debugger warns about frozen modules at every kernel start.
    env = _environment(KERAS_BACKEND="tensorflow", NBCALLBACKS_TEST_ENVIRONMENT=name,
                       PYDEVD_DISABLE_FILE_VALIDATION="1")
    package = _package_folder(python, suite, env)
    if "site-packages" not in package:
        raise RuntimeError(f"{python} imports nbcallbacks from {package}, not the installed wheel")
    # The installed package's folder is a test path too: its doctests.
    return _start(name, python, root, suite, env, package,
                  ["-c", str(suite / "pyproject.toml"), "--rootdir", str(suite),
                   "tests", package, "notebooks"])


def start_backend_run(backend: str) -> NestedRun:
    """The repository's suite on another Keras backend (what applies there)."""
    python, env = backend_python(backend), _environment(KERAS_BACKEND=backend)
    return _start(backend, python, REPOSITORY / f".venv-{backend}", REPOSITORY, env,
                  _package_folder(python, REPOSITORY, env), [])


STARTERS: dict[str, Callable[[str], NestedRun]] = {
    "colab": start_wheel_run, "floors": start_wheel_run,
    **dict.fromkeys(BACKENDS, start_backend_run)}


@functools.cache
def _scheduled() -> tuple[dict[str, NestedRun], threading.Thread, dict[str, Exception]]:
    """Start the wanted runs, :data:`AT_ONCE` at a time, from a thread; return what it starts
    and why any could not start."""
    runs: dict[str, NestedRun] = {}
    errors: dict[str, Exception] = {}

    def start_in_turn():
        for name in [n for n in ORDER if n in _wanted]:
            while sum(r.process.poll() is None for r in runs.values()) >= AT_ONCE:
                time.sleep(1)
            try:
                runs[name] = STARTERS[name](name)
            except Exception as error:  # noqa: BLE001 - raised by nested_run(name)
                errors[name] = error

    thread = threading.Thread(target=start_in_turn, name="nested runs", daemon=True)
    thread.start()
    # A run cut short (Ctrl-C, a timeout) must not leave the inner runs going.
    atexit.register(lambda: [r.process.kill() for r in runs.values()
                             if r.process.poll() is None])
    return runs, thread, errors


def nested_run(name: str, timeout: float = 3600) -> NestedRun:
    """The run in environment ``name``, once every wanted run has ended.

    Raises what kept it from starting (e.g. its environment could not be built).
    """
    runs, thread, errors = _scheduled()
    thread.join(timeout)
    for run in runs.values():
        run.wait(timeout)
    if name in errors:
        raise errors[name]
    if name not in runs:
        raise RuntimeError(f"no {name} run was started: only {sorted(_wanted)} were wanted")
    return runs[name]
