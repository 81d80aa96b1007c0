"""Modules that moved into one package per concept still import by their 0.1.0 paths, with a
DeprecationWarning naming the new path, and give the very same objects.

Each check runs in a fresh interpreter: an import is cached after its first time, and the
warning is what is being tested.
"""

import json
import subprocess
import sys
from pathlib import Path

import nbcallbacks
from nbcallbacks.moved_modules import MOVED_MODULES, OLD_PACKAGES

CHECK_EVERY_OLD_PATH = r"""
import importlib, json, sys, warnings
from nbcallbacks.moved_modules import MOVED_MODULES
problems = []
for old, new in MOVED_MODULES.items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module("nbcallbacks." + old)
    if module is not sys.modules["nbcallbacks." + new]:
        problems.append(f"{old}: not the module {new}")
    messages = [str(w.message) for w in caught if w.category is DeprecationWarning]
    if not any(f"nbcallbacks.{old} moved to nbcallbacks.{new}" in m for m in messages):
        problems.append(f"{old}: no warning naming {new}: {messages}")
print(json.dumps(problems))
"""


def run_fresh(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)


def test_every_old_module_path_gives_the_moved_module_with_a_warning_naming_it():
    result = run_fresh(CHECK_EVERY_OLD_PATH)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_the_old_core_package_still_exports_its_names_and_the_warning_points_at_the_import():
    result = run_fresh(
        "import warnings\n"
        "warnings.simplefilter('always')\n"
        "from nbcallbacks.core import MetricStore, Throttle, ema\n"
        "from nbcallbacks.records import MetricStore as NewMetricStore, ema as new_ema\n"
        "from nbcallbacks.outputs.throttle import Throttle as NewThrottle\n"
        "assert (MetricStore, Throttle, ema) == (NewMetricStore, NewThrottle, new_ema)\n"
        "from nbcallbacks.core.metric_store import MetricStore as Again\n"
        "assert Again is NewMetricStore\n"
        "try:\n"
        "    from nbcallbacks.core import Nothing\n"
        "except ImportError as error:\n"
        "    print('ImportError:', error)\n")
    assert result.returncode == 0, result.stderr
    # Each warning is reported at the user's import line (<string>), not inside importlib.
    assert "<string>:3: DeprecationWarning: nbcallbacks.core.MetricStore moved to " \
           "nbcallbacks.records.MetricStore" in result.stderr
    assert "nbcallbacks.core.Throttle moved to nbcallbacks.outputs.throttle.Throttle" \
           in result.stderr
    assert "<string>:7: DeprecationWarning: nbcallbacks.core.metric_store moved to " \
           "nbcallbacks.records.metric_store" in result.stderr
    assert "ImportError: cannot import name 'Nothing' from 'nbcallbacks.core'" in result.stdout


def test_the_finder_answers_only_old_names():
    from nbcallbacks.moved_modules import MovedModuleFinder

    finder = MovedModuleFinder()
    assert finder.find_spec("nbcallbacks.records.metric_store", None) is None
    assert finder.find_spec("numpy", None) is None
    assert finder.find_spec("nbcallbacks.core", None).submodule_search_locations is not None
    # Every old path is gone from the tree: the finder is the only way it still imports.
    package = Path(nbcallbacks.__file__).parent
    for old in [*MOVED_MODULES, *OLD_PACKAGES]:
        assert not (package / old.replace(".", "/")).with_suffix(".py").exists(), old
        assert not (package / old.replace(".", "/")).is_dir(), old
        assert finder.find_spec("nbcallbacks." + old, None) is not None
