"""The code passes ruff (lint and import order) as configured in pyproject.toml.

Run by the README's test command, so a `# noqa` comment means something: ruff
also reports a `noqa` that no longer suppresses anything (RUF100). Fix what it
reports with `.venv/bin/ruff check --fix .` (import order, unused imports) or
by hand.
"""

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.mark.main_environment
@pytest.mark.backend("tensorflow")  # one lint run per test command, not one per backend
def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."],
                            cwd=REPOSITORY, capture_output=True, text=True)
    assert "No module named ruff" not in result.stderr, (
        "ruff is missing: install the test extra (pip install -e '.[tf,test]')")
    assert result.returncode == 0, result.stdout + result.stderr
