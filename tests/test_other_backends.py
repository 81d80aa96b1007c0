"""The whole suite again on Keras' JAX and PyTorch backends, in environments without TensorFlow.

Keras picks its backend once per process, so each backend gets its own run in
its own environment (``.venv-jax``, ``.venv-torch``: see
``tests/support/backend_environments.py``), scheduled with the Colab and floors runs
(``tests/support/nested_runs.py``). Tests for another backend, the TensorFlow gallery
and tf.data cases are deselected by the markers in ``conftest.py`` (the inner
run prints how many and why). To run one backend by hand (after a first run
built it)::

    KERAS_BACKEND=jax .venv-jax/bin/python -m pytest
"""

import pytest
from support.backend_environments import BACKENDS
from support.nested_runs import SUITE, nested_run


@pytest.mark.backend("tensorflow")
@pytest.mark.main_environment
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("backend", [pytest.param(b, marks=pytest.mark.nested_run(b))
                                     for b in BACKENDS])
def test_the_suite_passes_on_another_backend(backend, capsys):
    nested_run(backend).check(SUITE, capsys)
