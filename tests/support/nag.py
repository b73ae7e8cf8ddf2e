"""cdk-nag's AwsSolutions scan of synthesized Gen 2 projects, with the pinned toolchain.

``scan`` runs ``tests/gen2/nag.ts`` once for a whole batch: every CloudFormation template of
every project (the root stack's and each nested stack's), each read with ``CfnInclude`` into a
stack of its own, one synthesis. It answers the findings per project, with each finding's
resource type looked up in the project's templates, and the time the scan took.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
