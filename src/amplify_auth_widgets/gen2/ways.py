"""The two ways to Gen 2 that keep a Gen 1 environment's users: ``keep`` and ``recreate``.

Without a way, ``gen2.export`` writes ``defineAuth`` code that, deployed, creates a new, empty
user pool. With the environment's ``DeployedAuth`` (``BackendAuthService.deployed_auth``):

- ``keep`` references the deployed pool, web app client, identity pool and roles with
  ``referenceAuth``: users, passwords and sessions stay. The pool's settings stay managed
  outside Gen 2, which cannot change them, so the configuration is not written as code. It
  needs an identity pool and its two roles: a ``USER_POOL_ONLY`` environment is refused.
- ``recreate`` writes the ``defineAuth`` code plus a user-migration trigger
  (``amplify/auth/migrate-users/``, its handler from ``gen2.trigger``) that moves each user from
  the old pool at their first sign-in, granted exactly ``AdminInitiateAuth`` and
  ``AdminGetUser`` on the old pool, and allows ``USER_PASSWORD_AUTH`` on the new app client:
  Cognito calls the trigger at a sign-in with that flow only, never with SRP.

``plan(way, deployed, request)`` returns what a way adds to the export (a ``Plan``); the
exporter asks it for notes, secrets, extra code, files and rows, so the way's code stays here.
Every deployed id reaches TypeScript through ``typescript.string`` and a shell command through
``shlex.quote``: they are text the service gave, not ours.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from ..core.deployed import DeployedAuth
from . import typescript as ts
from .mapping import BACKEND_TS, RESOURCE_TS, SOURCE, Secret
from .trigger import ENVIRONMENT, HANDLER_TS, handler_source

#: The ways, as ``export(way=...)`` takes them; None is the configuration alone (a new pool).
WAYS = ("keep", "recreate")
KEEP, RECREATE = WAYS

#: Where the migration function is defined, its Gen 2 name and the constant that holds it.
MIGRATE_TS = "amplify/auth/migrate-users/resource.ts"
FUNCTION_NAME = "migrate-users"
FUNCTION_CONST = "migrateUsers"
#: What the migration function may do on the old pool, and nothing else.
MIGRATION_ACTIONS = ("cognito-idp:AdminInitiateAuth", "cognito-idp:AdminGetUser")
#: The flow Cognito calls the migration trigger for, added to the new app client.
PASSWORD_FLOW = "ALLOW_USER_PASSWORD_AUTH"
#: The flows the old pool's app client needs for the trigger's AdminInitiateAuth (the first),
#: with those a Gen 1 web client signs in with.
OLD_CLIENT_FLOWS = (
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
)
#: Status, in the mapping table, of what a way does, and of a member the kept pool keeps.
WAY, KEPT = "way", "kept"


class WayRefused(ValueError):
    """The way asked for cannot be taken with this environment; the message says why and what
    to do instead."""


# -- the commands for the old pool -----------------------------------------------------------


def old_client_commands(deployed: DeployedAuth) -> tuple[str, str]:
    """The AWS CLI commands that read, then change, the old pool's web app client so that it
    allows ``ADMIN_USER_PASSWORD_AUTH`` (what the migration trigger signs in with). Every
    value is shell-quoted. ``update-user-pool-client`` resets each setting it is not given, so
    the first command shows the settings to pass along."""
    where = (
        f"--region {shlex.quote(deployed.region)} "
        f"--user-pool-id {shlex.quote(deployed.user_pool_id)} "
        f"--client-id {shlex.quote(deployed.web_client_id or '')}"
    )
    return (
        f"aws cognito-idp describe-user-pool-client {where}",
        f"aws cognito-idp update-user-pool-client {where} "
        f"--explicit-auth-flows {' '.join(OLD_CLIENT_FLOWS)}",
    )


# -- the plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the export does without a way: the configuration alone, a new pool. With the
    deployed auth known, the notes say that its users do not move."""

    way: str | None
    deployed: DeployedAuth | None

    def notes(self, mapped: list[str]) -> list[str]:
        """The header's notes, given the mapping's."""
        if self.deployed is None:
            return list(mapped)
        return [
            *mapped,
            f"This creates a NEW, EMPTY user pool: the users of {self.deployed.user_pool_id} "
            "do not move. To keep them, export with way 'keep' (the same pool) or "
            "'recreate' (a new pool they move into at sign-in).",
        ]

    def secrets(self, mapped: list[Secret]) -> list[Secret]:
        """The secrets the code reads."""
        return list(mapped)

    def auth_imports(self) -> list[str]:
        """Import lines ``amplify/auth/resource.ts`` needs beyond ``defineAuth``'s."""
        return []

    def auth_props(self) -> dict[str, Any]:
        """``defineAuth`` properties beyond the mapping's."""
        return {}

    def backend_imports(self) -> list[str]:
        """Import lines ``amplify/backend.ts`` needs beyond ``defineBackend``'s and ``auth``'s."""
        return []

    def backend_members(self) -> list[str]:
        """The resources ``defineBackend`` takes besides ``auth`` (imported by
        ``backend_imports``): a trigger listed there is reachable as ``backend.<name>``."""
        return []

    def backend_lines(self) -> list[str]:
        """Statements at the end of ``amplify/backend.ts``."""
        return []

    def files(self, header: list[str]) -> dict[str, str]:
        """Files added to the export, or replacing its own (``keep`` replaces both)."""
        return {}

    def rows(self, mapped: list[dict[str, str]]) -> list[dict[str, str]]:
        """The mapping table, given the configuration's rows."""
        return mapped


