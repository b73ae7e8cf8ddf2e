"""Secret safety as a property: a planted secret never comes out of any output path.

Every secret member of the model (each social provider's ClientSecret, Apple's PrivateKey) gets
a value of its own, spelled as the member (``ClientSecret``) or as on the wire
(``client_secret``), well shaped (a string) or not (a list, an object, a number). Each output
path is then driven with that request: the CLI's findings, every ``--output``, ``--query`` over
every member of the response, ``--debug``, the ``aws`` command line; the history's tables,
frames, CSV and Parquet exports and its SQLite file; the app's editor (its JSON, YAML and CLI
tabs and its download), its job monitor and every other widget the app puts on the page. The
test fails on any occurrence of any planted value, also inside base64 download links. Only the
secret inputs themselves (the password box where the user types the secret) may hold one.
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

from amplify_auth_widgets import ApiError, BackendAuthService, JobHistory, ValidationFailed
from amplify_auth_widgets.cli import main
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.model import response_spec, service_model
from amplify_auth_widgets.output import OUTPUT_FORMATS
from amplify_auth_widgets.skeleton import command_line
from amplify_auth_widgets.validation import validate

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


def planted(shape: str, spelling: str, **target: Any) -> tuple[dict[str, Any], list[str]]:
    """A request with every secret planted in ``shape`` and ``spelling``, and the texts that
    must never come out (each value's own text)."""
    request, secrets = every_secret(**target)
    needles = []
    for i, (path, text) in enumerate(sorted(secrets.items())):
        text = f"{text}{shape[:2]}{spelling[:2]}"
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
        decoded = base64.b64decode(blob).decode("utf-8", "replace")
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
    from amplify_auth_widgets.model import secret_paths

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
