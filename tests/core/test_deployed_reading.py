"""``read_deployed`` on amplify-meta.json shapes beyond the usual one: empty members, several
auth resources, where the region and the account come from, and the whole message for each part
that is not what Gen 1 writes (the part named by its full path, the type found, the fix)."""

from __future__ import annotations

import copy

import pytest
from support.amplify_meta import META, POOL_ARN  # the usual shape, read in test_deployed

from amplify_auth_widgets.core.deployed import DeployedUnreadable, read_deployed

ACCOUNT = "210987654321"
POOL_ID = "eu-west-1_AbC123xyZ"


PROVIDER_MEMBERS = {"AuthRoleArn", "UnauthRoleArn", "Region", "StackName"}


def meta(**changes):
    """A copy of META with members changed (None drops one): the provider's members in
    ``providers.awscloudformation``, every other in the auth resource's ``output``."""
    made = copy.deepcopy(META)
    for key, value in changes.items():
        place = (
            made["providers"]["awscloudformation"]
            if key in PROVIDER_MEMBERS
            else made["auth"]["todoauth"]["output"]
        )
        if value is None:
            place.pop(key, None)
        else:
            place[key] = value
    return made


def message(given) -> str:
    with pytest.raises(DeployedUnreadable) as raised:
        read_deployed(given)
    return str(raised.value)


def test_an_empty_member_is_read_as_absent():
    deployed = read_deployed(meta(IdentityPoolId="", IdentityPoolName="", UserPoolName=""))
    assert deployed is not None
    assert deployed.identity_pool_id is None and deployed.identity_pool_name is None
    assert deployed.user_pool_name is None and not deployed.has_identity_pool


def test_a_resource_without_outputs_is_passed_over_for_the_next_one():
    given = copy.deepcopy(META)
    given["auth"] = {"imported": {"output": {}}, **given["auth"]}
    deployed = read_deployed(given)
    assert deployed is not None and deployed.resource_name == "todoauth"
    assert deployed.user_pool_id == POOL_ID


def test_the_region_is_the_providers_and_the_pool_ids_without_one():
    assert read_deployed(meta(Region="eu-central-1")).region == "eu-central-1"
    assert read_deployed(meta(Region=None)).region == "eu-west-1"


def test_the_account_comes_from_the_pool_arn_without_roles():
    given = meta(AuthRoleArn=None, UnauthRoleArn=None)
    deployed = read_deployed(given)
    assert deployed is not None and deployed.account_id == ACCOUNT
    assert deployed.auth_role_arn is None and deployed.unauth_role_arn is None


@pytest.mark.parametrize("role", ["AuthRoleArn", "UnauthRoleArn"])
def test_a_missing_pool_arn_is_derived_from_either_role_alone(role):
    other = "UnauthRoleArn" if role == "AuthRoleArn" else "AuthRoleArn"
    deployed = read_deployed(meta(UserPoolArn=None, **{other: None}))
    assert deployed is not None
    assert (deployed.user_pool_arn, deployed.account_id) == (POOL_ARN, ACCOUNT)
    assert (deployed.auth_role_arn is None) == (role != "AuthRoleArn")


@pytest.mark.parametrize(
    ("given", "whole"),
    [
        (
            {"providers": []},
            "AmplifyMetaConfig.providers is not a JSON object but list",
        ),
        (
            {"providers": {"awscloudformation": 3}},
            "AmplifyMetaConfig.providers.awscloudformation is not a JSON object but int",
        ),
        (
            {"auth": {"r": ["x"]}},
            "AmplifyMetaConfig.auth.r is not a JSON object but list",
        ),
        (
            {"auth": {"r": {"output": "x"}}},
            "AmplifyMetaConfig.auth.r.output is not a JSON object but str",
        ),
        (
            {"auth": {"r": {"output": {"UserPoolId": 5}}}},
            "AmplifyMetaConfig.auth.r.output.UserPoolId is not text but int",
        ),
        (
            meta(AuthRoleArn=["arn"]),
            "AmplifyMetaConfig.providers.awscloudformation.AuthRoleArn is not text but list",
        ),
        (
            meta(Region=1.5),
            "AmplifyMetaConfig.providers.awscloudformation.Region is not text but float",
        ),
        (
            {"auth": {"r": {"output": {"UserPoolId": "nope"}}}},
            "AmplifyMetaConfig.auth.r.output.UserPoolId 'nope' is not a user pool id "
            "(<region>_<id>, e.g. us-east-1_AbC123xyZ)",
        ),
    ],
)
def test_each_unreadable_part_gets_its_whole_message(given, whole):
    assert message(given) == whole


@pytest.mark.parametrize("pool_id", ["eu-west-\u0661_AbC123", "eu-west-1_AbC123\n"])
def test_a_pool_id_with_digits_beyond_ascii_or_a_line_end_is_no_pool_id(pool_id):
    said = message({"auth": {"r": {"output": {"UserPoolId": pool_id}}}})
    assert f"UserPoolId {pool_id!r} is not a user pool id" in said


def test_a_long_pool_id_is_quoted_in_its_first_60_characters():
    pool_id = "p" * 59 + "QRSTUVWXYZ"
    said = message({"auth": {"r": {"output": {"UserPoolId": pool_id}}}})
    assert f"UserPoolId {pool_id[:60]!r} is not" in said
