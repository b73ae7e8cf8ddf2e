"""The update review (widgets/review.py), the cases its mutation run found unchecked: a kept
value at a path the model marks sensitive (not by its name) is never quoted, every provider
named and every setting said when the whole OAuth section and its providers are removed, a
provider's label from the model, the kept list whole, and a stored value of another shape
than the form's."""

from __future__ import annotations

from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.core.secrets import HIDDEN
from amplify_auth_widgets.widgets.review import INSTEAD, update_review

SPEC = request_spec("UpdateBackendAuth").member("ResourceConfig")
KEPT = "<b>Not done by an update</b> (the service keeps these):<ul>"
NO_CHANGE = (
    "<b>Update</b>: what changes, setting by setting:<ul>"
    "<li>No setting changes: the update sends what is already there.</li></ul>"
)


def test_a_kept_value_the_model_marks_sensitive_is_never_quoted():
    current = {
        "UserPoolConfigs": {
            "ForgotPassword": {
                "DeliveryMethod": "EMAIL",
                "EmailSettings": {"EmailMessage": "reset {####}", "EmailSubject": "Reset"},
            }
        }
    }
    proposed = {
        "UserPoolConfigs": {
            "ForgotPassword": {
                "DeliveryMethod": "EMAIL",
                "EmailSettings": {"EmailSubject": "Reset"},
            }
        }
    }
    text = update_review(current, proposed, SPEC)
    assert "reset {####}" not in text
    assert text == NO_CHANGE + (
        f'{KEPT}<li class="aaw-kept">Message keeps {HIDDEN}: an update cannot clear a '
        f"setting ({INSTEAD}, or set another value).</li></ul>"
    )


def test_removing_oauth_s_settings_and_every_provider_says_each_and_names_each_provider():
    current = {
        "UserPoolConfigs": {
            "OAuth": {
                "OAuthGrantType": "CODE",
                "SocialProviderSettings": {
                    "SignInWithApple": {"ClientId": "a", "TeamId": "t", "KeyId": "k"},
                },
                "DomainPrefix": "shop",
            }
        }
    }
    proposed = {"UserPoolConfigs": {"OAuth": {}}}
    text = update_review(current, proposed, SPEC)
    kept = (
        f'<li class="aaw-kept">OAuth grant keeps &#x27;CODE&#x27;: an update cannot clear a '
        f"setting ({INSTEAD}, or set another value).</li>"
        f'<li class="aaw-kept">Sign in with Apple stays a sign-in option: an update cannot '
        f"remove a social provider ({INSTEAD}).</li>"
        f'<li class="aaw-kept">Domain prefix keeps &#x27;shop&#x27;: an update cannot clear a '
        f"setting ({INSTEAD}, or set another value).</li>"
    )
    assert text == NO_CHANGE + f"{KEPT}{kept}</ul>"


def test_a_stored_value_of_another_shape_than_the_form_s_is_a_change_not_a_failure():
    current = {"UserPoolConfigs": {"PasswordPolicy": "strict"}}
    proposed = {"UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 8}}}
    text = update_review(current, proposed)
    assert text.startswith("<b>Update</b>: what changes, setting by setting:<ul><li title=")
    assert "Not done by an update" not in text
    current = {"UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 8}}}
    proposed = {"UserPoolConfigs": {"PasswordPolicy": "strict"}}
    assert "Not done by an update" not in update_review(current, proposed)
