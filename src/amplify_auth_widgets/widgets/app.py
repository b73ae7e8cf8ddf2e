"""The composed app: connection, editor and job monitor, as one widget (and the Voila app).

By default it runs against the embedded emulator, seeded with demo apps, so that anyone can use
it with no AWS account; the connection panel switches to AWS (a profile, a region, an endpoint).
The editor's submitted jobs go to the monitor. Settings come from the environment, so that the
Voila app and Binder need no code:

* ``AMPLIFY_AUTH_TARGET``: ``emulator`` (default) or ``aws``;
* ``AMPLIFY_AUTH_JOB_SECONDS``: the embedded emulator's job time (default ``3``);
* ``AMPLIFY_AUTH_DATA``: the data folder (default: the user's, ``platformdirs``), where the
  app keeps its emulator (one process per folder, shared by every page: ``emulator.shared``),
  the history and the draft, so that a reload or a restart loses nothing;
* ``AMPLIFY_AUTH_HISTORY``: the history file (default: ``emulator/history.sqlite3`` in the data
  folder with the emulator, ``history.sqlite3`` there with AWS);
* ``AMPLIFY_AUTH_DURABLE``: ``0`` for a page that starts clean: its own emulator in its
  kernel, its history in memory, no draft kept (a kiosk's demo).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, cast

import ipywidgets as w
import traitlets as t

from ..client.connection import ConfigurationError, Connection
from ..client.service import BackendAuthService
from ..core.demo import DEMO_APPS
from ..jobs.drafts import DraftStore
from ..jobs.history import JobHistory
from ..jobs.tracker import JobTracker
from .access import Fold
from .drafts import DraftKeeper
from .editor import AuthConfigEditor
from .fleet import FleetPanel
from .html import error_html, escape
from .monitor import JobMonitor
from .reports import ReportsView
from .style import THEME_CSS, WIDE

#: The tabs, in order.
TABS = ("Configure", "Jobs", "Reports", "Fleet")
#: Boxes between the editor's sticky action bar and the page's scroller must not clip
#: (overflow other than visible makes each its own scroll container, and the bar would stick
#: to that box instead of the page): the app's boxes and the output area holding the app.
#: And the theme's colours for ipywidgets' own tab and section titles (``style.THEME_CSS``).
STYLE = (
    "<style>"
    + THEME_CSS
    + """
