"""User journeys through the Voila app in headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BIN

expect = pytest.importorskip("playwright.sync_api").expect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)
SHOTS = Path(os.environ.get("AAW_SCREENSHOTS", "/tmp/aaw-screenshots"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path_factory.mktemp("runtime")),
        "JUPYTER_DATA_DIR": str(tmp_path_factory.mktemp("data")),
    }
    process = subprocess.Popen(
        [str(BIN / "amplify-auth"), "app", "--port", str(port), "--job-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:  # wait for Voila to answer; it is our server, not the service
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the app did not start:\n" + process.stdout.read()) from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1300, "height": 1800})
        outside: list[str] = []  # the app's page must ask nothing of any other host
        page.route(
            re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"),
            lambda route: (outside.append(route.request.url), route.abort()),
        )
        page.goto(app_url)
        page.wait_for_selector(".aaw-editor", timeout=60_000)
        yield page
        browser.close()
        assert outside == [], f"the page asked hosts off this machine: {outside}"


def fill(page, member: str, value: str) -> None:
    box = page.locator(f".aaw-editor .aaw-at-{member} input").first
    box.fill(value)
    box.press("Enter")


def test_compose_from_a_preset_create_and_watch_the_job(page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".aaw-editor select").nth(0).select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    fill(page, "AppId", "d4demonew")
    fill(page, "BackendEnvironmentName", "dev")
    fill(page, "ResourceName", "newauth")
    page.wait_for_selector(".aaw-problems:has-text('Ready to send')", timeout=20_000)
    assert page.locator(".jupyter-widgets-error-widget").count() == 0  # every widget rendered
    page.locator("button.aaw-create").click()
    page.wait_for_selector("text=/job .* IN_PROGRESS/", timeout=20_000)
    page.screenshot(path=str(SHOTS / "editor-created.png"), full_page=True)
    page.get_by_role("tab", name="Jobs").click()
    page.wait_for_selector(".aaw-monitor .aaw-badge:has-text('COMPLETED')", timeout=30_000)
    table = page.locator(".aaw-monitor .aaw-jobs").inner_text()
    assert "d4demonew" in table and "CreateBackendAuth" in table
    page.screenshot(path=str(SHOTS / "monitor-completed.png"), full_page=True)


def test_a_mistake_is_shown_beside_its_field_and_blocks_sending(page):
    page.locator(".aaw-editor select").nth(0).select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    fill(page, "AppId", "My App")
    fill(page, "BackendEnvironmentName", "dev")
    fill(page, "ResourceName", "auth")
    message = page.locator(".aaw-field .aaw-findings", has_text="is not an Amplify app id")
    message.first.wait_for(timeout=20_000)
    page.wait_for_selector(".aaw-problems:has-text('1 problem')", timeout=20_000)
    expect(page.locator("button.aaw-create")).to_be_disabled()
    page.screenshot(path=str(SHOTS / "editor-error.png"), full_page=True)
    assert "Traceback" not in page.content()


def test_secrets_stay_out_of_the_page(page):
    page.locator(".aaw-editor select").nth(0).select_option(
        label="Social sign-in (Google, Facebook) with hosted UI"
    )
    page.get_by_role("button", name="Apply preset").click()
    page.get_by_role("tab", name="YAML").click()
    page.wait_for_function(
        "document.querySelector('.aaw-yaml textarea').value.includes('SocialProviderSettings')"
    )
    yaml_text = page.locator(".aaw-yaml textarea").input_value()
    assert "<redacted>" in yaml_text and "REPLACE-ME" not in yaml_text
