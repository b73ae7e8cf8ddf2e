"""Make the lock file a generated Gen 2 project ships with (``gen2/share/package-lock.json``).

    python tools/gen2_lock.py          # after a change of gen2.project.VERSIONS

``npm ci`` installs only from a lock file that matches ``package.json``; ``amplify-auth
migrate`` writes one per project, this file with its root renamed. It is made in a scratch
folder for exactly ``package_json(LOCK_NAME)``, from the npm registry, in two steps: ``npm
install`` (a real one, a couple of minutes), then ``npm install --package-lock-only`` over the
installed tree. A lock made without the tree is refused by ``npm ci``: @aws-amplify/data-construct
bundles its dependencies, and only the unpacked bundle says what those depend on in turn.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from amplify_auth_widgets.gen2 import project

TARGET = Path(project.__file__).resolve().parent / project.LOCK_RESOURCE


def main() -> int:
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not on PATH: install Node.js 20 first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "package.json").write_text(project.package_json(project.LOCK_NAME))
        for extra in ([], ["--package-lock-only"]):
            argv = [npm, "install", *extra, "--no-audit", "--no-fund", "--ignore-scripts"]
            done = subprocess.run(argv, cwd=folder, check=False)
            if done.returncode != 0:
                return done.returncode
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "package-lock.json", TARGET)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