def _row(member: str, value: str | None, file: str, target: str, note: str) -> dict[str, str]:
    return {
        "member": member,
        "value": value or "",
        "status": WAY,
        "file": file,
        "target": target,
        "note": note,
    }


#: The referenceAuth properties, by DeployedAuth field.
REFERENCE = {
    "user_pool_id": "userPoolId",
    "identity_pool_id": "identityPoolId",
    "web_client_id": "userPoolClientId",
    "auth_role_arn": "authRoleArn",
    "unauth_role_arn": "unauthRoleArn",
}


@dataclass(frozen=True)
class Keep(Plan):
    """``referenceAuth`` to the deployed pool: nothing of the configuration is written."""

    deployed: DeployedAuth

    def notes(self, mapped: list[str]) -> list[str]:
        d = self.deployed
        return [
            f"Way 'keep': Gen 2 references the Gen 1 user pool {d.user_pool_id}, its web app "
            f"client {d.web_client_id}, the identity pool {d.identity_pool_id} and its roles "
            "(referenceAuth). Users, passwords and sessions stay.",
            "The pool's settings stay managed outside Gen 2 (by the Gen 1 stack, or by hand): "
            "Gen 2 cannot change them, so the configuration is not written as code here.",
            "Do not delete the Gen 1 environment or its auth while this backend references "
            "them: that deletes the pool and its users.",
        ]

    def secrets(self, mapped: list[Secret]) -> list[Secret]:
        return []  # the kept pool keeps its identity providers and their secrets

    def files(self, header: list[str]) -> dict[str, str]:
        fields = self.deployed.as_dict()
        props = {prop: fields[name] for name, prop in REFERENCE.items()}
        resource = [
            *header,
            'import { referenceAuth } from "@aws-amplify/backend";',
            "",
            "export const auth = referenceAuth({",
            *ts.object_body(props, 1),
            "});",
        ]
        backend = [
            *header,
            'import { defineBackend } from "@aws-amplify/backend";',
            'import { auth } from "./auth/resource";',
            "",
            "defineBackend({ auth });",
        ]
        return {RESOURCE_TS: "\n".join(resource) + "\n", BACKEND_TS: "\n".join(backend) + "\n"}

    def rows(self, mapped: list[dict[str, str]]) -> list[dict[str, str]]:
        kept = "the kept pool keeps its deployed setting; Gen 2 cannot change it"
        rows = [
            r
            if r["status"] == SOURCE
            else {**r, "status": KEPT, "file": "", "target": "", "note": kept}
            for r in mapped
        ]
        rows.append(_row("way", KEEP, RESOURCE_TS, "referenceAuth", self._what()))
        fields = self.deployed.as_dict()
        for name, prop in REFERENCE.items():
            note = "referenceAuth: the Gen 1 resource is used as it is"
            rows.append(_row(f"deployed.{name}", fields[name], RESOURCE_TS, prop, note))
        return rows

    @staticmethod
    def _what() -> str:
        return (
            "the Gen 1 pool itself: users, passwords and sessions stay; its settings stay "
            "managed outside Gen 2, which cannot change them"
        )


