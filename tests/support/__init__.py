"""The harnesses and helpers the tests share (imported as ``support.<module>``: pytest puts
``tests/`` on ``sys.path``; the shared fixtures are in ``tests/conftest.py``).
``kernel_session``: a real Jupyter kernel driven the way a browser drives it;
``notebook_runner``: cells run in a fresh kernel with nbclient; ``browser``: pages in
headless Chromium (JupyterLab, Notebook 7 and the classic Notebook on one shared base, and
the chart's modules without Jupyter); ``extra_environments``: the Colab-pinned environment,
and the sdist and wheel built from the repository; ``floor_environment``: Python 3.10 with
every dependency at its floor; ``backend_environments``: the JAX and PyTorch environments;
``package_overlays``: a Python with one package at another version over this environment;
``python_interpreters``: where the Pythons those environments are built on are found;
``nested_runs``: the suite run again in those environments, against the wheel or on another
backend; ``environments_ahead``: those environments built in the background while the
first tests run; ``under_load``: a script that runs the ``timing`` tests while another
process keeps a core busy; ``schedules``: the learning-rate schedules the schedule tests
use (also as source for a kernel) and a recorder of the rates a fit applied; ``models``:
the one-weight model whose weight sums the rates it trained with; ``render_threads``: the
render threads alive in this process; ``network``: a connection that never answers.
"""
