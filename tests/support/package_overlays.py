"""A Python with one package at any released version, everything else shared with this environment.

The click routes differ per ipykernel line (see ``nbcallbacks/compat/click_route.py``)
and the messages a frontend sends differ per JupyterLab release, so tests run
real kernels and servers of several versions. Each (package, version) gets a
tiny virtual environment beside this one holding only that package
(``pip install --no-deps``); a ``.pth`` file adds this environment's
site-packages after it (as a site directory, so its own ``.pth`` files, such as
an editable install's, apply too), so TensorFlow, Keras, ipywidgets and
nbcallbacks are shared instead of installed again. The environment is named
``.venv-<package>-<version>`` for ``.venv`` (``.venv-jax-ipykernel-<version>``
for ``.venv-jax``), built on first use and reused.

Example (from the repository root)::

    .venv/bin/python -c "import sys; sys.path.insert(0, 'tests'); \\
        from support.package_overlays import kernel_python; print(kernel_python('7.0.1'))"
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import sysconfig
from pathlib import Path

from .extra_environments import BUILDING, installed_versions

REPOSITORY = Path(__file__).resolve().parents[2]


def installed_version(python: str | Path, package: str) -> str | None:
    """The version of ``package`` that ``python`` imports (None when it has none)."""
    return installed_versions(Path(python), [package])[package]


def overlay_python(package: str, version: str) -> str:
    """The Python of an environment whose ``package`` is exactly ``version``.

    This environment's own Python when it already has that version; otherwise
    the overlay environment described above (built once, a few seconds).
    """
    if importlib.metadata.version(package) == version:
        return sys.executable
    environment = Path(sys.prefix).name
    root = REPOSITORY / f"{environment}-{package}-{version}"
    python = root / "bin" / "python"
    with BUILDING:  # one build at a time, also with the builds made ahead
        _build_overlay(root, package, version)
    found = installed_version(python, package)
    if found != version:
        raise RuntimeError(f"{python} imports {package} {found}, expected {version}: "
                           f"delete {root} and run again to rebuild it")
    return str(python)


def _build_overlay(root: Path, package: str, version: str) -> None:
    """Build the overlay at ``root`` unless it is there for this environment already."""
    python, marker = root / "bin" / "python", root / "ready"
    shared = sysconfig.get_paths()["purelib"]
    recipe = f"{package}=={version} over {shared} (site dir)\n"
    if not marker.exists() or marker.read_text() != recipe:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(root)], check=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                               "--disable-pip-version-check", f"{package}=={version}"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"could not install {package}=={version} into {root}:\n"
                               f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        site = subprocess.run([str(python), "-c",
                               "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
        # Appended after the overlay's own site-packages: its package wins.
        Path(site, "zz-shared-environment.pth").write_text(
            f"import site; site.addsitedir({shared!r})\n")
        marker.write_text(recipe)


def kernel_python(version: str) -> str:
    """The Python of an environment whose ipykernel is exactly ``version``."""
    return overlay_python("ipykernel", version)
