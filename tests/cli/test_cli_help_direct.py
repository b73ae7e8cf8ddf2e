"""`amplify-auth ... help` at every level, and help that documents every member from the model."""

import argparse
import io
import json
import re

import pytest

from amplify_auth_widgets.cli.entry import build_parser, main
from amplify_auth_widgets.cli.helpdoc import STEP, enum_help, help_argv, json_syntax
from amplify_auth_widgets.core.model import FieldSpec, request_spec
from amplify_auth_widgets.core.skeleton import input_skeleton


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def command_paths(parser, path=()):
    """Every command of the tree, as the words that name it (the top level is ())."""
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from command_paths(sub, (*path, name))


PATHS = list(command_paths(build_parser()))


def test_the_tree_has_every_level():
    assert () in PATHS and ("create-backend-auth",) in PATHS
    assert ("fleet",) in PATHS and ("fleet", "audit") in PATHS
    assert len(PATHS) > 15


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "top")
def test_help_at_every_level_is_its_help_and_exits_0(path):
    code, out, err = run(*path, "help")
    assert (code, err) == (0, "")
    assert out.startswith(f"usage: {' '.join(('amplify-auth', *path))} ")
    assert run(*path, "--help") == (0, out, "")
    assert run("help", *path) == (0, out, "")  # as git and pip read it, too


def test_help_is_a_help_request_only_at_the_end_of_a_command_path():
    parser = build_parser()
    assert help_argv(parser, ["fleet", "audit", "help"]) == ["fleet", "audit", "--help"]
    assert help_argv(parser, ["help"]) == ["--help"]
    assert help_argv(parser, ["create-backend-auth", "--app-id", "help"]) is None
    assert help_argv(parser, ["no-such-command", "help"]) is None
    code, _, err = run("no-such-command", "help")
    assert code == 252 and "invalid choice: 'no-such-command'" in err
    code, out, _ = run("create-backend-auth", "--app-id", "help", "--validate-only")
    assert code == 252 and "AppId 'help' is not an Amplify app id" in out  # a value, not help


def test_no_command_still_prints_the_usage_and_exits_252():
    code, out, _ = run()
    assert code == 252 and "Run 'amplify-auth COMMAND help' (or --help)" in out


def members_section(out: str) -> str:
    return out.split("members of the structure options (from the service model):\n\n")[1]


def documented(section: str) -> dict[str, tuple[int, str]]:
    """Each `Name -> (type) [required]` line of the members section, by dotted path: its
    indent and the text that follows it up to the next blank line (its documentation)."""
    found: dict[str, tuple[int, str]] = {}
    stack: list[tuple[int, str]] = []
    lines = section.split("JSON syntax:")[0].splitlines()
    for i, line in enumerate(lines):
        match = re.fullmatch(r"( *)(\w+) -> \((\w+)\)( \[required\])?", line)
        if not match:
            continue
        indent = len(match[1])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match[2]))
        body = []
        for following in lines[i + 1 :]:
            if not following.strip() or "->" in following:
                break
            body.append(following.strip())
        key = ".".join(name for _, name in stack)
        found[key] = (indent, f"({match[3]}){match[4] or ''} " + " ".join(body))
    return found


@pytest.mark.parametrize("operation", ["CreateBackendAuth", "UpdateBackendAuth"])
def test_every_member_of_resource_config_is_documented_from_the_model(operation):
    command = "create-backend-auth" if operation == "CreateBackendAuth" else "update-backend-auth"
    code, out, _ = run(command, "help")
    assert code == 0
    section = members_section(out)
    assert section.startswith(
        "--resource-config (structure) [required]\n"
        f"{STEP}The resource configuration for this request object.\n"
    )
    found = documented(section)
    config = request_spec(operation).member("ResourceConfig")
    expected = [s for s in config.walk() if s is not config and not s.path.endswith("[]")]

    def inside(spec):  # the path below --resource-config
        return spec.path.removeprefix("ResourceConfig.")

    assert sorted(found) == sorted(inside(s) for s in expected)  # every member, no other
    for spec in expected:
        depth = spec.path.count(".")
        indent, text = found[inside(spec)]
        assert indent == len(STEP) * depth, spec.path
        required = " [required]" if spec.required else ""
        assert text.startswith(f"({spec.type}){required} {spec.documentation}"), spec.path
        if spec.enum:
            assert f"Valid values: {', '.join(spec.enum)}" in text, spec.path
    flat = " ".join(section.split())
    for spec in expected:  # a list's items: their type and valid values below the list
        if spec.is_list and spec.item is not None:
            required = " [required]" if spec.required else ""
            values = f" Valid values: {', '.join(spec.item.enum)}" if spec.item.enum else ""
            said = f"{spec.name} -> (list){required} {spec.documentation} (string){values} "
            assert said in flat, spec.path


def test_the_json_syntax_has_every_member_of_the_skeleton():
    code, out, _ = run("create-backend-auth", "help")
    assert code == 0
    syntax = out.split("JSON syntax:\n\n")[1]
    assert syntax.startswith(f'{STEP * 2}{{\n{STEP * 2}  "AuthResources": "USER_POOL_ONLY"|')
    # one of each choice, a number for a number: the example reads as JSON
    readable = re.sub(r'("[A-Z_]+")(\|"[A-Z_]+")+', r"\1", syntax)
    readable = readable.replace("true|false", "true").replace(", ...]", "]").replace("double", "0")
    example = json.loads(readable)
    skeleton = input_skeleton()["ResourceConfig"]

    def keys(value):
        if isinstance(value, dict):
            return {k: keys(v) for k, v in value.items()}
        return [keys(v) for v in value] if isinstance(value, list) else None

    assert keys(example) == keys(skeleton)


def test_json_syntax_of_a_list_of_structures_and_empty_structures():
    item = FieldSpec(
        "L", "L[]", "structure", "I", members=(FieldSpec("A", "L[].A", "integer", "N"),)
    )
    listing = FieldSpec("L", "L", "list", "L", item=item)
    assert json_syntax(listing) == '[\n  {\n    "A": integer\n  }\n  ...\n]'
    assert json_syntax(FieldSpec("E", "E", "structure", "E")) == "{}"


def test_a_scalar_option_with_valid_values_says_them():
    spec = FieldSpec("Status", "Status", "string", "S", enum=("RUNNING", "DONE"))
    assert enum_help(spec) == " Valid values: RUNNING, DONE."
    assert enum_help(FieldSpec("Id", "Id", "string", "S")) == ""


def test_the_option_line_points_at_the_members_and_the_skeleton_kinds_are_documented():
    code, out, _ = run("create-backend-auth", "help")
    assert code == 0
    flat = " ".join(out.split())
    assert (
        "--resource-config VALUE The resource configuration for this request object. "
        "(JSON or file://path; required; its members are below)"
    ) in flat
    assert "input-minimal and yaml-input-minimal hold only the required members" in flat
    assert "members of the structure options" not in run("get-backend-job", "help")[1]
