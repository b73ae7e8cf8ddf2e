"""A dry run's diff as rows (``changes``): what a table of before and after shows, with the
same secrets hidden as the diff's lines hide."""

from __future__ import annotations

from amplify_auth_widgets.core.secrets import HIDDEN, redact
from amplify_auth_widgets.fleet.rollout import Target, target_changes, target_diff


def target(current, config, operation="UpdateBackendAuth"):
    made = Target("d1abc", "dev", "auth", config, operation=operation, current=current)
    made.request = {"AppId": "d1abc", "BackendEnvironmentName": "dev", "ResourceConfig": config}
    return made


def test_changes_are_the_diff_s_lines_as_rows_with_values_kept_as_they_are():
    policy = {"UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 8.0}}}
    new = {"UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 14}, "UserPoolName": "p"}}
    rows = target_changes(target(policy, new))
    assert rows == [
        ("UserPoolConfigs.PasswordPolicy.MinimumLength", 8.0, 14),
        ("UserPoolConfigs.UserPoolName", None, "p"),  # absent before: None
    ]
    assert len(rows) == len(target_diff(target(policy, new)))


def test_a_secret_is_hidden_in_the_rows_as_in_the_lines():
    google = {"ClientId": "id", "ClientSecret": "s3cr3t"}
    old = {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": {"Google": google}}}}
    new = {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": {"Google": {**google}}}}}
    new["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"] = "n3w"
    rows = target_changes(target(old, new))
    assert rows == [
        ("UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret", HIDDEN, HIDDEN)
    ]
    added = target_changes(target({}, old, operation="CreateBackendAuth"))
    # a whole member holding a secret: its structure, the secret redacted
    assert added == [("UserPoolConfigs", None, redact(old["UserPoolConfigs"]))]
    assert "s3cr3t" not in repr(added + rows) and "n3w" not in repr(rows)
