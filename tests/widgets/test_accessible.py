"""Keyboard and screen-reader parts, without a browser: every control of the form is named by
its human label (never by its API name or its tooltip), sections are disclosures whose state
follows the header button, and the status line is a live region.

How they render (focus, ``aria-expanded``, the accessibility tree) is tests/browser's
test_keyboard.py and test_accessible_names.py."""

from __future__ import annotations

from collections import Counter

import ipywidgets as w
import pytest
import traitlets as t

from amplify_auth_widgets import AuthConfigEditor
from amplify_auth_widgets.widgets.access import (
    NAMED,
    Disclosure,
    Fold,
    LiveRegion,
    TagPicker,
    name,
)
from amplify_auth_widgets.widgets.fields import BoolField, Field
from amplify_auth_widgets.widgets.form import ProviderCards, StructureField
from amplify_auth_widgets.widgets.labels import distinct_label, in_sentence, label_for, tooltip_for
from amplify_auth_widgets.widgets.status import StatusLine


def every_field(editor: AuthConfigEditor) -> list[Field]:
    """Each field of the editor's form, every section built."""
    found: list[Field] = []
    for section in editor.sections:
        section.build()
        for field in section.fields:
            built = field.build() if hasattr(field, "build") else field
            found += [f for f in built.fields() if isinstance(f, Field)]
    return found


def shown_name(control: w.Widget) -> str:
    """The name a screen reader gives ``control``: its description (a ``<label for>``), or a
    tag picker's label."""
    if isinstance(control, TagPicker):
        return str(control.label)
    return str(control.description)


@pytest.mark.parametrize("operation", ["CreateBackendAuth", "UpdateBackendAuth"])
def test_every_control_is_named_by_its_label_not_its_api_name_or_tooltip(operation):
    editor = AuthConfigEditor(operation)
    fields = every_field(editor)
    assert len(fields) > 40  # the whole form, not the first screen only
    for field in fields:
        label = label_for(field.spec)
        for control in field.tooltip_parts():
            named = shown_name(control)
            if isinstance(field, BoolField):
                assert named == f"{label} (not set)", field.path
            elif isinstance(field, StructureField) and not field.spec.required:
                assert named == f"Include {in_sentence(distinct_label(field.spec))}", field.path
            else:
                assert named == distinct_label(field.spec), field.path
                assert named.startswith(label), field.path
            assert tooltip_for(field.spec) not in named, field.path
    names = {f.path: shown_name(f.tooltip_parts()[0]) for f in fields if f.tooltip_parts()}
    assert names["AppId"] == "App ID"
    assert names["BackendEnvironmentName"] == "Environment"
    # heard in a screen reader's list of fields, away from the card or section that shows whose
    # it is, no two controls have one name
    shared = [n for n, count in Counter(names.values()).items() if count > 1]
    assert shared == []
    providers = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings"
    assert names[f"{providers}.Google.ClientSecret"] == "Client secret (Google)"
    assert names[f"{providers}.SignInWithApple.ClientId"] == "Client ID (Sign in with Apple)"
    pool = "ResourceConfig.UserPoolConfigs"
    assert names[f"{pool}.VerificationMessage.DeliveryMethod"] == "Send by (Verification message)"
    assert names[f"{pool}.ForgotPassword.EmailSettings.EmailSubject"] == (
        "Subject (Email, Forgot password message)"
    )
    assert names[f"{pool}.Mfa.Settings.SmsMessage"] == "SMS text (MFA methods)"
    assert names[f"{pool}.VerificationMessage.SmsSettings"] == "Include SMS (Verification message)"
    assert names[f"{pool}.PasswordPolicy"] == "Include password policy"


def test_a_named_control_hides_only_the_words_shown_above_it():
    text = w.Text()
    name(text, "App ID")
    assert text.description == "App ID" and NAMED in text._dom_classes
    labelled = w.Text(description="Profile")
    name(labelled, "App ID")  # a control that says its own words keeps them, shown
    assert labelled.description == "Profile" and NAMED not in labelled._dom_classes
    picker = TagPicker()
    name(picker, "Required at sign-up")
    assert picker.label == "Required at sign-up"
    tags = w.TagsInput()  # ipywidgets' own shows no description: its placeholder names it
    name(tags, "Required at sign-up")
    assert tags.placeholder == "Required at sign-up"


