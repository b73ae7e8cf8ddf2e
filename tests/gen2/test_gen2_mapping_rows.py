"""The mapping's rows and code pinned whole, branch by branch of ``gen2.mapping.Mapper``: sign-in
by username, email and phone or phone alone, messages on the pool or in ``loginWith``, MFA in
``defineAuth`` or on the pool, account recovery, the identity pool, names and the domain with
their environment's suffix, every social provider with Gen 1's scopes and attribute mapping,
the native client, the password policy with and without a length.

Written for the mutation run of ``gen2.mapping`` (docs/mutation.md); no Node toolchain here.
"""

from __future__ import annotations

from amplify_auth_widgets import gen2

UPC = "ResourceConfig.UserPoolConfigs"


def test_the_required_attributes_row_names_every_key_it_wrote_even_with_none_required():
    request = {
        "ResourceConfig": {
            "UserPoolConfigs": {
                "SignInMethod": "EMAIL_AND_PHONE_NUMBER",
                "RequiredSignUpAttributes": [],
            }
        }
    }
    (row,) = [r for r in gen2.export(request).rows if r["member"].endswith("SignUpAttributes")]
    assert row["target"] == "userAttributes.email, phoneNumber"  # was "userAttributes."
    request["ResourceConfig"]["UserPoolConfigs"]["RequiredSignUpAttributes"] = ["NAME"]
    (row,) = [r for r in gen2.export(request).rows if r["member"].endswith("SignUpAttributes")]
    assert row["target"] == "userAttributes.fullname, email, phoneNumber"
    assert row["note"] == (
        "Gen 2 makes email and phoneNumber required for sign-in; not so here, as in the source"
    )
