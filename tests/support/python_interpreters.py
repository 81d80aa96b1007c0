"""Find a Python interpreter of a given version to build a test environment on.

The floors environment runs the oldest Python the package supports (3.10) and
the Colab environment runs Colab's (3.13), whatever Python runs the tests.
They are looked for where they are usually installed: ``$NBCALLBACKS_PYTHON<XY>``
(e.g. ``NBCALLBACKS_PYTHON310=/usr/bin/python3.10``), ``python3.10`` on the
PATH, then pyenv's versions (``$PYENV_ROOT``, ``~/.pyenv``), newest patch first.

Example::

    >>> find_python(f"{sys.version_info[0]}.{sys.version_info[1]}") is not None
    True
    >>> find_python("2.1") is None
    True
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


def _version_of(python: Path) -> str | None:
    """'major.minor' that ``python`` reports, or None when it does not run (a pyenv shim
    for a version not selected, a broken link)."""
    try:
        return ".".join(python_version(python).split(".")[:2])
    except (OSError, subprocess.SubprocessError):
        return None


def _patch_key(path: Path) -> tuple[int, ...]:
    """Sort key of a pyenv version folder such as ``3.10.13`` (unparsable names sort first)."""
    return tuple(int(part) for part in re.findall(r"\d+", path.name)) or (-1,)


def candidates(version: str) -> list[Path]:
    """Where a Python ``version`` ('3.10') may be, most explicit first."""
    found = []
    explicit = os.environ.get("NBCALLBACKS_PYTHON" + version.replace(".", ""))
    if explicit:
        found.append(Path(explicit))
    on_path = shutil.which(f"python{version}")
    if on_path:
        found.append(Path(on_path))
    for root in (os.environ.get("PYENV_ROOT"), Path.home() / ".pyenv"):
        if root and Path(root, "versions").is_dir():
            versions = [p for p in Path(root, "versions").iterdir()
                        if re.fullmatch(rf"{re.escape(version)}\.\d+", p.name)]
            found += [p / "bin" / "python" for p in sorted(versions, key=_patch_key, reverse=True)]
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        found.append(Path(sys.executable))
    return found


def python_version(python: str | Path) -> str:
    """The full version ``python`` runs, e.g. '3.10.13'."""
    return subprocess.run([str(python), "-c", "import platform; print(platform.python_version())"],
                          capture_output=True, text=True, check=True, timeout=30).stdout.strip()


def find_python(version: str) -> Path | None:
    """The first candidate that runs and reports ``version``, or None."""
    for python in candidates(version):
        if python.exists() and _version_of(python) == version:
            return python
    return None
