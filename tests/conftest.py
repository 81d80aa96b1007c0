"""Shared test set-up: quiet TensorFlow, which tests run in which environment and on which
backend, and the shared fixtures (small data and models, no network). The harnesses are in
``tests/support/``."""

import os

# Before TensorFlow is imported anywhere (including kernels started by tests,
# which inherit the environment): no C++ log noise, deterministic CPU kernels.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import importlib.util
import platform
import sys
from pathlib import Path

import numpy as np
import pytest

BACKEND = os.environ["KERAS_BACKEND"]
# Scripts the distributed tests start in their own processes, not test modules.
collect_ignore = ["distributed"]
REPOSITORY = Path(__file__).resolve().parent.parent
# Which test environment runs this suite: "main" (the one the test command
# installs), "colab" when tests/test_colab_stack.py runs it in .venv-colab, or
# "floors" when tests/test_floor_versions.py runs it in .venv-floors, both
# against the installed wheel (tests/support/extra_environments.py).
ENVIRONMENT = os.environ.get("NBCALLBACKS_TEST_ENVIRONMENT", "main")
WHEEL_ENVIRONMENTS = ("colab", "floors")


def pytest_configure(config):
    config.addinivalue_line("markers", "backend(name): runs only when KERAS_BACKEND is name")
    config.addinivalue_line("markers", "needs_package(name): runs only where name is installed "
                                       "(e.g. tf.data cases in the JAX/PyTorch environments)")
    config.addinivalue_line("markers", "environments(*names): runs only in these test "
                                       "environments (with the backend marker: e.g. once per "
                                       "ipywidgets line, not once per backend)")
    config.addinivalue_line("markers", "kernel_stack: its subject is the kernel and widget "
                                       "stack (ipykernel, IPython, ipywidgets): not run in the "
                                       "floors environment, which holds Colab's stack, so the "
                                       "Colab run covers it (and the floors gallery drives those "
                                       "kernels on Python 3.10)")
    config.addinivalue_line("markers", "timing: bounds a wall-clock duration; the bound must "
                                       "hold on a loaded two-core machine "
                                       "(tests/support/under_load.py runs these while another "
                                       "process keeps a core busy)")
    config.addinivalue_line("markers", "nested_run(name): reads the suite's run in another "
                                       "environment (colab, floors, jax, torch; "
                                       "tests/support/nested_runs.py): that environment is built "
                                       "ahead, and the runs some selected test reads are "
                                       "scheduled")
    config.addinivalue_line("markers", "main_environment: builds and runs another test "
                                       "environment, or checks the repository's sources, so "
                                       "runs only in the main one (never inside what it "
                                       "builds)")
    if ENVIRONMENT in WHEEL_ENVIRONMENTS:
        _check_installed_package()


def _check_installed_package():
    """The Colab and floors runs test the installed wheel: stop at once if nbcallbacks comes
    from elsewhere."""
    import sysconfig

    spec = importlib.util.find_spec("nbcallbacks")
    origin = Path(spec.origin).resolve() if spec is not None and spec.origin else None
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    if origin is None or site not in origin.parents:
        raise pytest.UsageError(f"NBCALLBACKS_TEST_ENVIRONMENT={ENVIRONMENT} tests the installed "
                                f"wheel, "
                                f"but nbcallbacks is imported from {origin}, not {site}: run from "
                                f"a copy of tests/ without the sources "
                                f"(tests/support/extra_environments.py)")


