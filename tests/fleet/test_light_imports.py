"""Importing the layers below the widgets loads none of the slow libraries: pandas, numpy,
matplotlib, botocore, boto3 and PyYAML are imported by the functions that use them, so that
the CLI, the app and ``import amplify_auth_widgets`` start without paying for them (pandas
alone took most of a second when ``fleet.report`` imported it at module level)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import amplify_auth_widgets

PACKAGE = Path(amplify_auth_widgets.__file__).parent
LAYERS = ("core", "client", "jobs", "gen2", "fleet")
SLOW = ("pandas", "numpy", "matplotlib", "botocore", "boto3", "yaml")


def test_the_core_client_jobs_gen2_and_fleet_import_no_slow_library():
    modules = [
        f"amplify_auth_widgets.{layer}.{path.stem}".removesuffix(".__init__")
        for layer in LAYERS
        for path in sorted((PACKAGE / layer).glob("*.py"))
    ]
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(json.dumps([m for m in {SLOW!r} if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout) == []
