"""The starting points offered in the editor: each a fresh copy, each valid once a target is
given, and a name that is none of them refused with the list of those there are."""

from __future__ import annotations

import pytest

from amplify_auth_widgets.core.findings import errors
from amplify_auth_widgets.core.presets import PRESETS, preset
from amplify_auth_widgets.core.validation import validate

TARGET = {"AppId": "d1a2b3c4", "BackendEnvironmentName": "dev", "ResourceName": "appauth"}


def test_a_preset_is_a_fresh_copy_each_time():
    name = "Email sign-in (defaults)"
    first = preset(name)
    first["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 99
    first["UserPoolConfigs"]["VerificationMessage"]["EmailSettings"]["EmailSubject"] = "changed"
    second = preset(name)
    assert second["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 8
    assert second["UserPoolConfigs"]["VerificationMessage"]["EmailSettings"]["EmailSubject"] == (
        "Your verification code"
    )
    # and the other presets sharing the email message are untouched
    mfa = preset("Username with optional TOTP MFA")
    assert mfa["UserPoolConfigs"]["VerificationMessage"]["EmailSettings"]["EmailSubject"] == (
        "Your verification code"
    )


def test_an_unknown_preset_is_refused_naming_it_and_every_preset_there_is():
    with pytest.raises(KeyError) as raised:
        preset("Passkeys")
    message = raised.value.args[0]
    assert message == "no preset 'Passkeys'; there are: " + ", ".join(PRESETS)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_validates_once_a_target_is_given(name):
    config = preset(name)
    assert config == PRESETS[name]
    request = {**TARGET, "ResourceConfig": config}
    assert errors(validate(request, "CreateBackendAuth")) == []
