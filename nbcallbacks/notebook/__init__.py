"""The notebook we run in: the kernel, the frontend, the cell's output, the end of the cell.

:func:`~nbcallbacks.notebook.running_kernel.running_shell` is the one place that
asks IPython whether a kernel is running us (tricks that depend on the kernel's
internals start from it, in :mod:`nbcallbacks.compat`);
:mod:`~nbcallbacks.notebook.frontend` tells which frontend shows the output
(JupyterLab, Notebook, VS Code, Colab, a terminal) and so what it can display;
:mod:`~nbcallbacks.notebook.cell_display` shows a result once per cell with a
static picture saved in the notebook; :mod:`~nbcallbacks.notebook.cell_end_hook`
runs cleanup when the cell ends, also when ``fit`` raised.
"""
