"""The difference between two configurations as people read it: which members changed, in
which order, how each change reads (secrets never quoted), and what a partial update makes."""

from __future__ import annotations

from amplify_auth_widgets.core.diff import (
    ABSENT,
    config_diff,
    deep_merge,
    describe_change,
    prune,
    shown_values,
)
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.core.secrets import HIDDEN

SECRET = "s3cr3t-value"


def test_changes_are_listed_member_by_member_old_members_first_then_new_ones():
    old = {"a": 1, "b": {"c": 1, "d": 2}, "z": 0}
    new = {"e": 5, "b": {"d": 3, "c": 1}, "z": 0}
    assert config_diff(old, new) == [("a", 1, ABSENT), ("b.d", 2, 3), ("e", ABSENT, 5)]
    assert config_diff(old, new, "ResourceConfig") == [
        ("ResourceConfig.a", 1, ABSENT),
        ("ResourceConfig.b.d", 2, 3),
        ("ResourceConfig.e", ABSENT, 5),
    ]
    assert config_diff(old, dict(old)) == []


def test_a_member_set_to_null_differs_from_one_left_out():
    assert config_diff({"a": None}, {}) == [("a", None, ABSENT)]
    assert config_diff({}, {"a": None}) == [("a", ABSENT, None)]


def test_true_is_not_one_but_one_is_one_point_oh():
    assert config_diff({"a": True}, {"a": 1}) == [("a", True, 1)]
    assert config_diff({"a": 0}, {"a": False}) == [("a", 0, False)]
    assert config_diff({"a": 1}, {"a": 1.0}) == []
    assert config_diff({"a": True}, {"a": True}) == []


def test_lists_and_objects_replaced_by_other_shapes_change_whole():
    assert config_diff({"l": [1, 2]}, {"l": [1, 3]}) == [("l", [1, 2], [1, 3])]
    assert config_diff({"o": {"a": 1}}, {"o": 5}) == [("o", {"a": 1}, 5)]
    assert config_diff({"o": 5}, {"o": {"a": 1}}) == [("o", 5, {"a": 1})]
    assert config_diff({"a": 1}, None, "X") == [("X", {"a": 1}, None)]


def test_a_partial_update_merges_objects_and_replaces_the_rest_leaving_both_untouched():
    base = {"keep": 1, "pool": {"name": "a", "policy": {"min": 8, "max": 99}}, "list": [1, 2]}
    update = {"pool": {"policy": {"min": 10}}, "list": [3], "new": {"x": 1}}
    merged = deep_merge(base, update)
    assert merged == {
        "keep": 1,
        "pool": {"name": "a", "policy": {"min": 10, "max": 99}},
        "list": [3],
        "new": {"x": 1},
    }
    assert base == {
        "keep": 1,
        "pool": {"name": "a", "policy": {"min": 8, "max": 99}},
        "list": [1, 2],
    }
    assert update == {"pool": {"policy": {"min": 10}}, "list": [3], "new": {"x": 1}}
    # an object replaces a scalar and a scalar an object
    assert deep_merge({"a": 1, "b": {"c": 1}}, {"a": {"x": 1}, "b": 2}) == {"a": {"x": 1}, "b": 2}


def test_members_the_model_does_not_define_are_dropped_and_named():
    spec = request_spec("CreateBackendAuth").member("ResourceConfig")
    assert spec is not None
    value = {
        "AuthResources": "USER_POOL_ONLY",
        "Bogus": 1,
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "Nope": 2,
            "PasswordPolicy": {"MinimumLength": 8, "Extra": True},
            "RequiredSignUpAttributes": ["EMAIL"],
        },
    }
    kept, removed = prune(value, spec)
    assert kept == {
        "AuthResources": "USER_POOL_ONLY",
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "PasswordPolicy": {"MinimumLength": 8},
            "RequiredSignUpAttributes": ["EMAIL"],
        },
    }
    assert removed == [
        "ResourceConfig.Bogus",
        "ResourceConfig.UserPoolConfigs.Nope",
        "ResourceConfig.UserPoolConfigs.PasswordPolicy.Extra",
    ]
    # at the request's root (an empty path) a stray member is named alone
    assert prune({"AppId": "a", "Bogus": 1}, request_spec("CreateBackendAuth")) == (
        {"AppId": "a"},
        ["Bogus"],
    )


