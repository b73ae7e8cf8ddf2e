"""The members section of an API command's help, laid out as the AWS CLI lays it out: a
structure option's and a list option's header, each member's line, documentation wrapped to
79 columns, valid values, a blank line after each member and after a list's item, the JSON
syntax; and no section at all for a command without structure or list options. A mutation run
of cli/helpdoc.py found the layout (blank lines, the width, a non-required option's header)
checked by no test: the model's own help parses it loosely, whitespace-insensitively."""

from __future__ import annotations

import io

import pytest

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.cli.helpdoc import members_epilog
from amplify_auth_widgets.core.model import FieldSpec, request_spec

#: At 8 columns of indent, its second line takes 74 columns; one more column would take the
#: next word too.
LONG = (
    "Describes the nested structure: its documentation is long enough to be wrapped at the "
    "usual width, over two lines or more, as the AWS CLI wraps it."
)


@pytest.fixture(autouse=True)
def terminal(monkeypatch):
    """argparse wraps help to the terminal's width: one width, whatever the test's terminal."""
    monkeypatch.setenv("COLUMNS", "80")


def spec(name: str, path: str, kind: str, **more) -> FieldSpec:
    return FieldSpec(name, path, kind, name, **more)


REQUEST = spec(
    "R",
    "",
    "structure",
    members=(
        spec("Id", "Id", "string", required=True, documentation="The id."),
        spec(
            "Config",
            "Config",
            "structure",
            documentation="The configuration.",
            members=(
                spec(
                    "Mode",
                    "Config.Mode",
                    "string",
                    required=True,
                    enum=("ON", "OFF"),
                    documentation="The mode.",
                ),
                spec(
                    "Tags",
                    "Config.Tags",
                    "list",
                    documentation="The tags.",
                    item=spec("Tags", "Config.Tags[]", "string", enum=("A", "B")),
                ),
                spec(
                    "Nested",
                    "Config.Nested",
                    "structure",
                    documentation=LONG,
                    members=(
                        spec("Count", "Config.Nested.Count", "integer", documentation="How many."),
                    ),
                ),
                spec("Flag", "Config.Flag", "boolean"),
            ),
        ),
        spec(
            "Names",
            "Names",
            "list",
            required=True,
            documentation="The names.",
            item=spec(
                "Names",
                "Names[]",
                "structure",
                members=(spec("Name", "Names[].Name", "string", required=True),),
            ),
        ),
    ),
)

SECTION = """\
members of the structure options (from the service model):

--config (structure)
    The configuration.

    Mode -> (string) [required]
        The mode.
        Valid values: ON, OFF

    Tags -> (list)
        The tags.

        (string)
            Valid values: A, B

    Nested -> (structure)
        Describes the nested structure: its documentation is long enough to be
        wrapped at the usual width, over two lines or more, as the AWS CLI
        wraps it.

        Count -> (integer)
            How many.

    Flag -> (boolean)

    JSON syntax:

        {
          "Mode": "ON"|"OFF",
          "Tags": ["A"|"B", ...],
          "Nested": {
            "Count": integer
          },
          "Flag": true|false
        }

--names (list) [required]
    The names.

    (structure)

        Name -> (string) [required]

    JSON syntax:

        [
          {
            "Name": "string"
          }
          ...
        ]
"""


def test_the_members_section_is_laid_out_as_the_aws_clis():
    assert members_epilog(REQUEST) == SECTION
    assert max(len(line) for line in SECTION.splitlines()) <= 79


def test_a_request_without_structure_or_list_options_has_no_section():
    scalars = spec("R", "", "structure", members=(spec("Id", "Id", "string"),))
    assert members_epilog(scalars) == ""
    out, err = io.StringIO(), io.StringIO()
    assert main(["get-backend-job", "help"], out, err) == 0
    assert out.getvalue().endswith(" because nothing ever prompts\n")  # its last option


def test_the_section_ends_the_commands_help_as_written():
    out, err = io.StringIO(), io.StringIO()
    assert main(["create-backend-auth", "help"], out, err) == 0
    text = out.getvalue()
    section = text[text.index("members of the structure options") :]
    assert section == members_epilog(request_spec("CreateBackendAuth"))
