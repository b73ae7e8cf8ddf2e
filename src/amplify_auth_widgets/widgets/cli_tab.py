"""The AWS CLI tab: the command that sends the form's request, ready to paste in a shell.

It carries ``--endpoint-url`` (and ``--region``) when the editor talks to an endpoint of its
own, such as the local emulator, and the emulator's throwaway credentials as ``export`` lines,
so that it reaches the same service as the editor. Secrets are never written: each becomes a
shell variable (``"$GOOGLE_CLIENT_SECRET"``) named in a comment line to set first. The command
is monospace, with a Copy button (CSS classes ``aaw-cli-command`` and ``aaw-cli-copy``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..connection import EMULATOR_ACCESS_KEY, EMULATOR_SECRET_KEY
from ..secrets import REDACTED, is_secret_name
from ..skeleton import command_line
from .html import escape


def secret_variable(path: str) -> str:
    """The shell variable for a secret: ``...Google.ClientSecret`` -> ``GOOGLE_CLIENT_SECRET``."""
    from botocore import xform_name

    steps = path.split(".")
    return "_".join(xform_name(step).upper() for step in steps[-2:])


def _with_tokens(data: Any, path: str, found: dict[str, str]) -> Any:
    """``data`` with each secret value replaced by a token naming its shell variable."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            child = f"{path}.{key}" if path else key
            # whatever its shape: a secret given as a list or a number is still a secret
            if is_secret_name(key) and value not in (None, "", REDACTED):
                variable = secret_variable(child)
                found[variable] = f"@@{variable}@@"
                out[key] = found[variable]
            else:
                out[key] = _with_tokens(value, child, found)
        return out
    if isinstance(data, list):
        return [_with_tokens(v, f"{path}[]", found) for v in data]
    return data


def shell_script(request: dict[str, Any], operation: str, connection: Any = None) -> str:
    """Lines to paste into a POSIX shell: settings to export first, then the command."""
    variables: dict[str, str] = {}
    tokenised = _with_tokens(request, "", variables)
    extra: list[str] = []
    lines: list[str] = []
    endpoint = getattr(connection, "endpoint_url", None)
    if endpoint:
        extra += ["--endpoint-url", endpoint]
        region = getattr(connection, "region", None)
        if region:
            extra += ["--region", region]
        if getattr(connection, "access_key_id", None) == EMULATOR_ACCESS_KEY:
            lines.append("# The local emulator's throwaway credentials (not an AWS account's):")
            lines.append(
                f"export AWS_ACCESS_KEY_ID={EMULATOR_ACCESS_KEY} "
                f"AWS_SECRET_ACCESS_KEY={EMULATOR_SECRET_KEY}"
            )
    for variable in variables:
        lines.append(f"# Set first, without showing it: read -rs {variable} && export {variable}")
    command = command_line(tokenised, operation, include_secrets=True, extra=extra)
    for variable, token in variables.items():
        # The JSON is inside single quotes: close them, expand the variable, reopen.
        command = command.replace(token, f"'\"${variable}\"'")
    return "\n".join([*lines, command])


class CliTab(w.VBox):
    """The command, a Copy button, and the skeleton to save as a cli-input file."""

    def __init__(self) -> None:
        self.command = w.HTML()
        self.command.add_class("aaw-cli-command")
        self.skeleton = w.Textarea(layout=w.Layout(width="100%", height="300px"))
        self.script = ""
        super().__init__(
            [
                w.HTML("<b>Command</b> (paste it in a shell)"),
                self.command,
                w.HTML(
                    "<b>Skeleton</b> (save as <code>auth.json</code>, then "
                    "<code>--cli-input-json file://auth.json</code>)"
                ),
                self.skeleton,
            ]
        )

    def refresh(self, request: dict[str, Any], operation: str, connection: Any, skeleton: str):
        self.script = shell_script(request, operation, connection)
        copy = (
            '<button class="aaw-cli-copy" title="Copy the command" onclick="'
            "navigator.clipboard.writeText(this.nextElementSibling.innerText);"
            "this.textContent='Copied'\">Copy</button>"
        )
        self.command.value = f"{copy}<pre>{escape(self.script)}</pre>"
        self.skeleton.value = skeleton
