"""AuthConfigEditor: compose a backend auth request in a form, with every mistake beside it.

The editor is an ipywidget (a ``VBox``): leave it last in a cell to display it. Its state is in
traits that people observe and link:

* ``value``: the request dict (API member names, exactly what boto3 takes). Setting it fills
  the form; a change in the form sets it, so ``editor.observe(callback, "value")`` fires on
  every edit. Mutating the dict in place does nothing: assign a new one.
* ``findings``: the request's ``Finding`` objects (path, severity, code, message).
* ``operation``: CreateBackendAuth or UpdateBackendAuth (the form follows it).
* ``busy``, ``status``, ``job_status``: a request under way, the last status message, the
  status of the last job sent (``show_job`` or a link updates it when the job moves).

None of these traits is synced to the browser (``value`` holds secrets), so use
``ipywidgets.link``/``dlink`` (in the kernel), not ``jslink``.

The form is built from the field specs (``form.py``), placed by task (``layout.py``), its
closed sections built when opened (``sections.py``); findings show once touched
(``disclosure.py``). Create, Update and Delete go through a ``Submitter`` (``submit.py``):
``on_submit(callback)`` runs a callback after every accepted request, ``set_service``
switches the connection. Presets, files and the JSON/YAML/CLI tabs are ``requestio.py``'s.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets as t

from ..client.service import BackendAuthService
from ..core.deployed import DeployedAuth
from ..core.diff import deep_merge, prune
from ..core.findings import Finding
from ..core.model import FieldSpec, request_spec
from ..core.operations import configuration_operations
from ..core.validation import validate
from .actionbar import ActionBar
from .disclosure import Disclosure, fix_for
from .fields import MISSING, Field, render_findings
from .form import CONDITIONS, StructureField, build_field
from .gen2_tab import Gen2Tab
from .html import escape
from .labels import label_for
from .layout import plan
from .messages import humane_findings, todo_text
from .requestio import RequestIO
from .review import update_review
from .sections import SectionView, plural
from .status import StatusLine
from .submit import TARGET, Submitter
from .targets import TargetPicker

#: The operations the form composes (its modes): the auth requests that hold a ResourceConfig.
OPERATIONS = configuration_operations()


#: How long after opening a section built that moment ``go_to`` asks its control for the focus
#: again: the page makes the new control's view in well under that.
REFOCUS_SECONDS = 0.5


def single_choices(spec: FieldSpec) -> list[tuple[str, str]]:
    """(path, value) of each member always in a request (required, under required parents)
    whose model allows one value only (``ResourceConfig.Service``: COGNITO)."""
    found: list[tuple[str, str]] = []
    for member in spec.members:
        if not member.required:
            continue
        if len(member.enum) == 1:
            found.append((member.path, member.enum[0]))
        found += single_choices(member)
    return found


def focus_target(field: Field) -> w.DOMWidget:
    """The control of ``field`` that takes the focus: the text of a secret, the tags of a
    list, else the field's own control."""
    for name in ("hidden", "tags"):
        part = getattr(field, name, None)
        if isinstance(part, w.DOMWidget):
            return part
    control: w.DOMWidget = field.control
    return control