@dataclass(frozen=True)
class Recreate(Plan):
    """A new pool with a user-migration trigger reading the old one."""

    deployed: DeployedAuth

    def environment(self) -> dict[str, str]:
        d = self.deployed
        values = (d.user_pool_id, d.web_client_id or "", d.region)
        return dict(zip(ENVIRONMENT, values, strict=True))

    def notes(self, mapped: list[str]) -> list[str]:
        d = self.deployed
        describe, update = old_client_commands(d)
        return [
            *mapped,
            "Way 'recreate': Gen 2 creates a new, empty user pool; its user-migration trigger "
            f"(amplify/auth/migrate-users) moves each user from the Gen 1 pool {d.user_pool_id} "
            "at their first sign-in or password reset, the password checked by the old pool.",
            "Cognito calls the migration trigger only at a USER_PASSWORD_AUTH sign-in, never "
            "with SRP: the new app client allows ALLOW_USER_PASSWORD_AUTH, and the front end "
            'must sign in with authFlowType: "USER_PASSWORD_AUTH" (Amplify JS: signIn({ '
            'username, password, options: { authFlowType: "USER_PASSWORD_AUTH" } })) until the '
            "users have moved.",
            "What does not move: MFA devices and TOTP secrets (users set MFA up again), "
            "remembered devices, groups; social identities relink at their first sign-in with "
            "the provider. Users who never sign in stay in the old pool: keep it until then.",
            f"First, on the old pool: its app client {d.web_client_id} must allow "
            "ALLOW_ADMIN_USER_PASSWORD_AUTH (the trigger signs in there with "
            "AdminInitiateAuth). update-user-pool-client resets every setting it is not "
            "given: read them with the first command below, and add to the second the "
            "client's other settings (callback and logout URLs, OAuth flows and scopes, "
            "identity providers, token validity, read and write attributes) and any other "
            "auth flow it lists.",
            f"$ {describe}",
            f"$ {update}",
        ]

    def auth_imports(self) -> list[str]:
        return [f'import {{ {FUNCTION_CONST} }} from "./migrate-users/resource";']

    def auth_props(self) -> dict[str, Any]:
        return {"triggers": ts.Inline(userMigration=ts.Code(FUNCTION_CONST))}

    def backend_imports(self) -> list[str]:
        return [
            'import { PolicyStatement } from "aws-cdk-lib/aws-iam";',
            f'import {{ {FUNCTION_CONST} }} from "./auth/{FUNCTION_NAME}/resource";',
        ]

    def backend_members(self) -> list[str]:
        return [FUNCTION_CONST]

    def backend_lines(self) -> list[str]:
        policy = {"actions": list(MIGRATION_ACTIONS), "resources": [self.deployed.user_pool_arn]}
        return [
            "",
            "// The migration trigger reads users from the old pool, and may do nothing else.",
            "const readOldPool = new PolicyStatement({",
            *ts.object_body(policy, 1),
            "});",
            f"backend.{FUNCTION_CONST}.resources.lambda.addToRolePolicy(readOldPool);",
            "",
            "// Cognito calls the migration trigger only at a USER_PASSWORD_AUTH sign-in.",
            "const appClient = backend.auth.resources.cfnResources.cfnUserPoolClient;",
            "appClient.explicitAuthFlows = [",
            "  ...(appClient.explicitAuthFlows ?? []),",
            f"  {ts.string(PASSWORD_FLOW)},",
            "];",
        ]

    def files(self, header: list[str]) -> dict[str, str]:
        props = {"name": FUNCTION_NAME, "entry": "./handler.ts", "environment": self.environment()}
        function = [
            *header,
            'import { defineFunction } from "@aws-amplify/backend";',
            "",
            "// The user-migration trigger: the old (Gen 1) pool it reads users from.",
            f"export const {FUNCTION_CONST} = defineFunction({{",
            *ts.object_body(props, 1),
            "});",
        ]
        return {MIGRATE_TS: "\n".join(function) + "\n", HANDLER_TS: handler_source()}

    def rows(self, mapped: list[dict[str, str]]) -> list[dict[str, str]]:
        d = self.deployed
        env = self.environment()
        reads = "the migration trigger signs users in against the old pool with it"
        return [
            *mapped,
            _row("way", RECREATE, RESOURCE_TS, "triggers.userMigration", self._what()),
            _row("deployed.user_pool_id", d.user_pool_id, MIGRATE_TS, ENVIRONMENT[0], reads),
            _row("deployed.web_client_id", env[ENVIRONMENT[1]], MIGRATE_TS, ENVIRONMENT[1], reads),
            _row("deployed.region", d.region, MIGRATE_TS, ENVIRONMENT[2], reads),
            _row(
                "deployed.user_pool_arn",
                d.user_pool_arn,
                BACKEND_TS,
                "readOldPool.resources",
                f"the trigger may call {' and '.join(MIGRATION_ACTIONS)} there, nothing else",
            ),
            _row(
                "way.explicitAuthFlows",
                PASSWORD_FLOW,
                BACKEND_TS,
                "cfnUserPoolClient.explicitAuthFlows",
                "added to Gen 2's flows: Cognito calls the trigger only at a "
                "USER_PASSWORD_AUTH sign-in; the front end signs in with authFlowType: "
                '"USER_PASSWORD_AUTH" until the users have moved',
            ),
        ]

    @staticmethod
    def _what() -> str:
        return (
            "a new, empty pool: each user moves from the old pool at their first sign-in "
            "(MFA devices and TOTP secrets do not move)"
        )


