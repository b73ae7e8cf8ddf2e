"""AuthConfigEditor: compose a backend auth request in a form, with every mistake beside it.

The form is built from the field specs (``form.py``); ``value`` is the request dict and setting
it fills the form; ``findings`` is recomputed on every change and each field shows its own.
Tabs show the same request as JSON, YAML and the AWS CLI command; the JSON and YAML tabs are
editable, and a parse error leaves the form as it was. Create, Update and Delete go through a
``BackendAuthService`` in a background thread, so the kernel never waits on the network; a
second click while a request is under way does nothing.

Secrets are in ``value`` (they must be sent) but never in the JSON, YAML and CLI tabs or a
download unless "include secrets" is ticked; redacted values typed back are restored from the
form, so a round trip through a tab never loses a secret.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..diff import deep_merge, prune
from ..model import REDACTED, SECRET_MEMBERS, FieldSpec, request_spec
from ..presets import PRESETS, preset
from ..service import BackendAuthService
from ..skeleton import InputError, command_line, parse_json, parse_yaml, redact, to_json, to_yaml
from ..validation import Finding, validate
from .fields import MISSING, Field, render_findings
from .form import CONDITIONS, StructureField, build_field, lay_out
from .html import download_link, escape
from .submit import TARGET, SubmitMixin

OPERATIONS = ("CreateBackendAuth", "UpdateBackendAuth")


def restore_secrets(new: Any, old: Any) -> Any:
    """``new`` with every REDACTED secret replaced by the value at the same place in ``old``."""
    if isinstance(new, dict):
        old = old if isinstance(old, dict) else {}
        return {
            k: (
                old.get(k, v)
                if k in SECRET_MEMBERS and v == REDACTED
                else restore_secrets(v, old.get(k))
            )
            for k, v in new.items()
        }
    if isinstance(new, list):
        old = old if isinstance(old, list) else []
        return [restore_secrets(v, old[i] if i < len(old) else None) for i, v in enumerate(new)]
    return new


class AuthConfigEditor(SubmitMixin):
    """The configuration editor. Display it in a notebook; drive it from Python as well.

    >>> service = BackendAuthService(emulator.connection())  # doctest: +SKIP
    >>> editor = AuthConfigEditor(service=service)  # doctest: +SKIP
    >>> editor.value = request; editor.findings  # doctest: +SKIP
    """

    def __init__(
        self,
        operation: str = "CreateBackendAuth",
        *,
        service: BackendAuthService | None = None,
        value: dict[str, Any] | None = None,
        spec_for: Callable[[str], FieldSpec] = request_spec,
        background: bool = True,
    ) -> None:
        if operation not in OPERATIONS:
            raise ValueError(f"operation must be one of {', '.join(OPERATIONS)}")
        self.service = service
        self.background = background
        self._spec_for = spec_for
        self._operation = operation
        self._callbacks: list[Callable[[dict[str, Any], str, dict[str, Any]], None]] = []
        self._quiet = False
        self._busy = False
        self._thread: threading.Thread | None = None
        self._set_aside: dict[str, dict[str, Any]] = {}
        self._pending: Callable[[], Any] | None = None
        self._text_dirty = True
        self._writing_text = False
        self.current: dict[str, Any] | None = None
        self.findings: list[Finding] = []
        self.last_response: dict[str, Any] | None = None
        self._build_chrome()
        self._build_form()
        if value is not None:
            self.value = value
        else:
            self._revalidate()

    # -- construction ----------------------------------------------------------------------

    def _build_chrome(self) -> None:
        self.operation_toggle = w.ToggleButtons(options=OPERATIONS, value=self._operation)
        self.operation_toggle.observe(self._on_operation, names="value")
        self.preset_picker = w.Dropdown(
            options=[("(choose a preset)", "")] + [(n, n) for n in PRESETS], value=""
        )
        self.preset_button = w.Button(description="Apply preset", icon="magic")
        self.preset_button.on_click(
            lambda _: self.preset_picker.value and self.apply_preset(self.preset_picker.value)
        )
        self.upload = w.FileUpload(
            accept=".json,.yaml,.yml", multiple=False, description="Upload skeleton"
        )
        self.upload.observe(self._on_upload, names="value")
        self.include_secrets = w.Checkbox(value=False, description="include secrets", indent=False)
        self.include_secrets.observe(lambda _: self._refresh_texts(force=True), names="value")
        self.download_button = w.Button(description="Prepare download", icon="download")
        self.download_button.on_click(lambda _: self._prepare_download())
        self.download_link = w.HTML()
        self.io_message = w.HTML()
        self.form_box = w.VBox()
        self.json_text = w.Textarea(
            continuous_update=False, layout=w.Layout(width="100%", height="420px")
        )
        self.yaml_text = w.Textarea(
            continuous_update=False, layout=w.Layout(width="100%", height="420px")
        )
        self.json_error = w.HTML()
        self.yaml_error = w.HTML()
        self.json_text.add_class("aaw-json")
        self.yaml_text.add_class("aaw-yaml")
        self.json_text.observe(lambda c: self._on_text(c, "json"), names="value")
        self.yaml_text.observe(lambda c: self._on_text(c, "yaml"), names="value")
        self.cli_command = w.HTML()
        self.cli_skeleton = w.Textarea(layout=w.Layout(width="100%", height="300px"))
        self.tabs = w.Tab(
            children=[
                self.form_box,
                w.VBox([self.json_error, self.json_text]),
                w.VBox([self.yaml_error, self.yaml_text]),
                w.VBox(
                    [
                        w.HTML("<b>Command</b>"),
                        self.cli_command,
                        w.HTML(
                            "<b>Skeleton</b> (save as <code>auth.json</code>, then "
                            "<code>--cli-input-json file://auth.json</code>)"
                        ),
                        self.cli_skeleton,
                    ]
                ),
            ]
        )
        for i, title in enumerate(("Form", "JSON", "YAML", "AWS CLI")):
            self.tabs.set_title(i, title)
        self.tabs.observe(lambda _: self._refresh_texts(), names="selected_index")
        self.summary = w.HTML()
        self.load_button = w.Button(description="Load current", icon="cloud-download")
        self.create_button = w.Button(description="Create", icon="plus", button_style="primary")
        self.update_button = w.Button(description="Update", icon="pencil", button_style="primary")
        self.delete_button = w.Button(description="Delete", icon="trash", button_style="danger")
        self.confirm_button = w.Button(description="Confirm", button_style="warning")
        self.cancel_button = w.Button(description="Cancel")
        for name in ("load", "create", "update", "delete", "confirm", "cancel"):
            getattr(self, f"{name}_button").add_class(f"aaw-{name}")
        self.load_button.on_click(lambda _: self.load_current())
        self.create_button.on_click(lambda _: self.create())
        self.update_button.on_click(lambda _: self.update())
        self.delete_button.on_click(lambda _: self.delete())
        self.confirm_button.on_click(lambda _: self.confirm())
        self.cancel_button.on_click(lambda _: self.cancel())
        self.confirm_text = w.HTML()
        self.confirm_box = w.VBox(
            [self.confirm_text, w.HBox([self.confirm_button, self.cancel_button])]
        )
        self.confirm_box.layout.display = "none"
        self.progress = w.IntProgress(
            value=0,
            min=0,
            max=1,
            bar_style="info",
            layout=w.Layout(width="160px", visibility="hidden"),
        )
        self.status = w.HTML()
        self.widget = w.VBox(
            [
                w.HBox([self.operation_toggle]),
                w.HBox([self.preset_picker, self.preset_button, self.upload]),
                w.HBox([self.download_button, self.include_secrets, self.download_link]),
                self.io_message,
                self.tabs,
                self.summary,
                w.HBox(
                    [
                        self.load_button,
                        self.create_button,
                        self.update_button,
                        self.delete_button,
                        self.progress,
                    ]
                ),
                self.confirm_box,
                self.status,
            ]
        )
        self.widget.add_class("aaw-editor")

    def _build_form(self) -> None:
        spec = self._spec_for(self._operation)
        self.root = build_field(spec, self._on_field)
        assert isinstance(self.root, StructureField)
        self._fields = {f.path: f for f in self.root.fields()}
        sections = []
        for title, boxes, folded in lay_out(self.root):
            body = w.VBox(boxes)
            if folded:
                fold = w.Accordion(children=[body], selected_index=None)
                fold.set_title(0, title)
                sections.append(fold)
            else:
                sections.append(w.VBox([w.HTML(f"<h4>{title}</h4>"), body]))
        self.form_box.children = sections

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # -- value and findings ----------------------------------------------------------------

    @property
    def operation(self) -> str:
        return self._operation

    @operation.setter
    def operation(self, operation: str) -> None:
        self.operation_toggle.value = operation

    def _on_operation(self, change: Any) -> None:
        old, new = change["old"], change["new"]
        value = self.value
        self._set_aside[old] = value
        self._operation = new
        self._build_form()
        restored = deep_merge(self._set_aside.get(new, {}), value)
        pruned, removed = prune(restored, self._spec_for(new))
        self.value = pruned
        self.io_message.value = (
            f"<i>Set aside, not in {new}: {', '.join(removed)} (switch back to restore).</i>"
            if removed
            else ""
        )
        self._show_buttons()

    @property
    def value(self) -> dict[str, Any]:
        """The request: only what was chosen or loaded, exactly."""
        value = self.root.get()
        return value if isinstance(value, dict) else {}

    @value.setter
    def value(self, request: dict[str, Any]) -> None:
        self._quiet = True
        try:
            self.root.set(request if isinstance(request, dict) else MISSING)
        finally:
            self._quiet = False
        self._revalidate()

    def field(self, path: str) -> Field:
        """The field at an API path (``ResourceConfig.UserPoolConfigs.SignInMethod``)."""
        try:
            return self._fields[path]
        except KeyError:
            raise KeyError(f"no field at {path!r}") from None

    def _on_field(self, field: Field) -> None:
        if not self._quiet:
            self._revalidate()

    def _field_for(self, path: str) -> Field:
        """The field that shows a finding: the one at its path, or the nearest one a person
        can see (a member of a switched-off structure shows on the structure's switch)."""
        path = path.split("[", 1)[0]
        while path and path not in self._fields:
            path = path.rsplit(".", 1)[0] if "." in path else ""
        steps = path.split(".") if path else []
        for i in range(1, len(steps)):
            ancestor = self._fields.get(".".join(steps[:i]))
            if isinstance(ancestor, StructureField) and not ancestor.control.value:
                return ancestor
        return self._fields.get(path, self.root)

    def _revalidate(self) -> None:
        value = self.value
        self.findings = validate(value, self._operation)
        per_field: dict[str, list[Finding]] = {}
        for finding in self.findings:
            per_field.setdefault(self._field_for(finding.path).path, []).append(finding)
        for path, field in self._fields.items():
            field.show(per_field.get(path, []))
        for path, (applies, reason) in CONDITIONS.items():
            field = self._fields.get(path)
            if isinstance(field, StructureField):
                field.enable(applies(value), reason)
        errors = sum(f.is_error for f in self.findings)
        warnings = len(self.findings) - errors
        head = (
            f"<b>{errors} error(s), {warnings} warning(s)</b>"
            if self.findings
            else "<b>No findings: ready to send.</b>"
        )
        lines = "".join(
            f"<li><code>{f.path or '(request)'}</code> {render_findings([f])}</li>"
            for f in self.findings
        )
        self.summary.value = f'<div class="aaw-summary">{head}<ul>{lines}</ul></div>'
        self._text_dirty = True
        self._refresh_texts()
        self._show_buttons()

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)

    # -- texts: JSON, YAML, AWS CLI, download ----------------------------------------------

    def export(self, fmt: str = "json", include_secrets: bool = False) -> str:
        """The request as a skeleton file's text; secrets redacted unless asked."""
        data = self.value if include_secrets else redact(self.value)
        return to_yaml(data) if fmt == "yaml" else to_json(data)

    def _refresh_texts(self, force: bool = False) -> None:
        if force:
            self._text_dirty = True
        if not self._text_dirty or self.tabs.selected_index in (0, None):
            return
        secrets = self.include_secrets.value
        self._writing_text = True
        try:
            self.json_text.value = self.export("json", secrets)
            self.yaml_text.value = self.export("yaml", secrets)
        finally:
            self._writing_text = False
        command = command_line(self.value, self._operation, include_secrets=secrets)
        self.cli_command.value = f"<pre style='white-space:pre-wrap'>{escape(command)}</pre>"
        self.cli_skeleton.value = self.json_text.value
        self._text_dirty = False

    def _on_text(self, change: Any, fmt: str) -> None:
        if getattr(self, "_writing_text", False):
            return
        self.load_text(change["new"], fmt)

    def load_text(self, text: str, fmt: str = "json", source: str = "") -> bool:
        """Fill the form from JSON or YAML text; on a parse error, say where and keep the form."""
        where = source or f"{fmt.upper()} tab"
        error_box = self.yaml_error if fmt == "yaml" else self.json_error
        try:
            data = parse_yaml(text, where) if fmt == "yaml" else parse_json(text, where)
            if not isinstance(data, dict):
                raise InputError("the request must be an object of request members", where)
        except InputError as exc:
            message = (
                f'<span style="color:#b00020">{escape(str(exc))}. The form keeps its '
                "last good state.</span>"
            )
            error_box.value = message
            self.io_message.value = message if source else self.io_message.value
            return False
        error_box.value = ""
        self.value = restore_secrets(data, self.value)
        return True

    def _on_upload(self, change: Any) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = upload["name"]
        try:
            text = bytes(upload["content"]).decode("utf-8")
        except UnicodeDecodeError:
            self.io_message.value = (
                f'<span style="color:#b00020">{escape(name)} is not UTF-8 '
                "text; nothing was loaded.</span>"
            )
            return
        fmt = "json" if name.lower().endswith(".json") else "yaml"
        if self.load_text(text, fmt, source=name):
            self.io_message.value = f"Loaded {escape(name)}."

    def _prepare_download(self) -> str:
        text = self.export("json", self.include_secrets.value)
        name = f"{self._operation}-{self.value.get('AppId') or 'request'}.json"
        self.download_link.value = download_link(name, text.encode(), "application/json")
        return text

    # -- presets ---------------------------------------------------------------------------

    def apply_preset(self, name: str) -> None:
        """Replace the configuration with a preset; the target (app, environment) stays."""
        value = {k: v for k, v in self.value.items() if k in TARGET}
        config = preset(name)
        if self._operation != "CreateBackendAuth":
            config, _ = prune(config, self._spec_for(self._operation).member("ResourceConfig"))
        value["ResourceConfig"] = config
        self.value = value
