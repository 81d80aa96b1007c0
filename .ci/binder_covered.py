"""Did the test command already run the gallery with exactly Binder's packages?

Usage: ``.venv-binder/bin/python .ci/binder_covered.py .venv/bin/python notebooks``

Run with the Python of the fresh Binder environment (``binder/requirements.txt``
installed). Exits 0, saying why, when every package installed there has the same
version in the main environment (where the test command has just run the whole
gallery under nbval) and every module the gallery imports is importable there;
otherwise prints what differs and exits 1, and ``.ci/run`` runs the gallery in
the Binder environment as well.
"""

import ast
import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

LISTING = ("import importlib.metadata as m, json; print(json.dumps("
           "{d.metadata['Name'].lower().replace('_', '-'): d.version for d in m.distributions()}))")


def versions(python: str) -> dict[str, str]:
    return json.loads(subprocess.run([python, "-c", LISTING], capture_output=True, text=True,
                                     check=True).stdout)


def gallery_imports(folder: Path) -> set[str]:
    """Top-level modules imported by the notebooks' code cells (magics left out)."""
    names = set()
    for path in sorted(folder.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            code = "\n".join(line for line in source.splitlines()
                             if not line.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(code)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return names


def main(main_python: str, notebooks: str) -> int:
    here = versions(sys.executable)
    there = versions(main_python)
    differ = sorted(f"{name} {version} (main: {there.get(name, 'missing')})"
                    for name, version in here.items() if there.get(name) != version)
    missing = sorted(name for name in gallery_imports(Path(notebooks))
                     if importlib.util.find_spec(name) is None)
    if missing:
        print(f"the gallery imports modules Binder's packages lack: {missing}")
        return 1
    if differ:
        print("Binder's packages differ from the main environment's: " + "; ".join(differ))
        return 1
    print(f"Binder's {len(here)} packages have the versions the main environment ran the "
          f"gallery with, and every module the gallery imports is there: the gallery run "
          f"above covers Binder (nbcallbacks {importlib.metadata.version('nbcallbacks')})")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
