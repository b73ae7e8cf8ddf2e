"""`--wait` follows the job with the JobTracker and records it in the user's job history."""

from __future__ import annotations

import json
import os
import subprocess

from conftest import BIN, aws_env, valid_request

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.emulator import Emulator


def test_wait_records_the_job_and_learns_from_it(tmp_path):
    history_file = tmp_path / "history.sqlite3"
    with Emulator(job_seconds=0, seed=3) as emu:
        env = {**aws_env(emu.url), "AMPLIFY_AUTH_HISTORY": str(history_file)}
        app_id = emu.create_app("waited", ("dev",))
        request = tmp_path / "request.json"
        request.write_text(json.dumps(valid_request(AppId=app_id, BackendEnvironmentName="dev")))
        done = subprocess.run(
            [
                str(BIN / "amplify-auth"),
                *("create-backend-auth", "--cli-input-json", f"file://{request}"),
                *("--wait", "--endpoint-url", emu.url),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    job_id = json.loads(done.stdout)["JobId"]
    assert f"job {job_id}: COMPLETED" in done.stderr
    history = JobHistory(history_file)
    assert history.status_of(job_id) == "COMPLETED"
    calls = history.requests()["operation"].astype(str).tolist()
    assert calls[0] == "CreateBackendAuth" and set(calls[1:]) == {"GetBackendJob"}
    assert "g-secret-value" not in history.requests().to_csv()
    assert history.durations("CreateBackendAuth")  # what the next --wait schedules from
    assert os.path.getsize(history_file) > 0
