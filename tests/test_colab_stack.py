"""Google Colab's stack: the package installs there replacing nothing, and the suite and
gallery pass.

``.venv-colab`` holds exactly Colab's pins (``tests/environments/colab-pins.txt``:
ipykernel 6.17.1, IPython 7.34, ipywidgets 7.7.1, TensorFlow 2.20, Keras 3.13.2,
...) and the wheel built from this repository, installed as users get it (see
``tests/support/extra_environments.py``). The suite and the gallery run there in one
inner run, beside the other environments' (``tests/support/nested_runs.py``), from a
copy of ``tests/`` and ``notebooks/`` without the sources, so every import of
``nbcallbacks`` (in the test process, its kernels and its worker processes) is
the installed wheel's; the inner ``conftest.py`` stops the run otherwise
(``NBCALLBACKS_TEST_ENVIRONMENT=colab``). What needs JupyterLab 4 and
Playwright (``tests/browser``) and the tests that build other environments are
deselected there, and the inner run says how many.

By hand, after a first run built the environment::

    .venv/bin/python -m pytest tests/test_colab_stack.py
"""

import importlib.metadata
import json
import shlex
import sys
import time

import pytest
from packaging.requirements import Requirement
from support.extra_environments import (
    COLAB_PYTHON_VERSION,
    COLAB_ROOT,
    REPOSITORY,
    built_distributions,
    colab_dry_run,
    colab_python,
    pins_moved,
)
from support.nested_runs import GALLERY, SUITE, nested_run
from support.python_interpreters import find_python, python_version

# What the gallery's install cell installs where the package is missing (Colab, Kaggle, a
# JupyterHub): this release's tag, nothing else, no upgrade. A version bump in pyproject.toml
# makes the gallery's pin fail here until the notebooks install the new release.
VERSION = importlib.metadata.version("nbcallbacks")   # pyproject's, as installed here
COLAB_INSTALL = f"nbcallbacks @ git+https://github.com/nbcallbacks/nbcallbacks@v{VERSION}"
INSTALL_GUARD = 'if importlib.util.find_spec("nbcallbacks") is None:'


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.nested_run("colab")  # its environment is built ahead
@pytest.mark.timeout(900)
def test_installing_the_wheel_on_colab_replaces_no_pin(capsys):
    started = time.monotonic()
    python = colab_python()
    version = python_version(python)
    with capsys.disabled():
        print(f"\n[colab] environment, build and install of the wheel: "
              f"{time.monotonic() - started:.0f} s; Python {version}"
              + ("" if version.startswith(COLAB_PYTHON_VERSION + ".") else
                 f" (no Python {COLAB_PYTHON_VERSION}, Colab's, on this machine)"))
    expected = (COLAB_PYTHON_VERSION if find_python(COLAB_PYTHON_VERSION) is not None
                else f"{sys.version_info[0]}.{sys.version_info[1]}")
    assert version.startswith(expected + "."), (
        f"{COLAB_ROOT} runs Python {version}, not {expected}: delete it to rebuild")
    assert pins_moved(python) == [], (
        f"{COLAB_ROOT} no longer holds Colab's pins: delete it to rebuild")
    _, wheel = built_distributions()
    version = wheel.name.split("-")[1]
    would = [line for line in colab_dry_run().splitlines() if line.startswith("Would install")]
    assert would == [f"Would install nbcallbacks-{version}"], (
        "pip install of the wheel on Colab's stack would replace pins (raise no floor in "
        "pyproject.toml above tests/environments/colab-pins.txt):\n" + "\n".join(would))


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.nested_run("colab")
@pytest.mark.timeout(3600)
def test_the_suite_passes_on_colab_stack_against_the_wheel(capsys):
    # With the installed package's doctests; beside the other runs (tests/support/nested_runs.py).
    nested_run("colab").check(SUITE, capsys)


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.nested_run("colab")
@pytest.mark.timeout(3600)
def test_the_gallery_runs_on_colab_stack_against_the_wheel(capsys):
    nested_run("colab").check(GALLERY, capsys)


def _pip_lines(source: str) -> list[tuple[int, str]]:
    """(line number, line) of every ``%pip``/``!pip``/``pip`` install command in a cell."""
    found = []
    for number, line in enumerate(source.splitlines()):
        words = line.strip().lstrip("%!").split()
        if words[:2] == ["pip", "install"] or words[:4] == ["python", "-m", "pip", "install"]:
            found.append((number, line))
    return found


def install_problems(notebook: dict) -> list[str]:
    """Why a gallery notebook's install cell could replace Colab's pins or install something
    else than this release where the package is missing (empty when it cannot).

    >>> pip = '%pip install -q -U "nbcallbacks[tf] @ ' + COLAB_INSTALL.split(" @ ")[1] + '"'
    >>> cell = {"cell_type": "code", "source": INSTALL_GUARD + "\\n    " + pip}
    >>> install_problems({"cells": [cell]})  # doctest: +NORMALIZE_WHITESPACE
    ["option -U (only -q: an upgrade or reinstall replaces Colab's packages)",
     "extras ['tf'] (Colab has TensorFlow: install plain nbcallbacks)"]
    """
    problems, installs = [], 0
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] != "code":
            continue
        lines = [line.strip() for line in source.splitlines()]
        for number, line in _pip_lines(source):
            installs += 1
            # Only where the package is missing: an installed one (this repository on Binder,
            # the environments here) is never replaced.
            if (number == 0 or lines[number - 1] != INSTALL_GUARD
                    or not line.startswith((" ", "\t"))):
                problems.append(f"{line.strip()!r} is not the only line of {INSTALL_GUARD!r}")
            arguments = shlex.split(line.strip().lstrip("%!").split("install", 1)[1])
            options = [a for a in arguments if a.startswith("-")]
            requirements = [a for a in arguments if not a.startswith("-")]
            for option in options:
                if option not in ("-q", "--quiet"):
                    problems.append(f"option {option} (only -q: an upgrade or reinstall replaces "
                                    f"Colab's packages)")
            if len(requirements) != 1:
                problems.append(f"installs {requirements} (only {COLAB_INSTALL!r})")
                continue
            requirement = Requirement(requirements[0])
            if requirement.extras:
                problems.append(f"extras {sorted(requirement.extras)} (Colab has TensorFlow: "
                                f"install plain nbcallbacks)")
            if (requirement.name, requirement.url, requirement.specifier) != (
                    "nbcallbacks", COLAB_INSTALL.split(" @ ")[1],
                    Requirement(COLAB_INSTALL).specifier):
                problems.append(f"installs {requirements[0]!r} (only {COLAB_INSTALL!r})")
    if installs != 1:
        problems.append(f"{installs} pip install commands (one: {COLAB_INSTALL!r} where the "
                        f"package is missing)")
    return problems


@pytest.mark.parametrize("path", sorted((REPOSITORY / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_the_gallerys_colab_install_leaves_colabs_pins_alone(path):
    assert install_problems(json.loads(path.read_text())) == []
