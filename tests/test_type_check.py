"""The package's annotations hold: mypy, as configured in pyproject.toml, finds nothing.

Every function in ``nbcallbacks/`` is annotated (``disallow_untyped_defs``) and
every body is checked, so a call with the wrong type, a forgotten ``None`` or a
renamed attribute fails here rather than in a user's notebook. Keras,
TensorFlow and ipywidgets ship no types: their objects are ``Any`` to the
checker (the ``[[tool.mypy.overrides]]`` list). Run it yourself with
``.venv/bin/mypy`` from the repository root; an ignore needs its error code and
a reason, and one that no longer suppresses anything is itself an error
(``warn_unused_ignores``).
"""

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.mark.main_environment
@pytest.mark.backend("tensorflow")  # one type check per test command, not one per backend
def test_mypy_finds_nothing(tmp_path):
    # A fresh cache directory: a cache left by an older checkout cannot hide an error.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=REPOSITORY, capture_output=True, text=True)
    assert "No module named mypy" not in result.stderr, (
        "mypy is missing: install the test extra (pip install -e '.[tf,test]')")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found"), result.stdout
