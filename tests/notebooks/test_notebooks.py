"""The example notebooks: each runs top to bottom on the embedded emulator, and every committed
notebook is stored without outputs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.notebooks import outputs_of, run_notebook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def committed_notebooks() -> list[Path]:
    """Every notebook git knows of (committed or staged), wherever it lives."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "*.ipynb"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed]


def test_the_four_example_notebooks_are_there():
    names = {path.name for path in EXAMPLES}
    assert {"tutorial.ipynb", "editor.ipynb", "reports.ipynb", "app.ipynb"} <= names


def test_committed_notebooks_have_no_outputs():
    notebooks = committed_notebooks()
    assert len(notebooks) >= 5  # the four examples and the app the package ships
    dirty = []
    for path in notebooks:
        for index, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell.get("outputs") or cell.get("execution_count") is not None:
                dirty.append(f"{path.relative_to(ROOT)} cell {index}")
    assert dirty == [], "strip the outputs (Edit > Clear Outputs of All Cells) of: " + ", ".join(
        dirty
    )


def test_the_app_notebook_is_the_one_the_package_serves():
    shipped = ROOT / "src" / "amplify_auth_widgets" / "app" / "app.ipynb"
    cells = [json.loads(p.read_text())["cells"] for p in (ROOT / "notebooks/app.ipynb", shipped)]
    assert [c["source"] for c in cells[0]] == [c["source"] for c in cells[1]]


def _text(outputs: list[dict]) -> str:
    return "".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
        for o in outputs
    )


@pytest.mark.timeout(400)
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_notebook_runs_top_to_bottom_twice_on_one_machine(path, tmp_path, monkeypatch):
    """Each notebook, run as a user would run it again: a second time on the same machine, with
    the job history and the data folder (the app's shared emulator, its draft) of the first
    run still there. The fleet notebook must fix again what it finds: each run starts its own
    emulator, with the demo fleet weak again, and an apply decides by each environment's
    configuration now, not by the history's record of the same request completed before."""
    # the kernel's history, data folder and Jupyter state go to scratch, never the user's
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "history.sqlite3"))
    monkeypatch.setenv("AMPLIFY_AUTH_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("AMPLIFY_AUTH_JOB_SECONDS", "0")
    for run in (1, 2):
        notebook = run_notebook(path)  # raises CellExecutionError, naming the cell, if one does
        outputs = outputs_of(notebook)
        assert [o for o in outputs if o.get("output_type") == "error"] == [], run
        widgets = [o for o in outputs if WIDGET in o.get("data", {})]
        if path.stem != "tutorial":  # the others show the widgets in cells
            assert widgets, f"run {run}: no cell displayed a widget"
        if path.stem == "fleet-audit":
            assert ", 0 after" in _text(outputs), run  # "weak environments: N before, 0 after"
