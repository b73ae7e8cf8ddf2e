"""The console's colour (cli/common.py): "auto" colours a stream that is a terminal and only
that one, and findings on stdout follow stdout's colour, whatever stderr's is. A mutation run
of cli/common.py found only the stderr side checked, and no terminal."""

from __future__ import annotations

import io
import os

from amplify_auth_widgets.cli.common import Console, print_findings
from amplify_auth_widgets.core.findings import Finding

FINDING = Finding("AppId", "error", "model.required", "AppId is required; add it.")


def test_findings_on_stdout_are_coloured_as_stdout_is_not_as_stderr():
    out, err = io.StringIO(), io.StringIO()
    console = Console(out, err, "off")
    console.color_err = True  # stderr a terminal, stdout a pipe
    print_findings([FINDING], console)
    assert out.getvalue() == "AppId: error model.required: AppId is required; add it. (--app-id)\n"
    out = io.StringIO()
    console = Console(out, io.StringIO(), "off")
    console.color_out = True  # and the other way round
    print_findings([FINDING], console)
    assert out.getvalue() == (
        "AppId: \033[31merror\033[0m model.required: AppId is required; add it. (--app-id)\n"
    )


def test_auto_colours_the_stream_that_is_a_terminal_and_only_that_one():
    leader, follower = os.openpty()
    with os.fdopen(leader, "rb"), os.fdopen(follower, "w") as terminal:
        assert terminal.isatty()
        console = Console(terminal, io.StringIO())  # auto: the default
        assert (console.color_out, console.color_err) == (True, False)
        console = Console(io.StringIO(), terminal, "auto")
        assert (console.color_out, console.color_err) == (False, True)
