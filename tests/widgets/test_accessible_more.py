"""The last keyboard and screen-reader parts, without a browser: the Jobs tab announces a job
that ends (once) and a refresh that fails, each secret's reveal toggle is named by its field
and says its state, and the app's title is the page's one ``h1``.

How they render (``role=status`` in the Jobs tab) is tests/browser/test_announcements.py."""

from __future__ import annotations

import pytest
from conftest import valid_request

from amplify_auth_widgets import (
    AuthApp,
    AuthConfigEditor,
    BackendAuthService,
    JobHistory,
    JobMonitor,
    JobTracker,
)
from amplify_auth_widgets.widgets.access import Toggle
from amplify_auth_widgets.widgets.fields import SecretField

OAUTH = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings"


@pytest.fixture
def monitor(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", clock)
    return JobMonitor(JobTracker(service, history, clock=clock), autostart=False)


def submit(emulator, monitor, request):
    app_id = emulator.create_app("said", ("dev",))
    response = monitor.tracker.service.create_backend_auth(
        {**request, "AppId": app_id, "BackendEnvironmentName": "dev"}, force=True
    )
    monitor.track(response, "CreateBackendAuth")
    return app_id


def finish(monitor, clock):
    while monitor.tracker.pending:
        clock.now = max(clock.now, monitor.tracker.next_due())
        monitor.tracker.poll_due()


def test_a_job_that_ends_is_announced_once_not_at_every_poll(emulator, monitor, clock):
    said: list[str] = []
    monitor.announcement.observe(lambda change: said.append(change["new"]), names="message")
    app_id = submit(emulator, monitor, valid_request())
    monitor.refresh(poll=True)  # polls while the job runs say nothing
    assert said == []
    finish(monitor, clock)
    assert said == [f"CreateBackendAuth for {app_id}, dev: COMPLETED"]
    for _ in range(3):  # later polls and redraws (the tab shown again) do not repeat it
        monitor.refresh(poll=True)
    assert said == [f"CreateBackendAuth for {app_id}, dev: COMPLETED"]
    assert monitor.announcement in monitor.children  # shown in the Jobs tab itself


def test_jobs_that_end_together_are_said_together_counted(emulator, monitor, clock):
    request = valid_request()
    submit(emulator, monitor, request)
    submit(emulator, monitor, request)
    bad = valid_request()
    bad["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 3
    submit(emulator, monitor, bad)
    finish(monitor, clock)  # one round of polls: a burst, as a fleet's rollout ends
    assert monitor.announcement.message == "3 jobs ended: 2 COMPLETED, 1 FAILED"


def test_jobs_that_end_apart_are_each_said(emulator, monitor, clock, monkeypatch):
    monkeypatch.setattr("amplify_auth_widgets.widgets.monitor.TOGETHER", -1.0)  # never together
    said: list[str] = []
    monitor.announcement.observe(lambda change: said.append(change["new"]), names="message")
    first = submit(emulator, monitor, valid_request())
    second = submit(emulator, monitor, valid_request())
    finish(monitor, clock)
    assert sorted(said) == sorted(
        f"CreateBackendAuth for {app_id}, dev: COMPLETED" for app_id in (first, second)
    )


def test_a_failed_job_is_announced_with_the_services_error(emulator, monitor, clock):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 3
    submit(emulator, monitor, request)
    finish(monitor, clock)
    message = monitor.announcement.message
    assert ": FAILED. " in message
    error = monitor.jobs[0]["error"]
    assert error and message.endswith(error)


def test_the_same_words_for_a_second_job_are_said_again(monitor):
    said: list[str] = []
    monitor.announcement.observe(lambda change: said.append(change["new"]), names="message")
    monitor.announce("CreateBackendAuth for d1, dev: COMPLETED")
    monitor.announce("CreateBackendAuth for d1, dev: COMPLETED")
    # cleared in between: a live region reads a change, and an unchanged text is none
    done = "CreateBackendAuth for d1, dev: COMPLETED"
    assert said == [done, "", done]


def test_a_refresh_that_fails_is_announced(emulator, monitor, clock):
    submit(emulator, monitor, valid_request())
    emulator.stop()  # the service goes away under the monitor
    clock.now = monitor.tracker.next_due()
    monitor.refresh(poll=True)
    assert monitor.announcement.message  # said, in words
    assert monitor.announcement.message in monitor.problem.value


def test_the_reveal_toggle_is_named_by_its_field_and_says_its_state():
    editor = AuthConfigEditor("CreateBackendAuth")
    for section in editor.sections:
        section.build()
    google = editor.field(f"{OAUTH}.Google.ClientSecret")
    apple = editor.field(f"{OAUTH}.SignInWithApple.PrivateKey")
    assert isinstance(google, SecretField) and isinstance(google.reveal, Toggle)
    assert (google.reveal.description, google.reveal.label) == ("Show", "Show Google client secret")
    assert apple.reveal.label == "Show Sign in with Apple private key"
    google.set("s3cr3t-value")
    google.reveal.value = True  # as a press does
    assert (google.reveal.description, google.reveal.label) == ("Hide", "Hide Google client secret")
    assert google.shown.layout.display is None and google.hidden.layout.display == "none"
    google.reveal.value = False
    assert google.reveal.label == "Show Google client secret"
    # the toggle holds no secret: neither its words nor its name
    assert "s3cr3t" not in repr(google.reveal.get_state())
    google.enable(False)
    assert google.reveal.disabled


def test_the_apps_title_is_the_pages_one_h1(emulator):
    app = AuthApp(BackendAuthService(emulator.connection()), autostart=False)
    heading = app.children[0].value
    assert heading.count("<h1") == 1 and ">Amplify backend auth</h1>" in heading
    assert "<h2" not in heading
