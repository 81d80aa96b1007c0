"""Build the other test environments in a background thread while the first tests run.

The runs in the Colab, floors, JAX and PyTorch environments
(``tests/support/nested_runs.py``) need those environments built, and the Colab one
the wheel installed: several minutes of ``pip install``, mostly on one core.
Built when the first test needs them, those minutes add to the suite's; built
here from the start of the run, they overlap the browser and kernel tests that
come first. The tests still call the same builders (``colab_python()``,
``floors_python()``, ``backend_python()``), which wait for a build in progress
(``extra_environments.BUILDING``) and then find it done; a build that fails
here is tried again by the test that needs it, which reports the error.

That the first tests run beside a busy core is fine by design: every timing
bound holds on a loaded two-core machine (``tests/support/under_load.py`` proves it).
"""

from __future__ import annotations

import threading
import time

from .backend_environments import backend_python
from .extra_environments import colab_python
from .floor_environment import floors_python

BUILDERS = {"colab": colab_python, "floors": floors_python,
            "jax": lambda: backend_python("jax"), "torch": lambda: backend_python("torch")}
# name -> seconds the build took, or why it failed: for the summary line.
built: dict[str, str] = {}


def start(names, order) -> threading.Thread:
    """Build the environments ``names`` in ``order`` (the runs' order: first needed first)
    in a daemon thread; return it."""

    def build_in_turn():
        for name in [n for n in order if n in names]:
            started = time.monotonic()
            try:
                BUILDERS[name]()
                built[name] = f"{time.monotonic() - started:.0f} s"
            except Exception as error:  # noqa: BLE001 - the test needing it tries again
                built[name] = f"failed ({type(error).__name__}), tried again by its tests"

    thread = threading.Thread(target=build_in_turn, name="environments ahead", daemon=True)
    thread.start()
    return thread


def summary() -> str:
    """One line for the end of the run, e.g. ``colab 80 s, floors 95 s``."""
    return ", ".join(f"{name} {what}" for name, what in built.items())