# -- choosing --------------------------------------------------------------------------------


def _check_deployed(way: str, deployed: DeployedAuth, request: dict[str, Any]) -> None:
    """WayRefused when the environment cannot take ``way``."""
    if not deployed.web_client_id:
        raise WayRefused(
            f"way={way!r} needs the Gen 1 web app client (AppClientIDWeb) of "
            f"{deployed.resource_name}, and the deployed auth has none: push the Gen 1 auth "
            "again (amplify push) so that its outputs name it."
        )
    if way != KEEP:
        return
    user_pool_only = (request.get("ResourceConfig") or {}).get("AuthResources") == "USER_POOL_ONLY"
    if user_pool_only or not deployed.has_identity_pool:
        missing = [
            label
            for label, value in (
                ("identity pool", deployed.identity_pool_id),
                ("auth role", deployed.auth_role_arn),
                ("unauth role", deployed.unauth_role_arn),
            )
            if not value
        ]
        why = (
            "the environment is USER_POOL_ONLY"
            if user_pool_only
            else f"the deployed auth has no {' and no '.join(missing)}"
        )
        raise WayRefused(
            "way='keep' references the user pool with referenceAuth, which needs an identity "
            f"pool and its auth and unauth roles, and {why}. Use way='recreate' (a new pool "
            "the users move into at sign-in) instead."
        )


def plan(way: str | None, deployed: DeployedAuth | None, request: dict[str, Any]) -> Plan:
    """The plan of ``way`` (None: the configuration alone) for ``deployed``; a ValueError
    (``WayRefused`` when the environment cannot take it) naming what is wrong and the fix."""
    if deployed is not None and not isinstance(deployed, DeployedAuth):
        raise TypeError(
            "deployed must be a DeployedAuth (BackendAuthService.deployed_auth(app_id, env), "
            f"or core.deployed.read_deployed), not {type(deployed).__name__}."
        )
    if way is None:
        return Plan(None, deployed)
    if way not in WAYS:
        raise ValueError(
            f"way must be {' or '.join(repr(w) for w in WAYS)} (or None for a new pool from the "
            f"configuration alone), not {way!r}."
        )
    if deployed is None:
        raise ValueError(
            f"way={way!r} needs deployed: the environment's deployed auth, from "
            "BackendAuthService.deployed_auth(app_id, env) (None until its auth is deployed)."
        )
    _check_deployed(way, deployed, request)
    return Keep(way, deployed) if way == KEEP else Recreate(way, deployed)
