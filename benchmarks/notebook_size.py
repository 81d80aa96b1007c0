"""Size of a saved notebook that trained with the Dashboard: 10 epochs vs 100 epochs.

What it measures: two notebooks that train the same tiny model with
``nbcallbacks.Dashboard()`` (10 and 100 epochs, 16 batches per epoch) are
executed with nbclient in a real Jupyter kernel and saved, with the widget
state nbclient stores by default (as "Save widget state" in JupyterLab would).
Prints each file's size, split into cell outputs, widget state and the rest,
and the ratio of the two.

Target: the 100-epoch notebook is not meaningfully bigger than the 10-epoch
one (ratio <= 1.10): nothing the dashboard saves may grow with training length.

Run:
    .venv/bin/python benchmarks/notebook_size.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile

# Set before the kernel starts: it inherits this process's environment.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import nbformat
from nbclient import NotebookClient

TARGET_RATIO = 1.10

SETUP = """\
import numpy as np, keras
from nbcallbacks import Dashboard

rng = np.random.default_rng(0)
x = rng.normal(size=(640, 16)).astype("float32")
y = (x[:, :4].sum(axis=1) > 0).astype("int32")
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""

TRAIN = """\
dashboard = Dashboard()
model.fit(x, y, batch_size=32, epochs={epochs}, validation_split=0.2, verbose=0,
          callbacks=[dashboard]);
"""


def executed_notebook(epochs: int, directory: str) -> str:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SETUP),
                                               nbformat.v4.new_code_cell(TRAIN.format(epochs=epochs))])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": directory}}).execute()
    path = os.path.join(directory, f"dashboard_{epochs}_epochs.ipynb")
    nbformat.write(notebook, path)
    return path


def size_parts(path: str) -> dict[str, int]:
    """Bytes of the whole file, of all cell outputs and of the saved widget state."""
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    outputs = sum(len(json.dumps(cell.get("outputs", []))) for cell in notebook["cells"])
    widgets = len(json.dumps(notebook["metadata"].get("widgets", {})))
    total = os.path.getsize(path)
    return {"file": total, "outputs": outputs, "widget state": widgets,
            "rest": total - outputs - widgets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", help="save the executed notebooks in this directory "
                        "(default: a temporary directory, removed at the end)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        directory = args.keep or temporary
        os.makedirs(directory, exist_ok=True)
        sizes = {epochs: size_parts(executed_notebook(epochs, directory)) for epochs in (10, 100)}

    print(f"{'epochs':>6} {'file bytes':>11} {'outputs':>9} {'widget state':>13} {'rest':>7}")
    for epochs, parts in sizes.items():
        print(f"{epochs:6} {parts['file']:11,} {parts['outputs']:9,} "
              f"{parts['widget state']:13,} {parts['rest']:7,}")
    ratio = sizes[100]["file"] / sizes[10]["file"]
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
    print(f"\n100 epochs / 10 epochs: {ratio:.3f}x -> {verdict} (target <= {TARGET_RATIO:.2f}x)")
    if args.keep:
        print(f"notebooks saved in {args.keep}")


if __name__ == "__main__":
    main()
