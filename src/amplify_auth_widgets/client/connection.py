"""Connection settings, turned into boto3 clients the way the AWS CLI would build them.

A ``Connection`` holds what the AWS CLI's global options hold (profile, region, endpoint URL,
TLS verification or CA bundle, timeouts, unsigned requests, retries). Whatever it leaves unset
is taken from AWS's own configuration, exactly as boto3 takes it: ``AWS_PROFILE``,
``AWS_REGION``/``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_AMPLIFYBACKEND``,
``AWS_CA_BUNDLE``, and the shared config and credentials files. Mistakes in that configuration
(no region, an unknown profile) become one ``ConfigurationError`` that says how to fix it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..core.model import SERVICE_NAME

if TYPE_CHECKING:
    import boto3

EMULATOR_REGION = "us-east-1"
#: Credentials for the local emulator; they open nothing anywhere else.
EMULATOR_ACCESS_KEY = "emulator"
EMULATOR_SECRET_KEY = "emulator-secret"


class ConfigurationError(Exception):
    """The AWS configuration cannot give a working client (the CLI's exit code 253)."""


@dataclass(frozen=True)
class Connection:
    """How to reach the AmplifyBackend API. Every field left as None defers to AWS's config."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    #: True or False, or the path of a CA bundle (as ``--ca-bundle``).
    verify: bool | str | None = None
    connect_timeout: float | None = None
    read_timeout: float | None = None
    unsigned: bool = False
    retry_mode: str | None = None
    max_attempts: int | None = None
    access_key_id: str | None = field(default=None, repr=False)
    secret_access_key: str | None = field(default=None, repr=False)

    @classmethod
    def for_emulator(cls, url: str, **overrides: Any) -> Connection:
        """Settings that talk to a local emulator at ``url`` with its throwaway credentials."""
        settings: dict[str, Any] = {
            "endpoint_url": url,
            "region": EMULATOR_REGION,
            "access_key_id": EMULATOR_ACCESS_KEY,
            "secret_access_key": EMULATOR_SECRET_KEY,
        }
        settings.update(overrides)
        return cls(**settings)

    def with_changes(self, **changes: Any) -> Connection:
        return replace(self, **changes)

    def session(self) -> boto3.Session:
        """boto3's session for these settings. With an endpoint URL, the STS calls boto3's
        credential providers make (a profile's ``role_arn``) go to that endpoint too, as they
        do when ``AWS_ENDPOINT_URL`` names it: a role profile works against the emulator."""
        import boto3  # deferred: slow to import
        from botocore.exceptions import ProfileNotFound

        try:
            return boto3.Session(
                profile_name=self.profile,
                region_name=self.region,
                aws_access_key_id=self.access_key_id,
                aws_secret_access_key=self.secret_access_key,
                botocore_session=_sts_at(self.endpoint_url) if self.endpoint_url else None,
            )
        except ProfileNotFound:
            raise ConfigurationError(
                f"The profile {self.profile!r} is not in your AWS config or credentials file; "
                "run `aws configure --profile NAME` or choose another profile."
            ) from None

    def effective_region(self) -> str:
        """--region, then AWS_REGION (as the AWS CLI v2 and the other SDKs read it; boto3
        alone does not), then AWS_DEFAULT_REGION and the profile, through boto3."""
        region = self.region or os.environ.get("AWS_REGION") or self.session().region_name
        if not region:
            raise ConfigurationError(
                "No AWS region is set: pass --region, set AWS_REGION, or add a region to your "
                "profile (`aws configure set region us-east-1`)."
            )
        return region

    def client_config(self) -> Any:
        from botocore import UNSIGNED  # deferred: slow to import
        from botocore.config import Config

        options: dict[str, Any] = {}
        if self.connect_timeout is not None:
            options["connect_timeout"] = self.connect_timeout
        if self.read_timeout is not None:
            options["read_timeout"] = self.read_timeout
        retries: dict[str, Any] = {}
        if self.retry_mode:
            retries["mode"] = self.retry_mode
        if self.max_attempts is not None:
            retries["total_max_attempts"] = self.max_attempts
        if retries:
            options["retries"] = retries
        if self.unsigned:
            options["signature_version"] = UNSIGNED
        return Config(**options)

    def client(self, service: str = SERVICE_NAME) -> Any:
        """A boto3 client for ``amplifybackend`` (or ``amplify``, the app listing)."""
        from botocore.exceptions import BotoCoreError  # deferred: slow to import

        session = self.session()
        region = self.effective_region()
        kwargs: dict[str, Any] = {"region_name": region, "config": self.client_config()}
        if self.endpoint_url:
            kwargs["endpoint_url"] = self.endpoint_url
        if self.verify is not None:
            kwargs["verify"] = self.verify
        try:
            return session.client(service, **kwargs)
        except (BotoCoreError, ValueError) as exc:
            raise ConfigurationError(f"Cannot build a {service} client: {exc}") from None

    def caller_account(self) -> str:
        """The account these credentials belong to, by STS ``GetCallerIdentity`` (which needs
        no permission; a role profile's assumed role answers its own account). A
        ``ConfigurationError`` says why it cannot be told."""
        from botocore.exceptions import BotoCoreError, ClientError  # deferred: slow to import

        try:
            identity = self.client("sts").get_caller_identity()
        except (BotoCoreError, ClientError) as exc:
            raise ConfigurationError(
                f"Cannot tell which account the connection ({self.label()}) is in: STS "
                f"GetCallerIdentity failed: {exc}"
            ) from None
        return str(identity.get("Account") or "")

    def label(self) -> str:
        """A short name of the connection for messages: its profile and region."""
        described = self.describe()
        return f"profile {described['profile']}, region {described['region'] or 'default'}"

    def describe(self) -> dict[str, Any]:
        """The settings in force, for display: never a credential."""
        return {
            "profile": self.profile or os.environ.get("AWS_PROFILE") or "default",
            "region": self.region or os.environ.get("AWS_REGION") or None,
            "endpoint_url": self.endpoint_url
            or os.environ.get("AWS_ENDPOINT_URL_AMPLIFYBACKEND")
            or os.environ.get("AWS_ENDPOINT_URL"),
            "verify": self.verify,
            "unsigned": self.unsigned,
        }


def _sts_at(endpoint_url: str) -> Any:
    """A botocore session whose STS clients default to ``endpoint_url`` (those boto3's
    credential providers make to assume a profile's role; a client given its own endpoint keeps
    it)."""
    from botocore.session import Session  # deferred: slow to import

    class EndpointSession(Session):
        def create_client(self, service_name: str, *args: Any, **kwargs: Any) -> Any:
            if service_name == "sts" and not args and kwargs.get("endpoint_url") is None:
                kwargs["endpoint_url"] = endpoint_url
            return super().create_client(service_name, *args, **kwargs)

    return EndpointSession()
