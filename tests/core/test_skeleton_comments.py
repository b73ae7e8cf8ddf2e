"""The YAML skeleton's comments are the AWS CLI v2's, from the service model; the minimal one.

The expected comments are computed here the way awscli v2 computes them
(``awscli/customizations/generatecliskeleton.py``, ``YAMLArgumentGenerator``, and
``get_shape_doc_overview`` in ``awscli/customizations/utils.py``), straight from botocore's
shapes: the member's raw HTML documentation with its tags stripped by ``xml.dom.minidom``, cut
before the first period or colon, ``[REQUIRED]`` first, ``Valid values are: ...`` last.
"""

import re
import xml.dom.minidom
from xml.parsers.expat import ExpatError

import pytest

from amplify_auth_widgets.core.findings import errors
from amplify_auth_widgets.core.model import FieldSpec, operation_model, request_spec
from amplify_auth_widgets.core.operations import commanded_operations
from amplify_auth_widgets.core.skeleton import (
    commented_yaml,
    doc_overview,
    generate_skeleton,
    input_skeleton,
    parse_yaml,
    to_yaml,
)
from amplify_auth_widgets.core.validation import validate

OPERATIONS = commanded_operations()


def v2_overview(documentation: str) -> str:
    """awscli v2's ``get_shape_doc_overview``: tags stripped, the first sentence."""
    try:
        dom = xml.dom.minidom.parseString(f"<doc>{documentation}</doc>")
        parts: list[str] = []

        def text(node):
            for child in node.childNodes:
                if child.nodeType == child.TEXT_NODE:
                    parts.append(child.data)
                else:
                    text(child)

        text(dom)
        content = "".join(parts)
    except ExpatError:
        content = documentation
    content = re.split(r"[.:]+", content, maxsplit=1)[0]
    return (content + "." if content else "").replace("\n", " ").replace("\u2028", " ")


def v2_comments(shape, path=""):
    """Every member's comment as awscli v2 writes it, by dotted path, walking botocore's
    shapes (not our FieldSpec tree)."""
    comments = {}
    for name, member in shape.members.items():
        where = f"{path}.{name}" if path else name
        parts = ["[REQUIRED]"] if name in shape.required_members else []
        parts.append(v2_overview(member.documentation or ""))
        if getattr(member, "enum", None):
            parts.append(f"Valid values are: {', '.join(member.enum)}.")
        comments[where] = " ".join(" ".join(parts).split())  # ours collapses runs of spaces
        if member.type_name == "structure":
            comments.update(v2_comments(member, where))
        elif member.type_name == "list":
            assert member.member.type_name not in ("structure", "list")  # this model's lists
    return comments


def written_comments(text: str) -> dict[str, str]:
    """The comment on each key of a block YAML text, by the key's dotted path."""
    found: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in text.splitlines():
        body, _, comment = line.partition("  # ")
        indent = len(body) - len(body.lstrip())
        if body.lstrip().startswith("- "):
            continue  # a list's item: no key, no comment
        key = body.strip().split(":")[0]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, key))
        found[".".join(k for _, k in stack)] = comment
    return found


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_member_has_the_aws_cli_v2s_comment(operation):
    expected = v2_comments(operation_model(operation).input_shape)
    assert written_comments(generate_skeleton("yaml-input", operation)) == expected


def test_create_backend_auth_has_56_commented_keys_as_v2():
    text = generate_skeleton("yaml-input")
    assert sum("  # " in line for line in text.splitlines()) == 56
    assert "      MFAMode: 'ON'  # [REQUIRED] Describes whether MFA should be [ON, OFF, or " in text
    assert "Valid values are: ON, OFF, OPTIONAL.\n" in text


@pytest.mark.parametrize("operation", OPERATIONS)
def test_without_its_comments_the_skeleton_is_the_plain_yaml_and_reads_back(operation):
    for minimal in (False, True):
        data = input_skeleton(operation, minimal=minimal)
        text = commented_yaml(data, request_spec(operation))
        assert parse_yaml(text, "skeleton") == data
        plain = "".join(line.split("  # ")[0] + "\n" for line in text.splitlines())
        assert plain == to_yaml(data)


def test_values_are_written_literally_whatever_they_hold():
    spec = request_spec("CreateBackendAuth")
    data = {
        "AppId": "a  # not a comment",
        "BackendEnvironmentName": "two\nlines",
        "ResourceName": "ON",
        "ResourceConfig": {"UserPoolConfigs": {"RequiredSignUpAttributes": ["yes", "- x"]}},
    }
    text = commented_yaml(data, spec)
    assert parse_yaml(text, "skeleton") == data
    assert "ResourceName: 'ON'  # [REQUIRED] The name of this resource.\n" in text


def test_each_value_keeps_to_its_line_as_typed_or_else_as_json_in_ascii():
    # text beyond ASCII as typed; a long value on one line, never folded; a value that
    # holds a line break, or a character YAML breaks lines at (U+2028), as JSON with every
    # character beyond ASCII escaped, so no raw break lands in the file
    spec = request_spec("CreateBackendAuth")
    data = {
        "AppId": "café ünïcode",
        "BackendEnvironmentName": "word " * 30,
        "ResourceName": "é\u2028x",
        "ResourceConfig": {"UserPoolConfigs": {"PoolName": "a\nü"}},
    }
    text = commented_yaml(data, spec)
    assert parse_yaml(text, "t") == data
    lines = text.splitlines()
    assert lines[0] == "AppId: café ünïcode  # [REQUIRED] The app ID."
    assert lines[1] == (
        f"BackendEnvironmentName: '{'word ' * 30}'  # [REQUIRED] The name of the backend "
        "environment."
    )
    assert lines[2] == r'ResourceName: "\u00e9\u2028x"  # [REQUIRED] The name of this resource.'
    assert lines[-1] == r'    PoolName: "a\n\u00fc"'
    assert len(lines) == text.count("\n") == 6  # splitlines breaks at U+2028 too


