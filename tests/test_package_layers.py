"""The packages build on each other in the order the README's "How it is built" lists them.

Each package of ``nbcallbacks/`` imports, when it runs, only packages listed above it in the
README's tree (imports under ``if TYPE_CHECKING:`` only name types and never run). The test
reads the order from the README, so the picture a newcomer reads and the code cannot drift
apart; a new package must be placed in that list.
"""

import ast
import re
from pathlib import Path

import pytest

# It reads the repository's README and sources, which the wheel runs (Colab, floors) do not
# have: one check per test command, as for the style and type checks.
pytestmark = [pytest.mark.main_environment, pytest.mark.backend("tensorflow")]

REPOSITORY = Path(__file__).resolve().parents[1]
PACKAGE = REPOSITORY / "nbcallbacks"


def readme_order() -> list[str]:
    readme = (REPOSITORY / "README.md").read_text()
    tree = readme[readme.index("## How it is built"):]
    tree = tree[:tree.index("```", tree.index("```") + 3)]
    return re.findall(r"^  (\w+)/ ", tree, flags=re.MULTILINE)


def runtime_imports(source: str) -> set[str]:
    """The ``nbcallbacks`` packages a module imports outside ``if TYPE_CHECKING:``."""
    tree = ast.parse(source)
    type_only = {id(node) for block in ast.walk(tree)
                 if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                 for node in ast.walk(block)}
    names = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in names
            if name.startswith("nbcallbacks.") and (PACKAGE / name.split(".")[1]).is_dir()}


def test_the_readme_lists_every_package_once():
    order = readme_order()
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert len(order) == len(set(order))
    assert set(order) == packages, (
        f"missing from the README's tree: {sorted(packages - set(order))}; "
        f"listed but not a package: {sorted(set(order) - packages)}")


def test_each_package_imports_only_packages_above_it_in_the_readme():
    order = readme_order()
    upward = []
    for module in sorted(PACKAGE.glob("*/**/*.py")):
        package = module.relative_to(PACKAGE).parts[0]
        if package not in order:
            continue
        for imported in runtime_imports(module.read_text()):
            if imported in order and order.index(imported) > order.index(package):
                upward.append(f"{module.relative_to(REPOSITORY)} imports {imported}")
    assert upward == []


def test_the_check_sees_an_upward_import():
    # records is first: importing the dashboard from it is what the test above must refuse.
    assert runtime_imports("from nbcallbacks.dashboard.dashboard import Dashboard") == \
        {"dashboard"}
    assert runtime_imports("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                           "    from nbcallbacks.dashboard import dashboard\n") == set()
