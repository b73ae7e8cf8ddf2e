"""The console script answers the AWS CLI's `help` word with exit 0 (it exited 252)."""

import subprocess

from conftest import BIN


def test_the_console_script_prints_help_and_exits_0():
    script = str(BIN / "amplify-auth")
    done = subprocess.run(
        [script, "create-backend-auth", "help"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "    AuthResources -> (string) [required]\n" in done.stdout
    done = subprocess.run([script, "help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("usage: amplify-auth ")
