"""Reading what a Gen 1 environment deployed from its amplify-meta.json (``read_deployed``)."""

from __future__ import annotations

import json

import pytest
from support.amplify_meta import META, POOL_ARN, ROLE

from amplify_auth_widgets.core.deployed import DeployedAuth, DeployedUnreadable, read_deployed


def test_every_id_is_read_from_text_or_object():
    for given in (META, json.dumps(META)):
        deployed = read_deployed(given)
        assert deployed == DeployedAuth(
            resource_name="todoauth",
            region="eu-west-1",
            account_id="210987654321",
            user_pool_id="eu-west-1_AbC123xyZ",
            user_pool_arn=POOL_ARN,
            user_pool_name="todo-users-dev",
            web_client_id="a" * 26,
            native_client_id="b" * 26,
            identity_pool_id="eu-west-1:0b5b5b5b-1111-4222-8333-444444444444",
            identity_pool_name="todo_identity__dev",
            auth_role_arn=f"{ROLE}-authRole",
            unauth_role_arn=f"{ROLE}-unauthRole",
            stack_name="amplify-todo-dev-123456",
        )
        assert deployed.has_identity_pool


def test_a_client_secret_is_never_read():
    deployed = read_deployed(META)
    assert deployed is not None
    assert "the-native-client-secret" not in repr(deployed)
    assert "the-native-client-secret" not in json.dumps(deployed.as_dict())


@pytest.mark.parametrize("meta", [None, "", "{}", {"auth": {}}, {"auth": {"x": {"output": {}}}}])
def test_nothing_deployed_is_none(meta):
    assert read_deployed(meta) is None


def test_a_user_pool_only_resource_has_no_identity_pool():
    meta = json.loads(json.dumps(META))
    output = meta["auth"]["todoauth"]["output"]
    del output["IdentityPoolId"], output["IdentityPoolName"]
    deployed = read_deployed(meta)
    assert deployed is not None and deployed.identity_pool_id is None
    assert not deployed.has_identity_pool


def test_without_roles_there_is_no_identity_pool_to_reference():
    meta = json.loads(json.dumps(META))
    del meta["providers"]
    deployed = read_deployed(meta)
    assert deployed is not None and deployed.identity_pool_id is not None
    assert deployed.auth_role_arn is None and not deployed.has_identity_pool
    assert deployed.region == "eu-west-1"  # from the pool id when no provider names it


def test_a_missing_arn_is_derived_from_the_account_of_the_roles():
    meta = json.loads(json.dumps(META))
    del meta["auth"]["todoauth"]["output"]["UserPoolArn"]
    deployed = read_deployed(meta)
    assert deployed is not None
    assert deployed.user_pool_arn == META["auth"]["todoauth"]["output"]["UserPoolArn"]


@pytest.mark.parametrize(
    ("meta", "named"),
    [
        ("{not json", "not JSON"),
        ("[]", "AmplifyMetaConfig is not a JSON object"),
        ({"auth": []}, "AmplifyMetaConfig.auth is not a JSON object"),
        ({"auth": {"r": {"output": {"UserPoolId": 5}}}}, "auth.r.output.UserPoolId is not text"),
        ({"auth": {"r": {"output": {"UserPoolId": "nope"}}}}, "is not a user pool id"),
        (
            {"auth": {"r": {"output": {"UserPoolId": "us-east-1_Abc"}}}},
            "no UserPoolArn, and no role ARN",
        ),
        ({"providers": {"awscloudformation": 3}}, "providers.awscloudformation is not"),
    ],
)
def test_what_is_not_gen_1_s_shape_is_named(meta, named):
    with pytest.raises(DeployedUnreadable, match=named.replace(".", r"\.")):
        read_deployed(meta)
