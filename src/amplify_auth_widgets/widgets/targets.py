"""The target: apps and environments to pick from, listed on the editor's connection.

``TargetPicker`` fills the App ID and Environment comboboxes from ``ListApps`` and
``ListBackendEnvironments`` (typing an ID stays possible), and offers a resource name: the auth
resource the environment already has (from ``GetBackend``), or one made from the app's name.
A suggestion is an option and a placeholder, never a value the user did not choose. Listing
runs in the background; a listing that fails says so under App ID, in words.

The targets are comboboxes (text with a list), not dropdowns: an ID must stay typeable when
the connection cannot list apps (no ``amplify:ListApps`` permission, another account's app),
and a dropdown with an "other..." entry would add a second control, and a second tab stop, to
each. So that they read as choosers, each shows a dropdown arrow at all times (the action
bar's ``STYLE``) and says "Choose or type ..." while empty. An app is offered as "name (id)"; the
field's value is the ID alone. ``existing`` names the auth resources the chosen environment
already has, which the editor reads to say that Create would be refused there.

CSS classes: ``aaw-target-app``, ``aaw-target-env``, ``aaw-target-resource`` (the comboboxes,
with ``aaw-at-AppId`` and so on on their fields), ``aaw-target-hint`` (the line under App ID).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets as t

from ..client.service import ApiError, collect_pages
from .fields import MISSING, TextField, full_width
from .html import muted_html, warning_html

TARGET_CLASSES = {
    "AppId": "aaw-target-app",
    "BackendEnvironmentName": "aaw-target-env",
    "ResourceName": "aaw-target-resource",
}


#: What an empty target combobox says, by path.
PLACEHOLDERS = {
    "AppId": "Choose or type an app ID",
    "BackendEnvironmentName": "Choose or type an environment",
    "ResourceName": "Choose or type a resource name",
}


def app_option(app_id: str, name: str) -> str:
    """How an app is offered: "name (id)", or the ID alone when the app has no name."""
    return f"{name} ({app_id})" if name else app_id


class ComboField(TextField):
    """Text with suggestions: a combobox whose options are hints, not limits.

    ``choices`` maps an option's text to the value it stands for ("todo (d1abc)" -> "d1abc"):
    choosing it puts the value in the box, so the request holds the ID."""

    def make_control(self) -> w.Widget:
        self.choices: dict[str, str] = {}
        control = w.Combobox(
            ensure_option=False,
            layout=full_width(),
            placeholder=PLACEHOLDERS.get(self.spec.path, ""),
        )
        control.add_class(TARGET_CLASSES.get(self.spec.path, "aaw-combo"))
        control.add_class("aaw-combo-chooser")
        return control

    def _on_control(self, change: Any) -> None:
        if self._writing:
            return
        meant = self.choices.get(self.control.value)
        if meant is not None and meant != self.control.value:
            self._writing = True  # an option's text chosen: the box holds what it means
            try:
                self.control.value = meant
            finally:
                self._writing = False
        super()._on_control(change)

    def read(self) -> Any:
        value = self.choices.get(self.control.value, self.control.value)
        return value if value != "" else MISSING


def list_apps(connection: Any) -> list[tuple[str, str]]:
    """(app ID, name) of every Amplify app on the connection."""
    client = connection.client("amplify")
    apps = collect_pages(lambda r: client.list_apps(**r), "ListApps", {}, "apps", token="nextToken")
    # a malformed item (no id, or not text) is no option to offer; the rest are
    return [
        (str(a["appId"]), a["name"] if isinstance(a.get("name"), str) else "")
        for a in apps
        if isinstance(a, dict) and isinstance(a.get("appId"), str) and a["appId"]
    ]


def list_environments(connection: Any, app_id: str) -> list[str]:
    client = connection.client("amplify")
    envs = collect_pages(
        lambda r: client.list_backend_environments(**r),
        "ListBackendEnvironments",
        {"appId": app_id},
        "backendEnvironments",
        token="nextToken",
    )
    return [
        e["environmentName"]
        for e in envs
        if isinstance(e, dict)
        and isinstance(e.get("environmentName"), str)
        and e["environmentName"]
    ]


def existing_auth(connection: Any, app_id: str, env: str) -> list[str]:
    """The auth resources the environment has, from its Amplify metadata."""
    response = connection.client("amplifybackend").get_backend(
        AppId=app_id, BackendEnvironmentName=env
    )
    try:
        meta = json.loads(response.get("AmplifyMetaConfig") or "{}")
    except (TypeError, ValueError):  # not text, or not JSON: nothing to suggest
        return []
    auth = meta.get("auth") if isinstance(meta, dict) else None
    return list(auth) if isinstance(auth, dict) else []


def suggest_resource_name(app_name: str) -> str:
    """An auth resource name from an app's name, as the Amplify CLI makes them."""
    stem = re.sub(r"[^a-z0-9]", "", app_name.lower())[:40]
    return f"{stem}auth" if stem else "auth"


