"""Messages in the form's words at their edges (``widgets/messages.py``): a wrong choice in a
list names each of the item's choices in words, a member whose label is its own name is still
named, a member the form does not know keeps its name and the message's own choices, and an
error about the whole request is listed under "Request"."""

from __future__ import annotations

from amplify_auth_widgets.core.findings import Finding
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.core.validation import validate
from amplify_auth_widgets.widgets.labels import enum_label
from amplify_auth_widgets.widgets.messages import SEPARATOR, humane, labels_of, todo_text, translate

CREATE = "CreateBackendAuth"
UPC = "ResourceConfig.UserPoolConfigs"


def request(**resource) -> dict:
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
            },
            **resource,
        },
    }


def test_a_wrong_choice_in_a_list_lists_every_choice_of_its_items_in_words():
    req = request()
    req["ResourceConfig"]["UserPoolConfigs"]["RequiredSignUpAttributes"] = ["EMAIL", "FOO"]
    (finding,) = [f for f in validate(req, CREATE) if f.code == "model.enum"]
    assert finding.path == f"{UPC}.RequiredSignUpAttributes[1]"
    item = request_spec(CREATE).find(f"{UPC}.RequiredSignUpAttributes").item
    words = ", ".join(enum_label(v) for v in item.enum)
    assert "Birth date" in words and "Time zone" in words and "BIRTHDATE" not in words
    assert humane(finding, CREATE) == (
        f"'FOO' is not one of the choices for Required at sign-up: {words}."
    )


def test_a_wrong_choice_of_a_member_whose_label_is_its_name_names_it():
    # "Service" is its own label, so it is not in the table of labels to translate
    assert "Service" not in labels_of(CREATE)
    (finding,) = [f for f in validate(request(Service="FOO"), CREATE) if f.code == "model.enum"]
    assert humane(finding, CREATE) == (
        "'FOO' is not one of the choices for Service: Amazon Cognito."
    )


def test_a_member_the_form_does_not_know_keeps_its_name_and_the_message_s_choices():
    unknown = Finding(
        "ResourceConfig.Colour",
        "error",
        "model.enum",
        "'PINK' is not a valid Colour; choose one of RED, BLUE.",
    )
    assert humane(unknown, CREATE) == "'PINK' is not one of the choices for Colour: RED, BLUE."
    boxed = Finding(
        "ResourceConfig.Shape",
        "error",
        "model.enum",
        "'ROUND' is not a valid Shape; choose one of BOX.",
    )
    # its to-do item drops the sentence's full stop and nothing of the last choice
    assert todo_text(boxed, "Resource", CREATE) == (
        f"Resource {SEPARATOR} Request: 'ROUND' is not one of the choices for Shape: BOX"
    )
    # a list item of a name without a label of its own keeps its index as written
    labels = labels_of(CREATE)
    assert translate("Colours[2] and RedirectSignInURIs[0] differ.", labels) == (
        "Colours[2] and Sign-in redirect URLs, line 1 differ."
    )


def test_an_error_about_the_whole_request_is_listed_under_request():
    (finding,) = [f for f in validate([], CREATE) if f.path == ""]
    assert todo_text(finding, "Request file", CREATE) == (
        f"Request file {SEPARATOR} Request: The request must be an object, not a list"
    )
