"""A Python whose ipykernel is any released version, everything else shared with this environment.

The click routes differ per ipykernel line (see ``nbcallbacks/compat/click_route.py``),
so the control tests run real kernels of several versions. Each version gets a
tiny virtual environment beside this one holding only that ipykernel
(``pip install --no-deps``); a ``.pth`` file appends this environment's
site-packages after it, so TensorFlow, Keras, ipywidgets and nbcallbacks are
shared instead of installed again. The environment is named
``.venv-ipykernel-<version>`` for ``.venv`` (``.venv-jax-ipykernel-<version>``
for ``.venv-jax``), built on first use and reused.

Example (from the repository root)::

    .venv/bin/python -c "import sys; sys.path.insert(0, 'tests'); \\
        from kernel_versions import kernel_python; print(kernel_python('7.0.1'))"
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def installed_ipykernel(python: str | Path) -> str:
    """The ipykernel version ``python`` imports."""
    return subprocess.run([str(python), "-c", "import ipykernel; print(ipykernel.__version__)"],
                          check=True, capture_output=True, text=True).stdout.strip()


def kernel_python(version: str) -> str:
    """The Python of an environment whose ipykernel is exactly ``version``.

    This environment's own Python when it already has that version; otherwise
    the overlay environment described above (built once, a few seconds).
    """
    import ipykernel

    if ipykernel.__version__ == version:
        return sys.executable
    environment = Path(sys.prefix).name
    root = REPOSITORY / f"{environment}-ipykernel-{version}"
    python = root / "bin" / "python"
    marker = root / "ready"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(root)], check=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                               "--disable-pip-version-check", f"ipykernel=={version}"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"could not install ipykernel=={version} into {root}:\n"
                               f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        site = subprocess.run([str(python), "-c",
                               "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
        # Appended after the overlay's own site-packages: its ipykernel wins.
        Path(site, "zz-shared-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        marker.write_text(f"ipykernel=={version}\n")
    found = installed_ipykernel(python)
    if found != version:
        raise RuntimeError(f"{python} imports ipykernel {found}, expected {version}: "
                           f"delete {root} and run again to rebuild it")
    return str(python)
