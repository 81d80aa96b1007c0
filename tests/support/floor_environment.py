"""The floors environment: the oldest Python and every dependency floor, exactly.

``pyproject.toml`` promises ``requires-python = ">=3.10"`` and floors such as
``keras>=3.12.4`` or ``pytest>=8``. A floor nobody runs is a guess, so
``.venv-floors`` is built on Python 3.10 (found by ``python_interpreters``)
with every ``>=`` floor of the dependencies and of the ``tensorflow``,
``notebooks`` and ``test`` extras installed at exactly that version
(``floor_constraints()`` turns ``name>=X`` into ``name==X``), and the built
wheel installed from its own metadata with those constraints, as a user on
Python 3.10 would install it. ``tests/test_floor_versions.py`` runs the suite
there. The JAX and PyTorch floors are run by ``.venv-jax`` and
``.venv-torch`` (``tests/support/backend_environments.py`` installs them exactly).

By hand, after a first run built it::

    .venv/bin/python -m pytest tests/test_floor_versions.py
    .venv-floors/bin/python -m pip list
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from packaging.requirements import Requirement

from .extra_environments import (
    PIP,
    REPOSITORY,
    built_distributions,
    built_once,
    hold_environment_lock,
    installed_versions,
    pyproject_list,
    run_checked,
)
from .python_interpreters import find_python

FLOORS_ROOT = REPOSITORY / ".venv-floors"
# The extras the floors environment installs; jax and torch have their own environments.
FLOOR_EXTRAS = ("tensorflow", "notebooks", "test")


def requires_python_floor() -> str:
    """The lowest Python ``pyproject.toml`` allows, e.g. ``'3.10'``.

    >>> requires_python_floor()
    '3.10'
    """
    text = (REPOSITORY / "pyproject.toml").read_text()
    found = re.search(r'^requires-python\s*=\s*">=\s*(\d+\.\d+)"', text, re.MULTILINE)
    if found is None:
        raise RuntimeError('pyproject.toml: requires-python must read ">=X.Y"')
    return found.group(1)


def floor_requirements(groups=("dependencies", *FLOOR_EXTRAS)) -> list[Requirement]:
    """The requirements of those groups of ``pyproject.toml`` (self-references left out).

    >>> names = {r.name for r in floor_requirements()}
    >>> {"keras", "ipywidgets", "pytest", "jupyterlab"} <= names, "nbcallbacks" in names
    (True, False)
    """
    found = []
    for group in groups:
        table = "project" if group == "dependencies" else "project.optional-dependencies"
        for text in pyproject_list(table, group):
            requirement = Requirement(text)
            if requirement.name != "nbcallbacks":
                found.append(requirement)
    return found


def floor_of(requirement: Requirement) -> str | None:
    """The version after ``>=`` in ``requirement``, or None when it has no floor.

    >>> floor_of(Requirement("keras>=3.12.4")), floor_of(Requirement("tqdm"))
    ('3.12.4', None)
    """
    floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
    return floors[0] if len(floors) == 1 else None


def floor_constraints() -> list[str]:
    """``name==floor`` (with the requirement's marker) for every floored requirement.

    >>> "keras==3.12.4" in floor_constraints()
    True
    """
    constraints = []
    for requirement in floor_requirements():
        floor = floor_of(requirement)
        if floor is None:
            raise RuntimeError(f"pyproject.toml: {requirement} has no '>=' floor; every "
                               f"dependency names the oldest version a test environment runs")
        marker = f"; {requirement.marker}" if requirement.marker else ""
        constraints.append(f"{requirement.name}=={floor}{marker}")
    return constraints


def _python() -> Path:
    version = requires_python_floor()
    python = find_python(version)
    if python is None:
        raise RuntimeError(f"no Python {version} found to build {FLOORS_ROOT} on: install it "
                           f"(e.g. `pyenv install {version}`) or name it in "
                           f"NBCALLBACKS_PYTHON{version.replace('.', '')}")
    return python


def _stamp(interpreter: Path) -> str:
    digest = hashlib.sha256((REPOSITORY / "pyproject.toml").read_bytes())
    digest.update(str(interpreter).encode())
    return digest.hexdigest()


def versions_off_floor(python: Path) -> list[str]:
    """The floored requirements that ``python``'s environment holds at another version."""
    wanted = [Requirement(line) for line in floor_constraints()]
    found = installed_versions(python, [r.name for r in wanted])
    where = json.loads(run_checked([python, "-c", "import json, platform, sys; print(json.dumps("
                                    "{'sys_platform': sys.platform, "
                                    "'platform_machine': platform.machine()}))"]).stdout)
    return [f"{r.name} {found[r.name]} instead of {str(r.specifier)[2:]}" for r in wanted
            if (r.marker is None or r.marker.evaluate(where))
            and (found[r.name] is None or not r.specifier.contains(found[r.name]))]


@built_once
def floors_python() -> Path:
    """The Python of ``.venv-floors`` with the freshly built wheel installed at the floors."""
    hold_environment_lock(FLOORS_ROOT)
    interpreter = _python()
    python = FLOORS_ROOT / "bin" / "python"
    constraints = FLOORS_ROOT / "floors.txt"
    marker = FLOORS_ROOT / "nbcallbacks-environment.ready"
    stamp = _stamp(interpreter)
    _, wheel = built_distributions()
    extras = ",".join(FLOOR_EXTRAS)
    if not (marker.exists() and marker.read_text() == stamp):
        run_checked([interpreter, "-m", "venv", "--clear", FLOORS_ROOT])
        constraints.write_text("\n".join(floor_constraints()) + "\n")
        run_checked([python, *PIP, "install", "--quiet", "-c", constraints,
                     f"nbcallbacks[{extras}] @ {wheel.as_uri()}"])
        marker.write_text(stamp)
    else:  # the environment is current: only the package changed
        run_checked([python, *PIP, "install", "--quiet", "--no-deps", "--force-reinstall",
                     wheel])
    return python
