"""Fetch the vendored uPlot from the npm registry: a development-time step, never run by users.

The browser chart draws with uPlot (MIT, https://github.com/leeoniya/uPlot), shipped inside
the package so that no frontend loads anything from a CDN. This script is how the files in
this folder were made, and how to move to another release: it runs ``npm pack`` for the
pinned version, checks the tarball's SHA-256, and copies the minified IIFE build (no AMD/UMD
sniffing: it cannot register itself as a RequireJS module in the classic Notebook, VS Code or
Colab), its stylesheet and its licence here. To upgrade, change ``VERSION``, run it once with
``--new-checksum`` and paste the printed checksum into ``TARBALL_SHA256``.

``python -m nbcallbacks.chart.vendor.update_uplot --check`` verifies the files here against
the pinned checksums without the network (the test suite does this).
"""

from __future__ import annotations

import argparse
import hashlib
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

VERSION = "1.6.32"
TARBALL_SHA256 = "4b8a8191e425658e3ea8c8c1314b0fc679c861ee3a1af2b20c7b16ba50b5133d"
# What the copied files must hash to (so a hand edit of a vendored file is caught).
FILE_SHA256 = {
    "uPlot.iife.min.js": "19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f",
    "uPlot.min.css": "df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04",
}
HERE = pathlib.Path(__file__).parent
COPIED = {"package/dist/uPlot.iife.min.js": "uPlot.iife.min.js",
          "package/dist/uPlot.min.css": "uPlot.min.css",
          "package/LICENSE": "LICENSE-uPlot"}


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check() -> list[str]:
    """Problems with the vendored files (empty when they are the pinned release's).

    Example:
        >>> check()
        []
    """
    problems = []
    for name, expected in FILE_SHA256.items():
        path = HERE / name
        if not path.exists():
            problems.append(f"{name} is missing")
        elif sha256(path) != expected:
            problems.append(f"{name} is not uPlot {VERSION}'s (SHA-256 {sha256(path)})")
    header = (HERE / "uPlot.iife.min.js").read_text(encoding="utf-8")[:120]
    if f"(v{VERSION})" not in header:
        problems.append(f"uPlot.iife.min.js does not announce v{VERSION}: {header[:60]!r}")
    return problems


def fetch(new_checksum: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["npm", "pack", f"uplot@{VERSION}"], cwd=folder, check=True)
        tarball = pathlib.Path(folder) / f"uplot-{VERSION}.tgz"
        digest = sha256(tarball)
        if new_checksum:
            print(f"TARBALL_SHA256 = {digest!r}")
        elif digest != TARBALL_SHA256:
            sys.exit(f"uplot-{VERSION}.tgz has SHA-256 {digest}, expected {TARBALL_SHA256}: "
                     "not the pinned release; nothing copied.")
        with tarfile.open(tarball) as archive:
            archive.extractall(folder, filter="data")
        for source, target in COPIED.items():
            shutil.copyfile(pathlib.Path(folder) / source, HERE / target)
            print(f"{target}: {sha256(HERE / target)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, without the network")
    parser.add_argument("--new-checksum", action="store_true",
                        help="print the tarball's checksum instead of enforcing it")
    arguments = parser.parse_args()
    if arguments.check:
        found = check()
        print("\n".join(found) or f"uPlot {VERSION}: vendored files match")
        sys.exit(1 if found else 0)
    fetch(arguments.new_checksum)
