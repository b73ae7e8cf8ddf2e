"""The update review's words, whole (widgets/review.py): each change on a line of its own with
its label, section and API path, what an update cannot do named with what to do instead, a
secret never quoted, hostile text escaped, and the two short answers (nothing changes, nothing
loaded). A mutation run of the module found only a few phrases of it checked."""

from __future__ import annotations

from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.widgets.review import INSTEAD, change_line, update_review

SPEC = request_spec("UpdateBackendAuth").member("ResourceConfig")
POLICY = "ResourceConfig.UserPoolConfigs.PasswordPolicy.MinimumLength"
SECRET = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"

CURRENT = {
    "UserPoolConfigs": {
        "UserPoolName": "pool-a",
        "PasswordPolicy": {"MinimumLength": 8.0},
        "Mfa": {"MFAMode": "OFF"},
        "OAuth": {
            "OAuthGrantType": "CODE",
            "SocialProviderSettings": {
                "Google": {"ClientId": "g", "ClientSecret": "s-old"},
                "Facebook": {"ClientId": "f", "ClientSecret": "f-secret"},
            },
        },
    },
    "IdentityPoolConfigs": {"UnauthenticatedLogin": False},
}


def kept(text: str) -> list[str]:
    part = text.split("<b>Not done by an update</b> (the service keeps these):<ul>", 1)[1]
    return [item.split("</li>", 1)[0] for item in part.split('<li class="aaw-kept">')[1:]]


def test_each_change_and_each_thing_an_update_cannot_do_is_said_in_words():
    proposed = {
        "UserPoolConfigs": {
            "UserPoolName": "pool-b",  # not in an update's shape: not compared
            "PasswordPolicy": {"MinimumLength": 12},
            "OAuth": {
                "SocialProviderSettings": {"Google": {"ClientId": "g", "ClientSecret": "s-new"}}
            },
        }
    }
    text = update_review(CURRENT, proposed, SPEC)
    assert text.startswith("<b>Update</b>: what changes, setting by setting:<ul>")
    changes = text.split("<ul>", 1)[1].split("</ul>", 1)[0]
    assert changes == (
        f'<li title="{POLICY}">Minimum length (Password policy): 8 -&gt; 12</li>'
        f'<li title="{SECRET}">Client secret (Google): changed (secret)</li>'
    )
    assert kept(text) == [
        "Multi-factor authentication stays switched on as it is: an update cannot switch a "
        f"section off ({INSTEAD}).",
        "OAuth grant keeps &#x27;CODE&#x27;: an update cannot clear a setting "
        f"({INSTEAD}, or set another value).",
        f"Facebook stays a sign-in option: an update cannot remove a social provider ({INSTEAD}).",
        "Identity pool stays switched on as it is: an update cannot switch a section off "
        f"({INSTEAD}).",
    ]
    assert "s-old" not in text and "s-new" not in text and "f-secret" not in text
    assert INSTEAD == "to do that, delete the auth resource and create it again without it"


def test_every_provider_stays_when_the_last_card_is_removed_and_a_secret_is_never_quoted():
    proposed = {"UserPoolConfigs": {"OAuth": {"OAuthGrantType": "CODE"}}}
    current = {
        "UserPoolConfigs": {
            "OAuth": {
                "OAuthGrantType": "CODE",
                "SocialProviderSettings": {"Google": {"ClientId": "g"}},
            },
            "Mfa": {"SmsMessage": "code {####}"},
        }
    }
    current["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"] = "x"
    assert kept(update_review(current, proposed, SPEC)) == [
        f"Google stays a sign-in option: an update cannot remove a social provider ({INSTEAD}).",
        "Multi-factor authentication stays switched on as it is: an update cannot switch a "
        f"section off ({INSTEAD}).",
    ]
    # a setting with a secret name kept: "its secret value", not the value
    current = {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": {"Google": {}}}}}
    current["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"] = {
        "ClientId": "g",
        "ClientSecret": "top-secret",
    }
    proposed = {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": {"Google": {}}}}}
    proposed["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"] = {"ClientId": "g"}
    text = update_review(current, proposed, SPEC)
    assert kept(text) == [
        "Client secret keeps its secret value: an update cannot clear a setting "
        f"({INSTEAD}, or set another value)."
    ]
    assert "top-secret" not in text


def test_without_a_shape_every_member_is_compared_under_its_own_name():
    text = update_review(
        {"UserPoolConfigs": {"UserPoolName": "a"}}, {"UserPoolConfigs": {"UserPoolName": "b"}}
    )
    assert text == (
        "<b>Update</b>: what changes, setting by setting:<ul>"
        '<li title="ResourceConfig.UserPoolConfigs.UserPoolName">UserPoolName: '
        "&#x27;a&#x27; -&gt; &#x27;b&#x27;</li></ul>"
    )


def test_nothing_to_change_and_nothing_loaded_are_said_plainly():
    assert update_review(CURRENT, CURRENT, SPEC) == (
        "<b>Update</b>: what changes, setting by setting:<ul>"
        "<li>No setting changes: the update sends what is already there.</li></ul>"
    )
    assert update_review(None, CURRENT, SPEC) == (
        "<b>Update</b>: the current configuration is not loaded (use Load current to see what "
        "changes). Send the update?"
    )


def test_a_change_line_escapes_what_it_quotes_and_shows_whole_doubles_whole():
    assert change_line(SPEC, POLICY, 8.0, 12.5) == (
        f'<li title="{POLICY}">Minimum length (Password policy): 8 -&gt; 12.5</li>'
    )
    assert change_line(None, POLICY, 8, 9) == (
        f'<li title="{POLICY}">MinimumLength (PasswordPolicy): 8 -&gt; 9</li>'
    )
    hostile = 'ResourceConfig.UserPoolConfigs.UserPoolName"><b>'
    line = change_line(SPEC, hostile, "<i>", None)
    assert line.startswith('<li title="ResourceConfig.UserPoolConfigs.UserPoolName&quot;&gt;')
    assert "<i>" not in line and "<b>" not in line
    # a top-level section: no section of a section to name
    assert change_line(SPEC, "ResourceConfig.Service", "COGNITO", "X") == (
        '<li title="ResourceConfig.Service">Service: &#x27;COGNITO&#x27; -&gt; &#x27;X&#x27;</li>'
    )
