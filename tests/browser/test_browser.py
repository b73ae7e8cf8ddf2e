"""User journeys through the Voila app in headless Chromium (Debian's, driven by Playwright),
and the lifecycle of ``amplify-auth app``: SIGTERM leaves nothing behind, a busy port is said.

Screenshots of the key states go to ``tests/artifacts/screenshots`` (git-ignored; set
``AAW_SCREENSHOTS`` to put them elsewhere)."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request

import pytest
from support.browser import (
    ROOT,
    app_command,
    bad_console,
    chromium_page,
    cmdline,
    columns,
    cut_texts,
    fill,
    free_port,
    jupyter_env,
    kernels_of,
    leftovers,
    needs_chromium,
    page_fixture,
    port_open,
    served_app,
    shot,
    start,
    stop,
    wait_for_http,
)
from support.installs import editable_env

from amplify_auth_widgets.app.serve import descendants

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium
#: Lines of the app's own log (Voila's stderr goes there) that mean a broken or
#: ill-assembled app, as ``BAD_CONSOLE`` does for the page.
BAD_LOG = re.compile(r"not trusted|Traceback|Unsatisfied version|No satisfying version|ERROR")
#: What tornado logs when a test closes its page while Voila still writes to the page's
#: websocket: a write to a closed connection, not a fault of the app (its lines only).
#: And what a kernel logs when its page leaves while it still works (the page's unload request
#: shuts it down, interrupting it first): the kernel freed, as it should be.
CLOSED_PAGE = re.compile(
    r"Task exception was never retrieved\n(?:(?!\[(?:App)?Voila\]).)*?"
    r"^tornado\.websocket\.WebSocketClosedError$"
    r"|^\[IPKernelApp\] ERROR \| KeyboardInterrupt caught in kernel\.$",
    re.S | re.M,
)


#: The page's title, from the notebook's metadata (Voila's lab templates show it).
TITLE = "Amplify backend auth"
#: Which theme the page shows: the body's JupyterLab flag, and the relative luminance (0 to 1)
#: of the background the page shows, the theme's --jp-layout-color0.
THEME = """() => {
  const css = getComputedStyle(document.body);
  const [r, g, b] = css.backgroundColor.match(/\\d+/g).slice(0, 3).map(Number).map(c => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return [document.body.dataset.jpThemeLight, 0.2126 * r + 0.7152 * g + 0.0722 * b];
}"""
#: What Voila's stock lab template asks of a public CDN (the app's own template does not).
STOCK_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free"


APPLE_KEY = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.SignInWithApple.PrivateKey"


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """The app as a user runs it; stopped with SIGTERM, and nothing of it may outlive that."""
    with served_app(tmp_path_factory.mktemp("app"), watch=True) as app:
        yield app.url
    assert not port_open(app.port), "something still serves the app's port"
    text = app.log.read_text()
    assert "Kernel started" in text  # the log is Voila's (its stderr goes there)
    assert BAD_LOG.findall(CLOSED_PAGE.sub("", text)) == [], text


page = page_fixture()


def apply_preset(page, label: str) -> None:
    page.locator(".aaw-editor select").nth(0).select_option(label=label)
    page.get_by_role("button", name="Apply preset").click()


def test_the_untouched_form_shows_no_error(page):
    page.wait_for_selector(".aaw-problems:has-text('to complete before sending')")
    assert "problem" not in page.inner_text(".aaw-problems")
    findings = page.locator(".aaw-field .aaw-findings")
    assert all(not text.strip() for text in findings.all_inner_texts())
    assert page.locator(".jupyter-widgets-error-widget").count() == 0
    assert "embedded emulator" in page.inner_text(".aaw-app")
    shot(page, "untouched-form")


def test_target_dropdowns_list_the_demo_apps(page):
    options = page.locator(".aaw-target-app datalist option")
    expect(options).to_have_count(4, timeout=20_000)
    values = sorted(options.evaluate_all("os => os.map(o => o.value)"))
    assert values == [  # each app by its name and id; choosing one puts the id in the box
        "legacy-admin (d3demoadmin)",
        "new-project (d4demonew)",
        "shop-mobile (d2demoshop)",
        "todo-web (d1demotodo)",
    ]
    fill(page, "AppId", "todo-web (d1demotodo)")
    expect(page.locator(".aaw-editor .aaw-at-AppId input").first).to_have_value("d1demotodo")
    envs = page.locator(".aaw-target-env datalist option")
    expect(envs).to_have_count(2, timeout=20_000)
    assert sorted(envs.evaluate_all("os => os.map(o => o.value)")) == ["dev", "prod"]
    shot(page, "target-listed")


def test_add_and_remove_a_social_provider_card(page):
    apply_preset(page, "Social sign-in (Google, Facebook) with hosted UI")
    section = page.locator(".aaw-section-social")
    section.get_by_text("Social sign-in").first.click()
    cards = section.locator(".aaw-provider-card:visible")
    expect(cards).to_have_count(2, timeout=20_000)
    section.locator(".aaw-provider-Facebook .aaw-provider-remove").click()
    expect(cards).to_have_count(1)
    expect(section.locator(".aaw-provider-Facebook")).to_be_hidden()
    pick = section.locator(".aaw-provider-pick select")
    labels = pick.locator("option").all_inner_texts()
    pick.select_option(label=next(label for label in labels if "Apple" in label))
    section.locator(".aaw-provider-add").click()
    expect(section.locator(".aaw-provider-SignInWithApple:visible")).to_have_count(1)
    expect(cards).to_have_count(2)
    shot(page, "provider-cards")


def test_compose_from_a_preset_create_watch_the_job_and_report(page):
    apply_preset(page, "Email sign-in (defaults)")
    fill(page, "AppId", "d4demonew")
    fill(page, "BackendEnvironmentName", "dev")
    fill(page, "ResourceName", "newauth")
    page.wait_for_selector(".aaw-problems:has-text('Ready to send')", timeout=20_000)
    assert page.locator(".jupyter-widgets-error-widget").count() == 0  # every widget rendered
    page.locator("button.aaw-create").click()
    # the action bar follows the job to its end (the monitor tells the editor)
    page.wait_for_selector(".aaw-job-status:has-text('COMPLETED')", timeout=30_000)
    expect(page.locator(".aaw-status")).to_contain_text("COMPLETED")  # not left IN_PROGRESS
    shot(page, "editor-job-completed")
    page.get_by_role("tab", name="Jobs").click()
    page.wait_for_selector(".aaw-monitor .aaw-badge:has-text('COMPLETED')", timeout=30_000)
    table = page.locator(".aaw-monitor .aaw-jobs").inner_text()
    assert "d4demonew" in table and "CreateBackendAuth" in table
    label = page.locator(".aaw-monitor .widget-label", has_text="Environment").first
    assert label.inner_text() == "Environment"  # in full, not cut to "environm…"
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth")
    shot(page, "monitor-completed")
    page.get_by_role("tab", name="Reports").click()
    page.wait_for_selector(".aaw-reports .aaw-summary-table", timeout=30_000)
    assert "Success rate" in page.inner_text(".aaw-reports")
    expect(page.locator(".aaw-reports img:visible")).to_have_count(2, timeout=30_000)
    shot(page, "reports")


def test_a_mistake_is_counted_in_the_sticky_bar_and_blocks_sending(page):
    apply_preset(page, "Email sign-in (defaults)")
    fill(page, "AppId", "My App")
    fill(page, "BackendEnvironmentName", "dev")
    fill(page, "ResourceName", "auth")
    message = page.locator(".aaw-field .aaw-findings", has_text="is not an Amplify app id")
    message.first.wait_for(timeout=20_000)
    page.wait_for_selector(".aaw-problems:has-text('1 problem')", timeout=20_000)
    expect(page.locator("button.aaw-create")).to_be_disabled()
    # the bar (and its count) stays in view when the form is scrolled far down
    page.set_viewport_size({"width": 1000, "height": 700})
    page.mouse.move(500, 400)
    page.mouse.wheel(0, 3000)
    page.wait_for_function("() => [...document.querySelectorAll('*')].some(e => e.scrollTop > 200)")
    box = page.locator(".aaw-actionbar").bounding_box()
    assert box is not None and 0 <= box["y"] < 100, box
    expect(page.locator(".aaw-problems")).to_be_in_viewport()
    shot(page, "editor-error")
    assert "Traceback" not in page.content()


def open_every_section(page) -> None:
    """Open each closed section of the form and wait until the kernel has built them all."""
    for section in page.locator(".aaw-section").all():
        if "aaw-fold-open" not in (section.get_attribute("class") or ""):
            section.locator(".aaw-disclosure-button").first.click()
    page.wait_for_function(
        "[...document.querySelectorAll('.aaw-section')].every(s => s.querySelector('.aaw-field'))",
        timeout=30_000,
    )


@pytest.mark.parametrize("width", [800, 1600])
def test_no_text_is_cut_and_the_form_uses_two_columns(app_server, width):
    with chromium_page(width=width, height=1000) as page:
        page.goto(app_server)
        page.wait_for_selector(".aaw-editor", timeout=60_000)
        apply_preset(page, "Social sign-in (Google, Facebook) with hosted UI")
        open_every_section(page)
        page.wait_for_selector(".aaw-provider-Google:visible", timeout=20_000)
        assert cut_texts(page, ".aaw-app") == []
        for section in ("target", "sign-in", "password"):
            assert columns(page, f".aaw-section-{section} .aaw-field:not(.aaw-wide)") >= 2, section
        # choices in words; the API's values are for the JSON/YAML/CLI tabs
        tags = [t.strip() for t in page.locator(".aaw-editor .aaw-tag > span").all_inner_texts()]
        assert "OpenID" in tags and not [t for t in tags if re.fullmatch(r"[A-Z_]+", t)], tags
        shot(page, f"layout-{width}")
        for tab in ("JSON", "YAML", "AWS CLI", "Gen 2", "Jobs", "Reports", "Fleet"):
            page.get_by_role("tab", name=tab).click()
            page.wait_for_selector(".lm-TabBar-tab.lm-mod-current >> text=" + tab)
            expect(
                page.locator(".jupyter-widget-TabPanel-tabContents:visible").last
            ).not_to_be_empty()
            assert cut_texts(page, ".aaw-app") == [], tab
        assert bad_console(page) == []


def open_section(page, key: str) -> None:
    section = page.locator(f".aaw-section-{key}")
    if "aaw-fold-open" not in (section.get_attribute("class") or ""):
        section.locator(".aaw-disclosure-button").first.click()
    section.locator(".aaw-field").first.wait_for(timeout=20_000)


def test_typed_values_stay_and_a_pem_key_is_offered_its_fix(page):
    apply_preset(page, "Social sign-in (Google, Facebook) with hosted UI")
    open_section(page, "password")
    length = page.locator(".aaw-at-ResourceConfig-UserPoolConfigs-PasswordPolicy-MinimumLength")
    length.locator("input").fill("3")
    length.locator("input").press("Enter")
    expect(length.locator(".aaw-findings")).to_contain_text("6", timeout=20_000)
    expect(length.locator("input")).to_have_value("3")  # kept as typed, never made 6
    # an Apple key pasted with its PEM lines (a one-line box joins them): the fix is offered
    open_section(page, "social")
    social = page.locator(".aaw-section-social")
    pick = social.locator(".aaw-provider-pick select")
    labels = pick.locator("option").all_inner_texts()
    pick.select_option(label=next(label for label in labels if "Apple" in label))
    social.locator(".aaw-provider-add").click()
    key = social.locator(".aaw-at-" + "-".join(APPLE_KEY.split(".")))
    key.locator("input[type=password]").fill(
        "-----BEGIN PRIVATE KEY-----MIGTAgEA BggqhkjO-----END PRIVATE KEY-----"
    )
    key.locator("input[type=password]").press("Enter")
    fix = key.locator("button.aaw-fix")
    expect(fix).to_have_text(re.compile("Remove the BEGIN/END lines"), timeout=20_000)
    fix.click()
    expect(key.locator("input[type=password]")).to_have_value("MIGTAgEABggqhkjO")
    expect(fix).to_be_hidden()
    shot(page, "typed-values-kept")


def test_the_cli_tab_gives_a_command_to_paste_and_copy(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    apply_preset(page, "Social sign-in (Google, Facebook) with hosted UI")
    fill(page, "AppId", "d4demonew")
    page.get_by_role("tab", name="AWS CLI").click()
    command = page.locator(".aaw-cli-command pre")
    expect(command).to_contain_text("--endpoint-url http://127.0.0.1:", timeout=20_000)
    text = command.inner_text()
    assert '"$GOOGLE_CLIENT_SECRET"' in text and "<redacted>" not in text
    assert command.evaluate("e => getComputedStyle(e).fontFamily").lower().count("mono")
    page.locator(".aaw-cli-copy").click()
    expect(page.locator(".aaw-cli-copy")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == text
    shot(page, "cli-tab")


def test_an_update_says_in_words_what_it_cannot_do(page):
    page.locator(".aaw-mode button", has_text="Update existing").click()
    expect(page.locator("button.aaw-update")).to_be_visible(timeout=20_000)
    fill(page, "AppId", "d2demoshop")
    fill(page, "BackendEnvironmentName", "staging")
    fill(page, "ResourceName", "shopmobileauth")
    load = page.locator("button.aaw-load")
    expect(load).to_be_enabled(timeout=20_000)
    load.click()
    expect(page.locator(".aaw-status")).to_contain_text("Loaded", timeout=20_000)
    open_section(page, "social")
    google = page.locator(".aaw-section-social .aaw-provider-Google")
    expect(google).to_be_visible()
    google.locator(".aaw-provider-remove").click()
    expect(google).to_be_hidden()
    page.locator("button.aaw-update").click()
    review = page.locator(".aaw-confirm-box")
    expect(review).to_contain_text("an update cannot remove a social provider", timeout=20_000)
    assert "no change" not in review.inner_text().lower()
    shot(page, "update-review")
    page.locator("button.aaw-cancel").click()
    expect(review).to_be_hidden()


def test_secrets_stay_out_of_the_page(page):
    apply_preset(page, "Social sign-in (Google, Facebook) with hosted UI")
    page.get_by_role("tab", name="YAML").click()
    page.wait_for_function(
        "document.querySelector('.aaw-yaml textarea').value.includes('SocialProviderSettings')"
    )
    yaml_text = page.locator(".aaw-yaml textarea").input_value()
    assert "<redacted>" in yaml_text and "REPLACE-ME" not in yaml_text


def test_the_page_is_titled_and_dark_when_its_url_asks(app_server):
    """Light by default; ``?voila-theme=dark`` (as Voila's ``?theme=dark``) gives JupyterLab's
    dark theme, which the widgets' colours follow."""
    for query, light in (("", "true"), ("&voila-theme=dark", "false")):
        with chromium_page() as page:
            page.goto(app_server + query)
            page.wait_for_selector(".aaw-editor", timeout=120_000)
            assert page.title() == TITLE
            flag, luminance = page.evaluate(THEME)
            assert flag == light
            assert luminance > 0.9 if light == "true" else luminance < 0.05
            assert bad_console(page) == []


def test_an_editable_install_renders_the_app_with_voila_s_stock_template(tmp_path):
    """A contributor's ``pip install -e .`` leaves the app's template out of Jupyter's paths:
    ``voila notebooks/app.ipynb`` renders with Voila's stock lab template instead (its
    Font Awesome links to a public CDN, blocked here, show which template it is)."""
    venv = editable_env(tmp_path)
    port = free_port()
    log = tmp_path / "voila.log"
    command = [str(venv / "bin" / "python"), "-m", "voila", "notebooks/app.ipynb"]
    voila = start(
        [*command, "--no-browser", f"--port={port}"], log, env=jupyter_env(tmp_path), cwd=ROOT
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for_http(url, voila, log)
        with chromium_page(allowed=(STOCK_CDN,)) as page:
            page.goto(url)
            page.wait_for_selector(".aaw-editor .aaw-at-AppId input", timeout=150_000)
            assert page.title() == TITLE
            assert page.outside and all(u.startswith(STOCK_CDN) for u in page.outside)
            assert page.locator(".jupyter-widgets-error-widget").count() == 0
    finally:
        stop(voila)
    text = log.read_text()
    assert "TemplateNotFound" not in text and "Traceback" not in text, text


def test_sigterm_stops_everything_and_a_busy_port_is_said(tmp_path):
    env = jupyter_env(tmp_path)
    first = subprocess.Popen(
        app_command(0, "--preheat", "1", "--base-url", "services/aaw"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        line = first.stdout.readline()  # the URL it serves: port 0 means any free one
        match = re.search(r"http://127\.0\.0\.1:(\d+)/services/aaw/\?token=\S+", line)
        assert match, line
        port = int(match.group(1))
        wait_for_http(match.group(0), first, tmp_path / "none")
        # without the token: the login form, under the base URL too
        login = f"http://127.0.0.1:{port}/services/aaw/"
        with urllib.request.urlopen(login, timeout=30) as answer:
            assert answer.url.startswith(f"{login}login") and b"password" in answer.read()
        # a second app on the same port fails at once, saying which port and what to do
        second = subprocess.run(
            app_command(port), capture_output=True, text=True, env=env, timeout=60
        )
        assert second.returncode == 253  # EXIT_CONFIG, as the emulator on a busy port
        assert f"port {port} on 127.0.0.1 is in use" in second.stderr
        assert "--port 0" in second.stderr and "http://" not in second.stdout
        children = descendants(first.pid)
        assert len(children) >= 2  # Voila and its preheated kernel
    finally:
        code = stop(first)
    assert code == 0
    assert leftovers(children) == []
    assert not port_open(port)


def test_the_app_command_needs_no_test_extras():
    # `make app` installs the package alone: nothing the app imports may come from [test]
    script = (
        "import sys, amplify_auth_widgets as a\n"
        "a.AuthApp\n"
        "from amplify_auth_widgets.app import serve\n"
        "bad = [m for m in ('pytest', 'playwright', 'hypothesis', 'awscli') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


@pytest.mark.timeout(300)  # a kernel started for the page, and the culler's wait
def test_the_kernel_of_a_closed_page_is_culled(tmp_path):
    """A visit leaves no kernel behind: once its page is closed and the kernel has been idle
    for --cull-idle seconds, Voila's culler shuts it down (the app keeps serving). The app
    runs with --theme dark: its page is dark."""
    import time

    with served_app(tmp_path, "--preheat", "0", "--cull-idle", "2", "--theme", "dark") as served:
        app, port, log = served.process, served.port, served.log
        # (that first GET was a page load too: it rendered the notebook in a kernel of its own)
        with chromium_page() as page:
            page.goto(served.url)
            # no kernel is preheated: this page waits for one to start and run the notebook
            page.wait_for_selector(".aaw-editor", timeout=150_000)
            assert page.evaluate(THEME)[0] == "false"  # --theme dark
            visited = set(kernels_of(app.pid))
            assert visited, "the page ran no kernel"
        # the culler looks every second; allow it generous time on a loaded machine
        deadline = time.monotonic() + 90
        while kernels_of(app.pid) and time.monotonic() < deadline:
            time.sleep(0.25)
        assert [cmdline(k) for k in kernels_of(app.pid)] == [], log.read_text()
        assert app.poll() is None and port_open(port)  # the app itself serves on
