"""Where the package keeps its files: the user's data folder, the one place every layer asks.

The folder is ``$AMPLIFY_AUTH_DATA`` when set (a test's temporary folder, a team's shared
disk), else the platform's user data folder (``platformdirs``: ``~/.local/share/
amplify-auth-widgets`` on Linux). It holds the job history of AWS requests
(``history.sqlite3``) and the app's embedded emulator (``emulator/``: its state, its history
and drafts, and the file that tells kernels where it listens). Nothing is created here: the
modules that write make their folders private (``db.private_folder``).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The environment variable that moves the data folder.
DATA_ENV = "AMPLIFY_AUTH_DATA"
#: The folder's name under the platform's user data folder.
APP_NAME = "amplify-auth-widgets"
#: The sub-folder of the app's embedded, durable emulator (see ``emulator.shared``).
EMULATOR_FOLDER = "emulator"


def data_folder() -> Path:
    """The user's data folder: ``$AMPLIFY_AUTH_DATA``, else the platform's for this package."""
    given = os.environ.get(DATA_ENV, "").strip()
    if given:
        return Path(given).expanduser()
    from platformdirs import user_data_dir  # deferred: only the default path needs it

    return Path(user_data_dir(APP_NAME))


def emulator_folder() -> Path:
    """The durable emulator's folder in the data folder."""
    return data_folder() / EMULATOR_FOLDER
