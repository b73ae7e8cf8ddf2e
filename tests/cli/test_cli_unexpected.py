"""An unexpected error's text is scrubbed of secrets, with and without --debug."""

from __future__ import annotations

import io

import pytest

from amplify_auth_widgets.cli import entry as cli
from amplify_auth_widgets.cli.exitcodes import EXIT_OTHER

PLANTED = "planted-apple-key-7f3a"
BOTOCORE_TEXT = (
    "Invalid type for parameter ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings"
    f".SignInWithApple.PrivateKey, value: ['{PLANTED}'], type: <class 'list'>, valid types: "
    "<class 'str'>"
)


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_never_prints_a_secret(monkeypatch, debug):
    def fail(args, console):  # an error no handler expects, quoting a secret as botocore does
        raise RuntimeError(BOTOCORE_TEXT)

    monkeypatch.setattr(cli, "run_api_command", fail)
    out, err = io.StringIO(), io.StringIO()
    argv = ["get-backend-auth", "--app-id", "d1demotodo", "--backend-environment-name", "dev"]
    argv += ["--resource-name", "demo", *(["--debug"] if debug else [])]
    assert cli.main(argv, stdout=out, stderr=err) == EXIT_OTHER
    text = out.getvalue() + err.getvalue()
    assert "RuntimeError" in text and "PrivateKey" in text
    assert PLANTED not in text
    assert ("Traceback" in text) == debug
