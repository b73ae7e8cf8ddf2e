"""Secret safety as a property: a planted secret never comes out of any output path.

Every secret member of the model (each social provider's ClientSecret, Apple's PrivateKey) gets
a value of its own, spelled as the member (``ClientSecret``) or as on the wire
(``client_secret``), well shaped (a string) or not (a list, an object, a number). Each output
path is then driven with that request: the CLI's findings, every ``--output``, ``--query`` over
every member of the response, ``--debug``, the ``aws`` command line; the history's tables,
frames, CSV and Parquet exports and its SQLite file; the app's editor (its JSON, YAML and CLI
tabs and its download), its job monitor and every other widget the app puts on the page; and
the page `amplify-auth app` renders in headless Chromium, with each planted request pasted into
the editor and an Update of stored secrets with new ones driven up to its review. The test fails
on any occurrence of any planted value, also inside base64 download links. Only the secret
inputs themselves (the password box where the user types the secret) may hold one.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import aws_env, every_secret, get_at
from support.browser import AppServer, chromium_page, needs_chromium

from amplify_auth_widgets import ApiError, BackendAuthService, JobHistory, ValidationFailed
from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.cli.output import OUTPUT_FORMATS
from amplify_auth_widgets.core.model import response_spec, service_model
from amplify_auth_widgets.core.skeleton import command_line
from amplify_auth_widgets.core.validation import validate
from amplify_auth_widgets.emulator import Emulator

SHAPES = ("string", "list", "dict", "number")
SPELLINGS = ("member", "wire")
OUTPUTS = ("findings", "cli", "history", "app")
SOCIAL = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings"


@pytest.fixture(scope="module")
def quick():
    with Emulator(job_seconds=0, seed=5) as emu:
        yield emu


# -- the planted request -------------------------------------------------------------------


def _wire_name(provider: str, member: str) -> str:
    shape = service_model().shape_for("SocialProviderSettings").members[provider]
    return shape.members[member].serialization.get("name", member)


def planted(
    shape: str, spelling: str, tag: str = "", **target: Any
) -> tuple[dict[str, Any], list[str]]:
    """A request with every secret planted in ``shape`` and ``spelling``, and the texts that
    must never come out (each value's own text, ``tag`` added to tell sets apart)."""
    request, secrets = every_secret(**target)
    needles = []
    for i, (path, text) in enumerate(sorted(secrets.items())):
        text = f"{text}{shape[:2]}{spelling[:2]}{tag}"
        value: Any = {
            "string": text,
            "list": [text],
            "dict": {"Value": text},
            "number": 7351924680 + 1000 * i + 10 * SHAPES.index(shape) + SPELLINGS.index(spelling),
        }[shape]
        needles.append(str(value) if shape == "number" else text)
        provider, member = path.split(".")[-2:]
        settings = get_at(request, SOCIAL)
        settings[provider][member] = value
        if spelling == "wire":  # the provider as it travels: every member in its wire name
            settings[provider] = {_wire_name(provider, k): v for k, v in settings[provider].items()}
    return request, needles


def revealed(text: str, needles: list[str]) -> list[str]:
    """The needles in ``text``, or in anything base64-encoded in it (download links)."""
    found = [n for n in needles if n in text]
    for blob in re.findall(r"base64,([A-Za-z0-9+/=]+)", text):
        # (a page's fonts and images are base64 too, not all of them padded)
        decoded = base64.b64decode(blob + "=" * (-len(blob) % 4)).decode("utf-8", "replace")
        found += [n for n in needles if n in decoded and n not in found]
    return found


# -- the output paths ----------------------------------------------------------------------


Texts = list[tuple[str, str]]  # (where it came out, what came out)


def run_cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


def cli_text(*argv: str) -> tuple[str, str]:
    return " ".join(a if len(a) < 40 else "..." for a in argv), run_cli(*argv)[1]


def through_findings(request: dict[str, Any], tmp_path: Path, quick: Emulator) -> Texts:
    """The validator's messages, the CLI's `validate` and --validate-only, the refusal."""
    texts = [(f"finding {f.path} {f.code}", f.message) for f in validate(request)]
    json_file, yaml_file = tmp_path / "request.json", tmp_path / "request.yaml"
    json_file.write_text(json.dumps(request))
    import yaml

    yaml_file.write_text(yaml.safe_dump(request))
    texts.append(cli_text("validate", str(json_file), str(yaml_file), "--color", "off"))
    for option, path in (("--cli-input-json", json_file), ("--cli-input-yaml", yaml_file)):
        texts.append(
            cli_text("create-backend-auth", option, f"file://{path}", "--validate-only", "--debug")
        )
    try:
        BackendAuthService(quick.connection()).create_backend_auth(request)
    except ValidationFailed as exc:
        texts.append(("ValidationFailed", str(exc)))
    texts.append(("command_line()", command_line(request)))
    return texts


def through_cli(request: dict[str, Any], tmp_path: Path, quick: Emulator) -> Texts:
    """Every --output of a create and a get, with --debug, and --query over every member."""
    texts = []
    app_id = request["AppId"]
    for fmt in OUTPUT_FORMATS:
        quick.store.put_environment(app_id, fmt, {}, quick.clock())
        path = tmp_path / f"{fmt}.json"
        path.write_text(json.dumps({**request, "BackendEnvironmentName": fmt}))
        texts.append(
            cli_text(
                "create-backend-auth",
                *("--cli-input-json", f"file://{path}", "--no-validate", "--debug"),
                *("--output", fmt),
            )
        )
    target = ["--app-id", app_id, "--backend-environment-name", "json"]
    get = ["get-backend-auth", *target, "--resource-name", "mainauth"]
    for fmt in OUTPUT_FORMATS:
        texts.append(cli_text(*get, "--output", fmt, "--debug"))
    if run_cli(*get)[0] == 0:  # something was stored: query every member of it
        members = [s.path for s in response_spec("GetBackendAuth").walk() if s.path]
        for member in ["@", *members]:
            texts.append(cli_text(*get, "--query", member, "--output", "text"))
    texts.append(cli_text("list-backend-jobs", *target, "--output", "table", "--debug"))
    return texts


def through_history(request: dict[str, Any], tmp_path: Path, quick: Emulator) -> Texts:
    """The history of a forced submission: its tables, frames, exports and file."""
    from amplify_auth_widgets import JobTracker

    path = tmp_path / "history.sqlite3"
    history = JobHistory(path)
    service = BackendAuthService(
        quick.connection(), on_call=history.record_call, sleep=lambda s: None
    )
    texts = []
    tracker = JobTracker(service, history)
    try:
        tracker.track_response(service.create_backend_auth(request, force=True))
        tracker.run_until_done(sleep=lambda s: None, timeout=60)
    except ApiError as exc:
        texts.append(("ApiError", str(exc)))
    frames = {"jobs": history.jobs, "requests": history.requests, "events": history.events}
    for name, frame in frames.items():
        texts.append((f"{name} frame", frame().to_csv()))
        csv = history.export(tmp_path / f"{name}.csv", table=name)
        texts.append((f"{name} CSV", csv.read_text()))
        parquet = history.export(tmp_path / f"{name}.parquet", table=name)
        texts.append((f"{name} Parquet", pd.read_parquet(parquet).to_csv()))
    texts.append(("summary", history.summary().to_csv()))
    history.close()
    for file in tmp_path.glob("history.sqlite3*"):  # the file itself, pages and journal
        texts.append((file.name, file.read_bytes().decode("utf-8", "replace")))
    return texts


def _new_widgets(since: set[str]) -> list[Any]:
    from ipywidgets.widgets.widget import _instances

    return [w for model_id, w in list(_instances.items()) if model_id not in since]


def _widget_states(since: set[str], secret_inputs: set[str]) -> Texts:
    return [
        (
            type(w).__name__ + str(getattr(w, "_dom_classes", ())),
            json.dumps(w.get_state(), default=str),
        )
        for w in _new_widgets(since)
        if w.model_id not in secret_inputs
    ]


def through_app(request: dict[str, Any], tmp_path: Path, quick: Emulator) -> Texts:
    """The app's page as its widgets' state: the editor with every tab shown and a download
    prepared, a submission, the monitor's table."""
    from ipywidgets.widgets.widget import _instances

    from amplify_auth_widgets.widgets.app import AuthApp

    before = set(_instances)
    history = JobHistory(":memory:")
    app = AuthApp(BackendAuthService(quick.connection()), history=history, autostart=False)
    editor = app.editor
    for section in editor.sections:  # every part of the form on the page
        section.build()
    editor.value = copy.deepcopy(request)
    for index in range(len(editor.tabs.children)):
        editor.tabs.selected_index = index
    for button in _new_widgets(before):  # as a person would: by the button's label
        if getattr(button, "description", None) == "Prepare download":
            button.click()
    if editor.create():
        editor.join()
    app.monitor.refresh(poll=True)
    for index in range(len(app.tabs.children)):
        app.tabs.selected_index = index
    secret_inputs = set()
    for path in _secret_paths():  # where the user types a secret, masked
        field = editor.field(path)
        secret_inputs |= {field.hidden.model_id, field.shown.model_id}
    texts = _widget_states(before, secret_inputs)
    texts += [("requests", history.requests().to_csv()), ("jobs", history.jobs().to_csv())]
    app.monitor.stop()
    history.close()
    return texts


def _secret_paths() -> list[str]:
    from amplify_auth_widgets.core.model import secret_paths

    return sorted(secret_paths("CreateBackendAuth"))


PATHS = {
    "findings": through_findings,
    "cli": through_cli,
    "history": through_history,
    "app": through_app,
}


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("shape", SHAPES)
def test_planted_secrets_never_come_out(quick, tmp_path, monkeypatch, shape, spelling, output):
    for name, value in aws_env(quick.url).items():
        monkeypatch.setenv(name, value)
    app_id = quick.create_app(f"secrets-{shape}-{spelling}-{output}", ("dev", "json"))
    request, needles = planted(shape, spelling, AppId=app_id, BackendEnvironmentName="dev")
    assert len(needles) == len(_secret_paths()) == 4
    leaks = []
    for where, text in PATHS[output](request, tmp_path, quick):
        for needle in revealed(text, needles):
            at = text.find(needle)
            context = text[max(at - 120, 0) : at + len(needle) + 20] if at >= 0 else "(base64)"
            leaks.append(f"{where}: ...{context}...")
    assert not leaks, "planted secrets came out:\n" + "\n".join(leaks)


# -- the rendered app page, in headless Chromium -------------------------------------------

#: The page's text as a person or a script could read it: the HTML (download links included),
#: what is shown, and every form control's value but the secret inputs' (where the user types
#: a secret, masked).
PAGE_TEXT = """() => {
  const secretInput = e => e.closest('[class*="-ClientSecret"], [class*="-PrivateKey"]');
  const values = [...document.querySelectorAll('input, textarea, select')]
    .filter(e => !secretInput(e)).map(e => e.value);
  return [document.documentElement.outerHTML, document.body.innerText, ...values].join('\\n');
}"""


def page_leaks(page: Any, needles: list[str], where: str, settle: float = 10) -> list[str]:
    """The needles the page shows, once it has settled: a tab's field widgets are rendered one
    by one, and on a loaded machine a secret field's inputs can exist for a moment before the
    box that marks them secret is in the page. A secret shown where it should not be stays
    shown; only what is still there after ``settle`` seconds counts."""
    import time

    deadline = time.monotonic() + settle
    while True:
        text = page.evaluate(PAGE_TEXT)
        found = [f"{where}: {needle}" for needle in revealed(text, needles)]
        if not found or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(250)


def paste_json(page: Any, request: dict[str, Any]) -> None:
    """Paste ``request`` into the editor's JSON tab, as a user would, and wait until the
    editor has taken it (it writes the tab again, redacted)."""
    page.get_by_role("tab", name="JSON").click()
    box = page.locator(".aaw-json textarea")
    text = json.dumps(request, indent=1)
    box.fill(text)
    box.blur()
    page.wait_for_function(
        "t => document.querySelector('.aaw-json textarea').value !== t", arg=text, timeout=30_000
    )


@pytest.fixture
def app_page(tmp_path):
    """The app as a user runs it (`amplify-auth app`, its emulator's jobs instant) and a page
    on it; the app is stopped with SIGTERM and nothing it started may outlive it."""
    app = AppServer(tmp_path)
    try:
        with chromium_page() as page:
            page.goto(app.url)
            page.wait_for_selector(".aaw-editor", timeout=60_000)
            app.watch()  # Voila, and the kernel of this page
            yield page
    finally:
        app.watch()  # and what else it runs by now
        app.stop()


@needs_chromium
def test_planted_secrets_never_reach_the_app_page(app_page):
    """Every planted shape and spelling pasted into the editor, then an Update of a stored
    configuration with new secrets up to its review: the page's text holds none of them."""
    page, target = app_page, {"AppId": "d4demonew", "BackendEnvironmentName": "dev"}
    leaks = []
    for shape in SHAPES:
        for spelling in SPELLINGS:
            request, needles = planted(shape, spelling, **target)
            paste_json(page, request)
            for tab in ("Form", "JSON", "YAML", "AWS CLI", "Gen 2"):  # each written when shown
                page.get_by_role("tab", name=tab).click()
                leaks += page_leaks(page, needles, f"{shape} {spelling} {tab} tab")
    # a stored configuration with secrets (A), loaded into the Update form, its secrets
    # replaced by new ones (B) as a user types them, and the review of what changes
    request, stored = planted("string", "member", "A", **target)
    paste_json(page, request)
    page.locator("button.aaw-create").click()
    page.wait_for_selector(".aaw-job-status:has-text('COMPLETED')", timeout=60_000)
    page.locator(".aaw-mode button", has_text="Update existing").click()
    page.locator("button.aaw-load").click()
    page.wait_for_selector(".aaw-editor :text('Loaded the current configuration')")
    page.get_by_role("tab", name="Form").click()
    section = page.locator(".aaw-section-social")
    section.get_by_text("Social sign-in").first.click()
    typed = planted("string", "member", "B", **target)[1]
    secret_inputs = section.locator(
        "[class*='-ClientSecret'] input[type=password], [class*='-PrivateKey'] input[type=password]"
    )
    expect(secret_inputs).to_have_count(len(typed), timeout=20_000)
    for box, value in zip(secret_inputs.all(), typed, strict=True):
        box.fill(value)
        box.press("Enter")
    page.locator("button.aaw-update").click()
    review = page.locator(".aaw-confirm-box")
    review.wait_for(timeout=30_000)
    leaks += page_leaks(page, stored + typed, "Update review")
    assert not leaks, "planted secrets reached the page:\n" + "\n".join(leaks)
    # the review was of those secrets: each said to change, none quoted
    assert review.inner_text().count("changed (secret)") == len(typed), review.inner_text()


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)
