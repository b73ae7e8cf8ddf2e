"""The fleet notebook run twice on one machine: each run starts its own emulator (the demo
fleet weak again) while the job history file stays. The second run must fix what it finds as
the first did: an apply decides by each environment's configuration now, not by the history's
record of the same request completed before (which left the weak environments as they were
and failed the notebook's own assertions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.notebooks import outputs_of, run_notebook

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "fleet-audit.ipynb"


@pytest.mark.timeout(400)
def test_the_fleet_notebook_passes_when_run_twice_with_one_history(tmp_path, monkeypatch):
    history = tmp_path / "history.sqlite3"
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(history))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("AMPLIFY_AUTH_JOB_SECONDS", "0")
    for run in (1, 2):
        outputs = outputs_of(run_notebook(NOTEBOOK))
        assert [o for o in outputs if o.get("output_type") == "error"] == [], run
        text = "".join(
            "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
            for o in outputs
        )
        assert ", 0 after" in text, run  # "weak environments: N before, 0 after"
    assert history.exists()
