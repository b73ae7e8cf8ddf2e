"""The fleet's dry run reads as a review: each INVALID target with its reason in its row,
Apply off while the plan holds one (the plan is applied whole: unpick, dry-run again), and
each change as a table row: the setting's label, before and after as the user writes them,
the API path beside them. Through the emulator, over HTTP."""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser

import pytest
from support.htmltext import text_of

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.widgets.dryrun import reason_html, setting_label, show_value
from amplify_auth_widgets.widgets.fleet import FleetPanel

HOSTILE = "<img src=x onerror=alert(1)>"
MIN_LENGTH = "UserPoolConfigs.PasswordPolicy.MinimumLength"


@pytest.fixture
def panel(tmp_path):
    with Emulator(job_seconds=0, seed=3, db=str(tmp_path / "s.sqlite3")) as emu:
        store, now = emu.backend.store, emu.clock()
        store.put_app("d9shop", HOSTILE, {}, now)
        store.put_environment("d9shop", "prod", {}, now)
        store.put_auth("d9shop", "prod", "auth", SOCIAL, now)  # minimum length 8
        store.put_environment("d9shop", "dev", {}, now)  # no auth: nothing to update
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


def dry_run(panel):
    done = settle(panel, "results")
    panel.dry_run_button.click()
    assert done.wait(60) and not panel.busy
    return {(r["app_id"], r["environment"]): r for r in panel.results.to_dict("records")}


class _Rows(HTMLParser):
    """The outer table's body rows, each cell as its text (a nested table's cells spaced)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.in_body, self.rows = 0, False, []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
        elif tag == "tbody" and self.depth == 1:
            self.in_body = True
        elif tag == "tr" and self.depth == 1 and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body and self.rows:
            if self.depth == 1:
                self.rows[-1].append("")
            else:
                self.rows[-1][-1] += " "

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
        elif tag == "tbody" and self.depth == 1:
            self.in_body = False

    def handle_data(self, data):
        if self.in_body and self.rows and self.rows[-1] and self.depth >= 1:
            self.rows[-1][-1] += data


def rows_of(html):
    """The dry run's target rows, each as its cells' texts (spaces collapsed)."""
    parser = _Rows()
    parser.feed(html.split("</style>", 1)[-1])
    return [[" ".join(cell.split()) for cell in row] for row in parser.rows]


def audited(panel):
    done = settle(panel, "audit")
    panel.run_audit()
    assert done.wait(60)


def update(**config):
    """An update's template: what every update carries, and ``config``."""
    users = config.pop("UserPoolConfigs", {})
    base = {"AuthResources": "IDENTITY_POOL_AND_USER_POOL", "Service": "COGNITO"}
    return {"ResourceConfig": {**base, "UserPoolConfigs": users, **config}}


def password_template(length):
    return update(UserPoolConfigs={"PasswordPolicy": {"MinimumLength": length}})


def test_an_invalid_target_shows_why_and_apply_waits_until_it_is_unpicked(panel):
    audited(panel)
    assert sorted(panel.picked) == [("d9shop", "dev"), ("d9shop", "prod")]
    panel.mode = "update"
    panel.template = password_template(14)
    results = dry_run(panel)
    assert str(results["d9shop", "dev"]["status"]) == "INVALID"
    assert str(results["d9shop", "prod"]["status"]) == "DRY_RUN"
    box = '<div class="aaw-scroll" role="region" aria-label="Dry run" tabindex="0">'
    assert box + '<table class="aaw-dry-run">' in panel.outcome.value  # scrolls, never cut
    rows = {(r[0], r[1]): r for r in rows_of(panel.outcome.value)}
    dev, prod = rows["d9shop", "dev"], rows["d9shop", "prod"]
    assert dev[3] == "INVALID" and dev[4] == "no auth to update in this environment"
    assert dev[5] == ""  # no changes shown for what is not sent
    assert prod[4] == ""
    # the change: by label, as written (the service answers 8.0), the API path beside it
    assert "Minimum length (Password policy) 8 → 14 " + MIN_LENGTH in prod[5]
    assert "8.0" not in prod[5] and "-&gt;" not in panel.outcome.value
    assert panel.apply_button.disabled  # a plan holding an INVALID target is not applied
    note = text_of(panel.apply_note.value)
    assert note.startswith("Apply is off: 1 target(s) INVALID (d9shop / dev;")
    assert "Unpick them in Targets" in note
    panel.targets.value = ("d9shop / prod",)  # unpicked: the plan changed, dry-run again
    assert panel.apply_button.disabled and panel.apply_note.value == ""
    results = dry_run(panel)
    assert list(results) == [("d9shop", "prod")]
    assert not panel.apply_button.disabled and panel.apply_note.value == ""
    done = settle(panel, "results")
    panel.apply_button.click()
    assert done.wait(60)
    assert panel.results["status"].astype(str).tolist() == ["COMPLETED"]


