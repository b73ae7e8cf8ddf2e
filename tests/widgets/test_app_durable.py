"""The app made from the environment is durable: its emulator is the data folder's process,
its history and its draft are files there, so a second page (a second kernel: here a second
interpreter) finds the configurations, the jobs and the draft of the first; secrets excepted."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import every_secret

from amplify_auth_widgets.client.emulator_process import IDLE_SECONDS, read_state

#: A kernel's life: make the app from the environment, run ``body``, print what it found.
KERNEL = """
import json, sys
from amplify_auth_widgets import AuthApp
app = AuthApp.from_environment()
found = {"pid": getattr(app.emulator, "pid", None), "history": app.history.path}
%s
app.close()
print(json.dumps(found))
"""

FIRST = """
app.editor.value = json.loads(sys.argv[1])
assert app.editor.problems == 0, app.editor.findings
app.drafts.flush()
assert app.editor.create(), app.editor.status
app.editor.join()
tracker = app.monitor.tracker
while tracker.pending:
    tracker.poll_due(now=max(tracker.clock(), tracker.next_due() or 0))
found["jobs"] = app.history.jobs()[["app_id", "status"]].values.tolist()
"""

SECOND = """
found["value"] = app.editor.value
found["operation"] = app.editor.operation
found["note"] = app.drafts.note.value
found["jobs"] = app.history.jobs()[["app_id", "status"]].values.tolist()
app.editor.value = json.loads(sys.argv[1])  # the secrets typed again
found["again"] = app.editor.create()
app.editor.join()
found["status"] = app.editor.status
"""


def kernel(body: str, env: dict[str, str], *args: str) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", KERNEL % body, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_a_second_page_finds_the_first_pages_draft_configs_and_jobs(tmp_path):
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "AMPLIFY_AUTH_HISTORY"}
    env.update({"AMPLIFY_AUTH_DATA": str(data), "AMPLIFY_AUTH_JOB_SECONDS": "0"})
    request, planted = every_secret(
        AppId="d4demonew", BackendEnvironmentName="dev", ResourceName="newauth"
    )
    first = kernel(FIRST, env, json.dumps(request))
    assert first["history"] == str(data / "emulator" / "history.sqlite3")
    assert first["jobs"] == [["d4demonew", "COMPLETED"]]

    second = kernel(SECOND, env, json.dumps(request))
    assert second["jobs"] == [["d4demonew", "COMPLETED"]]  # the history is the folder's
    assert second["value"]["AppId"] == "d4demonew"
    assert second["value"]["ResourceName"] == "newauth"
    assert second["operation"] == first.get("operation", "CreateBackendAuth")
    assert "draft" in second["note"] and "Google client secret" in second["note"]
    assert not any(s in second["note"] + json.dumps(second["value"]) for s in planted.values())
    # the emulator is the folder's: the environment has auth now, a second create is refused
    assert re.search(r"already (exists|has)", second["status"]), second["status"]

    history = b"".join(p.read_bytes() for p in (data / "emulator").glob("history.sqlite3*"))
    assert not [s for s in planted.values() if s.encode() in history]
    # no kernel left: the emulator exits and says so by removing its record
    deadline = time.monotonic() + IDLE_SECONDS + 15
    while read_state(data / "emulator") is not None and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for its exit: it has no one to tell
    assert read_state(data / "emulator") is None
    assert second["pid"] == first["pid"]  # the second page came within its idle time
    assert exited(first["pid"])


def exited(pid: int) -> bool:
    """Whether ``pid`` is gone (or a zombie) within seconds of its record's removal."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        stat = Path(f"/proc/{pid}/stat")
        if not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.05)  # waiting for its exit: it has no one to tell
    return False


def test_durability_can_be_turned_off_for_a_page_that_starts_clean(tmp_path):
    env = {**os.environ, "AMPLIFY_AUTH_DATA": str(tmp_path / "data"), "AMPLIFY_AUTH_DURABLE": "0"}
    env.pop("AMPLIFY_AUTH_HISTORY", None)
    found = kernel('found["drafts"] = app.drafts is None', env)
    assert found["history"] == ":memory:" and found["drafts"] is True
    assert not (tmp_path / "data").exists()


BROKEN = """
from amplify_auth_widgets.widgets.drafts import BROKEN_NOTE
with app.drafts.store.database.transaction() as db:
    db.execute(
        "INSERT OR REPLACE INTO drafts VALUES ('last', 'x', 'CreateBackendAuth', '{}')"
    )
again = AuthApp.from_environment()  # the next page: built all the same
found["note"] = again.drafts.note.value
found["broken"] = BROKEN_NOTE in found["note"]
found["kept"] = again.drafts.store.database.query("SELECT count(*) FROM drafts")[0][0]
again.close()
"""


def test_a_draft_that_cannot_be_read_does_not_stop_the_next_page(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "AMPLIFY_AUTH_HISTORY"}
    env.update({"AMPLIFY_AUTH_DATA": str(tmp_path / "data"), "AMPLIFY_AUTH_JOB_SECONDS": "0"})
    found = kernel(BROKEN, env)
    assert found["broken"] and found["kept"] == 0  # said so, and forgotten