def test_a_checkbox_says_its_label_and_whether_it_is_set():
    editor = AuthConfigEditor("CreateBackendAuth")
    guest = next(f for f in every_field(editor) if isinstance(f, BoolField))
    label = label_for(guest.spec)
    assert guest.control.description == f"{label} (not set)"
    guest.control.value = True  # the user ticks it
    assert guest.control.description == label and guest.get() is True
    guest.set(False)
    assert guest.control.description == label and guest.get() is False
    guest.clear()
    assert guest.control.description == f"{label} (not set)"


def test_the_provider_picker_and_each_remove_button_say_what_they_act_on():
    editor = AuthConfigEditor()
    cards = next(f for f in every_field(editor) if isinstance(f, ProviderCards))
    assert cards.pick.description == "Provider to add"
    removes = {
        box.children[1].description for box in (cards.card(n).box for n in cards.spec.member_names)
    }
    assert removes == {f"Remove {label_for(c.spec)}" for c in cards.children}
    assert "Remove Google" in removes


def test_a_section_is_a_disclosure_whose_state_follows_its_button():
    editor = AuthConfigEditor()
    password = next(s for s in editor.sections if s.section.key == "password")
    header = password.fold.header
    assert isinstance(header, Disclosure) and header.title == "Password policy"
    assert not password.expanded and not header.expanded and not password.built
    assert password.fold.body.layout.display == "none"
    header.expanded = True  # what Enter or Space on the button does
    assert password.expanded and password.built
    assert password.fold.selected_index == 0 and "aaw-fold-open" in password.fold._dom_classes
    assert password.fold.body.layout.display is None
    password.close()
    assert not header.expanded and password.fold.selected_index is None
    assert "aaw-fold-open" not in password.fold._dom_classes
    password.open()  # what an error's link does (C1): the section shown, its button says so
    assert header.expanded and password.expanded


def test_a_fold_keeps_the_accordion_api_and_refuses_a_second_part():
    fold = Fold(w.HTML("body"), "Connection")
    assert fold.get_title(0) == "Connection" and fold.selected_index is None
    fold.set_title(0, "Connection · 1 problem")
    assert fold.header.title == "Connection · 1 problem"
    with pytest.raises(t.TraitError, match="0 or None"):
        fold.selected_index = 1


def test_the_status_line_is_a_live_region_that_keeps_its_kind_classes():
    status = StatusLine()
    assert isinstance(status, LiveRegion)
    assert "aaw-status" in status._dom_classes and "aaw-status-info" in status._dom_classes
    colour_of_info = status.color
    status.show("Ready to send", "ok")
    assert status.message == "Ready to send" and status.kind == "ok"
    assert "aaw-status-ok" in status._dom_classes and "aaw-status-info" not in status._dom_classes
    assert status.color and status.color != colour_of_info
    assert {"message", "color"} <= set(status.keys)  # synced: the front end shows and reads it


def test_the_tag_picker_speaks_tags_input_s_traits():
    """The form's code and tests set ``value``, ``allowed_tags``, ``allow_duplicates``,
    ``placeholder`` as on ipywidgets' TagsInput: each is there and synced, and ``disabled``."""
    picker = TagPicker(value=["Email"], allowed_tags=["Email", "Phone number"])
    tags = w.TagsInput()
    for trait in ("value", "allowed_tags", "allow_duplicates", "placeholder"):
        assert trait in tags.trait_names() and trait in picker.keys, trait
    assert {"disabled", "label", "description"} <= set(picker.keys)  # the view reads them
    editor = AuthConfigEditor()
    field = editor.field("ResourceConfig.UserPoolConfigs.RequiredSignUpAttributes")
    assert isinstance(field.tags, TagPicker) and field.tags.label == "Required at sign-up"
    field.tags.value = ["Phone number"]  # as a person adds a tag
    assert field.get() == ["PHONE_NUMBER"]
    field.enable(False)
    assert field.tags.disabled
