"""JupyterHub serving the amplify-auth app to a team: each person logs in, gets a Jupyter server
of their own and lands on the app (Voila's server extension renders it), and a server left idle
is stopped by the hub's idle culler.

Run it from any folder with the package installed in the hub's Python::

    AAW_HUB_PASSWORD='a-long-shared-password' jupyterhub -f deploy/jupyterhub_config.py

Everything listens on 127.0.0.1 only; put a TLS reverse proxy in front of ``AAW_HUB_PORT`` to
reach it from other machines. Settings, all from the environment:

- ``AAW_HUB_PASSWORD`` (required, 8 characters or more): the team's shared password.
- ``AAW_HUB_USERS``: who may log in, comma-separated (anyone with the password, if unset).
- ``AAW_HUB_DIR``: the hub's folder: its database, cookie secret and the proxy's pid file, and
  ``homes/<user>``, each user's home, where their app keeps its emulator, history and drafts
  (default: the folder the hub is started in).
- ``AAW_HUB_PORT`` (8000), ``AAW_HUB_API_PORT`` (8081), ``AAW_HUB_PROXY_API_PORT`` (8001).
- ``AAW_HUB_PROXY``: the configurable-http-proxy command (``configurable-http-proxy``, from
  npm, found on PATH).
- ``AAW_HUB_CULL_TIMEOUT``: seconds without activity after which a server is stopped (3600;
  0 never stops one). Activity is reported and checked every sixth of it (at most 300 s).
- ``AMPLIFY_AUTH_TARGET``, ``AMPLIFY_AUTH_JOB_SECONDS``: passed on to every user's app.

The users' servers run as the hub's own system user (``SimpleLocalProcessSpawner``): a home of
their own each, but no isolation between them beyond that. For a team whose members must be
kept apart, use JupyterHub's ``LocalProcessSpawner`` with system users, or a container spawner.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from amplify_auth_widgets.app.serve import app_notebook, share_dir

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (JupyterHub's config loader)

#: The app's notebook in each user's home, and the page a user lands on.
NOTEBOOK = "amplify-auth.ipynb"
#: What a username may be: it names a folder under ``homes/``, so never ``..`` nor a path.
USERNAME = r"^[a-z0-9][a-z0-9_-]{0,31}$"
#: The idle culler's rights (JupyterHub's scopes), and no more.
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]


def setting(name: str, default: str) -> str:
    """The environment's ``name``, stripped, or ``default`` when unset or blank."""
    return os.environ.get(name, "").strip() or default


def port(name: str, default: int) -> int:
    value = setting(name, str(default))
    if not re.fullmatch(r"[0-9]{1,5}", value) or not 0 < int(value) < 65536:
        raise SystemExit(f"{name}={value!r} is not a port: give a number from 1 to 65535.")
    return int(value)


password = os.environ.get("AAW_HUB_PASSWORD", "")
if len(password) < 8:
    raise SystemExit(
        "AAW_HUB_PASSWORD is not set or shorter than 8 characters: set it to the team's "
        "shared password, e.g. AAW_HUB_PASSWORD='a-long-shared-password'."
    )
timeout_text = setting("AAW_HUB_CULL_TIMEOUT", "3600")
if not re.fullmatch(r"[0-9]{1,9}", timeout_text):
    raise SystemExit(
        f"AAW_HUB_CULL_TIMEOUT={timeout_text!r} is not a number of seconds: give e.g. 3600, "
        "or 0 never to stop an idle server."
    )
