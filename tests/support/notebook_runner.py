"""Execute notebook cells in a real Jupyter kernel (nbclient) for tests."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient


def run_cells(*sources: str, timeout: int = 300, cwd=None) -> nbformat.NotebookNode:
    """Run ``sources`` as code cells in a fresh python3 kernel; return the executed notebook."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    # After a cell's reply nbclient waits iopub_timeout (4 s by default) for the rest of its
    # output and then drops it silently: on a busy machine, fail instead of losing output.
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            iopub_timeout=60, raise_on_iopub_timeout=True,
                            resources={"metadata": {"path": str(cwd)}} if cwd else {})
    client.execute()
    return notebook


def outputs_of(notebook, kind: str) -> list:
    """All outputs of ``output_type`` ``kind`` across cells."""
    return [o for cell in notebook.cells for o in cell.get("outputs", [])
            if o.output_type == kind]