class AuthConfigEditor(w.VBox):
    """The configuration editor, a widget. Display it in a notebook; drive it from Python too.

    >>> editor = AuthConfigEditor(service=BackendAuthService(emulator.connection()))
    ... # doctest: +SKIP
    >>> editor.observe(lambda change: print(change["new"].get("AppId")), "value")
    ... # doctest: +SKIP
    >>> editor.value = request; editor.findings  # doctest: +SKIP
    >>> editor.on_submit(lambda response, operation, request: print(response["JobId"]))
    ... # doctest: +SKIP
    >>> editor  # doctest: +SKIP

    CSS classes for finding its parts in a page (stable; browser tests rely on them):

    * the whole: ``aaw-editor``; the sticky action bar: ``aaw-actionbar``, in it ``aaw-mode``
      (Create new / Update existing), ``aaw-problems`` (the count: "3 problems", or
      "7 settings to complete before sending", or "Ready to send", or "dev already has auth:
      Load current to update it"), ``aaw-todo`` with an ``aaw-todo-item`` button per error
      ("Identity pool > What to create: choose one": chosen, it opens the field's section and
      focuses its control, ``go_to``), ``aaw-send-reason`` (why Create/Update is off),
      ``aaw-job-status`` ("Last job: COMPLETED"), ``aaw-status`` (the last message;
      ``aaw-status-error`` when it is one),
      buttons ``aaw-load``, ``aaw-create``, ``aaw-update``, ``aaw-delete``; the confirmation:
      ``aaw-confirm-box`` with ``aaw-confirm``, ``aaw-cancel``; an update's "not done by an
      update" lines: ``aaw-kept``;
    * sections: ``aaw-section`` and ``aaw-section-<key>`` (target, sign-in, social, password,
      mfa, messages, identity-pool, other), whose titles carry "· N problems";
    * fields: ``aaw-field`` and ``aaw-at-<API path, dots as dashes>`` (``aaw-at-AppId``,
      ``aaw-at-ResourceConfig-UserPoolConfigs-SignInMethod``); their messages ``aaw-findings``
      (the rule code is each message's title); a fix offered: ``aaw-fix``;
    * target: the comboboxes ``aaw-target-app``, ``aaw-target-env``, ``aaw-target-resource``
      (options: the apps listed on the connection as "name (id)", their environments and auth
      resources), ``aaw-target-hint`` (the app's name);
    * social providers: ``aaw-provider-pick`` (dropdown) and ``aaw-provider-add`` (button),
      each card ``aaw-provider-card`` and ``aaw-provider-<Name>`` (``aaw-provider-Google``)
      with ``aaw-provider-remove``;
    * tabs: ``aaw-json``, ``aaw-yaml`` (text areas), ``aaw-cli-command`` (with the button
      ``aaw-cli-copy``); the list of shown findings under the form: ``aaw-summary``.
    """

    value = t.Dict(
        help="The request: API member names to values. Setting it fills the form; every "
        "edit in the form sets it. Assign a new dict; mutating this one in place does nothing."
    )
    findings = t.List(
        t.Instance(Finding),
        help="Every finding on the request (path, severity, code, message), recomputed on "
        "every change.",
    )
    operation = t.Enum(
        OPERATIONS,
        "CreateBackendAuth",
        help="The operation the form composes; switching sets aside what the other lacks.",
    )
    problems = t.Int(0, help="How many error findings the request has; 0 means it can be sent.")
    busy = t.Bool(False, help="True while a request to the service is under way.")
    status = t.Unicode("", help="The last status message, as plain text.")
    job_status = t.Unicode(
        "",
        help="Status of the last job sent (IN_PROGRESS, COMPLETED, FAILED, ...); set by "
        "show_job() or a link when the job moves.",
    )

    def __init__(
        self,
        operation: str = "CreateBackendAuth",
        *,
        service: BackendAuthService | None = None,
        value: dict[str, Any] | None = None,
        spec_for: Callable[[str], FieldSpec] = request_spec,
        background: bool = True,
        **kwargs: Any,
    ) -> None:
        if operation not in OPERATIONS:
            raise ValueError(f"operation must be one of {', '.join(OPERATIONS)}")
        super().__init__(**kwargs)
        self._spec_for = spec_for
        self._background = background
        self._from_form = False
        self._quiet = False
        self._set_aside: dict[str, dict[str, Any]] = {}
        self._pending: Callable[[], Any] | None = None
        self.disclosure = Disclosure()
        self.shown_problems = 0
        self.current: dict[str, Any] | None = None
        self.status_line = StatusLine()
        self.submitter = Submitter(
            service, lambda: self.value, self.status_line, background=background
        )
        t.dlink((self.submitter, "busy"), (self, "busy"))
        t.dlink((self.status_line, "message"), (self, "status"))
        self.set_trait("operation", operation)
        self._build_chrome()
        self._build_form()
        self.add_class("aaw-editor")
        if value is not None:
            self.value = value
        else:
            self._sync_from_form()

    # -- composition: service and events ---------------------------------------------------

    @property
    def widget(self) -> AuthConfigEditor:
        """The editor itself (it is the widget); kept for code written before it was one."""
        return self

    @property
    def service(self) -> BackendAuthService | None:
        return self.submitter.service

    @service.setter
    def service(self, service: BackendAuthService | None) -> None:
        self.set_service(service)

    def set_service(self, service: BackendAuthService | None) -> None:
        """Send further requests to ``service``; the buttons follow."""
        self.submitter.set_service(service)

    def on_submit(
        self, callback: Callable[[dict[str, Any], str, dict[str, Any]], Any], remove: bool = False
    ) -> None:
        """Call ``callback(response, operation, request)`` after every accepted request."""
        self.submitter.on_submit(callback, remove=remove)

    @property
    def last_response(self) -> dict[str, Any] | None:
        return self.submitter.last_response

    def show_job(self, job: dict[str, Any]) -> None:
        """Show the status of a job this editor sent (a monitor calls it when the job moves)."""
        status = str(job.get("Status", ""))
        last = self.submitter.last_response or {}
        if job.get("JobId") and job.get("JobId") != last.get("JobId"):
            return
        self.job_status = status
        error = f": {job['Error']}" if job.get("Error") else ""
        kind = "error" if status == "FAILED" else "ok"
        self.status_line.show(
            f"{job.get('Operation', 'Job')}: job {job.get('JobId', '')} {status}{error}", kind
        )

    def join(self, timeout: float | None = 30) -> None:
        """Wait for a request under way (for scripts and tests; the UI never needs it)."""
        self.submitter.join(timeout)

    # -- construction ----------------------------------------------------------------------

    def _build_chrome(self) -> None:
        """Everything around the form: the action bar, the request's tabs, the confirmation."""
        self._build_bar()
        self._build_tabs()
        self._build_confirm()
        self.submitter.observe(self._on_busy, names="busy")
        self.submitter.observe(self._show_buttons, names="service")
        self.submitter.observe(lambda _: self.targets.refresh(), names="service")
        self.submitter.observe(self._on_response, names="last_response")
        self.summary = w.HTML()
        self.children = [
            self.bar,
            self.confirm_box,
            *self.io.rows,
            self.tabs,
            self.summary,
        ]

    def _build_bar(self) -> None:
        """The action bar, its mode linked to ``operation`` and its buttons to their actions."""
        self.bar = ActionBar(self.status_line)
        self.operation_toggle = self.bar.mode
        self.operation_toggle.value = self.operation
        w.link((self.operation_toggle, "value"), (self, "operation"))
        for name in ("load", "create", "update", "delete"):
            setattr(self, f"{name}_button", getattr(self.bar, f"{name}_button"))
        self.progress = self.bar.progress
        self.load_button.on_click(lambda _: self.load_current())
        self.create_button.on_click(lambda _: self.create())
        self.update_button.on_click(lambda _: self.update())
        self.delete_button.on_click(lambda _: self.delete())

    def _build_tabs(self) -> None:
        """The request as a form, JSON, YAML, an AWS CLI command and Gen 2 code, in tabs (the
        text tabs and the Gen 2 export refresh only while shown)."""
        self.io = RequestIO(
            lambda: self.value,
            self._set_value,
            lambda: self.operation,
            self._spec_for,
            lambda: getattr(self.service, "connection", None),
        )
        self.io.include_secrets.observe(lambda _: self._refresh_texts(force=True), names="value")
        self.upload, self.include_secrets = self.io.upload, self.io.include_secrets
        self.preset_picker, self.io_message = self.io.preset_picker, self.io.message
        self.texts = self.io.texts
        self.form_box = w.VBox()
        self.json_text, self.yaml_text = self.texts.json_text, self.texts.yaml_text
        self.gen2_tab = Gen2Tab.follow(self, active=False)
        #: The target whose deployed auth the Gen 2 tab holds (set by load_current).
        self._deployed_for: tuple[Any, Any] = (None, None)
        self.tabs = w.Tab(children=[self.form_box, *self.texts.panels, self.gen2_tab])
        for i, title in enumerate(("Form", "JSON", "YAML", "AWS CLI", "Gen 2")):
            self.tabs.set_title(i, title)
        self.tabs.observe(lambda _: self._refresh_texts(), names="selected_index")
        self.gen2_tab.show_in(self.tabs)

    def _build_confirm(self) -> None:
        """The confirmation an update or a delete waits for, hidden until asked."""
        self.confirm_button = w.Button(description="Confirm", button_style="warning")
        self.cancel_button = w.Button(description="Cancel")
        self.confirm_button.add_class("aaw-confirm")
        self.cancel_button.add_class("aaw-cancel")
        self.confirm_button.on_click(lambda _: self.confirm())
        self.cancel_button.on_click(lambda _: self.cancel())
        self.confirm_text = w.HTML()
        self.confirm_box = w.VBox(
            [self.confirm_text, w.HBox([self.confirm_button, self.cancel_button])]
        )
        self.confirm_box.add_class("aaw-confirm-box")
        self.confirm_box.layout.display = "none"

    def _build_form(self) -> None:
        spec = self._spec_for(self.operation)
        sections = plan(spec)
        later = {p for s in sections if not s.open for p in s.paths}
        self.root = build_field(spec, self._on_field, defer=lambda s: s.path in later)
        assert isinstance(self.root, StructureField)
        self._index_fields()
        self.sections = [
            SectionView(s, [self._fields[p] for p in s.paths], self._on_section_built)
            for s in sections
        ]
        self.form_box.children = [s.fold for s in self.sections]
        self._fix_single_choices(spec)
        self.targets = TargetPicker(self.field, lambda: self.service, background=self._background)
        self.targets.observe(lambda _: self._on_targets(), names="existing")
        self.targets.refresh()

    def _fix_single_choices(self, spec: FieldSpec) -> None:
        """Fill each required member that has one possible value (Service: COGNITO) and hide
        its field: there is nothing to ask. A value given that is not that one stays, shown
        with its finding."""
        for path, only in single_choices(spec):
            field = self._fields.get(path)
            if field is None:
                continue
            if field.get() is MISSING:
                field.set(only)
            if isinstance(field, Field):
                field.box.layout.display = "none" if field.get() == only else None
        for section in self.sections:  # a section left with nothing to ask is not shown
            fields = [self._fields.get(p) for p in section.paths]
            empty = all(isinstance(f, Field) and f.box.layout.display == "none" for f in fields)
            section.fold.layout.display = "none" if empty else None

    def _on_targets(self) -> None:
        """The picker learnt which auth the chosen environment has: the bar says it."""
        self._show_findings()
        self._show_buttons()

    def conflict(self) -> str:
        """Why Create would be refused though the form is complete ("dev already has auth:
        Load current to update it"), or ""."""
        existing = self.targets.existing
        if self.operation != OPERATIONS[0] or not existing:
            return ""
        app_id, env, _names = existing
        if (self.value.get("AppId"), self.value.get("BackendEnvironmentName")) != (app_id, env):
            return ""
        return f"{env} already has auth: Load current to update it"

    def _index_fields(self) -> None:
        self._fields = {f.path: f for f in self.root.fields()}

    def _on_section_built(self, section: SectionView) -> None:
        if hasattr(self, "sections"):
            self._index_fields()
            self._show_findings()

    # -- value and findings ----------------------------------------------------------------

    @t.observe("operation")
    def _on_operation(self, change: Any) -> None:
        old, new = change["old"], change["new"]
        if not hasattr(self, "root"):
            return
        value = self.value
        self._set_aside[old] = value
        opened = {s.section.key for s in self.sections if s.fold.selected_index == 0}
        self._build_form()
        for section in self.sections:  # as they were: the switch does not move the page
            if section.section.key in opened:
                section.open()
            else:
                section.fold.selected_index = None
        restored = deep_merge(self._set_aside.get(new, {}), value)
        pruned, removed = prune(restored, self._spec_for(new))
        self.value = pruned
        self.io_message.value = (
            f"<i>Set aside, not in {new}: {', '.join(removed)} (switch back to restore).</i>"
            if removed
            else ""
        )
        self._show_buttons()

    @t.validate("value")
    def _fill_form(self, proposal: Any) -> dict[str, Any]:
        """Setting ``value`` fills the form; the trait then holds what the form gives back.

        What is given counts as touched: its findings show (an empty request shows none)."""
        if self._from_form:
            return proposal["value"]
        self._quiet = True
        try:
            self.root.set(proposal["value"])
            self._fix_single_choices(self._spec_for(self.operation))
        finally:
            self._quiet = False
        self.disclosure.given(proposal["value"])
        return self._read_form()

    @t.observe("value")
    def _on_value(self, change: Any) -> None:
        self._revalidate()
        target = (change["new"].get("AppId"), change["new"].get("BackendEnvironmentName"))
        if getattr(self, "gen2_tab", None) is not None and target != self._deployed_for:
            self.gen2_tab.deployed = None  # another environment's ids until it is loaded

    def _read_form(self) -> dict[str, Any]:
        value = self.root.get()
        return value if isinstance(value, dict) else {}

    def _sync_from_form(self) -> None:
        self._from_form = True
        try:
            value = self._read_form()
            if value == self.value:
                self._revalidate()  # same request (a new dict), still a new look
            else:
                self.value = value
        finally:
            self._from_form = False

    def field(self, path: str) -> Field:
        """The field at an API path (``ResourceConfig.UserPoolConfigs.SignInMethod``); its
        section is built if it was not yet."""
        if not isinstance(self._fields.get(path), Field):
            for section in self.sections:
                if section.contains(path):
                    section.build()
        found = self._fields.get(path)
        if not isinstance(found, Field):
            raise KeyError(f"no field at {path!r}")
        return found

    def _on_field(self, field: Field) -> None:
        if not self._quiet:
            self.disclosure.touch(field.path)
            self._sync_from_form()

    def _revalidate(self) -> None:
        value = self.value
        self.findings = validate(value, self.operation)
        self.problems = sum(f.is_error for f in self.findings)
        for path, (applies, reason) in CONDITIONS.items():
            field = self._fields.get(path)
            if field is not None:
                field.enable(applies(value), reason)
        self._build_sections_to_do()
        self._show_findings()
        self.io.dirty = True
        self._refresh_texts()
        self._show_buttons()

    def _build_sections_to_do(self) -> None:
        """Build (not open) each closed section that holds an error once a person has begun
        (the first screen stays as light as it was), so that its controls exist in the page
        before a to-do item asks to focus one: a control made at that very moment has no view
        yet to take the focus (``go_to`` asks again, a moment later, for that case)."""
        if not (self.disclosure.touched or self.disclosure.reveal_all):
            return
        for section in self.sections:
            if not section.built and any(
                f.is_error and section.contains(f.path) for f in self.findings
            ):
                section.build()

    def section_of(self, path: str) -> SectionView | None:
        """The section that shows the member at ``path``, if one does."""
        return next((s for s in self.sections if s.contains(path.split("[", 1)[0])), None)

    def _show_findings(self) -> None:
        per_field, shown = self.disclosure.place(self.findings, self._fields, self.root)
        for path, field in self._fields.items():
            field.show(humane_findings(per_field.get(path, []), self.operation))
            field.offer(*fix_for(per_field.get(path, [])))
        for section in self.sections:
            section.count(sum(f.is_error and section.contains(f.path) for f in shown))
        errors = [f for f in shown if f.is_error]
        self.shown_problems = len(errors)
        self.bar.show_count(
            len(errors),
            self.problems - len(errors),
            len(shown) - len(errors),
            blocker=self.conflict(),
        )
        self._show_to_do()
        lines = "".join(
            f"<li><b>{escape(self._label_at(f.path))}</b> "
            f"{render_findings(humane_findings([f], self.operation))}</li>"
            for f in shown
        )
        self.summary.value = f'<div class="aaw-summary"><ul>{lines}</ul></div>' if lines else ""

    def _show_to_do(self) -> None:
        """The action bar's list of what is left: each error as "Section > Label: what to
        do", a button that goes to its field (``go_to``)."""
        items: dict[str, Callable[[], None]] = {}
        errors = [f for f in self.findings if f.is_error]
        errors.sort(key=self._form_order)
        for finding in errors:
            section = self.section_of(finding.path)
            title = section.section.title if section is not None else "Request"
            text = todo_text(finding, title, self.operation)
            items.setdefault(text, functools.partial(self._go_to_quietly, finding.path))
        self.bar.show_todo(list(items.items()))

    def _go_to_quietly(self, path: str) -> None:
        """``go_to`` for a button's callback, which wants nothing back."""
        self.go_to(path)

    def _form_order(self, finding: Finding) -> tuple[int, int]:
        """Where a finding's member sits in the form: its section, then its place in it (the
        request's own findings last)."""
        path = finding.path.split("[", 1)[0]
        for i, section in enumerate(self.sections):
            for j, member in enumerate(section.paths):
                if path == member or path.startswith(member + "."):
                    return i, j
        return len(self.sections), 0

    def go_to(self, path: str) -> Field | None:
        """Take a person to the field that shows findings at ``path``: show the form, open its
        section, show its findings (it counts as touched) and give its control the focus."""
        section = self.section_of(path)
        if section is None:
            return None
        self.tabs.selected_index = 0
        fresh = not section.built
        section.open()
        field = self.disclosure.field_for(path, self._fields, self.root)
        if not isinstance(field, Field) or field is self.root:
            return None
        self.disclosure.touch(path)
        self._show_findings()
        self._show_buttons()
        target = focus_target(field)
        target.focus()
        if fresh and self._background:  # its view may not exist yet: ask again once it does
            later = threading.Timer(REFOCUS_SECONDS, target.focus)
            later.daemon = True
            later.start()
        return field

    def _label_at(self, path: str) -> str:
        spec = self._spec_for(self.operation).find(path)
        return label_for(spec) if spec is not None and spec.path else "Request"

    def reveal(self) -> None:
        """Show every finding, as a send attempt does, and open the sections that have one."""
        self.disclosure.reveal_all = True
        for section in self.sections:
            if any(f.is_error and section.contains(f.path) for f in self.findings):
                section.open()
        self._show_findings()

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)

    # -- requests: buttons, confirmation ---------------------------------------------------

    def _on_busy(self, change: Any) -> None:
        self.progress.layout.visibility = "visible" if change["new"] else "hidden"
        self._show_buttons()

    def _on_response(self, change: Any) -> None:
        response = change["new"] or {}
        self.job_status = str(response.get("Status", ""))

    @t.observe("job_status")
    def _on_job_status(self, change: Any) -> None:
        self.bar.show_job(change["new"])

    def _target_missing(self) -> bool:
        return any(not isinstance(self.value.get(k), str) or not self.value.get(k) for k in TARGET)

    def _show_buttons(self, change: Any = None) -> None:
        no_service = self.service is None
        busy = self.submitter.busy
        target_missing = self._target_missing()
        conflict = self.conflict()
        blocked = no_service or busy or self.problems > 0 or bool(conflict)
        self.create_button.disabled = blocked
        self.update_button.disabled = blocked
        self.create_button.layout.display = None if self.operation == OPERATIONS[0] else "none"
        self.update_button.layout.display = None if self.operation == OPERATIONS[1] else "none"
        self.delete_button.disabled = no_service or busy or target_missing
        self.load_button.disabled = no_service or busy or target_missing
        self.confirm_button.disabled = busy
        reason = ""
        if no_service:
            reason = "Not connected to a service: give the editor a BackendAuthService."
        elif self.shown_problems:
            hidden = self.problems - self.shown_problems
            more = f" and complete the {plural(hidden, 'setting')}" if hidden else ""
            reason = f"Fix the {plural(self.shown_problems, 'problem')}{more} to send."
        elif self.problems:
            reason = f"Complete the {plural(self.problems, 'setting')} listed to send."
        elif conflict:  # only ever in Create mode
            reason = f"Create would be refused: {conflict}."
        self.create_button.tooltip = self.update_button.tooltip = reason
        self.bar.show_reason("" if busy else reason)

    def _ready(self, operation: str) -> bool:
        """True when the request can be sent; else show every problem and say so."""
        if self.operation != operation or self.service is None or self.submitter.busy:
            return False
        if self.has_errors:
            self.reveal()
            self.status_line.show(
                f"Not sent: {plural(self.problems, 'problem')} to fix, shown beside the fields.",
                "error",
            )
            self._show_buttons()
            return False
        return True

    def load_current(self) -> bool:
        """Read the target's configuration (GetBackendAuth) into the form, in Update mode."""

        def loaded(config: dict[str, Any], deployed: DeployedAuth | None) -> None:
            self.current = config
            self.operation = "UpdateBackendAuth"  # what one does with a loaded configuration
            value = {k: v for k, v in self.value.items() if k in TARGET}
            spec = self._spec_for(self.operation).member("ResourceConfig")
            value["ResourceConfig"], _ = prune(config, spec) if spec else (config, [])
            self.value = value
            self._deployed_for = (value.get("AppId"), value.get("BackendEnvironmentName"))
            self.gen2_tab.deployed = deployed  # the ways to Gen 2 that keep the users

        return self.submitter.load_current(loaded)

    def create(self) -> bool:
        """Send CreateBackendAuth with the form's request; False when it cannot be sent."""
        return self._ready("CreateBackendAuth") and self.submitter.send("CreateBackendAuth")

    def update(self) -> bool:
        """First show what will change, in words; Confirm sends."""
        if not self._ready("UpdateBackendAuth"):
            return False
        proposed = self.value.get("ResourceConfig") or {}
        spec = self._spec_for(self.operation).member("ResourceConfig")
        self.confirm_text.value = update_review(self.current, proposed, spec)
        self._ask(lambda: self.submitter.send("UpdateBackendAuth"))
        return True

    def delete(self) -> bool:
        """Ask to delete the target's auth resource; Confirm sends."""
        if self.delete_button.disabled:
            return False
        app_id, env, resource = self.submitter.target()
        self.confirm_text.value = (
            f"<b>Delete</b> the auth resource <code>{escape(resource)}</code> of "
            f"<code>{escape(app_id)}</code>/<code>{escape(env)}</code>? This cannot be undone."
        )
        self._ask(lambda: self.submitter.send("DeleteBackendAuth"))
        return True

    def _ask(self, action: Callable[[], Any]) -> None:
        self._pending = action
        self.confirm_box.layout.display = None

    def confirm(self) -> bool:
        action, self._pending = self._pending, None
        self.confirm_box.layout.display = "none"
        return bool(action and action())

    def cancel(self) -> None:
        self._pending = None
        self.confirm_box.layout.display = "none"
        self.status_line.show("Cancelled.")

    # -- the request as text and files ----------------------------------------------------

    def _set_value(self, value: dict[str, Any]) -> None:
        self.value = value

    def export(self, fmt: str = "json", include_secrets: bool = False) -> str:
        """The request as a skeleton file's text; secrets redacted unless asked."""
        return self.io.export(fmt, include_secrets)

    def load_text(self, text: str, fmt: str = "json", source: str = "") -> bool:
        """Fill the form from JSON or YAML text; on a parse error, say where and keep the form."""
        return self.io.load_text(text, fmt, source)

    def apply_preset(self, name: str) -> None:
        """Replace the configuration with a preset; the target (app, environment) stays."""
        self.io.apply_preset(name)

    def _refresh_texts(self, force: bool = False) -> None:
        if force:
            self.io.dirty = True
        if self.tabs.selected_index not in (0, None):
            self.io.refresh()
