"""The request in and out: presets, skeleton files (upload and download) and the text tabs.

``RequestIO`` works on the editor's request through callables (get, set, the operation, the
spec, the connection), so it knows nothing else of the editor. Secrets are in the request
(they must be sent) but never in the JSON, YAML and CLI tabs or a download unless "include
secrets" is ticked; redacted values typed back are restored from the form, so a round trip
through a tab or a file never loses a secret.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..core.diff import prune
from ..core.model import REDACTED, FieldSpec
from ..core.presets import PRESETS, preset
from ..core.secrets import is_secret_name, redact
from ..core.skeleton import InputError, parse_json, parse_yaml, to_json, to_yaml
from .access import name
from .html import download_link, error_html, escape
from .submit import TARGET
from .texts import RequestTexts

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: What a part of a file name made from data may not hold: path separators and what Windows
#: refuses; controls, format characters (bidi overrides), line and paragraph separators and
#: lone surrogates, by their Unicode category.
_NOT_IN_A_FILE_NAME = frozenset('/\\:*?"<>|')
_CATEGORIES_NOT_IN_A_FILE_NAME = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def file_name_part(value: Any, default: str = "request", limit: int = 50) -> str:
    """``value`` (data, such as an app's id) fit to be part of one file name: each character a
    name cannot or should not hold becomes ``_``, at most ``limit`` characters (200 bytes of
    UTF-8), no leading dot or dash; ``default`` when nothing is left."""
    text = value if isinstance(value, str) else ""
    kept = "".join(
        "_"
        if c in _NOT_IN_A_FILE_NAME or unicodedata.category(c) in _CATEGORIES_NOT_IN_A_FILE_NAME
        else c
        for c in text[:limit]
    )
    return kept.lstrip(".-").strip() or default


def restore_secrets(new: Any, old: Any) -> Any:
    """``new`` with every REDACTED secret replaced by the value at the same place in ``old``."""
    if isinstance(new, dict):
        old = old if isinstance(old, dict) else {}
        return {
            k: (
                old.get(k, v)
                if is_secret_name(k) and v == REDACTED
                else restore_secrets(v, old.get(k))
            )
            for k, v in new.items()
        }
    if isinstance(new, list):
        old = old if isinstance(old, list) else []
        return [restore_secrets(v, old[i] if i < len(old) else None) for i, v in enumerate(new)]
    return new


class RequestIO:
    """Presets, upload, download and the text tabs over one request."""

    def __init__(
        self,
        get_value: Callable[[], dict[str, Any]],
        set_value: Callable[[dict[str, Any]], None],
        operation: Callable[[], str],
        spec_for: Callable[[str], FieldSpec],
        connection: Callable[[], Any],
    ) -> None:
        self._get, self._set = get_value, set_value
        self._operation, self._spec_for, self._connection = operation, spec_for, connection
        self.dirty = True
        self.preset_picker = w.Dropdown(
            options=[("(choose a preset)", "")] + [(n, n) for n in PRESETS],
            value="",
            layout=w.Layout(width="auto"),
        )
        name(self.preset_picker, "Preset")  # its first option is no name: a screen reader's
        self.preset_button = w.Button(
            description="Apply preset", icon="magic", layout=w.Layout(width="auto")
        )
        self.preset_button.on_click(self._apply_picked_preset)
        self.upload = w.FileUpload(
            accept=".json,.yaml,.yml",
            multiple=False,
            description="Upload skeleton",
            layout=w.Layout(width="auto"),
        )
        self.upload.observe(self._on_upload, names="value")
        self.include_secrets = w.Checkbox(value=False, description="include secrets", indent=False)
        self.download_button = w.Button(
            description="Prepare download", icon="download", layout=w.Layout(width="auto")
        )
        self.download_button.on_click(lambda _: self.prepare_download())
        self.download_link = w.HTML()
        self.message = w.HTML()
        self.texts = RequestTexts(lambda text, fmt: self.load_text(text, fmt))
        wrap = w.Layout(flex_flow="row wrap")
        self.rows = [
            w.HBox([self.preset_picker, self.preset_button, self.upload], layout=wrap),
            w.HBox(
                [self.download_button, self.include_secrets, self.download_link],
                layout=w.Layout(flex_flow="row wrap"),
            ),
            self.message,
        ]

    def export(self, fmt: str = "json", include_secrets: bool = False) -> str:
        """The request as a skeleton file's text; secrets redacted unless asked."""
        value = self._get()
        data = value if include_secrets else redact(value)
        return to_yaml(data) if fmt == "yaml" else to_json(data)

    def refresh(self) -> None:
        """Write the text tabs, if the request changed since they were last written."""
        if not self.dirty:
            return
        value = self._get()
        shown = value if self.include_secrets.value else redact(value)
        self.texts.refresh(shown, value, self._operation(), self._connection())
        self.dirty = False

    def load_text(self, text: str, fmt: str = "json", source: str = "") -> bool:
        """Fill the form from JSON or YAML text; on a parse error, say where and keep the form."""
        where = source or f"{fmt.upper()} tab"
        error_box = self.texts.error_box(fmt)
        try:
            data = parse_yaml(text, where) if fmt == "yaml" else parse_json(text, where)
            if not isinstance(data, dict):
                raise InputError("the request must be an object of request members", where)
        except InputError as exc:
            message = error_html(f"{exc}. The form keeps its last good state.")
            error_box.value = message
            self.message.value = message if source else self.message.value
            return False
        error_box.value = ""
        self._set(restore_secrets(data, self._get()))
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
            self.message.value = error_html(f"{name} is not UTF-8 text; nothing was loaded.")
            return
        fmt = "json" if name.lower().endswith(".json") else "yaml"
        if self.load_text(text, fmt, source=name):
            self.message.value = f"Loaded {escape(name)}."

    def prepare_download(self) -> str:
        """Offer the request as a JSON skeleton file to save; its text."""
        text = self.export("json", self.include_secrets.value)
        name = f"{self._operation()}-{file_name_part(self._get().get('AppId'))}.json"
        # A lone surrogate (a JSON escape can give one) has no UTF-8: it is written as its
        # escape, which it can only be inside of a JSON string, and reads back the same.
        data = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text).encode()
        self.download_link.value = download_link(name, data, "application/json")
        return text

    def _apply_picked_preset(self, _button: Any = None) -> None:
        if self.preset_picker.value:
            self.apply_preset(self.preset_picker.value)

    def apply_preset(self, name: str) -> None:
        """Replace the configuration with a preset; the target (app, environment) stays."""
        value = {k: v for k, v in self._get().items() if k in TARGET}
        config = preset(name)
        operation = self._operation()
        if operation != "CreateBackendAuth":
            config, _ = prune(config, self._spec_for(operation).member("ResourceConfig"))
        value["ResourceConfig"] = config
        self._set(value)
