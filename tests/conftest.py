"""Shared test set-up: quiet TensorFlow, small models, and a notebook runner."""

import os

# Before TensorFlow is imported anywhere (including kernels started by tests,
# which inherit the environment): no C++ log noise, deterministic CPU kernels.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


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


@pytest.fixture(scope="session")
def ipykernel6_python(tmp_path_factory):
    """A Python whose ipykernel is 6.x (the Colab line) and everything else is ours.

    A small virtual environment holds only ipykernel 6.29.5; a ``.pth`` file
    appends this environment's site-packages after it, so TensorFlow, Keras
    and nbcallbacks are shared instead of installed twice. Kept in
    ``.venv-ipykernel6`` beside the main environment and reused.
    """
    import subprocess
    import sys
    import sysconfig
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / ".venv-ipykernel6"
    python = root / "bin" / "python"
    marker = root / "ipykernel6.ready"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(root)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                        "ipykernel==6.29.5"], check=True)
        site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
        Path(site, "zz-shared-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        marker.write_text("ok\n")
    version = subprocess.run([str(python), "-c", "import ipykernel; print(ipykernel.__version__)"],
                             check=True, capture_output=True, text=True).stdout.strip()
    assert version.startswith("6."), version
    return str(python)
