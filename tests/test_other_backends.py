"""The whole suite again on Keras' JAX and PyTorch backends, in environments without TensorFlow.

Keras picks its backend once per process, so each backend gets its own run:
a virtual environment beside the main one (``.venv-jax``, ``.venv-torch``)
holding the package, the test tools and that backend — and no TensorFlow, so
anything that needs TensorFlow without saying so fails there. Tests for
another backend, the TensorFlow gallery and tf.data cases are deselected by
the markers in ``conftest.py`` (the inner run prints how many and why).

Each backend is installed first at its floor (``FIRST_INSTALL``). The
environments are built on first use and reused while ``pyproject.toml`` and
that pin are unchanged. The two runs go at the same time, each writing its
output to ``.venv-<backend>/suite.log``. To run one backend by hand (after a
first run built it)::

    KERAS_BACKEND=jax .venv-jax/bin/python -m pytest
"""

import atexit
import functools
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
# Each backend at its floor in pyproject.toml (tests/test_floor_versions.py checks they
# agree): JAX 0.7.2 is Colab's; PyTorch 2.13.0's CPU build, as a plain range would pull
# a newer release with several GB of CUDA libraries on Linux.
FIRST_INSTALL = {"jax": ["jax[cpu]==0.7.2"], "torch": ["torch==2.13.0"]}


def backend_python(backend: str) -> Path:
    """The Python of ``.venv-<backend>``, built (or rebuilt after a pyproject change) as needed."""
    root = REPOSITORY / f".venv-{backend}"
    python = root / "bin" / "python"
    stamp = hashlib.sha256((REPOSITORY / "pyproject.toml").read_bytes()
                           + repr(FIRST_INSTALL[backend]).encode()).hexdigest()
    marker = root / "nbcallbacks-environment.ready"
    if marker.exists() and marker.read_text() == stamp:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(root)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if FIRST_INSTALL[backend]:
        subprocess.run(pip + FIRST_INSTALL[backend], check=True)
    subprocess.run(pip + ["-e", f"{REPOSITORY}[{backend},test]"], check=True)
    marker.write_text(stamp)
    return python


BACKENDS = ("jax", "torch")


@functools.cache
def backend_runs() -> dict:
    """Start the suite on every other backend at once; backend -> (process, log path).

    Each run mostly waits on one core (a small model, a kernel, the render
    thread), so the two share the machine's cores instead of taking turns:
    about four minutes less. Both environments are built first, one after
    the other.
    """
    pythons = {backend: backend_python(backend) for backend in BACKENDS}
    runs = {}
    for backend, python in pythons.items():
        has_tensorflow = subprocess.run(
            [str(python), "-c",
             "import importlib.util as u; print(u.find_spec('tensorflow') is not None)"],
            capture_output=True, text=True, check=True).stdout.strip()
        assert has_tensorflow == "False", f".venv-{backend} must not hold TensorFlow"
        log = REPOSITORY / f".venv-{backend}" / "suite.log"
        env = dict(os.environ, KERAS_BACKEND=backend)
        with open(log, "w") as out:  # the child keeps its own copy of the file
            process = subprocess.Popen([str(python), "-m", "pytest", "-q"], cwd=REPOSITORY,
                                       env=env, stdout=out, stderr=subprocess.STDOUT)
        runs[backend] = (process, log)
    # A run cut short (Ctrl-C, a timeout) must not leave the other suite running.
    atexit.register(lambda: [p.kill() for p, _ in runs.values() if p.poll() is None])
    return runs


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.timeout(3000)
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_suite_passes_on_another_backend(backend, capsys):
    process, log = backend_runs()[backend]
    try:
        returncode = process.wait(timeout=2700)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    lines = log.read_text().strip().splitlines()
    with capsys.disabled():  # the inner summary belongs in the outer log
        print(f"\n[{backend}] " + f"\n[{backend}] ".join(
            line for line in lines[-4:] if "passed" in line or "failed" in line
            or "deselected" in line))
    assert returncode == 0, f"whole output: {log}\n" + "\n".join(lines[-80:])
