"""Data loaders for the gallery notebooks, so that a notebook opened on its own (Colab) has them.

Each loader returns the real data set where it can be had (a local cache, or the
network) and otherwise falls back to data that ships with an installed package,
printing one line that says which data it used. Import a loader from its module:

* :func:`nbcallbacks.datasets.mnist.load_mnist` — MNIST handwritten digits as
  ``keras.datasets.mnist`` returns them (28x28 ``uint8`` images, labels 0-9);
  offline, scikit-learn's 8x8 digits upscaled to the same shapes.
"""
