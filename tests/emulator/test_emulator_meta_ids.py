"""The emulator's amplify-meta.json member by member (``emulator.meta.amplify_meta`` on a store
row): every id pinned for a given environment and auth, as a database kept across an upgrade
of the emulator must answer the same pool, clients and roles it answered before (a Gen 2
project written against them references them); Gen 1's names and suffixes, the defaults, the
parts present only with their setting, and an imported pool's own ids."""

from __future__ import annotations

import copy
import json
import re

import pytest

from amplify_auth_widgets.emulator.meta import amplify_meta

ACCOUNT = "123456789012"
CONFIG = {
    "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
    "UserPoolConfigs": {
        "UserPoolName": "todo_pool",
        "Mfa": {"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS", "TOTP"]}},
        "OAuth": {"DomainPrefix": "todo-login"},
    },
    "IdentityPoolConfigs": {"IdentityPoolName": "todo_ids"},
}
CREATED = 1767225600.5
STACK = "amplify-todoapp-dev-186448"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/{STACK}"
POOL_ID = "us-east-1_CXfmTW00A"
PROVIDERS = {
    "AuthRoleName": f"{STACK}-authRole",
    "UnauthRoleName": f"{STACK}-unauthRole",
    "AuthRoleArn": f"{ROLE}-authRole",
    "UnauthRoleArn": f"{ROLE}-unauthRole",
    "Region": "us-east-1",
    "DeploymentBucketName": f"{STACK}-deployment",
    "StackName": STACK,
    "StackId": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/{STACK}/"
    "4744d48f-02d7-bd83-ae32-a7d0fa2c6745",
    "AmplifyAppId": "d1todo",
}
OUTPUT = {
    "UserPoolId": POOL_ID,
    "UserPoolName": "todo_pool-dev",
    "AppClientIDWeb": "3k9drxt83pn89clta6o9w0ecrq",
    "AppClientID": "48ev3whe2yhnmzbxz737m3g3nz",
    "IdentityPoolId": "us-east-1:38afe150-c487-4b9b-a1dd-0d4aeca2d552",
    "IdentityPoolName": "todo_ids__dev",
    "CreatedSNSRole": f"arn:aws:iam::{ACCOUNT}:role/snsqv2urtyt-dev",
    "HostedUIDomain": "todo-login-dev",
    "UserPoolArn": f"arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{POOL_ID}",
}


def row(config=CONFIG, imported=None, resource="todoauth", created=CREATED):
    """The store's auth row, as ``amplify_meta`` reads it."""
    return {
        "resource_name": resource,
        "create_time": created,
        "config": json.dumps(config),
        "imported": json.dumps(imported) if imported else None,
    }


def meta(auth, app_id="d1todo", app_name="Todo App", env="dev"):
    return json.loads(amplify_meta(app_id, app_name, env, auth))


def output(config=CONFIG, **kw):
    return meta(row(config, **kw))["auth"]["todoauth"]["output"]


def test_every_member_is_the_same_for_the_same_environment_and_auth():
    assert meta(row()) == {
        "providers": {"awscloudformation": PROVIDERS},
        "auth": {
            "todoauth": {
                "service": "Cognito",
                "providerPlugin": "awscloudformation",
                "dependsOn": [],
                "customAuth": False,
                "output": OUTPUT,
            }
        },
    }


def test_without_auth_only_the_environments_providers_are_answered():
    assert meta(None) == {"providers": {"awscloudformation": PROVIDERS}}


def test_auth_made_again_or_under_another_name_gets_new_ids_in_the_same_stack():
    first = output()
    renamed = meta(row(resource="other"))["auth"]["other"]["output"]
    for again in (output(created=CREATED + 1), renamed):
        assert again["UserPoolId"] != first["UserPoolId"]
        assert again["AppClientIDWeb"] != first["AppClientIDWeb"]
        assert again["IdentityPoolId"] != first["IdentityPoolId"]
    assert meta(row(created=CREATED + 1))["providers"] == meta(row())["providers"]


def test_the_defaults_and_the_parts_each_setting_adds():
    config = {"AuthResources": "USER_POOL_ONLY", "IdentityPoolConfigs": {"X": 1}}
    bare = output(config)
    assert set(bare) == {"UserPoolId", "UserPoolName", "AppClientIDWeb", "AppClientID"} | {
        "UserPoolArn"
    }
    assert bare["UserPoolName"] == "userpool-dev"  # Gen 1's default name, with the env
    unnamed = copy.deepcopy(CONFIG)
    del unnamed["IdentityPoolConfigs"]["IdentityPoolName"]
    unnamed["UserPoolConfigs"]["Mfa"]["Settings"]["MfaTypes"] = ["TOTP"]  # no SMS: no role
    del unnamed["UserPoolConfigs"]["OAuth"]
    got = output(unnamed)
    assert got["IdentityPoolName"] == "identitypool__dev"
    assert "CreatedSNSRole" not in got and "HostedUIDomain" not in got
    assert output({"UserPoolConfigs": {"Mfa": {"MFAMode": "OFF"}}})["UserPoolName"] == (
        "userpool-dev"
    )


@pytest.mark.parametrize(
    ("member", "key", "value"),
    [
        ("UserPoolId", "UserPoolId", "us-east-1_Imported1"),
        ("IdentityPoolId", "IdentityPoolId", "us-east-1:11111111-2222-4333-8444-555555555555"),
        ("WebClientId", "AppClientIDWeb", "w" * 26),
        ("NativeClientId", "AppClientID", "n" * 26),
    ],
)
def test_an_imported_pool_answers_each_id_it_was_imported_with(member, key, value):
    got = output(imported={member: value, "Other": ""})
    assert got[key] == value
    assert {k: v for k, v in got.items() if k not in (key, "UserPoolArn")} == {
        k: v for k, v in OUTPUT.items() if k not in (key, "UserPoolArn")
    }
    assert got["UserPoolArn"].endswith(f":userpool/{got['UserPoolId']}")
    assert output(imported={member: ""}) == OUTPUT  # an empty member keeps the drawn id


@pytest.mark.parametrize(
    ("app_name", "env", "stack"),
    [
        ("Todo App", "dev", STACK),
        ("a/../b Ü-C!", "Prod", "amplify-abc-prod-"),  # only letters and digits, lower case
        ("x" * 30, "dev", "amplify-" + "x" * 20 + "-dev-"),  # the project cut at 20
        ("!!!", "dev", "amplify-app-dev-"),  # nothing left: Gen 1's "app"
    ],
)
def test_the_stack_is_named_as_gen_1_names_it(app_name, env, stack):
    got = meta(None, app_name=app_name, env=env)["providers"]["awscloudformation"]["StackName"]
    assert got.startswith(stack) and re.fullmatch(r"amplify-[a-z0-9]+-[a-z0-9]+-[1-9]\d*", got)


def test_the_stack_suffix_has_no_leading_zero_and_the_name_at_most_128_characters():
    # app9/dev draws 046615: Gen 1's suffix is a number, written without leading zeros
    providers = meta(None, app_id="app9", app_name="x")["providers"]["awscloudformation"]
    assert providers["StackName"] == "amplify-x-dev-46615"
    long = meta(None, env="e" * 200)["providers"]["awscloudformation"]["StackName"]
    assert len(long) == 128 and long.startswith("amplify-todoapp-eee")
