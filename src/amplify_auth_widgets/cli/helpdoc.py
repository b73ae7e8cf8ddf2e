"""Help that documents itself as the AWS CLI's does: every member of a structure option.

The AWS CLI's help for ``create-backend-auth`` documents ``--resource-config`` member by
member: ``Name -> (type) [required]``, the member's documentation, its valid values, its own
members indented below it, then the option's JSON syntax. argparse gives an option one line, so
``members_epilog`` writes the same sections after the options (as the command's epilog), from
the service model's spec tree (``core.model``), never from a list kept by hand.

``help_argv`` reads the AWS CLI's ``help`` word (``amplify-auth help``, ``amplify-auth COMMAND
help``, ``amplify-auth fleet audit help``) as ``--help`` at that level.
"""

from __future__ import annotations

import argparse
import textwrap

from ..core.model import FieldSpec
from ..core.skeleton import cli_name

#: The width the member sections are wrapped to (argparse wraps the rest to the terminal's).
WIDTH = 79
#: How far each level of nesting is indented, as the AWS CLI's help indents it.
STEP = "    "
#: The AWS CLI's word for help at any level of its command tree.
HELP_WORD = "help"


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, except that text already laid out in lines (the members epilog)
    is kept as it is instead of being refilled into one paragraph."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "\n".join(indent + line if line else "" for line in text.splitlines())
        return super()._fill_text(text, width, indent)


def help_argv(parser: argparse.ArgumentParser, argv: list[str]) -> list[str] | None:
    """``argv`` with the AWS CLI's ``help`` word read as ``--help``, or None when it has none.

    ``help`` is a help request when it ends a path of command names (``fleet audit help``,
    or ``help`` alone) or starts one (``help fleet audit``, as git and pip read it)."""
    if argv and argv[-1] == HELP_WORD:
        path = argv[:-1]
    elif argv and argv[0] == HELP_WORD:
        path = argv[1:]
    else:
        return None
    return [*path, "--help"] if _is_command_path(parser, path) else None


def _is_command_path(parser: argparse.ArgumentParser, path: list[str]) -> bool:
    """True if every word of ``path`` names a subcommand of the one before it."""
    current = parser
    for word in path:
        commands = _subcommands(current)
        if word not in commands:
            return False
        current = commands[word]
    return True


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands of ``parser`` by name (none for a command without any)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def members_epilog(request: FieldSpec) -> str:
    """The AWS CLI's documentation of every structure and list option of a request: each
    option's members, nested, then its JSON syntax. Empty when the request has none."""
    options = [m for m in request.members if m.is_structure or m.is_list]
    if not options:
        return ""
    lines = ["members of the structure options (from the service model):", ""]
    for member in options:
        lines += _option_lines(member)
    return "\n".join(lines).rstrip() + "\n"


def _option_lines(member: FieldSpec) -> list[str]:
    """One option's section: its header and documentation, its members, its JSON syntax."""
    required = " [required]" if member.required else ""
    lines = [f"--{cli_name(member.name)} ({member.type}){required}"]
    lines += _wrapped(member.documentation, STEP)
    lines.append("")
    for child in _children(member):
        lines += member_lines(child, 1)
    lines += [f"{STEP}JSON syntax:", ""]
    lines += [STEP * 2 + line for line in json_syntax(member).splitlines()]
    lines.append("")
    return lines


def _children(spec: FieldSpec) -> list[tuple[str, FieldSpec]]:
    """What the AWS CLI documents below a spec: a structure's members by name, a list's item
    unnamed."""
    if spec.is_structure:
        return [(m.name, m) for m in spec.members]
    if spec.is_list and spec.item is not None:
        return [("", spec.item)]
    return []


def member_lines(named: tuple[str, FieldSpec], depth: int) -> list[str]:
    """A member as the AWS CLI's help documents it, at ``depth`` levels of nesting:
    ``Name -> (type) [required]``, its documentation, ``Valid values: ...``, its members."""
    name, spec = named
    pad = STEP * depth
    title = f"{name} -> ({spec.type})" if name else f"({spec.type})"
    lines = [pad + title + (" [required]" if spec.required and name else "")]
    lines += _wrapped(spec.documentation, pad + STEP)
    if spec.enum:
        lines += _wrapped(f"Valid values: {', '.join(spec.enum)}", pad + STEP)
    children = _children(spec)
    if children or name:
        lines.append("")
    for child in children:
        lines += member_lines(child, depth + 1)
    if children and lines[-1]:
        lines.append("")  # after a list's unnamed item, as after any member
    return lines


def _wrapped(text: str, indent: str) -> list[str]:
    """``text`` wrapped to WIDTH at ``indent`` (no lines for no text)."""
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def json_syntax(spec: FieldSpec, indent: str = "") -> str:
    """The AWS CLI's JSON syntax example of a structure or list option: every member with
    ``"string"``, ``true|false``, the type's name, or its valid values joined by ``|``."""
    if spec.is_structure:
        inner = indent + "  "
        members = [f'{inner}"{m.name}": {json_syntax(m, inner)}' for m in spec.members]
        return "{\n" + ",\n".join(members) + f"\n{indent}}}" if members else "{}"
    if spec.is_list and spec.item is not None:
        if spec.item.is_structure or spec.item.is_list:
            inner = indent + "  "
            return f"[\n{inner}{json_syntax(spec.item, inner)}\n{inner}...\n{indent}]"
        return f"[{json_syntax(spec.item, indent)}, ...]"
    if spec.enum:
        return "|".join(f'"{value}"' for value in spec.enum)
    return {"string": '"string"', "boolean": "true|false"}.get(spec.type, spec.type)


def enum_help(spec: FieldSpec) -> str:
    """`` Valid values: A, B.`` for a scalar option with an enum (argparse's one line)."""
    return f" Valid values: {', '.join(spec.enum)}." if spec.enum else ""