cull_timeout = int(timeout_text)
#: How often servers report activity, the hub reads the proxy's, and the culler checks.
interval = max(1, min(300, cull_timeout // 6)) if cull_timeout else 300
state = Path(setting("AAW_HUB_DIR", os.getcwd())).resolve()
homes = state / "homes"
state.mkdir(parents=True, exist_ok=True)

# -- the hub and its proxy: 127.0.0.1 only ---------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{port('AAW_HUB_PORT', 8000)}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{port('AAW_HUB_API_PORT', 8081)}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port('AAW_HUB_PROXY_API_PORT', 8001)}"
c.ConfigurableHTTPProxy.command = [setting("AAW_HUB_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.last_activity_interval = interval

# -- who logs in ------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "shared-password"  # JupyterHub's dummy one, with a password
c.SharedPasswordAuthenticator.user_password = password
c.Authenticator.username_pattern = USERNAME
allowed = {name.strip().lower() for name in os.environ.get("AAW_HUB_USERS", "").split(",")} - {""}
refused = sorted(name for name in allowed if not re.fullmatch(USERNAME, name))
if refused:
    raise SystemExit(
        f"AAW_HUB_USERS names {', '.join(map(repr, refused))}: a user name names a folder, so "
        "it is lower-case letters, digits, '-' and '_' (32 at most, a letter or digit first)."
    )
c.Authenticator.allowed_users = allowed
c.Authenticator.allow_all = not allowed


# -- each user's server: the app ----------------------------------------------------------------
def place_app(spawner: Any) -> None:
    """Make the user's home and put the installed app's notebook there (again at every start,
    so an upgrade reaches everyone), signed with the user's own notebook key so that Voila
    finds it trusted."""
    home = Path(spawner.home_dir)
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(app_notebook(), home / NOTEBOOK)
    sign(home / NOTEBOOK, home / ".local" / "share" / "jupyter")


def sign(notebook: Path, data_dir: Path) -> None:
    """Sign ``notebook`` with the notebook key in ``data_dir``, the user's Jupyter data folder
    (made there if it is not), where the user's server looks for it."""
    import nbformat
    from nbformat.sign import NotebookNotary

    data_dir.mkdir(parents=True, exist_ok=True)
    notary = NotebookNotary(data_dir=str(data_dir))
    notary.sign(nbformat.read(notebook, as_version=4))
    notary.store.close()


c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
c.Spawner.pre_spawn_hook = place_app
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]  # the hub's Python
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = f"/voila/render/{NOTEBOOK}"
c.Spawner.env_keep = [
    "JUPYTERHUB_SINGLEUSER_APP",
    "AMPLIFY_AUTH_TARGET",
    "AMPLIFY_AUTH_JOB_SECONDS",
]
# Voila's server extension reads its settings from voila.json on the Jupyter config path
# only (not from the server's command line): the app's own page (the ``aaw`` template, which
# JUPYTER_PATH finds with any install), and no tracebacks shown to the page. No MathJax, as
# standalone Voila has it (both settings none): the extension's default loads it from a CDN.
user_config = state / "user-config"
user_config.mkdir(exist_ok=True)
(user_config / "voila.json").write_text(
    json.dumps({"VoilaConfiguration": {"template": "aaw", "show_tracebacks": False}})
)
(user_config / "jupyter_server_config.json").write_text(
    json.dumps({"ServerApp": {"tornado_settings": {"mathjax_url": None, "mathjax_config": None}}})
)
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": str(user_config),
    "JUPYTER_PATH": str(share_dir()),
    "JUPYTERHUB_ACTIVITY_INTERVAL": str(interval),
}
# Kernels keep Jupyter's TCP transport on 127.0.0.1 (messages signed with each kernel's key):
# Unix sockets in the user's runtime folder would break under a deep AAW_HUB_DIR, as a
# socket's path may not pass 107 bytes.
c.Spawner.args = [
    # JupyterLab, if opened, asks nothing of the internet: no news, updates or PyPI searches
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
    *(["--allow-root"] if os.geteuid() == 0 else []),  # a hub run as root, as in a container
]

# -- idle servers are stopped -------------------------------------------------------------------
if cull_timeout:
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={cull_timeout}",
                f"--cull-every={interval}",
            ],
        }
    ]
    c.JupyterHub.load_roles = [
        {"name": "idle-culler", "scopes": CULLER_SCOPES, "services": ["idle-culler"]}
    ]
