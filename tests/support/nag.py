"""cdk-nag's AwsSolutions scan of synthesized Gen 2 projects, with the pinned toolchain.

``scan`` runs ``tests/gen2/nag.ts`` once for a whole batch: every CloudFormation template of
every project (the root stack's and each nested stack's), each read with ``CfnInclude`` into a
stack of its own, one synthesis. It answers the findings per project, with each finding's
resource type looked up in the project's templates, and the time the scan took.

``hand_made`` gives the configurations that turn each rule on and off: cases of the real scan
and of the prediction's own tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import GONE, planted

from amplify_auth_widgets.core.model import UPC
from support import toolchain

SCRIPT = toolchain.HERE / "nag.ts"
#: The prefix of the rules the prediction covers.
COGNITO = "AwsSolutions-COG"


@dataclass(frozen=True)
class Scan:
    """What ``scan`` found: per project folder name, its findings as
    ``{"rule", "level", "resource", "type", "template"}``; the templates scanned; the scan's own
    milliseconds (nag.ts's, from its start to its report) and the process's wall seconds."""

    findings: dict[str, list[dict[str, str]]]
    templates: int
    nag_ms: int
    seconds: float

    def cognito(self, project: str) -> list[dict[str, str]]:
        return [f for f in self.findings[project] if f["rule"].startswith(COGNITO)]


def _types(path: Path) -> dict[str, str]:
    template: dict[str, Any] = json.loads(path.read_text())
    return {name: r["Type"] for name, r in template.get("Resources", {}).items()}


def scan(root: Path, folders: list[Path]) -> Scan:
    """Scan every template under each folder's ``cdk.out`` (synthesized) in one process."""
    files = {
        path: folder.name
        for folder in folders
        for path in sorted((folder / "cdk.out").glob("*.template.json"))
    }
    missing = [f.name for f in folders if f.name not in files.values()]
    if missing:
        raise AssertionError(f"no synthesized template for {', '.join(missing)}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env.update(NO_COLOR="1", CI="1")
    started = time.perf_counter()
    done = subprocess.run(
        [str(toolchain.BIN / "tsx"), str(SCRIPT), *map(str, files)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise AssertionError(f"nag.ts failed ({done.returncode}):\n{done.stderr[-4000:]}")
    report: dict[str, list[dict[str, str]]] = json.loads(done.stdout)
    found: dict[str, list[dict[str, str]]] = {f.name: [] for f in folders}
    for path, project in files.items():
        types = _types(path)
        for finding in report[str(path.resolve())]:
            if "threw" in finding:  # not a finding: the rule could not read the template
                raise AssertionError(f"{path}: {finding['rule']}: {finding['threw']}")
            kind = types.get(finding["resource"], "")
            found[project].append({**finding, "type": kind, "template": path.name})
    last = done.stderr.strip().splitlines()[-1].split()
    assert last[0] == "nag-ms", done.stderr[-2000:]
    return Scan(found, len(files), int(last[1]), seconds)


STRONG = {
    "MinimumLength": 8,
    "AdditionalConstraints": ["REQUIRE_UPPERCASE", "REQUIRE_DIGIT", "REQUIRE_SYMBOL"],
}
TOTP_ON = {"MFAMode": "ON", "Settings": {"MfaTypes": ["TOTP"]}}
GUESTS = "ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin"


def hand_made() -> dict[str, dict]:
    """Configurations that turn each rule on and off, by the mapping's routes. Each is a
    valid CreateBackendAuth request but those ``update()`` makes: what a CreateBackendAuth
    request must hold (whether guests are allowed, a minimum length) an update may leave out."""
    phone_pool = {
        "UserPoolName": "phone users",
        "SignInMethod": "PHONE_NUMBER",
        "RequiredSignUpAttributes": ["PHONE_NUMBER"],
        "PasswordPolicy": {**STRONG, "MinimumLength": 7},  # one short of cdk-nag's 8
        "Mfa": TOTP_ON,  # phone sign-in without SMS MFA: set on the pool, not by multifactor
        "VerificationMessage": {"DeliveryMethod": "SMS", "SmsSettings": {"SmsMessage": "{####}"}},
    }
    return {
        "strict": planted({f"{UPC}.Mfa": TOTP_ON, f"{UPC}.PasswordPolicy": STRONG, GUESTS: False}),
        "weak-mfa-off-guests": planted(
            {
                f"{UPC}.Mfa": {"MFAMode": "OFF"},
                f"{UPC}.PasswordPolicy": {"MinimumLength": 6},
                GUESTS: True,
            }
        ),
        "gen2-defaults": update({}),
        "classes-without-length": update(
            {
                "PasswordPolicy": {
                    "AdditionalConstraints": [*STRONG["AdditionalConstraints"], "REQUIRE_LOWERCASE"]
                },
                "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["SMS"]}},
            }
        ),
        "no-symbol": planted(
            {
                f"{UPC}.PasswordPolicy": {
                    "MinimumLength": 14,
                    "AdditionalConstraints": ["REQUIRE_UPPERCASE", "REQUIRE_DIGIT"],
                },
                f"{UPC}.Mfa": TOTP_ON,
            }
        ),
        "user-pool-only-phone-mfa": planted(
            {
                "ResourceConfig.AuthResources": "USER_POOL_ONLY",
                "ResourceConfig.IdentityPoolConfigs": GONE,
                UPC: phone_pool,
            }
        ),
    }


def update(pool: dict) -> dict:
    """An UpdateBackendAuth request changing ``pool``, its identity pool left as it is."""
    resources = {"AuthResources": "IDENTITY_POOL_AND_USER_POOL", "Service": "COGNITO"}
    return planted(
        {"ResourceConfig": {**resources, "IdentityPoolConfigs": {}, "UserPoolConfigs": pool}}
    )
