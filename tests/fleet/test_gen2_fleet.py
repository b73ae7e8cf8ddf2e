"""The fleet audit gives each configured environment its Gen 2 export."""

from __future__ import annotations

import pandas as pd

from amplify_auth_widgets import BackendAuthService, JobHistory
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import seed_fleet
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.jobs.tracker import JobTracker


def test_every_audited_environment_has_its_gen2_export(tmp_path):
    with Emulator(job_seconds=0, seed=3, demo=True) as emu:
        seed_fleet(emu.backend, 4)
        history = JobHistory(":memory:")
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        frame = Fleet(service, history, JobTracker(service, history)).audit(concurrency=4)
    configured = frame[frame["configured"]]
    assert len(configured) >= 12
    assert str(frame["gen2"].dtype) == "string"
    for app_id, env, code in zip(
        configured["app_id"], configured["environment"], configured["gen2"], strict=True
    ):
        assert code.startswith("// ==> amplify/auth/resource.ts <==\n")
        assert "// ==> amplify/backend.ts <==" in code
        assert f"app {app_id}, environment {env}" in code
        assert "export const auth = defineAuth({" in code
        assert "demo-google-secret" not in code
    assert frame.loc[~frame["configured"], "gen2"].isna().all()
    social = " ".join(frame.loc[frame["app_id"] == "d2demoshop", "gen2"].dropna())
    assert 'clientSecret: secret("GOOGLE_CLIENT_SECRET")' in social
    # the frame goes to Parquet whole, code included
    path = tmp_path / "audit.parquet"
    frame.to_parquet(path)
    assert pd.read_parquet(path)["gen2"].tolist()[: len(frame)] == frame["gen2"].tolist()
