"""Execute notebook cells in a real Jupyter kernel (nbclient) for tests."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient


def run_cells(*sources: str, timeout: int = 300, cwd=None) -> nbformat.NotebookNode:
    """Run ``sources`` as code cells in a fresh python3 kernel; return the executed notebook."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}} if cwd else {})
    client.execute()
    return notebook


def outputs_of(notebook, kind: str) -> list:
    """All outputs of ``output_type`` ``kind`` across cells."""
    return [o for cell in notebook.cells for o in cell.get("outputs", [])
            if o.output_type == kind]