def test_values_of_another_shape_than_the_model_s_are_kept_as_they_are():
    spec = request_spec("CreateBackendAuth").member("ResourceConfig")
    assert spec is not None
    assert prune("not an object", spec) == ("not an object", [])
    assert prune(["x"], spec) == (["x"], [])
    scalar = spec.member("AuthResources")
    assert scalar is not None
    assert prune({"Bogus": 1}, scalar) == ({"Bogus": 1}, [])


def test_a_change_reads_as_one_line():
    assert describe_change("P.MinimumLength", 8, 10) == "P.MinimumLength: 8 -> 10"
    assert describe_change("P.MinimumLength", ABSENT, 8) == "P.MinimumLength: added 8"
    assert describe_change("P.MinimumLength", 8, ABSENT) == "P.MinimumLength: removed (was 8)"
    assert describe_change("P.Name", "a", "b") == "P.Name: 'a' -> 'b'"


def test_a_long_value_is_cut_unless_secrets_and_all_are_asked_for():
    long = "x" * 80
    assert len(describe_change("P.Name", ABSENT, long)) < 80
    assert (
        describe_change("P.Name", ABSENT, long, include_secrets=True) == f"P.Name: added {long!r}"
    )
    assert describe_change("P.Name", long, "b", include_secrets=True) == f"P.Name: {long!r} -> 'b'"
    assert describe_change("P.Name", long, ABSENT, include_secrets=True) == (
        f"P.Name: removed (was {long!r})"
    )


def test_a_secret_change_says_what_happened_never_the_value():
    path = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"
    assert describe_change(path, ABSENT, SECRET) == f"{path}: set (secret)"
    assert describe_change(path, SECRET, ABSENT) == f"{path}: removed (secret)"
    assert describe_change(path, SECRET, "other") == f"{path}: changed (secret)"
    # under a structure the model flags sensitive, a member that is no credential by name
    google = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientId"
    assert describe_change(google, "id-1", "id-2") == f"{google}: changed (secret)"
    # asked for, the values are shown whole
    assert describe_change(path, "a", SECRET, include_secrets=True) == f"{path}: 'a' -> {SECRET!r}"


def test_values_holding_a_secret_are_never_quoted_whatever_the_path():
    held = {"Google": {"ClientId": "id", "ClientSecret": SECRET}}
    # on either side, alone
    assert describe_change("Auth.Providers", ABSENT, held) == "Auth.Providers: set (secret)"
    assert describe_change("Auth.Providers", held, ABSENT) == "Auth.Providers: removed (secret)"
    assert describe_change("Auth.Providers", held, {}) == "Auth.Providers: changed (secret)"
    assert describe_change("Auth.Providers", {}, held) == "Auth.Providers: changed (secret)"


def test_a_table_of_changes_shows_absent_sides_empty_and_secrets_hidden():
    assert shown_values("P.MinimumLength", 8, 10) == (8, 10)
    assert shown_values("P.MinimumLength", ABSENT, 8) == (None, 8)
    assert shown_values("P.MinimumLength", 8, ABSENT) == (8, None)
    path = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"
    assert shown_values(path, "a", SECRET) == (HIDDEN, HIDDEN)
    assert shown_values(path, ABSENT, SECRET) == (None, HIDDEN)
    assert shown_values(path, SECRET, ABSENT) == (HIDDEN, None)
    held = {"ClientSecret": SECRET}
    assert shown_values("Auth.Google", ABSENT, held) == (None, HIDDEN)
    assert shown_values("Auth.Google", held, ABSENT) == (HIDDEN, None)
    assert shown_values("Auth.Google", held, {}) == (HIDDEN, HIDDEN)
