"""Work that survives a reload and a restart, in Voila as a user runs ``amplify-auth app``.

A user types a draft, creates a configuration and watches its job complete; they reload the
page: the draft, the configuration and the job are there, served by the same emulator (one
per server, not per page). They stop the server and start it again on the same data folder:
still there; and creating that environment again from a new page is refused, since the
emulator remembers it. The journey runs twice on one data folder (a second run of the app on
a folder already used), each run on an environment of its own."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.browser import (
    AppServer,
    bad_console,
    chromium_page,
    jupyter_env,
    needs_chromium,
    shot,
)

from amplify_auth_widgets.app.serve import is_running
from amplify_auth_widgets.client.emulator_process import read_state

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

#: Each run's target: demo environments with no auth yet.
RUNS = {1: ("d4demonew", "dev"), 2: ("d2demoshop", "prod")}
RESOURCE = "keptauth"
#: The editor's message when an environment that has auth is created again: the service's
#: refusal, or the form's own warning before sending.
REFUSED = re.compile(r"already (exists|has)")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """One data folder for both runs."""
    return tmp_path_factory.mktemp("kept") / "aaw-data"


class App(AppServer):
    """``amplify-auth app`` on ``data``, started and stopped as a user does: nothing it runs
    when it is stopped (Voila, a kernel, the emulator) may outlive it."""

    def __init__(self, tmp: Path, data: Path) -> None:
        env = {**jupyter_env(tmp), "AMPLIFY_AUTH_DATA": str(data)}
        env.pop("AMPLIFY_AUTH_HISTORY", None)  # the app's own default: in the data folder
        super().__init__(tmp, env=env)

    def stop(self) -> None:
        self.watch()
        super().stop()


@pytest.fixture
def served(tmp_path) -> Iterator[list[App]]:
    apps: list[App] = []
    yield apps
    for app in apps:
        if app.process.poll() is None:
            app.stop()


def open_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".aaw-editor", timeout=60_000)
    page.wait_for_selector("text=embedded emulator", timeout=30_000)


def box(page, member: str):
    return page.locator(f".aaw-editor .aaw-at-{member} input").first


def fill(page, member: str, value: str) -> None:
    box(page, member).fill(value)
    box(page, member).press("Enter")


def saved_draft(data: Path, text: str, seconds: float = 20) -> bool:
    """Whether the draft kept in the data folder holds ``text`` (the app saves it a moment
    after the last change)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with sqlite3.connect(data / "emulator" / "history.sqlite3") as db:
            rows = db.execute("SELECT request FROM drafts").fetchall()
        if rows and text in rows[0][0]:
            return True
        time.sleep(0.1)  # the app's own debounce, not the service
    return False


def jobs_of(page) -> str:
    page.get_by_role("tab", name="Jobs").click()
    page.wait_for_selector(".aaw-monitor .aaw-badge:has-text('COMPLETED')", timeout=30_000)
    return page.locator(".aaw-monitor .aaw-jobs").inner_text()


def created(data: Path, app_id: str, env: str) -> str:
    """The resource name of the auth the data folder's emulator holds for the environment."""
    state = read_state(data / "emulator")
    assert state is not None, "no emulator serves the data folder"
    from amplify_auth_widgets.client.connection import Connection

    client = Connection.for_emulator(
        state["url"], access_key_id=state["key"], secret_access_key=state["secret"]
    ).client()
    answer = client.get_backend_auth(
        AppId=app_id, BackendEnvironmentName=env, ResourceName=RESOURCE
    )
    return str(answer["ResourceName"])


def create_and_complete(page, data: Path, app_id: str, env: str) -> None:
    page.locator(".aaw-editor select").nth(0).select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    fill(page, "AppId", app_id)
    fill(page, "BackendEnvironmentName", env)
    fill(page, "ResourceName", RESOURCE)
    page.wait_for_selector(".aaw-problems:has-text('Ready to send')", timeout=20_000)
    page.locator("button.aaw-create").click()
    page.wait_for_selector(".aaw-job-status:has-text('COMPLETED')", timeout=30_000)
    assert saved_draft(data, app_id), "the draft was not kept"


def refused_again(page) -> None:
    create = page.locator("button.aaw-create")
    if create.is_enabled():
        create.click()
    expect(page.locator(".aaw-editor")).to_contain_text(REFUSED, timeout=30_000)


@pytest.mark.parametrize("run", sorted(RUNS))
def test_draft_configs_and_jobs_survive_reload_and_restart(run, data, tmp_path, served):
    app_id, env = RUNS[run]
    served.append(App(tmp_path, data))
    with chromium_page() as page:
        open_app(page, served[0].url)
        if run > 1:  # the first run's draft is back at once, and its job listed
            expect(page.locator(".aaw-draft")).to_contain_text("draft", timeout=30_000)
            assert RUNS[1][0] in jobs_of(page)
            page.get_by_role("tab", name="Configure").click()
        create_and_complete(page, data, app_id, env)
        emulator = read_state(data / "emulator")
        assert emulator is not None

        page.reload()
        open_app(page, served[0].url)
        expect(page.locator(".aaw-draft")).to_contain_text("draft", timeout=30_000)
        expect(box(page, "ResourceName")).to_have_value(RESOURCE)
        expect(box(page, "AppId")).to_have_value(app_id)
        assert app_id in jobs_of(page)
        shot(page, f"reloaded-run{run}")
        assert bad_console(page) == []
    again = read_state(data / "emulator")
    assert again is not None and again["pid"] == emulator["pid"], "an emulator per page"
    assert created(data, app_id, env) == RESOURCE

    served[0].stop()
    assert read_state(data / "emulator") is None, "the emulator outlived its server"
    assert not is_running(emulator["pid"])

    served.append(App(tmp_path, data))
    with chromium_page() as page:
        open_app(page, served[1].url)
        expect(box(page, "ResourceName")).to_have_value(RESOURCE, timeout=30_000)
        assert app_id in jobs_of(page)
        page.get_by_role("tab", name="Configure").click()
        refused_again(page)
        shot(page, f"restarted-refused-run{run}")
        assert bad_console(page) == []
    assert created(data, app_id, env) == RESOURCE
    assert os.listdir(data / "emulator")  # the state, kept for the next run
