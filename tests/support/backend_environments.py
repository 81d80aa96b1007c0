"""The JAX and PyTorch test environments: the package and one Keras backend, no TensorFlow.

Keras picks its backend once per process, so each backend gets its own
virtual environment beside the main one (``.venv-jax``, ``.venv-torch``)
holding the package (editable), the test tools and that backend — and no
TensorFlow, so anything that needs TensorFlow without saying so fails there.
Each backend is installed first at its floor (``FIRST_INSTALL``). The
environments are built on first use (or ahead, tests/support/environments_ahead.py)
and reused while ``pyproject.toml`` and that pin are unchanged.

By hand (after a first run built it)::

    KERAS_BACKEND=jax .venv-jax/bin/python -m pytest
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from .extra_environments import REPOSITORY, built_once

BACKENDS = ("jax", "torch")
# Each backend at its floor in pyproject.toml (tests/test_floor_versions.py checks they
# agree): JAX 0.7.2 is Colab's; PyTorch 2.13.0's CPU build, as a plain range would pull
# a newer release with several GB of CUDA libraries on Linux.
FIRST_INSTALL = {"jax": ["jax[cpu]==0.7.2"], "torch": ["torch==2.13.0"]}


@built_once
def backend_python(backend: str) -> Path:
    """The Python of ``.venv-<backend>``, built (or rebuilt after a pyproject change) as needed."""
    root = REPOSITORY / f".venv-{backend}"
    python = root / "bin" / "python"
    stamp = hashlib.sha256((REPOSITORY / "pyproject.toml").read_bytes()
                           + repr(FIRST_INSTALL[backend]).encode()).hexdigest()
    marker = root / "nbcallbacks-environment.ready"
    if not (marker.exists() and marker.read_text() == stamp):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(root)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run(pip + FIRST_INSTALL[backend], check=True)
        subprocess.run(pip + ["-e", f"{REPOSITORY}[{backend},test]"], check=True)
        marker.write_text(stamp)
    has_tensorflow = subprocess.run(
        [str(python), "-c",
         "import importlib.util as u; print(u.find_spec('tensorflow') is not None)"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert has_tensorflow == "False", f".venv-{backend} must not hold TensorFlow"
    return python
