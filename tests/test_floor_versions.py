"""Every floor in ``pyproject.toml`` is a version a test environment runs.

``.venv-floors`` (``tests/support/floor_environment.py``) is Python 3.10 with every
dependency, and the ``tensorflow``, ``notebooks`` and ``test`` extras, at
exactly its floor, and the built wheel installed from its own metadata: the
suite (less the ``kernel_stack`` tests: the same kernel and widget stack as
Colab's, run there) and the whole gallery run there, in one inner run beside the other
environments' (``tests/support/nested_runs.py``). The ``jax`` and ``torch`` floors are
what ``.venv-jax`` and ``.venv-torch`` install (``tests/support/backend_environments.py``), and the
``notebooks`` floors of the gallery's data packages are Colab's versions,
which ``.venv-colab`` runs the whole gallery with (``tests/test_colab_stack.py``).

By hand, after a first run built the environment::

    .venv/bin/python -m pytest tests/test_floor_versions.py
"""

import platform
import subprocess

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from support.backend_environments import FIRST_INSTALL
from support.extra_environments import REPOSITORY, colab_pins
from support.floor_environment import (
    FLOOR_EXTRAS,
    FLOORS_ROOT,
    floor_of,
    floor_requirements,
    floors_python,
    requires_python_floor,
    versions_off_floor,
)
from support.nested_runs import GALLERY, SUITE, nested_run
from support.python_interpreters import python_version

# Which environment installs each group's floors exactly. "bench" names the
# competitors the benchmarks measure: any version, so no floors to prove.
FLOORS_RUN_BY = {"dependencies": ".venv-floors", **dict.fromkeys(FLOOR_EXTRAS, ".venv-floors"),
                 "jax": ".venv-jax", "torch": ".venv-torch"}
WITHOUT_FLOORS = {"tf", "bench"}  # "tf" is nbcallbacks[tensorflow] under its short name


def _extras() -> list[str]:
    """The names of pyproject's extras (read as text: tomllib is Python 3.11+)."""
    text = (REPOSITORY / "pyproject.toml").read_text()
    section = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    return [line.split("=", 1)[0].strip() for line in section.splitlines()
            if line and not line.startswith((" ", "#", "]")) and "=" in line]


def test_every_requirement_group_has_its_floors_run_somewhere():
    groups = ["dependencies", *_extras()]
    unassigned = [g for g in groups if g not in FLOORS_RUN_BY and g not in WITHOUT_FLOORS]
    assert unassigned == [], (f"extras {unassigned} of pyproject.toml: name the test environment "
                              f"that installs their floors in FLOORS_RUN_BY")
    missing = [str(r) for r in floor_requirements(tuple(FLOORS_RUN_BY))
               if floor_of(r) is None]
    assert missing == [], f"requirements without a '>=' floor: {missing}"


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_the_backend_environments_install_their_floors_exactly(backend):
    (requirement,) = floor_requirements((backend,))
    first = [Requirement(r) for r in FIRST_INSTALL[backend]]
    assert [(r.name, str(r.specifier)) for r in first] == [
        (requirement.name, f"=={floor_of(requirement)}")], (
        f"tests/support/backend_environments.py FIRST_INSTALL[{backend!r}] must install "
        f"{requirement.name}=={floor_of(requirement)}, the floor of the [{backend}] extra")


def test_the_gallery_floors_are_colabs_versions():
    # .venv-colab runs the whole gallery with Colab's versions of these packages.
    pins = colab_pins()
    for requirement in floor_requirements(("notebooks",)):
        if requirement.name in pins:
            assert Version(floor_of(requirement)) == Version(pins[requirement.name]), (
                f"[notebooks] {requirement}: the floor must be Colab's {pins[requirement.name]} "
                f"(tests/environments/colab-pins.txt), which the Colab gallery run proves")


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.nested_run("floors")  # its environment is built ahead
@pytest.mark.timeout(900)
def test_the_floors_environment_holds_every_floor(capsys):
    python = floors_python()
    version = python_version(python)
    with capsys.disabled():
        print(f"\n[floors] Python {version} (this run: {platform.python_version()})")
    assert version.startswith(requires_python_floor() + "."), version
    assert versions_off_floor(python) == [], f"delete {FLOORS_ROOT} to rebuild it"


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.nested_run("floors")
@pytest.mark.timeout(3600)
def test_the_suite_passes_at_the_floors(capsys):
    # Beside the other runs (tests/support/nested_runs.py).
    nested_run("floors").check(SUITE, capsys)


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.timeout(900)
def test_ruff_at_its_floor_finds_nothing():
    # The lint configuration in pyproject.toml means the same to the oldest ruff allowed
    # (older releases still had rules that newer ones removed, such as UP038).
    result = subprocess.run([str(floors_python()), "-m", "ruff", "check", "--no-cache", "."],
                            cwd=REPOSITORY, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.nested_run("floors")
@pytest.mark.timeout(3600)
def test_the_gallery_runs_at_the_floors(capsys):
    # The gallery command of the README on Python 3.10: every tutorial with Keras 3.12.4.
    nested_run("floors").check(GALLERY, capsys)
