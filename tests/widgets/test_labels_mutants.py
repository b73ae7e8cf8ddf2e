"""Labels and help at their edges (``widgets/labels.py``): a member the label table does not
know (one new to the model) is named in words with the first sentence of its documentation,
long documentation is cut at a word, enum values read as words, and a label inside a sentence
keeps its acronyms. What the form shows above a control and what a screen reader says of it."""

from __future__ import annotations

from amplify_auth_widgets import AuthConfigEditor
from amplify_auth_widgets.core.model import FieldSpec, request_spec
from amplify_auth_widgets.widgets.labels import (
    distinct_label,
    enum_label,
    first_sentence,
    help_for,
    in_sentence,
    label_for,
    tooltip_for,
    words,
)

UPC = "ResourceConfig.UserPoolConfigs"


def new_member(name: str, documentation: str = "", path: str = "") -> FieldSpec:
    """A member the label table does not list, as a newer model would bring."""
    return FieldSpec(
        name=name,
        path=path or f"{UPC}.{name}",
        type="string",
        shape_name="__string",
        documentation=documentation,
    )


def spec(path: str, operation: str = "CreateBackendAuth") -> FieldSpec:
    found = request_spec(operation).find(path)
    assert found is not None, path
    return found


def test_a_member_new_to_the_model_is_named_in_words_with_its_first_sentence():
    member = new_member(
        "DeletionProtection",
        "Whether the user pool can be deleted. It is off unless you turn it on.",
    )
    assert label_for(member) == "Deletion protection"
    assert help_for(member) == "Whether the user pool can be deleted."
    assert tooltip_for(member) == (
        f"{UPC}.DeletionProtection: Whether the user pool can be deleted. "
        "It is off unless you turn it on."
    )
    # a member only the model has is named by its label: no other control shares it
    assert distinct_label(member) == "Deletion protection"


def test_a_member_without_documentation_has_its_path_as_tooltip_and_no_help():
    member = new_member("DeletionProtection")
    assert tooltip_for(member) == f"{UPC}.DeletionProtection"
    assert help_for(member) == ""


def test_a_name_in_words_keeps_its_acronyms_and_lowers_the_rest():
    assert words("UserPoolMFAConfig") == "User pool MFA config"
    assert words("SMSMessage") == "SMS message"
    assert words("Version2Id") == "Version2 id"
    assert words("Colour") == "Colour"


def test_the_help_of_a_labelled_structure_is_its_documentation_s_first_sentence():
    # the table gives these a label and no help: the model's documentation says it
    assert help_for(spec(f"{UPC}.VerificationMessage.SmsSettings")) == (
        "The settings for the SMS message."
    )
    assert help_for(spec(f"{UPC}.ForgotPassword.EmailSettings")) == (
        "The configuration for the email sent when an app user forgets their password."
    )
    assert help_for(spec(f"{UPC}.SignInMethod")) == "What users type to sign in."


def test_the_form_shows_a_new_member_s_words_and_help():
    editor = AuthConfigEditor()
    shown = editor.field(f"{UPC}.VerificationMessage").label.value
    assert "<b>Verification message</b>" in shown
    assert "Describes the email or SMS verification message" in shown


def test_a_deprecated_note_is_not_part_of_the_help():
    member = new_member("OldThing", "(DEPRECATED) The old way of saying it. Do not use.")
    assert help_for(member) == "The old way of saying it."
    lower = new_member("OldThing", "(deprecated) is how the model marks it. Twice.")
    assert help_for(lower) == "(deprecated) is how the model marks it."


def test_a_first_sentence_of_120_characters_is_whole_and_a_longer_one_is_cut_at_a_word():
    exactly = "A" * 119 + "."
    assert first_sentence(exactly + " Then more.") == exactly
    at_a_space = "a" * 118 + " " + "b" * 10 + "."  # the cut falls after the space
    assert first_sentence(at_a_space) == "a" * 118 + "…"
    one_over = "B" * 120 + "."
    assert first_sentence(one_over) == "B" * 119 + "…"
    assert first_sentence("  Leading space. Next.") == "Leading space."
    assert first_sentence("Short one.", limit=5) == "Shor…"


def test_enum_values_read_as_words_or_as_the_table_says():
    assert enum_label("EMAIL_AND_PHONE_NUMBER") == "Email and phone number"
    assert enum_label("COGNITO") == "Amazon Cognito"
    assert enum_label("PREFERRED_USERNAME") == "Preferred username"


def test_a_label_in_a_sentence_keeps_a_leading_acronym_only():
    assert in_sentence("SMS text message") == "SMS text message"
    assert in_sentence("ID token lifetime") == "ID token lifetime"
    assert in_sentence("A digit") == "a digit"
    assert in_sentence("Password policy") == "password policy"
    assert in_sentence("Email") == "email"