def _runs_here(item) -> str | None:
    """None when the test belongs in this run, else why not."""
    marker = item.get_closest_marker("backend")
    if marker is not None and marker.args[0] != BACKEND:
        return f"backend {marker.args[0]}"
    path = Path(str(item.fspath)).resolve()
    marker = item.get_closest_marker("environments")
    if marker is not None and ENVIRONMENT not in marker.args:
        return f"environment {' or '.join(marker.args)}"
    if ENVIRONMENT != "main" and item.get_closest_marker("main_environment") is not None:
        return "the main environment"
    if ENVIRONMENT == "floors" and item.get_closest_marker("kernel_stack") is not None:
        return "Colab's kernel stack (the Colab run)"
    if ENVIRONMENT in WHEEL_ENVIRONMENTS and REPOSITORY / "tests" / "browser" in path.parents:
        return "JupyterLab 4 and Playwright (the main environment)"
    # The gallery and the browser tests run the TensorFlow tutorials.
    if BACKEND != "tensorflow" and (REPOSITORY / "notebooks" in path.parents
                                    or REPOSITORY / "tests" / "browser" in path.parents):
        return "backend tensorflow"
    for marker in item.iter_markers("needs_package"):
        if importlib.util.find_spec(marker.args[0]) is None:
            return f"package {marker.args[0]}"
    return None


def pytest_collection_modifyitems(config, items):
    """Deselect (not skip) what belongs to another backend's run, and say so."""
    kept, elsewhere = [], {}
    for item in items:
        reason = _runs_here(item)
        if reason is None:
            kept.append(item)
        else:
            elsewhere.setdefault(reason, []).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=[i for group in elsewhere.values() for i in group])
        items[:] = kept
        config._nbcallbacks_elsewhere = {reason: len(group) for reason, group in elsewhere.items()}


def pytest_collection_finish(session):
    """In the main environment: schedule the nested runs the selected tests read, and start
    building their environments now, beside the first tests
    (tests/support/environments_ahead.py)."""
    if ENVIRONMENT != "main" or session.config.option.collectonly:
        return
    names = {marker.args[0] for item in session.items for marker in item.iter_markers("nested_run")}
    if names:
        from support import environments_ahead, nested_runs

        nested_runs.want(names)
        environments_ahead.start(names, nested_runs.ORDER)


def pytest_report_header(config):
    spec = importlib.util.find_spec("nbcallbacks")
    origin = Path(spec.origin).parent if spec is not None and spec.origin else None
    return (f"nbcallbacks tests on Keras backend: {BACKEND}, environment {ENVIRONMENT}, "
            f"Python {platform.python_version()}, package from {origin}")


def pytest_terminal_summary(terminalreporter, config):
    elsewhere = getattr(config, "_nbcallbacks_elsewhere", None)
    if elsewhere:
        parts = ", ".join(f"{count} need {reason}" for reason, count in sorted(elsewhere.items()))
        terminalreporter.write_line(f"deselected on backend {BACKEND}: {parts}")
    ahead = sys.modules.get("support.environments_ahead")  # imported when it built any
    if ahead is not None and ahead.built:
        terminalreporter.write_line("environments built ahead, beside the first tests: "
                                    + ahead.summary())


@pytest.fixture
def offline(monkeypatch):
    """No network: every connection fails at once, as on a machine without one. The list of
    the addresses asked for, in order."""
    import socket

    asked = []

    def refuse(address, *args, **kwargs):
        asked.append(address)
        raise OSError("network is unreachable")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return asked


@pytest.fixture
def tiny_data():
    """A learnable two-class problem: 512 samples, 8 features."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(512, 8)).astype("float32")
    y = (x[:, :4].sum(axis=1) > 0).astype("int32")
    return x, y


@pytest.fixture
def tiny_model():
    """A factory of small compiled classifiers (fresh weights each call)."""
    import keras

    def build(learning_rate=0.01, metrics=("accuracy",)):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((8,)),
                                  keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                      loss="sparse_categorical_crossentropy", metrics=list(metrics))
        return model

    return build


@pytest.fixture
def linear_model():
    """A factory of the smallest trainable models: ``Dense(1)`` on ``features`` inputs, loss
    mse, compiled with ``optimizer`` (a name or an optimizer); fresh weights each call, the
    same every time (Keras seeded with 0, as ``tiny_model`` does)."""
    import keras

    def build(features=8, optimizer="sgd"):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((features,)), keras.layers.Dense(1)])
        model.compile(optimizer=optimizer, loss="mse")
        return model

    return build
