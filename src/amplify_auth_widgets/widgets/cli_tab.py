"""The AWS CLI tab: the command that sends the form's request, ready to paste in a shell.

It carries ``--endpoint-url`` (and ``--region``) when the editor talks to an endpoint of its
own, such as the local emulator, and the emulator's throwaway credentials as ``export`` lines,
so that it reaches the same service as the editor. Secrets are never written: each becomes a
shell variable (``"$GOOGLE_CLIENT_SECRET"``) named in a comment line to set first. The command
is highlighted code in the code font (``codeview``; long lines wrap, as a pasted command may
be long) after a Copy button (CSS classes ``aaw-cli-command`` and ``aaw-cli-copy``); the
skeleton is a text area in the code font.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import ipywidgets as w

from ..client.connection import EMULATOR_ACCESS_KEY, EMULATOR_SECRET_KEY
from ..core.model import REDACTED
from ..core.secrets import is_secret_name
from ..core.skeleton import command_line
from .access import name as give_name
from .codeview import CODE_CSS, TEXT_AREA_CLASS, highlight, scroll_box
from .html import error_html

#: What cannot be in a shell variable's name: a run of it becomes one ``_``.
_NOT_IN_A_NAME = re.compile(r"[^A-Z0-9]+")


def secret_variable(path: str) -> str:
    """The shell variable for a secret: ``...Google.ClientSecret`` -> ``GOOGLE_CLIENT_SECRET``.

    Keys are data (a provider's name may be anything), so the name keeps only ``A-Z``, ``0-9``
    and ``_``, each run of other characters becoming one ``_``, and never starts with a digit:
    ``x$(touch F).ClientSecret`` -> ``X_TOUCH_F_CLIENT_SECRET``.
    """
    from botocore import xform_name

    steps = path.split(".")
    name = "_".join(xform_name(step).upper() for step in steps[-2:])
    name = _NOT_IN_A_NAME.sub("_", name).strip("_") or "SECRET"
    return f"_{name}" if name[0].isdigit() else name


def _with_tokens(data: Any, path: str, found: dict[str, str], marker: str) -> Any:
    """``data`` with each secret value replaced by a token naming its shell variable; ``found``
    gets each variable (one a secret: two keys that make the same name get ``_2``, ``_3``)."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            child = f"{path}.{key}" if path else key
            # whatever its shape: a secret given as a list or a number is still a secret
            if is_secret_name(key) and value not in (None, "", REDACTED):
                base = variable = secret_variable(child)
                count = 1
                while variable in found:
                    count += 1
                    variable = f"{base}_{count}"
                found[variable] = f"{marker}{variable}{marker}"
                out[key] = found[variable]
            else:
                out[key] = _with_tokens(value, child, found, marker)
        return out
    if isinstance(data, list):
        return [_with_tokens(v, f"{path}[]", found, marker) for v in data]
    return data


def shell_script(request: dict[str, Any], operation: str, connection: Any = None) -> str:
    """Lines to paste into a POSIX shell: settings to export first, then the command.

    Every value is quoted for the shell (``shlex.quote``), variable names are ``[A-Z0-9_]``
    and comment lines hold nothing from the request: whatever the request holds, pasting the
    lines runs ``aws`` with the request's values as its arguments, and nothing else.
    """
    extra: list[str] = []
    lines: list[str] = []
    _refuse_nul(request)
    endpoint = getattr(connection, "endpoint_url", None)
    if endpoint:
        extra += ["--endpoint-url", str(endpoint)]
        region = getattr(connection, "region", None)
        if region:
            extra += ["--region", str(region)]
        if getattr(connection, "access_key_id", None) == EMULATOR_ACCESS_KEY:
            lines.append("# The local emulator's throwaway credentials (not an AWS account's):")
            lines.append(
                f"export AWS_ACCESS_KEY_ID={shlex.quote(EMULATOR_ACCESS_KEY)} "
                f"AWS_SECRET_ACCESS_KEY={shlex.quote(EMULATOR_SECRET_KEY)}"
            )
    # A token no value holds, so that only the secrets' places are replaced below.
    text = json.dumps([request, extra], ensure_ascii=False, default=str)
    marker = "@@"
    while marker in text:
        marker += "@"
    variables: dict[str, str] = {}
    tokenised = _with_tokens(request, "", variables, marker)
    for variable in variables:
        lines.append(f"# Set first, without showing it: read -rs {variable} && export {variable}")
    command = command_line(tokenised, operation, include_secrets=True, extra=extra)
    in_json = False
    for variable, token in variables.items():
        # A whole word (a secret given as a member of its own) is left bare by shlex.quote
        command = re.sub(f"(?<= ){token}(?= |$)", f'"${variable}"', command)
        # Inside JSON, which is inside single quotes: close them, put the value in as a JSON
        # string's text (a quote or backslash in a secret must not end the string), reopen.
        if token in command:
            in_json = True
            command = command.replace(token, f'\'"$({JSON_TEXT} "${variable}")"\'')
    if in_json:
        lines.append(f"# {JSON_TEXT} writes its argument as the text of a JSON string:")
        lines.append(JSON_TEXT_FUNCTION)
    return "\n".join([*lines, command])


#: The shell function that escapes a secret for the JSON it goes into: backslash, quote, and
#: every control character (a line break as \n), as JSON's grammar wants; bytes of UTF-8
#: text pass as they are. POSIX sh and awk: no jq, no Python needed where the command is pasted.
JSON_TEXT = "aaw_json_text"
JSON_TEXT_FUNCTION = (
    f'{JSON_TEXT}() {{ printf \'%s\' "$1" | awk \'BEGIN {{ ORS = ""; '
    'for (i = 1; i < 32; i++) esc[sprintf("%c", i)] = sprintf("\\\\u%04x", i); '
    'esc["\\""] = "\\\\\\""; esc["\\\\"] = "\\\\\\\\"; esc["\\t"] = "\\\\t" } '
    '{ if (NR > 1) printf "\\\\n"; n = length($0); '
    "for (i = 1; i <= n; i++) { c = substr($0, i, 1); "
    'printf "%s", ((c in esc) ? esc[c] : c) } }\'; }'
)


def _refuse_nul(request: dict[str, Any]) -> None:
    """A NUL cannot be in a command line's argument (a shell drops it, and ``aws`` would get
    another value): a top-level member holding one has no command. (Inside ``--resource-config``
    JSON escapes it, and a secret is a shell variable's.)"""
    for name, value in request.items():
        if is_secret_name(str(name)):
            continue
        if "\x00" in str(name) or (isinstance(value, str) and "\x00" in value):
            shown = str(name).replace("\x00", "\\x00")
            raise ValueError(
                f"{shown}: holds a NUL character (\\x00), which no command line can carry; "
                "remove it to get the command"
            )


class CliTab(w.VBox):
    """The command, a Copy button, and the skeleton to save as a cli-input file."""

    def __init__(self) -> None:
        self.command = w.HTML()
        self.command.add_class("aaw-cli-command")
        self.skeleton = w.Textarea(layout=w.Layout(width="100%", height="300px"))
        self.skeleton.add_class(TEXT_AREA_CLASS)
        give_name(self.skeleton, "Skeleton, to save as a cli-input JSON file")
        self.script = ""
        super().__init__(
            [
                # the code's style sheet, with the heading: there from the start, for both
                w.HTML(CODE_CSS + "<b>Command</b> (paste it in a shell)"),
                self.command,
                w.HTML(
                    "<b>Skeleton</b> (save as <code>auth.json</code>, then "
                    "<code>--cli-input-json file://auth.json</code>)"
                ),
                self.skeleton,
            ]
        )

    def refresh(self, request: dict[str, Any], operation: str, connection: Any, skeleton: str):
        try:
            self.script = shell_script(request, operation, connection)
        except ValueError as exc:
            self.script = ""
            self.command.value = error_html(f"No command to paste: {exc}.")
            self.skeleton.value = skeleton
            return
        copy = (
            '<button class="aaw-cli-copy" title="Copy the command" onclick="'
            "navigator.clipboard.writeText(this.nextElementSibling.innerText);"
            "this.textContent='Copied'\">Copy</button>"
        )
        # the box right after the button: the button copies its text (innerText: no markup)
        shown = scroll_box(highlight(self.script, "shell", wrap=True), "Command to paste")
        self.command.value = f"{copy}{shown}"
        self.skeleton.value = skeleton
