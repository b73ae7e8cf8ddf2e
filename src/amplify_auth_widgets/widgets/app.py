"""The composed app: connection, editor and job monitor, as one widget (and the Voila app).

By default it runs against the embedded emulator, seeded with demo apps, so that anyone can use
it with no AWS account; the connection panel switches to AWS (a profile, a region, an endpoint).
The editor's submitted jobs go to the monitor. Settings come from the environment, so that the
Voila app and Binder need no code:

* ``AMPLIFY_AUTH_TARGET``: ``emulator`` (default) or ``aws``;
* ``AMPLIFY_AUTH_JOB_SECONDS``: the embedded emulator's job time (default ``3``);
* ``AMPLIFY_AUTH_HISTORY``: the history file (default: in memory with the emulator, the user's
  data directory with AWS).
"""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from ..connection import ConfigurationError, Connection
from ..history import JobHistory
from ..jobs import JobTracker
from ..service import BackendAuthService
from .editor import AuthConfigEditor
from .html import escape
from .monitor import JobMonitor


class AuthApp:
    """Editor and monitor on one connection; ``widget`` is what to display."""

    def __init__(
        self,
        service: BackendAuthService | None = None,
        *,
        history: JobHistory | None = None,
        job_seconds: str = "3",
        autostart: bool = True,
    ) -> None:
        self.emulator: Any = None
        if service is None:
            from ..emulator import Emulator

            self.emulator = Emulator(demo=True, job_seconds=job_seconds).start()
            service = BackendAuthService(self.emulator.connection())
        if history is None:
            history = JobHistory(":memory:" if self.emulator else None)
        self.service = service
        service.on_call = history.record_call
        self.history = history
        self.editor = AuthConfigEditor(service=service)
        self.tracker = JobTracker(service, history)
        self.monitor = JobMonitor(self.tracker, autostart=autostart)
        self.monitor.watch(self.editor)
        self._build_connection_panel()
        self.tabs = w.Tab(children=[self.editor.widget, self.monitor.widget])
        self.tabs.set_title(0, "Configure")
        self.tabs.set_title(1, "Jobs")
        self.widget = w.VBox(
            [
                w.HTML("<h2>Amplify backend auth</h2>"),
                self.connection_panel,
                self.tabs,
            ]
        )
        self.widget.add_class("aaw-app")

    @classmethod
    def from_environment(cls) -> AuthApp:
        target = os.environ.get("AMPLIFY_AUTH_TARGET", "emulator")
        path = os.environ.get("AMPLIFY_AUTH_HISTORY")
        history = JobHistory(path) if path else None
        if target == "aws":
            return cls(BackendAuthService(Connection()), history=history)
        return cls(history=history, job_seconds=os.environ.get("AMPLIFY_AUTH_JOB_SECONDS", "3"))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # -- connection ------------------------------------------------------------------------

    def _build_connection_panel(self) -> None:
        self.where = w.HTML()
        self.profile = w.Text(description="profile", placeholder="default")
        self.region = w.Text(description="region", placeholder="from your AWS config")
        self.endpoint = w.Text(description="endpoint", placeholder="https://... (optional)")
        self.connect_button = w.Button(description="Connect to AWS", icon="plug")
        self.connect_button.on_click(lambda _: self.connect_aws())
        self.connection_message = w.HTML()
        settings = w.VBox(
            [
                w.HBox([self.profile, self.region]),
                w.HBox([self.endpoint, self.connect_button]),
                self.connection_message,
            ]
        )
        fold = w.Accordion(children=[settings], selected_index=None)
        fold.set_title(0, "Connection")
        self.connection_panel = w.VBox([self.where, fold])
        self._show_where()

    def _show_where(self) -> None:
        if self.emulator is not None:
            self.where.value = (
                f"Connected to the <b>embedded emulator</b> at "
                f"<code>{escape(self.emulator.url)}</code>, with demo apps "
                "<code>d1demotodo</code>, <code>d2demoshop</code>, <code>d3demoadmin</code>, "
                "<code>d4demonew</code>. Nothing reaches AWS."
            )
        else:
            described = self.service.connection.describe()
            self.where.value = (
                f"Connected to <b>AWS</b>: profile <code>{escape(str(described['profile']))}"
                f"</code>, region <code>{escape(str(described['region']))}</code>"
                + (
                    f", endpoint <code>{escape(str(described['endpoint_url']))}</code>"
                    if described["endpoint_url"]
                    else ""
                )
            )

    def connect_aws(self) -> bool:
        """Switch editor and tracker to the connection the panel describes."""
        connection = Connection(
            profile=self.profile.value.strip() or None,
            region=self.region.value.strip() or None,
            endpoint_url=self.endpoint.value.strip() or None,
        )
        try:
            connection.client()  # builds nothing remote: checks profile and region
        except ConfigurationError as exc:
            self.connection_message.value = f'<span style="color:#b00020">{escape(str(exc))}</span>'
            return False
        service = BackendAuthService(connection, on_call=self.history.record_call)
        self.service = self.editor.service = self.tracker.service = service
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None
        self.connection_message.value = "Connected."
        self.editor._show_buttons()
        self._show_where()
        return True

    def close(self) -> None:
        self.monitor.stop()
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None
