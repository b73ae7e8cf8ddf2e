"""The editor's requests to the service: Load current, Create, Update, Delete.

Each runs in a background thread so that the kernel never waits on the network; the buttons
are disabled while one is under way, so a double click sends once. Update first shows the
difference from the current configuration, Delete asks; Confirm sends. Errors are shown in
words in the status line, never as a traceback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..diff import config_diff, deep_merge, describe_change, prune
from ..service import ApiError, ValidationFailed
from .html import error_html, escape

TARGET = ("AppId", "BackendEnvironmentName", "ResourceName")


class SubmitMixin:
    """Mixed into AuthConfigEditor, whose widgets and value it uses."""

    service: Any
    background: bool
    value: dict[str, Any]
    has_errors: bool
    current: dict[str, Any] | None
    last_response: dict[str, Any] | None
    _operation: str
    _busy: bool
    _thread: threading.Thread | None
    _pending: Callable[[], Any] | None
    _callbacks: list[Callable[[dict[str, Any], str, dict[str, Any]], None]]
    _spec_for: Callable[[str], Any]

    def on_submit(self, callback: Callable[[dict[str, Any], str, dict[str, Any]], None]) -> None:
        """Call ``callback(response, operation, request)`` after every accepted request."""
        self._callbacks.append(callback)

    def _show_buttons(self) -> None:
        no_service = self.service is None
        target_missing = any(
            not isinstance(self.value.get(k), str) or not self.value.get(k) for k in TARGET
        )
        self.create_button.disabled = (
            no_service or self._busy or self.has_errors or self._operation != "CreateBackendAuth"
        )
        self.update_button.disabled = (
            no_service or self._busy or self.has_errors or self._operation != "UpdateBackendAuth"
        )
        self.delete_button.disabled = no_service or self._busy or target_missing
        self.load_button.disabled = no_service or self._busy or target_missing
        self.confirm_button.disabled = self._busy
        reason = ""
        if no_service:
            reason = "Not connected to a service: give the editor a BackendAuthService."
        elif self.has_errors:
            reason = "Fix the errors above to send."
        self.create_button.tooltip = self.update_button.tooltip = reason

    def _run(self, label: str, work: Callable[[], Any], done: Callable[[Any], None]) -> bool:
        if self._busy or self.service is None:
            return False
        self._busy = True
        self._show_buttons()
        self.progress.layout.visibility = "visible"
        self.progress.bar_style = "info"
        self.status.value = f"{label}&hellip;"

        def body() -> None:
            try:
                done(work())
            except ValidationFailed as exc:
                self.status.value = error_html(f"Not sent: {len(exc.findings)} error(s).")
            except ApiError as exc:
                self.status.value = error_html(
                    f"{exc.operation} failed: {exc.message} ({exc.code}"
                    + (f", HTTP {exc.http_status}" if exc.http_status else "")
                    + ")"
                )
            except Exception as exc:  # shown in words, never as a traceback
                self.status.value = error_html(f"{label} failed: {type(exc).__name__}: {exc}")
            finally:
                self._busy = False
                self.progress.layout.visibility = "hidden"
                self._show_buttons()

        if self.background:
            self._thread = threading.Thread(target=body, name=f"editor-{label}", daemon=True)
            self._thread.start()
        else:
            body()
        return True

    def join(self, timeout: float | None = 30) -> None:
        """Wait for a request under way (for scripts and tests; the UI never needs it)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _target(self) -> tuple[str, str, str]:
        value = self.value
        return tuple(str(value.get(k, "")) for k in TARGET)  # type: ignore[return-value]

    def load_current(self) -> bool:
        """Read the target's configuration (GetBackendAuth) into the form."""
        app_id, env, resource = self._target()

        def loaded(response: dict[str, Any]) -> None:
            config = response.get("ResourceConfig") or {}
            self.current = config
            value = {k: v for k, v in self.value.items() if k in TARGET}
            spec = self._spec_for(self._operation).member("ResourceConfig")
            value["ResourceConfig"], _ = prune(config, spec) if spec else (config, [])
            self.value = value
            self.status.value = f"Loaded the current configuration of {app_id}/{env}."

        return self._run(
            "Loading", lambda: self.service.get_backend_auth(app_id, env, resource), loaded
        )

    def _send(self, operation: str) -> bool:
        request = self.value

        def sent(response: dict[str, Any]) -> None:
            self.last_response = response
            self.status.value = (
                f"<b>{response.get('Operation', operation)}</b>: job "
                f"<code>{response.get('JobId')}</code> {response.get('Status')}"
            )
            for callback in self._callbacks:
                callback(response, operation, request)

        call = {
            "CreateBackendAuth": lambda: self.service.create_backend_auth(request),
            "UpdateBackendAuth": lambda: self.service.update_backend_auth(request),
            "DeleteBackendAuth": lambda: self.service.delete_backend_auth(*self._target()),
        }[operation]
        return self._run(f"Sending {operation}", call, sent)

    def create(self) -> bool:
        if self.create_button.disabled:
            return False
        return self._send("CreateBackendAuth")

    def update(self) -> bool:
        """First show the difference from the current configuration; Confirm sends."""
        if self.update_button.disabled:
            return False
        proposed = self.value.get("ResourceConfig") or {}
        if self.current is None:
            self.confirm_text.value = (
                "<b>Update</b>: the current configuration is not loaded (use Load current to "
                "see the difference). Send the update?"
            )
        else:
            merged = deep_merge(self.current, proposed)
            changes = config_diff(self.current, merged, "ResourceConfig")
            items = (
                "".join(f"<li><code>{escape(describe_change(*c))}</code></li>" for c in changes)
                or "<li>no change</li>"
            )
            self.confirm_text.value = f"<b>Update</b>: changes, path by path:<ul>{items}</ul>"
        self._ask(lambda: self._send("UpdateBackendAuth"))
        return True

    def delete(self) -> bool:
        if self.delete_button.disabled:
            return False
        app_id, env, resource = self._target()
        self.confirm_text.value = (
            f"<b>Delete</b> the auth resource <code>{escape(resource)}</code> of "
            f"<code>{escape(app_id)}</code>/<code>{escape(env)}</code>? This cannot be undone."
        )
        self._ask(lambda: self._send("DeleteBackendAuth"))
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
        self.status.value = "Cancelled."
