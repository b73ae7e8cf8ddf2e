"""Messages in the form's words (``widgets.messages.humane``) leave the user's own words alone,
even in a quotation cut short, and name the choices of a list's items."""

from __future__ import annotations

from amplify_auth_widgets.core.validation import validate
from amplify_auth_widgets.widgets.messages import humane


def request(**pool) -> dict:
    return {
        "AppId": "d1demotodo",
        "BackendEnvironmentName": "dev",
        "ResourceName": "r",
        "ResourceConfig": {
            "AuthResources": "USER_POOL_ONLY",
            "Service": "COGNITO",
            "UserPoolConfigs": {
                "SignInMethod": "EMAIL",
                "RequiredSignUpAttributes": ["EMAIL"],
                "UserPoolName": "p",
                **pool,
            },
        },
    }


def messages(req: dict, at: str) -> list[str]:
    found = validate(req, "CreateBackendAuth")
    return [humane(f, "CreateBackendAuth") for f in found if at in f.path]


def test_the_users_words_in_a_cut_quotation_are_not_translated():
    typed = ["x" * 19, "keep AppId and Service as typed"]
    (message,) = messages(request(UserPoolName=typed), "UserPoolName")
    assert message.startswith("User pool name must be a string")
    assert "'keep AppId " in message and "App ID" not in message
    assert message.endswith("...').")  # the quotation closed, the sentence after it


def test_a_wrong_choice_in_a_list_names_the_items_choices():
    (message,) = messages(
        request(RequiredSignUpAttributes=["EMAIL", "FOO"]), "RequiredSignUpAttributes[1]"
    )
    assert message.startswith("'FOO' is not one of the choices for Required at sign-up: ")
    choices = message.rsplit(": ", 1)[1]
    assert "Email" in choices or "EMAIL" in choices
    assert choices.count(",") >= 10 and not message.endswith(": .")