def test_findings_are_shown_by_label_and_message_beside_the_status(panel):
    audited(panel)
    panel.targets.value = ("d9shop / prod",)
    panel.mode = "update"
    panel.template = password_template(200)
    results = dry_run(panel)
    assert str(results["d9shop", "prod"]["status"]) == "INVALID"
    (row,) = rows_of(panel.outcome.value)
    assert row[3] == "INVALID"
    assert row[4].startswith("Minimum length (Password policy): ")
    assert "200" in row[4] and "ResourceConfig.UserPoolConfigs" not in row[4]
    # the API path is kept, as the reason's title
    assert f'<li title="ResourceConfig.{MIN_LENGTH}">' in panel.outcome.value
    assert panel.apply_button.disabled and "1 target(s) INVALID" in panel.apply_note.value


def test_values_are_escaped_and_shown_as_the_user_writes_them(panel):
    audited(panel)
    panel.targets.value = ("d9shop / prod",)
    panel.mode = "update"
    subject = "</script><script>alert(1)</script>"
    email = {"EmailSubject": subject, "EmailMessage": "Your code: {####}"}
    panel.template = update(
        UserPoolConfigs={
            "PasswordPolicy": {"MinimumLength": 9},
            "VerificationMessage": {"DeliveryMethod": "EMAIL", "EmailSettings": email},
        },
        IdentityPoolConfigs={"UnauthenticatedLogin": False},
    )
    dry_run(panel)
    html = panel.outcome.value
    assert "<script>" not in html and "&lt;/script&gt;&lt;script&gt;" in html
    assert HOSTILE not in html  # the app's name, wherever it lands
    (row,) = rows_of(html)
    changes = row[5]
    assert "Allow guest access true → false IdentityPoolConfigs.UnauthenticatedLogin" in changes
    assert "Minimum length (Password policy) 8 → 9" in changes
    # a section added whole: its members as JSON text, the hostile subject shown literally
    assert 'Verification message (not set) → {"DeliveryMethod": "EMAIL", ' in changes
    assert f'"EmailSubject": "{subject}"' in changes


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (8.0, "8"),
        (14, "14"),
        (6.5, "6.5"),
        (True, "true"),
        (None, "(not set)"),
        (["REQUIRE_DIGIT", "REQUIRE_SYMBOL"], "REQUIRE_DIGIT, REQUIRE_SYMBOL"),
        ({"ClientSecret": "<redacted>"}, '{"ClientSecret": "<redacted>"}'),
        ("x" * 300, "x" * 199 + "…"),
    ],
)
def test_a_value_is_shown_as_written(value, shown):
    assert show_value(value) == shown


def test_a_setting_s_label_names_its_section_when_deep():
    from amplify_auth_widgets.core.model import request_spec

    config = request_spec("UpdateBackendAuth").member("ResourceConfig")
    assert setting_label(MIN_LENGTH, config) == "Minimum length (Password policy)"
    assert setting_label("UserPoolConfigs.UnknownMember", config) == "Unknown member"
    deep = "UserPoolConfigs.Mfa.Settings.SmsMessage"
    assert setting_label(deep, config) == "SMS text (MFA methods)"


def test_a_reason_names_findings_as_the_changes_do_and_counts_the_rest():
    from amplify_auth_widgets.core.model import request_spec

    findings = [
        "ResourceConfig.AuthResources: error model.required: AuthResources is required.",
        "ResourceConfig.UserPoolConfigs.RequiredSignUpAttributes: error model.required: x.",
        f"ResourceConfig.{MIN_LENGTH}: error model.range: 3 is not allowed.",
        "AppId: error model.pattern: <b>bad</b> id.",
        "(request): error fleet.x: something.",
        "ResourceConfig.Service: warning model.y: only a warning.",
    ]
    html = reason_html({"findings": findings}, request_spec("CreateBackendAuth"))
    items = [text_of(i) for i in re.findall(r"<li[^>]*>(.*?)</li>", html)]
    assert items == [
        "What to create: AuthResources is required.",
        "Required at sign-up: x.",  # not "(User pool configs)": a section's own member
        "Minimum length (Password policy): 3 is not allowed.",
        "and 2 more",  # the errors only: the warning is not a reason
    ]
    assert "<b>" not in html
    everything = reason_html({"findings": findings[3:]}, None)
    assert "App id: &lt;b&gt;bad&lt;/b&gt; id." in everything
    assert "The request: something." in everything
    assert reason_html({"findings": [], "error": "no auth here"}, None) == "no auth here"
