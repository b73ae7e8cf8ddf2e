"""Findings in the form's words: the labels a person sees instead of the API's member names.

The core's findings speak the API (``AppId is required; add it.``), which is right for the
command line, whose options are the API's names. Under a field labelled "App ID" the same
words read as jargon, so the widgets translate each message by the finding's path: every
member name the message holds becomes that member's label (``labels.label_for``), quoted
values (the user's own text) are left exactly as they are, and "; add it." goes where the
field itself is the place to add it.

``todo_text`` is the action bar's line for an error: "Identity pool > What to create: choose
one", the section, the label and what to do.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from ..core.findings import Finding
from ..core.model import FieldSpec, request_spec
from .labels import enum_label, label_for

#: A value a message quotes (``core.secrets.quote``: a Python repr): never translated.
QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")

#: A member name as messages write it, maybe with a list index: ``RedirectSignInURIs[1]``.
NAME = re.compile(r"\b([A-Z][A-Za-z0-9]*)(?:\[(\d+)\])?")

#: Between a section and a label in a to-do item ("Identity pool > What to create", with a
#: right-pointing angle quote, as breadcrumbs are written).
SEPARATOR = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"

#: model.enum's wording (core/validation.py): the value, the member, the choices.
ENUM_MESSAGE = re.compile(
    r"^(?P<value>.+) is not a valid (?P<name>\w+); choose one of (?P<choices>.+)\.$"
)


@functools.lru_cache(maxsize=8)
def labels_of(operation: str) -> dict[str, str]:
    """Member name -> label, for every member of ``operation``'s request whose label is not
    its own name (member names map to one label each in this model)."""
    labels: dict[str, str] = {}
    for spec in request_spec(operation).walk():
        if spec.path and spec.name not in labels:
            labels[spec.name] = label_for(spec)
    return {name: label for name, label in labels.items() if label != name}


def translate(text: str, labels: dict[str, str]) -> str:
    """``text`` with each member name outside quoted values replaced by its label; a list
    item ``Member[i]`` becomes "Label, line i+1" (lists are edited one item a line)."""

    def name(match: re.Match[str]) -> str:
        label = labels.get(match[1])
        if label is None:
            return match[0]
        return f"{label}, line {int(match[2]) + 1}" if match[2] is not None else label

    parts: list[str] = []
    last = 0
    for quoted in QUOTED.finditer(text):
        parts.append(NAME.sub(name, text[last : quoted.start()]))
        parts.append(quoted[0])
        last = quoted.end()
    parts.append(NAME.sub(name, text[last:]))
    return "".join(parts)


def spec_at(path: str, operation: str) -> FieldSpec | None:
    """The spec a finding's path names (list items named by their list), or None."""
    return request_spec(operation).find(path.split("[", 1)[0]) if path else None


def humane(finding: Finding, operation: str) -> str:
    """The finding's message in the form's words (see the module's docstring)."""
    labels = labels_of(operation)
    message = finding.message
    if finding.code == "model.required":
        message = message.removesuffix("; add it.") + "."
    elif finding.code == "model.enum" and (match := ENUM_MESSAGE.match(message)):
        spec = spec_at(finding.path, operation)
        label = labels.get(match["name"], match["name"])
        if spec is not None and spec.is_list and spec.item is not None:
            spec = spec.item  # a list's item is named by its list: the choices are the item's
        choices = [enum_label(v) for v in spec.enum] if spec is not None else []
        choices = choices or [match["choices"]]
        return f"{match['value']} is not one of the choices for {label}: {', '.join(choices)}."
    return translate(message, labels)


def humane_findings(findings: list[Finding], operation: str) -> list[Finding]:
    """The same findings (path, severity, code kept) with their messages in the form's words."""
    return [dataclasses.replace(f, message=humane(f, operation)) for f in findings]


def is_choice(spec: FieldSpec) -> bool:
    """Whether a person fills ``spec`` by choosing (a list of values, on/off) not by typing."""
    item = spec.item
    return bool(spec.enum) or spec.type == "boolean" or (item is not None and bool(item.enum))


def todo_text(finding: Finding, section: str, operation: str) -> str:
    """The action bar's line for an error: "Section > Label: what to do"."""
    spec = spec_at(finding.path, operation)
    label = label_for(spec) if spec is not None else "Request"
    if finding.code == "model.required" and spec is not None:
        what = "choose one" if is_choice(spec) else "required"
    else:
        what = humane(finding, operation).rstrip(".")
    return f"{section} {SEPARATOR} {label}: {what}"
