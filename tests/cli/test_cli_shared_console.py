"""The findings printer (cli/common.py) colours each stream as that stream is: findings on
stdout follow stdout's colour, whatever stderr's is. A mutation run of cli/common.py found only
the stderr side checked."""

from __future__ import annotations

import io

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
