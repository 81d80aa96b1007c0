"""The package as users get it: the sdist and the wheel hold the whole package, and the
extras agree.

The sdist and the wheel are built by ``tests/support/extra_environments.py`` (the
wheel from the unpacked sdist, as pip does), once per run; the Colab-pinned
environment then installs that wheel and runs the suite against it
(``tests/test_colab_stack.py``).
"""

import importlib.metadata
import tarfile
import zipfile
from email.parser import Parser

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from support.extra_environments import REPOSITORY, built_distributions, pyproject_list

# Where the wheel's platform-dependent requirements are looked at.
PLATFORMS = {
    "Linux x86_64": {"sys_platform": "linux", "platform_machine": "x86_64"},
    "Linux aarch64": {"sys_platform": "linux", "platform_machine": "aarch64"},
    "macOS arm64": {"sys_platform": "darwin", "platform_machine": "arm64"},
    "Windows": {"sys_platform": "win32", "platform_machine": "AMD64"},
}


def package_files() -> set[str]:
    """Every file under nbcallbacks/ in the working tree, as a path inside the package's
    archives."""
    skipped = {"__pycache__", ".ipynb_checkpoints"}
    return {path.relative_to(REPOSITORY).as_posix()
            for path in (REPOSITORY / "nbcallbacks").rglob("*")
            if path.is_file() and not skipped & set(path.parts) and path.suffix != ".pyc"}


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
def test_the_wheel_holds_every_file_of_the_package():
    _, wheel = built_distributions()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = sorted(package_files() - names)
    assert not missing, (f"{wheel.name} lacks {missing}: setuptools ships the .py files of the "
                         f"packages [tool.setuptools.packages.find] finds; list other files under "
                         f"[tool.setuptools.package-data] in pyproject.toml")
    top_level = {name.split("/", 1)[0] for name in names}
    assert top_level == {"nbcallbacks", wheel.name.split("-py3")[0] + ".dist-info"}, top_level


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
def test_the_sdist_holds_the_package_and_what_builds_it():
    sdist, _ = built_distributions()
    root = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(root + "/") for name in archive.getnames()}
    needed = package_files() | {"PKG-INFO", "pyproject.toml", "README.md"}
    missing = sorted(needed - names)
    assert not missing, (
        f"{sdist.name} lacks {missing} (MANIFEST.in decides what else an sdist holds)")


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
def test_the_wheel_metadata_is_the_projects():
    _, wheel = built_distributions()
    with zipfile.ZipFile(wheel) as archive:
        metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    assert metadata["Name"] == "nbcallbacks"
    assert metadata["Requires-Python"] == ">=3.10"
    requires = metadata.get_all("Requires-Dist")
    base = sorted(str(r) for r in map(Requirement, requires) if r.marker is None)
    assert base == sorted(str(Requirement(r)) for r in pyproject_list("project", "dependencies"))
    assert set(metadata.get_all("Provides-Extra")) >= {"tensorflow", "tf", "test", "notebooks"}
    for platform in PLATFORMS.values():
        assert (resolved_extra(requires, "tensorflow", platform)
                == resolved_extra(requires, "tf", platform))


def resolved_extra(requires: list[str], extra: str, platform: dict) -> set[str]:
    """What ``nbcallbacks[extra]`` adds on ``platform``, self-references expanded.

    >>> sorted(resolved_extra(['a>=1; extra == "x"', 'nbcallbacks[x]; extra == "y"',
    ...                        'b; extra == "y" and sys_platform == "win32"'], "y",
    ...                       {"sys_platform": "linux"}))
    ['a>=1']
    """
    found, todo, done = set(), [extra], set()
    while todo:
        current = todo.pop()
        done.add(current)
        for requirement in map(Requirement, requires):
            if requirement.marker is None or not requirement.marker.evaluate(
                    {**platform, "extra": current}):
                continue
            if "extra" not in str(requirement.marker):
                continue  # a base dependency with a platform marker: not part of any extra
            if canonicalize_name(requirement.name) == "nbcallbacks":
                todo.extend(sorted(set(requirement.extras) - done))
            else:
                requirement.marker = None
                found.add(str(requirement))
    return found


def test_tensorflow_and_tf_extras_install_the_same():
    """``nbcallbacks[tensorflow]`` (what users type first) and ``[tf]`` (the short name) are
    one set."""
    requires = importlib.metadata.requires("nbcallbacks")
    for name, platform in PLATFORMS.items():
        long = resolved_extra(requires, "tensorflow", platform)
        short = resolved_extra(requires, "tf", platform)
        assert long == short, (name, long, short)
        # The CPU-only wheel where it exists (Linux x86_64), TensorFlow itself elsewhere.
        wanted = "tensorflow-cpu" if name == "Linux x86_64" else "tensorflow"
        assert {Requirement(r).name for r in long} == {wanted}, (name, long)