.aaw-app, .aaw-app .jupyter-widget-TabPanel-tabContents, .aaw-app .aaw-editor,
.jp-OutputArea:has(.aaw-app), .jp-OutputArea-child:has(.aaw-app),
.jp-OutputArea-output:has(.aaw-app) { overflow: visible !important; }
.aaw-app h1.aaw-title { font-size: 1.5em; margin: 0.83em 0; }
</style>"""
)


#: The connection panel's widgets, built when it is first opened.
_SETTINGS = ("profile", "region", "endpoint", "connect_button", "connection_message")


def view_size(widget: Any) -> int:
    """How many widgets a page shows for ``widget``: it and its descendants (boxes and what
    they hold; Layout and Style models are not counted)."""
    return 1 + sum(view_size(child) for child in getattr(widget, "children", ()))


class Later(w.VBox):
    """A place in the page for a part built when it is first shown or used (``build``)."""

    def __init__(self, make: Callable[[], w.Widget]) -> None:
        super().__init__()
        self._make = make
        self.part: w.Widget | None = None

    def build(self) -> w.Widget:
        if self.part is None:
            self.part = self._make()
            self.children = [self.part]
        return self.part


class AuthApp(w.VBox):
    """Editor, monitor and reports on one connection, as one widget.

    With no service it uses ``amplify_auth_widgets.local()``, the notebook's shared emulator;
    ``durable=True`` (the app's way, ``from_environment``) uses the data folder's emulator
    process instead (``emulator.shared``), keeps the history there, and keeps the editor's
    draft (``drafts``, a ``DraftKeeper``), restored when the app is made again.
    The parts are attributes (``editor``, ``monitor``, ``reports``) and talk through their
    public API only: the monitor follows what the editor submits, and tells the editor when its
    job ends so that the action bar's status moves on. CSS class ``aaw-app``.
    """

    target = t.Unicode(help="Where requests go, in words: 'emulator' (the embedded one) or 'aws'.")
    endpoint_url = t.Unicode(
        help="The endpoint URL requests go to; empty for AWS's own endpoint of the region."
    )

    def __init__(
        self,
        service: BackendAuthService | None = None,
        *,
        history: JobHistory | None = None,
        job_seconds: str | float = 3,
        autostart: bool = True,
        durable: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.emulator: Any = None
        if service is None:
            self.emulator = _embedded_emulator(job_seconds, durable)
            service = BackendAuthService(self.emulator.connection())
        if history is None:
            history = JobHistory(_history_path(self.emulator, durable))
        self.service = service
        service.on_call = history.record_call
        self.history = history
        self.editor = AuthConfigEditor(service=service)
        # its table is drawn when its tab is first shown (or a job changes): drawing imports
        # pandas, over half of the first screen's time in the kernel
        self.monitor = JobMonitor(JobTracker(service, history), autostart=autostart, draw=False)
        self.monitor.watch(self.editor)
        self.monitor.on_job_done(self.editor.show_job)
        # the Reports and Fleet tabs and the connection settings are built when first shown
        # (or first used from Python): the first screen is the editor's
        self._reports = Later(lambda: ReportsView(self.history))
        self._fleet = Later(
            lambda: FleetPanel.for_app(
                self.service, self.history, self.monitor.tracker, self.editor
            )
        )
        self.drafts = DraftKeeper(self.editor, DraftStore(history)) if durable else None
        self._build_connection_panel()
        self.tabs = w.Tab(
            children=[self.editor, self.monitor, self._reports, self._fleet], titles=TABS
        )
        self.tabs.observe(self._on_tab, names="selected_index")
        self.children = [
            # the page's one h1 (a heading of the size an h2 had: the app is a part of a page)
            w.HTML(STYLE + '<h1 class="aaw-title">Amplify backend auth</h1>'),
            self.connection_panel,
            *([self.drafts.widget] if self.drafts else []),
            self.tabs,
        ]
        self.add_class("aaw-app")
        self._show_where()
        if self.drafts is not None:
            self.drafts.restore()

    @property
    def widget(self) -> AuthApp:
        """The app itself (it is the widget); kept for code written before it was one."""
        return self

    @classmethod
    def from_environment(cls) -> AuthApp:
        """The app as the environment describes it (see the module): durable by default."""
        target = os.environ.get("AMPLIFY_AUTH_TARGET", "emulator")
        durable = os.environ.get("AMPLIFY_AUTH_DURABLE", "1").strip().lower() not in _OFF
        path = os.environ.get("AMPLIFY_AUTH_HISTORY")
        history = JobHistory(path) if path else None
        if target == "aws":
            return cls(BackendAuthService(Connection()), history=history, durable=durable)
        seconds = os.environ.get("AMPLIFY_AUTH_JOB_SECONDS", "3")
        return cls(history=history, job_seconds=seconds, durable=durable)

    @property
    def reports(self) -> ReportsView:
        """The Reports tab's view (built on first use)."""
        return cast(ReportsView, self._reports.build())

    @property
    def fleet(self) -> FleetPanel:
        """The Fleet tab's panel (built on first use)."""
        return cast(FleetPanel, self._fleet.build())

    def build_all(self) -> None:
        """Build every part that is otherwise built when first shown: the editor's sections,
        the Reports and Fleet tabs, the connection settings (to measure the whole app)."""
        for section in self.editor.sections:
            section.build()
        for later in (self._reports, self._fleet, self._settings):
            later.build()

    def _on_tab(self, change: Any) -> None:
        if change["new"] == TABS.index("Jobs"):
            self.monitor.refresh()
        elif change["new"] == TABS.index("Reports"):
            self.reports.refresh()
        elif change["new"] == TABS.index("Fleet"):
            self._fleet.build()

    # -- connection ------------------------------------------------------------------------

    def _build_connection_panel(self) -> None:
        self.where = w.HTML()
        self._settings = Later(self._build_connection_settings)
        fold = Fold(self._settings, "Connection")  # a button: Tab reaches it, Enter opens it
        fold.observe(lambda change: self._settings.build(), names="selected_index")
        self.connection_panel = w.VBox([self.where, fold])

    def _build_connection_settings(self) -> w.Widget:
        self.profile = w.Text(description="Profile", placeholder="default", style=WIDE)
        self.region = w.Text(description="Region", placeholder="from your AWS config", style=WIDE)
        self.endpoint = w.Text(
            description="Endpoint URL", placeholder="https://... (optional)", style=WIDE
        )
        self.connect_button = w.Button(description="Connect to AWS", icon="plug")
        self.connect_button.on_click(lambda _: self.connect_aws())
        self.connection_message = w.HTML()
        return w.VBox(
            [
                w.HBox([self.profile, self.region]),
                w.HBox([self.endpoint, self.connect_button]),
                self.connection_message,
            ]
        )

    def __getattr__(self, name: str) -> Any:
        # the connection settings' widgets, asked for before the panel was opened
        if name in _SETTINGS and "_settings" in self.__dict__:
            self._settings.build()
            return self.__dict__[name]
        raise AttributeError(name)

    def _show_where(self) -> None:
        self.endpoint_url = self.service.connection.describe().get("endpoint_url") or ""
        self.target = "emulator" if self.emulator is not None else "aws"
        if self.emulator is not None:
            apps = ", ".join(f"<code>{escape(app_id)}</code>" for app_id, _, _ in DEMO_APPS)
            self.where.value = (
                f"Connected to the <b>embedded emulator</b> at "
                f"<code>{escape(self.emulator.url)}</code>, with demo apps {apps}. "
                "Nothing reaches AWS."
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
            self.connection_message.value = error_html(str(exc))
            return False
        service = BackendAuthService(connection, on_call=self.history.record_call)
        self.service = service
        self.editor.set_service(service)
        self.monitor.set_service(service)
        if self._fleet.part is not None:  # else it is built on this service when shown
            self.fleet.set_service(service)
        self.emulator = None  # the shared emulator runs on for other widgets of the notebook
        self.connection_message.value = "Connected."
        self._show_where()
        return True

    def close(self) -> None:
        """Stop tracking and close the widgets, saving a draft still pending (the shared
        emulator stops with the kernel, or with the last kernel using it)."""
        if self.drafts is not None:
            self.drafts.flush_pending()
        self.monitor.stop()
        super().close()


#: Values of ``AMPLIFY_AUTH_DURABLE`` that turn durability off.
_OFF = ("0", "false", "no", "off")


def _embedded_emulator(job_seconds: str | float, durable: bool) -> Any:
    """The data folder's emulator process (durable), or the kernel's own (``local()``)."""
    if durable:
        # deferred: only the embedded emulator needs it (and not the server stack: it runs
        # in a process of its own)
        from ..client.emulator_process import shared

        return shared(job_seconds)
    from ..emulator.local import local  # deferred: the emulator's server stack

    return local(job_seconds)


def _history_path(emulator: Any, durable: bool) -> Any:
    """The history's file: beside a durable emulator, in memory beside a kernel's own, the
    user's file with AWS (None: ``JobHistory``'s default)."""
    if emulator is None:
        return None
    if durable:
        return emulator.folder / "history.sqlite3"
    return ":memory:"
