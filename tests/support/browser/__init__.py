"""Pages in headless Chromium, for the browser tests (``tests/browser/``) and the chart's.

``chromium``: Playwright and the one Chromium a test session shares, and how to install
them when missing; ``frontend_base``: what every Jupyter frontend's harness shares (the
server process: start, wait until it answers, stop its kernels; a page on one notebook:
open it, wait until its kernel is idle, Run All, wait on what it shows); ``browser_lab``:
JupyterLab (whose server also serves the Notebook 7 page of
``tests/browser/test_notebook7.py``); ``classic_notebook``: the classic Notebook 6.5 with
ipywidgets 7, served from the Colab-pinned environment; ``static_pages``: the repository
served over HTTP and blank pages on its origin, where the chart's ES modules run without
Jupyter.
"""
