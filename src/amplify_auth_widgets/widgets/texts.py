"""The request as text: JSON and YAML tabs (editable) and the AWS CLI tab.

The tabs are written only while one of them is shown (``refresh``), so typing in the form costs
no serialisation. Secrets are redacted unless the editor's "include secrets" is ticked; a
parse error in an edited tab is shown above it and the form keeps its last good state.
CSS classes: ``aaw-json``, ``aaw-yaml`` (the text areas, in the code font: ``aaw-code-text``),
``aaw-cli-command`` (the command).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..core.skeleton import to_json, to_yaml
from .access import name
from .cli_tab import CliTab
from .codeview import TEXT_AREA_CLASS, TEXT_AREA_CSS


class RequestTexts:
    """The JSON, YAML and AWS CLI panels; ``load(text, fmt)`` takes an edited text back."""

    def __init__(self, load: Callable[[str, str], bool]) -> None:
        self._load = load
        self._writing = False
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
        for text in (self.json_text, self.yaml_text):
            text.add_class(TEXT_AREA_CLASS)
        # named for a screen reader (the tab's title is the only words beside them)
        name(self.json_text, "The request as JSON (edit it to change the form)")
        name(self.yaml_text, "The request as YAML (edit it to change the form)")
        self.json_text.observe(lambda c: self._on_text(c, "json"), names="value")
        self.yaml_text.observe(lambda c: self._on_text(c, "yaml"), names="value")
        self.cli = CliTab()
        # the code font's style sheet, in each panel (a panel may be shown alone)
        self.panels = [
            w.VBox([w.HTML(TEXT_AREA_CSS), self.json_error, self.json_text]),
            w.VBox([w.HTML(TEXT_AREA_CSS), self.yaml_error, self.yaml_text]),
            self.cli,
        ]

    def error_box(self, fmt: str) -> w.HTML:
        return self.yaml_error if fmt == "yaml" else self.json_error

    def _on_text(self, change: Any, fmt: str) -> None:
        if not self._writing:
            self._load(change["new"], fmt)

    def refresh(
        self, shown: dict[str, Any], value: dict[str, Any], operation: str, connection: Any
    ) -> None:
        """Write ``shown`` (redacted or not) to the tabs; the CLI tab gets the real request
        and makes its secrets shell variables."""
        self._writing = True
        try:
            self.json_text.value = to_json(shown)
            self.yaml_text.value = to_yaml(shown)
        finally:
            self._writing = False
        self.cli.refresh(value, operation, connection, skeleton=self.json_text.value)
