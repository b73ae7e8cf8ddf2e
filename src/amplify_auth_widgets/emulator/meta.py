"""The ``amplify-meta.json`` the emulator answers in ``GetBackend``'s ``AmplifyMetaConfig``.

A real Gen 1 environment's meta holds, for its auth resource, the ids its CloudFormation stack
made (``auth.<resource>.output``) and the environment's roles, region and stack
(``providers.awscloudformation``). The emulator writes the same members, with ids in the
service's formats: a user pool id ``us-east-1_AbC123xyZ`` (nine letters and digits), 26-character
app client ids, an identity pool id ``us-east-1:<uuid>``, role and stack ARNs, all in the
account and region of the app (``store.scope()``: the request's). Each id is derived from
the environment and the time its auth was first created, so it is the same at every call and
after a restart, and new when auth is deleted and made again, as a new stack would make new
ids. An imported resource answers the ids it was imported with.

No auth, or auth whose job has not completed (the store holds it only once the job completes),
has no ``output``: nothing is deployed yet. Gen 1 appends ``-<env>`` to the pool's name and
``__<env>`` to the identity pool's, and its hosted UI domain is ``<prefix>-<env>``; so does this.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from .store import scope

_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
_MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _draw(seed: str, label: str, alphabet: str, length: int) -> str:
    """``length`` characters of ``alphabet`` determined by ``seed`` and ``label``."""
    digest = hashlib.sha256(f"{seed}\0{label}".encode()).digest()
    number = int.from_bytes(digest, "big")
    out = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        out.append(alphabet[index])
    return "".join(out)


def _stack_name(app_name: str, env: str, seed: str) -> str:
    project = re.sub(r"[^a-z0-9]", "", app_name.lower())[:20] or "app"
    suffix = str(int(_draw(seed, "stack", "0123456789", 6)))
    return f"amplify-{project}-{env.lower()}-{suffix}"[:128]


def providers(app_id: str, app_name: str, env: str, seed: str) -> dict[str, Any]:
    """``providers.awscloudformation``: the environment's stack, roles and region."""
    stack = _stack_name(app_name, env, seed)
    account, region = scope()
    role = f"arn:aws:iam::{account}:role/{stack}"
    return {
        "AuthRoleName": f"{stack}-authRole",
        "UnauthRoleName": f"{stack}-unauthRole",
        "AuthRoleArn": f"{role}-authRole",
        "UnauthRoleArn": f"{role}-unauthRole",
        "Region": region,
        "DeploymentBucketName": f"{stack}-deployment",
        "StackName": stack,
        "StackId": f"arn:aws:cloudformation:{region}:{account}:stack/{stack}/"
        + str(uuid.UUID(bytes=hashlib.sha256(f"{seed}\0stack-id".encode()).digest()[:16])),
        "AmplifyAppId": app_id,
    }


def auth_output(
    env: str, seed: str, config: dict[str, Any], imported: dict[str, Any] | None
) -> dict[str, Any]:
    """``auth.<resource>.output``: the ids of the pool, its two clients and identity pool."""
    account, region = scope()
    pool_id = f"{region}_{_draw(seed, 'pool', _MIXED, 9)}"
    user_pool = config.get("UserPoolConfigs") or {}
    output: dict[str, Any] = {
        "UserPoolId": pool_id,
        "UserPoolName": f"{user_pool.get('UserPoolName') or 'userpool'}-{env}",
        "AppClientIDWeb": _draw(seed, "web", _LOWER, 26),
        "AppClientID": _draw(seed, "native", _LOWER, 26),
    }
    if config.get("AuthResources") == "IDENTITY_POOL_AND_USER_POOL":
        identity = config.get("IdentityPoolConfigs") or {}
        digest = hashlib.sha256(f"{seed}\0identity".encode()).digest()[:16]
        output["IdentityPoolId"] = f"{region}:{uuid.UUID(bytes=digest, version=4)}"
        output["IdentityPoolName"] = f"{identity.get('IdentityPoolName') or 'identitypool'}__{env}"
    mfa = (user_pool.get("Mfa") or {}).get("Settings") or {}
    if "SMS" in (mfa.get("MfaTypes") or []):
        output["CreatedSNSRole"] = (
            f"arn:aws:iam::{account}:role/sns{_draw(seed, 'sns', _LOWER, 8)}-{env}"
        )
    prefix = (user_pool.get("OAuth") or {}).get("DomainPrefix")
    if prefix:
        output["HostedUIDomain"] = f"{prefix}-{env}"
    renamed = {
        "UserPoolId": "UserPoolId",
        "IdentityPoolId": "IdentityPoolId",
        "WebClientId": "AppClientIDWeb",
        "NativeClientId": "AppClientID",
    }
    for member, key in renamed.items():
        if imported and imported.get(member):
            output[key] = imported[member]
    output["UserPoolArn"] = (
        f"arn:aws:cognito-idp:{region}:{account}:userpool/{output['UserPoolId']}"
    )
    return output


def amplify_meta(app_id: str, app_name: str, env: str, auth: Any) -> str:
    """The environment's ``amplify-meta.json`` as ``GetBackend`` answers it (JSON text).
    ``auth`` is the store's auth row, or None when the environment has no completed auth."""
    env_seed = f"{app_id}\0{env}"
    meta: dict[str, Any] = {
        "providers": {"awscloudformation": providers(app_id, app_name, env, env_seed)}
    }
    if auth is not None:
        seed = f"{env_seed}\0{auth['resource_name']}\0{auth['create_time']!r}"
        config = json.loads(auth["config"])
        imported = json.loads(auth["imported"]) if auth["imported"] else None
        meta["auth"] = {
            auth["resource_name"]: {
                "service": "Cognito",
                "providerPlugin": "awscloudformation",
                "dependsOn": [],
                "customAuth": False,
                "output": auth_output(env, seed, config, imported),
            }
        }
    return json.dumps(meta)
