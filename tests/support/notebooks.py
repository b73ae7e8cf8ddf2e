"""Running a notebook as Jupyter would: a fresh kernel, its folder as the working one."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def run_notebook(path: Path) -> Any:
    """``path`` run in a fresh kernel; the executed notebook (a failing cell raises
    CellExecutionError, naming the cell)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


def outputs_of(notebook: Any) -> list[dict]:
    """Every output of every cell, in order."""
    return [output for cell in notebook.cells for output in cell.get("outputs", [])]
