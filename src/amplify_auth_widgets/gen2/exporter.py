"""Export a backend auth configuration as an Amplify Gen 2 ``defineAuth`` resource.

``export(config)`` takes a CreateBackendAuth (or UpdateBackendAuth) request, a GetBackendAuth
response, or a bare ``ResourceConfig``, and returns a ``Gen2Export``: the files
``amplify/auth/resource.ts`` (``defineAuth``) and ``amplify/backend.ts`` (``defineBackend``, with
overrides on ``backend.auth.resources.cfnResources`` for what ``defineAuth`` has no property for:
the password policy, the domain prefix, pool names, the identity pool's guest access), the
secrets the code reads with ``secret("NAME")``, and a table of every configured member with the
place it went in the code or, in words, why it cannot go.

The table comes from walking the configuration along the service model's field specs, not from
the mapping (gen2_map): a member it does not place is listed as "not mapped", never dropped.
No secret value is ever written: social provider credentials become ``secret("NAME")``
references, to be set with ``npx ampx sandbox secret set NAME``.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.deployed import DeployedAuth
from ..core.model import REDACTED, FieldSpec, join_path, request_spec
from ..core.secrets import is_secret_name, quote
from ..core.validation import model_findings
from . import typescript as ts
from . import ways
from .mapping import (
    BACKEND_TS,
    NOT_MAPPED,
    RESOURCE_TS,
    UNSUPPORTED,
    Mapper,
    Placement,
    Secret,
)

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("member", "value", "status", "file", "target", "note")


@dataclass
class Gen2Export:
    """The Gen 2 files for one configuration, its secrets, and where every member went."""

    files: dict[str, str]
    rows: list[dict[str, str]]
    secrets: list[Secret]
    app_id: str = ""
    environment: str = ""
    resource_name: str = ""
    notes: list[str] = field(default_factory=list)
    #: The way to Gen 2 (``ways.WAYS``; None: a new pool from the configuration alone), and
    #: the Gen 1 environment's deployed auth it was made for.
    way: str | None = None
    deployed: DeployedAuth | None = None

    def frame(self) -> pd.DataFrame:
        """The mapping table: one row per configured member (secret values redacted)."""
        import pandas as pd  # deferred: slow to import

        return pd.DataFrame(self.rows, columns=list(COLUMNS))

    @property
    def secret_commands(self) -> list[str]:
        return [s.command for s in self.secrets]

    def unmapped(self) -> list[dict[str, str]]:
        """The rows of members that did not go into the code (not supported, not mapped)."""
        return [r for r in self.rows if r["status"] in (NOT_MAPPED, UNSUPPORTED)]

    def text(self) -> str:
        """Every file, each under a ``// ==> path <==`` line."""
        return "\n".join(f"// ==> {name} <==\n{text}" for name, text in self.files.items())

    def write(self, folder: str | Path, force: bool = False) -> list[Path]:
        """Write the files under ``folder`` (the project root); return their paths.

        See ``write_files``: an existing file that differs is replaced only with ``force``
        (after a backup), and nothing is written through a symbolic link."""
        return [w.path for w in self.write_files(folder, force)]

    def write_files(self, folder: str | Path, force: bool = False) -> list[Written]:
        """Write the files under ``folder``, saying of each what was done.

        Every target is checked before anything is written: a file that exists and differs
        (a project's own ``backend.ts`` may define more than auth) is a ``WriteRefused``
        unless ``force`` is given, and then it is first copied to ``NAME.bak`` (or the first
        free ``NAME.bak.N``); a file already as the export has it is left alone. A symbolic
        link at a target or at a folder on the way under ``folder`` is always refused (the
        ``folder`` itself may be one), and files are replaced by renaming, never written
        through an existing name.
        """
        return _write(Path(folder), self.files, force)

    def zip_bytes(self) -> bytes:
        """The files as a zip archive (for a download)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in self.files.items():
                archive.writestr(name, text)
        return buffer.getvalue()


# -- writing the files ---------------------------------------------------------------------


class WriteRefused(ValueError):
    """The files were not written (none of them): a target differs, or is a link."""


@dataclass(frozen=True)
class Written:
    """What ``write_files`` did with one file: ``created``, ``replaced`` (its old text kept
    in ``backup``) or ``unchanged`` (it already held the export)."""

    path: Path
    action: str
    backup: Path | None = None


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _refuse_link(path: Path, info: os.stat_result, fix: str) -> None:
    """WriteRefused when ``path`` (lstat'ed as ``info``) is a symbolic link."""
    if stat.S_ISLNK(info.st_mode):
        raise WriteRefused(
            f"{path} is a symbolic link; the export writes no file through a link. Nothing "
            f"was written: {fix}, or export elsewhere."
        )


def _check_target(folder: Path, name: str, text: str) -> tuple[str, bytes | None]:
    """``(action, old bytes)`` for one file, or WriteRefused; reads, never writes."""
    parts = Path(name).parts
    here = folder
    for part in parts[:-1]:
        here = here / part
        try:
            info = here.lstat()
        except FileNotFoundError:
            return "created", None
        _refuse_link(here, info, "replace the link by a folder")
        if not stat.S_ISDIR(info.st_mode):
            raise WriteRefused(f"{here} is not a folder, so {name} cannot go under it.")
    path = folder / name
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "created", None
    _refuse_link(path, info, "remove the link")
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(f"{path} exists and is not a regular file; nothing was written.")
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    with os.fdopen(fd, "rb") as file:
        old = file.read()
    return ("unchanged" if old == text.encode("utf-8") else "replaced"), old


def _write(folder: Path, files: dict[str, str], force: bool) -> list[Written]:
    if folder.exists() and not folder.is_dir():
        raise WriteRefused(f"{folder} is not a folder; nothing was written.")
    plan = {name: _check_target(folder, name, text) for name, text in files.items()}
    differ = [name for name, (action, _) in plan.items() if action == "replaced"]
    if differ and not force:
        raise WriteRefused(
            f"{', '.join(str(folder / n) for n in differ)} already "
            f"{'exists' if len(differ) == 1 else 'exist'} with other content (a project's "
            "backend.ts may define more than auth). Nothing was written: compare and merge by "
            "hand, or pass --force (force=True in Python) to replace, keeping a .bak copy."
        )
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for name, text in files.items():
        action, old = plan[name]
        if action == "unchanged":
            done.append(Written(folder / name, action))
            continue
        parent = _descend(folder, Path(name).parts[:-1])
        try:
            base = Path(name).name
            backup = None
            if old is not None:
                backup = _create(parent, f"{base}.bak", old, numbered=True)
            temp = _create(parent, f".{base}.tmp", text.encode("utf-8"), numbered=True)
            os.replace(temp, base, src_dir_fd=parent, dst_dir_fd=parent)
        finally:
            os.close(parent)
        where = (folder / name).parent
        done.append(Written(folder / name, action, where / backup if backup else None))
    return done


def _descend(folder: Path, parts: tuple[str, ...]) -> int:
    """An open descriptor of the folder ``parts`` under ``folder``, each made where missing,
    none followed if it is a link."""
    fd = os.open(folder, os.O_RDONLY | _DIRECTORY)
    here = folder
    for part in parts:
        here = here / part
        with contextlib.suppress(FileExistsError):
            os.mkdir(part, dir_fd=fd)
        try:
            child = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
        except OSError as exc:  # a link (ELOOP) or a file (ENOTDIR) put there meanwhile
            os.close(fd)
            raise WriteRefused(f"{here} is not a folder (or is a link): {exc.strerror}.") from None
        os.close(fd)
        fd = child
    return fd


def _create(folder_fd: int, name: str, data: bytes, numbered: bool) -> str:
    """Write ``data`` to a new file ``name`` (or ``name.1``, ``name.2``, ... when taken) in
    the folder; O_EXCL never opens an existing file or link. Returns the name used."""
    for n in range(1000):
        candidate = name if n == 0 else f"{name}.{n}"
        try:
            fd = os.open(
                candidate,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW,
                0o666,
                dir_fd=folder_fd,
            )
        except FileExistsError:
            if not numbered:
                raise
            continue
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        return candidate
    raise WriteRefused(f"{name} and {name}.1 to {name}.999 are all taken; clear some away.")


# -- reading the input ---------------------------------------------------------------------


def request_of(config: Any, operation: str, caller: str = "export()") -> dict[str, Any]:
    """The request holding ``config``: a request, a GetBackendAuth response (its Operation and
    Error left out) or a bare ResourceConfig. ``caller`` names the function in the refusals:
    what is not a dict, or a dict without the configuration (its keys quoted: any key)."""
    if not isinstance(config, dict):
        raise TypeError(
            f"{caller} takes a request, a GetBackendAuth response or a ResourceConfig as a "
            f"dict, not {type(config).__name__}."
        )
    resource = request_spec(operation).member("ResourceConfig")
    assert resource is not None
    if "ResourceConfig" in config:
        # a GetBackendAuth response also says which operation made it, and any error
        return {k: v for k, v in config.items() if k not in ("Error", "Operation")}
    if set(config) & set(resource.member_names):
        return {"ResourceConfig": config}
    held = f"only {', '.join(sorted(quote(k) for k in config))}" if config else "no members"
    raise ValueError(
        f"{caller} needs ResourceConfig (or a request or GetBackendAuth response holding "
        f"it); this dict has {held}."
    )


def _as_request(config: dict[str, Any], operation: str) -> dict[str, Any]:
    request = request_of(config, operation)
    found = model_findings(request, operation)
    wrong = [f for f in found if f.code == "model.type"]
    if wrong:
        raise ValueError(
            "export() needs each member in the type the service model gives it: "
            + "; ".join(f"{f.path}: {f.message}" for f in wrong)
        )
    not_text = [f for f in found if f.code == "input.unicode"]
    if not_text:
        raise ValueError(
            "export() needs Unicode text in every string: "
            + "; ".join(f"{f.path}: {f.message}" for f in not_text)
        )
    return request


def configured(value: Any, spec: FieldSpec | None, path: str = "") -> Iterator[tuple]:
    """(path, spec, value) of every configured leaf and list, walking the model's specs.

    A member the model does not know comes with spec None; empty structures add nothing.
    """
    if spec is not None and spec.is_structure and isinstance(value, dict):
        for name, item in value.items():
            if item is None:
                continue
            yield from configured(item, spec.member(name), join_path(path, name))
        return
    if isinstance(value, dict) and spec is None:
        for name, item in value.items():
            if item is not None:
                yield from configured(item, None, join_path(path, name))
        return
    yield path, spec, value


def _display(path: str, spec: FieldSpec | None, value: Any) -> str:
    # a secret member in any spelling, or anything held under one, is redacted
    if (spec is not None and spec.sensitive) or any(map(is_secret_name, path.split("."))):
        return REDACTED if value not in (None, "") else ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- the files -----------------------------------------------------------------------------

PROP_ORDER = ("loginWith", "userAttributes", "multifactor", "accountRecovery")
CFN_ORDER = ("cfnUserPool", "cfnUserPoolClient", "cfnIdentityPool")


def _header(request: dict[str, Any], secrets: list[Secret], notes: list[str]) -> list[str]:
    app = request.get("AppId") or "(not given)"
    env = request.get("BackendEnvironmentName") or "(not given)"
    text = [f"Amplify Gen 2 auth exported from app {app}, environment {env}"]
    if request.get("ResourceName"):
        text[0] += f", Gen 1 auth resource {request['ResourceName']}"
    text[0] += ", by amplify-auth-widgets."
    if secrets:
        names = ", ".join(s.name for s in secrets)
        text.append(f"Set each secret with `npx ampx sandbox secret set NAME` first: {names}.")
    text += notes
    # names are any text the service took: no character of theirs may end the comment
    safe = [ts.comment_text(part) for part in text]
    lines = [line for part in safe for line in _wrap(part)]
    return ts.comment_block(lines)


def _wrap(note: str) -> list[str]:
    """A note's comment lines: a command (``$ ...``) stays on one line, to be copied whole;
    no id is split at a hyphen."""
    if note.startswith("$ "):
        return [note]
    return textwrap.wrap(note, 76, break_long_words=False, break_on_hyphens=False)


def _resource_ts(b: Mapper, header: list[str], plan: ways.Plan) -> str:
    names = "defineAuth, secret" if b.secrets else "defineAuth"
    props = {k: b.props[k] for k in PROP_ORDER if k in b.props} | plan.auth_props()
    lines = [
        *header,
        f'import {{ {names} }} from "@aws-amplify/backend";',
        *plan.auth_imports(),
        "",
        "export const auth = defineAuth({",
        *ts.object_body(props, 1),
        "});",
    ]
    return "\n".join(lines) + "\n"


def _backend_ts(b: Mapper, header: list[str], plan: ways.Plan) -> str:
    lines = [*header, 'import { defineBackend } from "@aws-amplify/backend";']
    if b.domain:
        lines.append('import type { CfnUserPoolDomain } from "aws-cdk-lib/aws-cognito";')
    lines += b.imports  # the mapping's own (the native client's OAuthScope)
    members = ", ".join(["auth", *plan.backend_members()])
    lines += [
        'import { auth } from "./auth/resource";',
        *plan.backend_imports(),
        "",
        f"const backend = defineBackend({{ {members} }});",
    ]
    if b.overrides or b.domain:
        lines += ["", "// What defineAuth has no property for, set on the resources it creates."]
    used = [c for c in CFN_ORDER if any(o[0] == c for o in b.overrides)]
    if used:
        lines += ts.destructure(used, "backend.auth.resources.cfnResources")
    for obj in used:
        for owner, prop, value in b.overrides:
            if owner != obj:
                continue
            if "." in prop:  # a path inside a property CloudFormation merges into
                lines += ts.call(f"{obj}.addPropertyOverride", [prop, value])
            else:
                lines += ts.assignment(f"{obj}.{prop}", value)
    if b.domain:
        lines += [
            "const { userPool } = backend.auth.resources;",
            'const domain = userPool.node.findChild("UserPoolDomain");',
            *ts.assignment("(domain.node.defaultChild as CfnUserPoolDomain).domain", b.domain),
        ]
    return "\n".join([*lines, *b.statements, *plan.backend_lines()]) + "\n"


def export(
    config: dict[str, Any],
    operation: str = "CreateBackendAuth",
    *,
    way: str | None = None,
    deployed: DeployedAuth | None = None,
) -> Gen2Export:
    """The Gen 2 files and mapping table for a request, GetBackendAuth response or ResourceConfig.

    ``operation`` names the request shape walked for the table (UpdateBackendAuth for a partial
    update). Secret values are never read into the files or the table. ``way`` (``"keep"`` or
    ``"recreate"``, see ``gen2.ways``) keeps the users of the environment whose deployed auth
    is ``deployed``; without one, the code creates a new, empty pool.
    """
    request = _as_request(config, operation)
    plan = ways.plan(way, deployed, request)
    builder = Mapper(request)
    builder.build()
    secrets = plan.secrets(builder.secrets)
    header = _header(request, secrets, plan.notes(builder.notes))
    files = {
        RESOURCE_TS: _resource_ts(builder, header, plan),
        BACKEND_TS: _backend_ts(builder, header, plan),
    }
    files |= plan.files(header)  # the way's own files; keep's replace these two
    rows = []
    for path, spec, value in configured(request, request_spec(operation)):
        place = builder.placed.get(path)
        if place is None:
            why = (
                "the service model has no such member"
                if spec is None
                else "this exporter has no Gen 2 place for it; carry it across by hand"
            )
            place = Placement(NOT_MAPPED, "", "", why)
        rows.append(
            {
                "member": path,
                "value": _display(path, spec, value),
                "status": place.status,
                "file": place.file,
                "target": place.target,
                "note": place.note,
            }
        )
    rows += builder.derived  # what Gen 1 derived: provider scopes and mapping, native client
    return Gen2Export(
        files=files,
        rows=plan.rows(rows),
        secrets=secrets,
        app_id=str(request.get("AppId") or ""),
        environment=str(request.get("BackendEnvironmentName") or ""),
        resource_name=str(request.get("ResourceName") or ""),
        notes=plan.notes(builder.notes),
        way=way,
        deployed=deployed,
    )
