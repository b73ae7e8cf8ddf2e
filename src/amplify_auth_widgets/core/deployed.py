"""What a Gen 1 environment's auth deployed, read from its ``amplify-meta.json``.

``GetBackend`` with an environment answers ``AmplifyMetaConfig``: the environment's
``amplify-meta.json`` as JSON text. For auth, ``auth.<resource>.output`` holds the ids the
CloudFormation stack made (``UserPoolId``, ``UserPoolArn``, ``UserPoolName``,
``AppClientIDWeb``, ``AppClientID``, ``IdentityPoolId``, ``IdentityPoolName``), and
``providers.awscloudformation`` the environment's roles, region and stack. These are what a
move to Gen 2 needs: ``referenceAuth`` takes the pool, the web client, the identity pool and the
two roles; a user-migration trigger signs users in against the old pool and its client.

``read_deployed`` turns that text into a ``DeployedAuth``. It keeps ids and names only: a
client secret (``AppClientSecret``, which some Gen 1 versions wrote) is never read, so it cannot
reach a frame, an export or a page. Before the environment's auth job completes, its
``output`` is absent and there is nothing deployed to read (None).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

#: The ``output`` members read, by DeployedAuth field.
OUTPUT_MEMBERS = {
    "user_pool_id": "UserPoolId",
    "user_pool_arn": "UserPoolArn",
    "user_pool_name": "UserPoolName",
    "web_client_id": "AppClientIDWeb",
    "native_client_id": "AppClientID",
    "identity_pool_id": "IdentityPoolId",
    "identity_pool_name": "IdentityPoolName",
}
#: The ``providers.awscloudformation`` members read, by DeployedAuth field.
PROVIDER_MEMBERS = {
    "auth_role_arn": "AuthRoleArn",
    "unauth_role_arn": "UnauthRoleArn",
    "stack_name": "StackName",
}
_POOL_ID = re.compile(r"^(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$", re.ASCII)
_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?P<account>\d{12}):", re.ASCII)


class DeployedUnreadable(ValueError):
    """An ``AmplifyMetaConfig`` whose auth part is not what Gen 1 writes; the message says
    which part and what was expected."""


@dataclass(frozen=True)
class DeployedAuth:
    """The ids one Gen 1 auth resource deployed. None where the environment has no such part
    (a ``USER_POOL_ONLY`` resource has no identity pool)."""

    resource_name: str
    region: str
    account_id: str | None
    user_pool_id: str
    user_pool_arn: str
    user_pool_name: str | None = None
    web_client_id: str | None = None
    native_client_id: str | None = None
    identity_pool_id: str | None = None
    identity_pool_name: str | None = None
    auth_role_arn: str | None = None
    unauth_role_arn: str | None = None
    stack_name: str | None = None

    @property
    def has_identity_pool(self) -> bool:
        """Whether an identity pool and both its roles exist (what ``referenceAuth`` needs)."""
        return bool(self.identity_pool_id and self.auth_role_arn and self.unauth_role_arn)

    def as_dict(self) -> dict[str, str | None]:
        """Every field by name; ids and names only, never a secret."""
        return asdict(self)


def _text(container: dict[str, Any], member: str, where: str) -> str | None:
    value = container.get(member)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DeployedUnreadable(f"{where}.{member} is not text but {type(value).__name__}")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DeployedUnreadable(f"{where} is not a JSON object but {type(value).__name__}")
    return value


def _meta(meta_config: str | dict[str, Any] | None) -> dict[str, Any]:
    if meta_config is None or meta_config == "":
        return {}
    if isinstance(meta_config, str):
        try:
            meta_config = json.loads(meta_config)
        except ValueError as exc:
            raise DeployedUnreadable(f"AmplifyMetaConfig is not JSON ({exc})") from None
    return _object(meta_config, "AmplifyMetaConfig")


def read_deployed(meta_config: str | dict[str, Any] | None) -> DeployedAuth | None:
    """The deployed auth of an ``AmplifyMetaConfig`` (JSON text or the parsed object).

    None when the environment has no auth resource, or its resource has no ``UserPoolId`` in
    its ``output`` yet (not deployed). With several auth resources (Gen 1 allows one; an
    imported pool may add none), the first one with outputs is read. Raises
    ``DeployedUnreadable`` when a part is not the type Gen 1 writes."""
    meta = _meta(meta_config)
    auth = _object(meta.get("auth"), "AmplifyMetaConfig.auth")
    provider = _object(
        _object(meta.get("providers"), "AmplifyMetaConfig.providers").get("awscloudformation"),
        "AmplifyMetaConfig.providers.awscloudformation",
    )
    for name, resource in auth.items():
        where = f"AmplifyMetaConfig.auth.{name}"
        output = _object(_object(resource, where).get("output"), f"{where}.output")
        fields = {f: _text(output, m, f"{where}.output") for f, m in OUTPUT_MEMBERS.items()}
        if not fields["user_pool_id"]:
            continue
        where = "AmplifyMetaConfig.providers.awscloudformation"
        fields |= {f: _text(provider, m, where) for f, m in PROVIDER_MEMBERS.items()}
        return _deployed(name, fields, _text(provider, "Region", where))
    return None


def _account(*arns: str | None) -> str | None:
    for arn in arns:
        found = _ARN_ACCOUNT.match(arn or "")
        if found:
            return found["account"]
    return None


def _deployed(name: str, fields: dict[str, str | None], region: str | None) -> DeployedAuth:
    pool_id = fields.pop("user_pool_id") or ""
    found = _POOL_ID.fullmatch(pool_id)
    where = f"AmplifyMetaConfig.auth.{name}.output"
    if found is None:
        raise DeployedUnreadable(
            f"{where}.UserPoolId {pool_id[:60]!r} is not a user pool id "
            "(<region>_<id>, e.g. us-east-1_AbC123xyZ)"
        )
    region = region or found["region"]
    arn = fields.pop("user_pool_arn")
    account = _account(arn, fields["auth_role_arn"], fields["unauth_role_arn"])
    if not arn:  # older Gen 1 versions wrote no ARN: it follows from the region and account
        if account is None:
            raise DeployedUnreadable(
                f"{where} has no UserPoolArn, and no role ARN names the account to derive it"
            )
        arn = f"arn:aws:cognito-idp:{region}:{account}:userpool/{pool_id}"
    return DeployedAuth(
        resource_name=name,
        region=region,
        account_id=account,
        user_pool_id=pool_id,
        user_pool_arn=arn,
        **fields,
    )