class TargetPicker(t.HasTraits):
    """Fills the target fields' options from the connection of ``service()``."""

    existing = t.Tuple(
        help="(app ID, environment, auth resource names) of the chosen environment, as listed "
        "on the connection; empty until an environment of a listed app is chosen."
    )

    def __init__(
        self,
        fields: Callable[[str], Any],
        service: Callable[[], Any],
        *,
        background: bool = True,
    ) -> None:
        super().__init__()
        self._field = fields
        self._service = service
        self.background = background
        self.apps: dict[str, str] = {}
        self.hint = w.HTML()
        self.hint.add_class("aaw-target-hint")
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        app = self._field("AppId")
        app.box.children = (*app.box.children, self.hint)
        app.control.observe(lambda _: self.app_changed(), names="value")
        self._field("BackendEnvironmentName").control.observe(
            lambda _: self.env_changed(), names="value"
        )

    def _run(self, what: str, work: Callable[[], None]) -> None:
        def body() -> None:
            with self._lock:  # one listing at a time, in the order asked
                try:
                    work()
                except Exception as exc:  # said in words under App ID; typing still works
                    error = exc if isinstance(exc, ApiError) else ApiError.from_exception(what, exc)
                    # amber, not red: the form is not wrong, the listing is unavailable
                    self.hint.value = warning_html(
                        f"Could not list {what} on this connection: {error.message}. "
                        "Type the IDs instead."
                    )

        if self.background:
            self._thread = threading.Thread(target=body, name="target-picker", daemon=True)
            self._thread.start()
        else:
            body()

    def join(self, timeout: float | None = 30) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _connection(self) -> Any:
        service = self._service()
        return getattr(service, "connection", None)

    def refresh(self) -> None:
        """List the apps again (a new connection, or apps added meanwhile)."""
        connection = self._connection()
        if connection is None:
            return

        def work() -> None:
            self.apps = dict(list_apps(connection))
            field = self._field("AppId")
            field.choices = {app_option(i, n): i for i, n in self.apps.items() if n}
            field.control.options = [app_option(i, n) for i, n in self.apps.items()]
            self._show_app()
            self._environments(connection)

        self._run("the apps", work)

    def _show_app(self) -> None:
        app_id = self._field("AppId").control.value
        name = self.apps.get(app_id)
        if name:
            self.hint.value = muted_html(name)
        elif app_id and self.apps and app_id not in self.apps:
            self.hint.value = muted_html("Not one of the apps listed on this connection.")
        else:
            self.hint.value = muted_html(f"{len(self.apps)} app(s) on this connection.")

    def _environments(self, connection: Any) -> None:
        app_id = self._field("AppId").control.value
        env = self._field("BackendEnvironmentName").control
        env.options = list_environments(connection, app_id) if app_id in self.apps else []
        self._resources(connection)

    def _resources(self, connection: Any) -> None:
        app_id = self._field("AppId").control.value
        env = self._field("BackendEnvironmentName").control.value
        resource = self._field("ResourceName").control
        names: list[str] = []
        if app_id in self.apps and env:
            try:
                names = existing_auth(connection, app_id, env)
            except Exception:  # a new environment, or no access: only the suggestion is lost
                names = []
        self.existing = (app_id, env, tuple(names)) if names else ()
        if app_id in self.apps:
            suggestion = suggest_resource_name(self.apps[app_id])
            names += [suggestion] if suggestion not in names else []
        resource.options = names
        resource.placeholder = f"e.g. {names[0]}" if names else PLACEHOLDERS["ResourceName"]

    def app_changed(self) -> None:
        connection = self._connection()
        if connection is None or not self.apps:
            return
        self._show_app()
        self._run("the environments", lambda: self._environments(connection))

    def env_changed(self) -> None:
        connection = self._connection()
        if connection is not None and self.apps:
            self._run("the auth resources", lambda: self._resources(connection))