def test_a_list_of_lists_of_structures_has_every_structures_comments():
    leaf = FieldSpec(
        "L",
        "L[][]",
        "structure",
        "Leaf",
        members=(FieldSpec("A", "L[][].A", "string", "S", documentation="Doc a: more"),),
    )
    inner = FieldSpec("L", "L[]", "list", "Inner", item=leaf)
    root = FieldSpec(
        "R", "", "structure", "R", members=(FieldSpec("L", "L", "list", "Outer", item=inner),)
    )
    data = {"L": [[{"A": "a"}, {"A": "b"}], [{"A": "c"}]]}
    text = commented_yaml(data, root)
    assert text == ("L:\n- - A: a  # Doc a.\n  - A: b  # Doc a.\n- - A: c  # Doc a.\n")
    assert parse_yaml(text, "t") == data


def test_a_list_of_structures_has_its_first_member_on_the_dash():
    item = FieldSpec(
        "L",
        "L[]",
        "structure",
        "Item",
        members=(
            FieldSpec("A", "L[].A", "string", "S", required=True, documentation="Doc a: more"),
            FieldSpec("B", "L[].B", "string", "E", enum=("X", "Y")),
        ),
    )
    root = FieldSpec(
        "R", "", "structure", "R", members=(FieldSpec("L", "L", "list", "L", item=item),)
    )
    data = {"L": [{"A": "a", "B": "X"}, {"A": "b"}], "Other": 1}
    text = commented_yaml(data, root)
    assert text == (
        "L:\n"
        "- A: a  # [REQUIRED] Doc a.\n"
        "  B: X  # Valid values are: X, Y.\n"
        "- A: b  # [REQUIRED] Doc a.\n"
        "Other: 1\n"
    )
    assert parse_yaml(text, "t") == data


def test_members_the_model_does_not_know_are_written_plainly_with_all_they_hold():
    # a request read from a file may hold members the model has not (a typo, a newer
    # model's): no comment for them or below them, and the text reads back as the data
    spec = request_spec("CreateBackendAuth")
    data = {
        "AppId": "a",
        "Extra": {"Deep": {"X": 1}, "Items": [{"A": "a", "B": ["b"]}, [["c", {}], []]]},
        "ResourceConfig": {"Unknown": {"Y": "ON"}},
        7: {"Z": None},
    }
    text = commented_yaml(data, spec)
    assert parse_yaml(text, "t") == data
    assert "".join(line.split("  # ")[0] + "\n" for line in text.splitlines()) == to_yaml(data)
    assert text == (
        "AppId: a  # [REQUIRED] The app ID.\n"
        "Extra:\n"
        "  Deep:\n"
        "    X: 1\n"
        "  Items:\n"
        "  - A: a\n"
        "    B:\n"
        "    - b\n"
        "  - - - c\n"
        "      - {}\n"
        "    - []\n"
        "ResourceConfig:  # [REQUIRED] The resource configuration for this request object.\n"
        "  Unknown:\n"
        "    Y: 'ON'\n"
        "7:\n"
        "  Z: null\n"
    )


@pytest.mark.parametrize(
    ("documentation", "overview"),
    [  # awscli v2's own unit tests of the overview
        ("docstring", "docstring."),
        ("First sentence. Second Sentence", "First sentence."),
        ("First sentence: * Option 1 * Option 2", "First sentence."),
        ("one-line two-line", "one-line two-line."),
        ("", ""),
    ],
)
def test_the_overview_is_cut_as_v2_cuts_it(documentation, overview):
    assert doc_overview(documentation) == overview


def test_the_minimal_skeleton_holds_only_required_members():
    spec = request_spec("CreateBackendAuth")
    minimal = input_skeleton(minimal=True)
    assert minimal == {
        "AppId": "",
        "BackendEnvironmentName": "",
        "ResourceConfig": {
            "AuthResources": "USER_POOL_ONLY",
            "Service": "COGNITO",
            "UserPoolConfigs": {
                "RequiredSignUpAttributes": ["ADDRESS"],
                "SignInMethod": "EMAIL",
                "UserPoolName": "",
            },
        },
        "ResourceName": "",
    }

    def required_paths(node):
        for member in node.members:
            if member.required:
                yield member.path
                yield from required_paths(member)

    written = set(written_comments(generate_skeleton("yaml-input-minimal")))
    assert written == set(required_paths(spec))


def test_validated_as_generated_the_minimal_skeleton_asks_only_for_its_empty_values():
    full = errors(validate(input_skeleton(), "CreateBackendAuth"))
    assert len(full) == 25  # the count for the full skeleton
    found = errors(validate(input_skeleton(minimal=True), "CreateBackendAuth"))
    assert [f.path for f in found] == [
        "AppId",
        "BackendEnvironmentName",
        "ResourceConfig.UserPoolConfigs.UserPoolName",
    ]
    update = errors(
        validate(input_skeleton("UpdateBackendAuth", minimal=True), "UpdateBackendAuth")
    )
    assert [f.path for f in update] == ["AppId", "BackendEnvironmentName"]
