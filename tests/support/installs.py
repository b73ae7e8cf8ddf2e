"""Python environments as other installs leave them, made in seconds from this one.

``editable_env`` is a contributor's after ``pip install -e .``: the package importable from
``src/``, Voila and its stock templates installed, and the app's ``aaw`` template nowhere in
Jupyter's data paths (an editable install leaves the package's data files out). Nothing is
installed: a new virtual environment reaches this one's packages through a ``.pth`` file, and
its ``share/jupyter`` links to this environment's, less ``aaw``.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

#: This environment's Jupyter data folder (Voila's templates, the widget manager's bundle).
SHARE = Path(sys.prefix) / "share" / "jupyter"
TEMPLATE = "aaw"


def editable_env(folder: Path) -> Path:
    """A virtual environment in ``folder`` as a contributor's editable install leaves it (see
    the module's docstring); returns its folder (its interpreter is ``bin/python``)."""
    venv = folder / "editable-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    here = sysconfig.get_paths()["purelib"]
    # addsitedir also reads that folder's .pth files: the editable install's among them
    (site / "this-env.pth").write_text(f"import site; site.addsitedir({here!r})\n")
    share = venv / "share" / "jupyter"
    share.mkdir(parents=True)
    for entry in SHARE.iterdir():
        if entry.name != "voila":
            (share / entry.name).symlink_to(entry)
    for entry in (SHARE / "voila").iterdir():
        if entry.name != "templates":
            (share / "voila" / entry.name).parent.mkdir(exist_ok=True)
            (share / "voila" / entry.name).symlink_to(entry)
    templates = share / "voila" / "templates"
    templates.mkdir(parents=True)
    for entry in (SHARE / "voila" / "templates").iterdir():
        if entry.name != TEMPLATE:
            (templates / entry.name).symlink_to(entry)
    return venv
