"""What the emulator deploys for an environment of the demo's `mainauth` resource, as the Gen 2
ways, their cdk-nag prediction and the projects written from them need it (the ids in the
service's formats; names with Gen 1's environment suffix), and a valid request exported with
it (``an_export``)."""

from __future__ import annotations

from conftest import valid_request

from amplify_auth_widgets import gen2
from amplify_auth_widgets.core.deployed import DeployedAuth

POOL_ID = "us-east-1_AbC123xyZ"


def deployed_in(env: str) -> DeployedAuth:
    """The deployed auth of ``mainauth`` in environment ``env``."""
    stack = f"amplify-main-{env}-1"
    return DeployedAuth(
        resource_name="mainauth",
        region="us-east-1",
        account_id="123456789012",
        user_pool_id=POOL_ID,
        user_pool_arn=f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{POOL_ID}",
        user_pool_name=f"main-users-{env}",
        web_client_id="abcdefghijklmnopqrstuvwxyz",
        native_client_id="zyxwvutsrqponmlkjihgfedcba",
        identity_pool_id="us-east-1:11111111-2222-4333-8444-555555555555",
        identity_pool_name=f"main_identity__{env}",
        auth_role_arn=f"arn:aws:iam::123456789012:role/{stack}-authRole",
        unauth_role_arn=f"arn:aws:iam::123456789012:role/{stack}-unauthRole",
        stack_name=stack,
    )


#: The staging environment's, the one most tests export.
DEPLOYED = deployed_in("staging")
#: The prod environment's, the one the Gen 2 project tests write from.
DEPLOYED_PROD = deployed_in("prod")


def an_export(
    app: str = "d1abc", env: str = "prod", way: str | None = None, deployed=DEPLOYED_PROD
) -> gen2.Gen2Export:
    request = valid_request(AppId=app, BackendEnvironmentName=env)
    return gen2.export(request, way=way, deployed=deployed if way else None)
