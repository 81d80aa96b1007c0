"""The Colab-pinned test environment, and the package built as users get it.

``colab_python()`` returns the Python of ``.venv-colab``: a virtual
environment beside the main one holding exactly Google Colab's pins
(``tests/environments/colab-pins.txt``) and the test tools, every one of them
installed under those pins as constraints, so none moves, on Colab's Python
(3.13) where this machine has one (``python_interpreters.find_python``;
otherwise on the Python running the tests, and the run says so). It is built
on first use and reused while the pins file, this module's tool list, the
interpreter and ``pyproject.toml`` are unchanged.

On each test run (once per process) the repository is built into an sdist and
a wheel (``python -m build``: the wheel is built from the sdist, so a file the
sdist lacks is missing from the wheel too), and the built wheel is installed
into ``.venv-colab`` without its dependencies and not editable: tests run
there import ``nbcallbacks`` exactly as ``pip install nbcallbacks`` leaves it.

To use the environment by hand (after a first run built it)::

    .venv/bin/python -m pytest tests/test_colab_stack.py       # rebuilds and reinstalls the wheel
    .venv-colab/bin/python -m pip show nbcallbacks             # the installed wheel
"""

import ast
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .python_interpreters import find_python

REPOSITORY = Path(__file__).resolve().parents[2]
COLAB_PINS = REPOSITORY / "tests" / "environments" / "colab-pins.txt"
COLAB_ROOT = REPOSITORY / ".venv-colab"
# Beside the pins (which hold the gallery's imports at Colab's versions too): the
# test tools. No JupyterLab 4 (it needs ipykernel/jupyter_client/traitlets newer
# than Colab's) and no Playwright: the browser tests run from the main environment.
# KerasTuner is not preinstalled there; a search's user installs it.
COLAB_TOOLS = ("pytest", "pytest-timeout", "nbval", "nbclient", "nbformat", "build",
               "keras-tuner")
# The Python Colab runs (googlecolab/backend-info, os-info.txt, 2026-08: Python 3.13.15).
COLAB_PYTHON_VERSION = "3.13"
PIP = ["-m", "pip", "--disable-pip-version-check"]


def run_checked(command, **options):
    """subprocess.run that fails with the command's own output, not just its exit code."""
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          **options)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited with {done.returncode}:\n"
                           f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done


def pyproject_list(table: str, key: str) -> list[str]:
    """A list of strings from pyproject.toml, e.g. ``pyproject_list("project", "dependencies")``.

    Read line by line (tomllib is Python 3.11+): the list starts at ``key = [``
    in ``[table]`` and ends at the first line that closes it; comments allowed.

    >>> any(r.startswith("keras") for r in pyproject_list("project", "dependencies"))
    True
    >>> pyproject_list("project", "no-such-key")
    Traceback (most recent call last):
    RuntimeError: pyproject.toml: no [project] no-such-key = [...] list
    """
    lines, section, collected = (REPOSITORY / "pyproject.toml").read_text().splitlines(), None, None
    for line in lines:
        code = line.split("#", 1)[0].rstrip()
        if collected is None and re.fullmatch(r"\[[^\]]+\]", code.strip()):
            section = code.strip()[1:-1].strip()
        elif (collected is None and section == table
              and re.match(rf"{re.escape(key)}\s*=\s*\[", code)):
            collected = [code.split("=", 1)[1]]
        elif collected is not None:
            collected.append(code)
        if collected is not None and code.endswith("]"):
            return ast.literal_eval("\n".join(collected))
    raise RuntimeError(f"pyproject.toml: no [{table}] {key} = [...] list")


def _build_requirements() -> list[str]:
    """pyproject's [build-system] requires: installed in .venv-colab so builds need no download."""
    return pyproject_list("build-system", "requires")


@functools.cache
def colab_interpreter() -> Path:
    """Colab's Python version where this machine has it, else the Python running the tests.

    >>> colab_interpreter().exists()
    True
    """
    return find_python(COLAB_PYTHON_VERSION) or Path(sys.executable)


