"""FleetPanel's named checks: the filter by check (or any), the count of environments failing
one, and "Fix with apply": the chosen check's remediation dry-run on the picked environments
failing it, then applied, after which the next audit finds it passed."""

from __future__ import annotations

import threading

import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL, STRONG
from amplify_auth_widgets.fleet.checks import CHECKS, FAILED_COLUMN
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.widgets.fleet import ALL, ANY_CHECK, FleetPanel

GUESTS = ("d9social", "prod")  # SOCIAL lets unauthenticated identities in


@pytest.fixture
def panel(tmp_path):
    with Emulator(job_seconds=0, seed=3, db=str(tmp_path / "s.sqlite3")) as emu:
        store, now = emu.backend.store, emu.clock()
        for app_id, env, config in (
            ("d9social", "prod", SOCIAL),
            ("d9social", "dev", STRONG),
            ("d8todo", "prod", STRONG),
        ):
            if store.app(app_id) is None:
                store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, env, {}, now)
            store.put_auth(app_id, env, "auth", config, now)
        store.put_environment("d8todo", "dev", {}, now)  # no auth: no verdicts
        history = JobHistory(":memory:")
        service = BackendAuthService(emu.connection(), on_call=history.record_call)
        tracker = JobTracker(
            service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
        )
        yield FleetPanel(Fleet(service, history, tracker))


def settle(panel, name):
    done = threading.Event()
    panel.observe(lambda _: done.set(), names=name)
    return done


def audit(panel):
    audited = settle(panel, "audit")
    panel.run_audit()
    assert audited.wait(60) and not panel.busy
    return panel.audit


def test_fix_with_apply_dry_runs_then_applies_the_checks_remediation(panel):
    assert panel.fix_check("identity-pool-unauthenticated") is None  # nothing audited yet
    assert "Audit first" in panel.message.value
    frame = audit(panel)
    assert frame[FAILED_COLUMN].map(bool).sum() == 3  # STRONG's 12-character passwords too
    assert "<b>3</b> fail a check" in panel.message.value
    assert "failed_checks" in panel.table.value and "identity-pool-unauthenticated" in (
        panel.table.value
    )
    panel.check_filter.value = ANY_CHECK
    assert len(panel.picked) == 3  # not the environment without auth
    panel.check_filter.value = "mfa-optional"  # no update can fix it
    assert panel.picked == [GUESTS] and panel.fix_button.disabled
    panel.check_filter.value = "identity-pool-unauthenticated"
    assert panel.picked == [GUESTS] and not panel.fix_button.disabled
    dried = settle(panel, "results")
    panel.fix_button.click()
    assert dried.wait(60) and not panel.busy
    assert panel.mode == "update" and panel.template == {
        "ResourceConfig": {
            "Service": "COGNITO",
            "UserPoolConfigs": {},
            "IdentityPoolConfigs": {"UnauthenticatedLogin": False},
        }
    }
    assert panel.results["status"].astype(str).tolist() == ["DRY_RUN"]
    assert (
        '<th scope="row">Allow guest access</th><td>true</td>'
        '<td><span aria-hidden="true">→ </span>false</td>'
        "<td><code>IdentityPoolConfigs.<wbr>UnauthenticatedLogin</code></td>"
    ) in panel.outcome.value
    assert not panel.apply_button.disabled  # the dry run shown, Apply may send it
    applied = settle(panel, "results")
    panel.apply_button.click()
    assert applied.wait(60) and not panel.busy
    assert panel.results["status"].astype(str).tolist() == ["COMPLETED"]
    after = audit(panel).set_index(["app_id", "environment"])
    assert not after.loc[GUESTS, CHECKS["identity-pool-unauthenticated"].column]
    assert after.loc[GUESTS, CHECKS["mfa-optional"].column]  # the rest left as it was


def test_another_template_drops_the_fix_and_a_check_nobody_fails_has_nothing_to_fix(panel):
    audit(panel)
    panel.check_filter.value = "password-min-length-14"
    dried = settle(panel, "results")
    assert panel.fix_check("password-min-length-14") is not None
    assert panel.fix_check("password-min-length-14") is None  # not while one runs
    assert "busy" in panel.message.value
    assert dried.wait(60) and not panel.busy
    assert len(panel.targets_frame()) == 3
    assert "UserPoolConfigs.PasswordPolicy.MinimumLength" not in panel.targets_frame()
    assert panel.template["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"] == {
        "MinimumLength": 14
    }
    panel.template = {"ResourceConfig": dict(STRONG)}  # the editor's value, say
    assert list(panel.targets_frame().columns) == ["app_id", "environment"]
    panel.check_filter.value = ALL
    assert panel.fix_button.disabled
    panel.check_filter.value = "oauth-http-redirect"
    assert panel.picked == []
    assert panel.fix_check("oauth-http-redirect") is None
    assert "No picked environment fails oauth-http-redirect" in panel.message.value
    assert panel.fix_check("mfa-optional") is None
    assert "&#x27;mfa-optional&#x27; has no remediation an update can send" in (panel.message.value)