def _colab_stamp() -> str:
    digest = hashlib.sha256()
    for part in (COLAB_PINS.read_bytes(), (REPOSITORY / "pyproject.toml").read_bytes(),
                 repr(COLAB_TOOLS).encode(), str(colab_interpreter()).encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


# Held while any environment is built or checked, in any thread of this process: the
# environments are built ahead in a background thread (tests/support/environments_ahead.py)
# while the first tests run, and a test that needs one waits here for it. Reentrant:
# building the floors environment builds the wheel, which needs .venv-colab.
BUILDING = threading.RLock()


def built_once(function):
    """``functools.cache`` for the environment builders, safe across threads: a caller
    that asks while another thread builds waits for that build and gets its result
    (a failed build is not cached: the next caller tries again and sees the error).

    >>> calls = []
    >>> @built_once
    ... def build(name):
    ...     calls.append(name)
    ...     return name.upper()
    >>> build("colab"), build("colab"), calls
    ('COLAB', 'COLAB', ['colab'])
    """
    cached = functools.cache(function)

    @functools.wraps(function)
    def one_build_at_a_time(*arguments):
        with BUILDING:
            return cached(*arguments)

    one_build_at_a_time.cache_clear = cached.cache_clear
    return one_build_at_a_time


_LOCKS_HELD = "NBCALLBACKS_ENVIRONMENT_LOCKS_HELD"


@functools.cache
def hold_environment_lock(root: Path):
    """Own the environment at ``root`` until this process exits: one test run at a time
    builds, installs and runs there.

    Two runs at once (two terminals, or a run beside a quick check) would
    reinstall the wheel and recopy the suite under each other's feet; the
    second waits for the first instead. (POSIX only, as the rest of these
    environments' paths.)
    """
    import fcntl

    held = os.environ.get(_LOCKS_HELD, "").split(os.pathsep)
    if str(root) in held:
        return None  # a process of this run (its parent) holds it: waiting would deadlock
    name = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    lock = open(Path(tempfile.gettempdir(), f"nbcallbacks-{root.name}-{name}.lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"waiting for another test run to finish with {root} ...", file=sys.stderr,
              flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    # Inherited by this run's subprocesses.
    os.environ[_LOCKS_HELD] = os.pathsep.join([*filter(None, held), str(root)])
    return lock


@built_once
def colab_environment() -> Path:
    """The Python of ``.venv-colab`` with the pins and the tools, built if missing or stale."""
    hold_environment_lock(COLAB_ROOT)
    python = COLAB_ROOT / "bin" / "python"
    marker = COLAB_ROOT / "nbcallbacks-environment.ready"
    stamp = _colab_stamp()
    if marker.exists() and marker.read_text() == stamp:
        return python
    run_checked([colab_interpreter(), "-m", "venv", "--clear", COLAB_ROOT])
    run_checked([python, *PIP, "install", "--quiet", "-r", COLAB_PINS, "-c", COLAB_PINS,
                 *COLAB_TOOLS, *_build_requirements()])
    moved = pins_moved(python)
    if moved:
        raise RuntimeError(f"installing the test tools into {COLAB_ROOT} moved Colab's pins "
                           f"({'; '.join(moved)}): drop the tool that needs them from COLAB_TOOLS")
    marker.write_text(stamp)
    return python


def colab_pins() -> dict[str, str]:
    """name -> version of every ``name==version`` line of the pins file.

    >>> {"ipykernel", "ipywidgets", "tensorflow", "keras"} <= set(colab_pins())
    True
    """
    pins = {}
    for line in COLAB_PINS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.strip()] = version.strip()
    return pins


def installed_versions(python: Path, names) -> dict[str, str | None]:
    """name -> the version installed in ``python``'s environment (None when missing)."""
    query = ("import importlib.metadata as m, json, sys\n"
             "out = {}\n"
             "for name in json.loads(sys.argv[1]):\n"
             "    try: out[name] = m.version(name)\n"
             "    except m.PackageNotFoundError: out[name] = None\n"
             "print(json.dumps(out))")
    return json.loads(run_checked([python, "-c", query, json.dumps(list(names))]).stdout)


def pins_moved(python: Path) -> list[str]:
    """The pins that ``python``'s environment does not hold at their pinned version."""
    pins = colab_pins()
    found = installed_versions(python, pins)
    return [f"{name} {found[name]} instead of {version}"
            for name, version in pins.items() if found[name] != version]


@built_once
def built_distributions() -> tuple[Path, Path]:
    """(sdist, wheel) of the repository as it is now, built once per process.

    ``python -m build`` builds the sdist, then the wheel from the unpacked
    sdist, in ``.venv-colab`` without build isolation (its build requirements
    are installed there), so a build takes seconds and needs no network.
    """
    python = colab_environment()
    out = Path(tempfile.mkdtemp(prefix="nbcallbacks-dist-"))
    run_checked([python, "-m", "build", "--no-isolation", "--outdir", out, REPOSITORY])
    sdists, wheels = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, f"expected one sdist and one wheel in {out}: " \
                                                  f"{sorted(p.name for p in out.iterdir())}"
    return sdists[0], wheels[0]


@built_once
def _install_built_wheel() -> tuple[Path, str]:
    """Install the built wheel into .venv-colab; return its Python and pip's dry-run output.

    The dry run comes first, with nbcallbacks uninstalled (pip skips a wheel
    whose version is already installed) and with dependencies, without the
    pins as constraints: what a user's ``pip install`` would change on Colab.
    The install itself is ``--no-deps``: everything the package needs is among
    the pins (``test_colab_stack.py`` checks the dry run agrees).
    """
    python = colab_environment()
    _, wheel = built_distributions()
    run_checked([python, *PIP, "uninstall", "--quiet", "--yes", "nbcallbacks"])
    dry_run = run_checked([python, *PIP, "install", "--dry-run", wheel]).stdout
    run_checked([python, *PIP, "install", "--quiet", "--no-deps", "--force-reinstall", wheel])
    return python, dry_run


def colab_python() -> Path:
    """The Python of ``.venv-colab`` with the freshly built wheel installed (not editable)."""
    return _install_built_wheel()[0]


def colab_dry_run() -> str:
    """What ``pip install --dry-run <wheel>`` printed in .venv-colab before the wheel went in."""
    return _install_built_wheel()[1]
