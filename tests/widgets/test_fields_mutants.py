"""Each kind of field as a person meets and uses it, without a form around it: its label, help,
accessible name and tooltip, what it sends (or leaves out), what it holds when its control
cannot show a value, its findings, the fix it offers, and how it greys out.

Stand-in members (``FieldSpec``s made here) where the model's own words do not matter; the
model's members where they do (a secret's name says whose it is)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pytest
from support.htmltext import text_of

from amplify_auth_widgets import request_spec
from amplify_auth_widgets.core.findings import Finding
from amplify_auth_widgets.core.model import FieldSpec
from amplify_auth_widgets.widgets.access import NAMED, TagPicker, Toggle
from amplify_auth_widgets.widgets.fields import (
    MISSING,
    BoolField,
    EnumField,
    EnumListField,
    Field,
    JsonField,
    NumberField,
    SecretField,
    StringListField,
    TextField,
    css_name,
    full_width,
    owned_label,
    parse_number,
    render_findings,
)
from amplify_auth_widgets.widgets.html import warning_html
from amplify_auth_widgets.widgets.style import ERROR, MUTED, WARNING

ROOT = request_spec()
UPC = "ResourceConfig.UserPoolConfigs"
GOOGLE_SECRET = f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret"
DOC = "What friends call you. Shown on the profile page."


def spec(name: str = "Nickname", type_: str = "string", **more: Any) -> FieldSpec:
    return FieldSpec(
        name=name,
        path=more.pop("path", f"Profile.{name}"),
        type=type_,
        shape_name=name,
        documentation=more.pop("documentation", DOC),
        **more,
    )


def made(kind: type[Field], member: FieldSpec | None = None) -> tuple[Any, list[Field]]:
    """A field of ``kind`` and the list of the edits it reports."""
    told: list[Field] = []
    return kind(member if member is not None else spec(), told.append), told


def model(path: str) -> FieldSpec:
    found = ROOT.find(path)
    assert found is not None
    return found


def error(message: str = "Too short.", code: str = "rule.short") -> Finding:
    return Finding("Profile.Nickname", "error", code, message)


def warning(message: str = "Unusual.", code: str = "rule.odd") -> Finding:
    return Finding("Profile.Nickname", "warning", code, message)


# -- findings, class names, words -----------------------------------------------------------


def test_findings_render_as_coloured_lines_whose_rule_code_is_the_tooltip():
    html = render_findings([error("Too <short>.", 'a"b'), warning("Unusual & odd.")])
    assert html == (
        '<div class="aaw-findings">'
        f'<div style="color:{ERROR}" title="a&quot;b">&#x2716; Too &lt;short&gt;.</div>'
        f'<div style="color:{WARNING}" title="rule.odd">&#x26A0; Unusual &amp; odd.</div>'
        "</div>"
    )
    assert text_of(html) == "\u2716 Too <short>.\u26a0 Unusual & odd."
    assert render_findings([]) == ""


def test_a_fields_css_class_is_its_path_with_dashes():
    assert css_name("ResourceConfig.Service") == "aaw-at-ResourceConfig-Service"
    assert css_name("A.Items[].Name") == "aaw-at-A-Items-Name"
    assert css_name("") == "aaw-at-request"


def test_a_label_in_running_text_says_whose_it_is():
    assert owned_label(model(GOOGLE_SECRET)) == "Google client secret"
    assert owned_label(model("AppId")) == "App ID"  # at the top: no owner
    # in a list: the list's owner, not the list's brackets
    listed = spec("Secret", path="Profile.Keys[].Secret")
    assert owned_label(listed) == "Keys secret"
    deep = spec("Token", path="A.B.Login.Token")
    assert owned_label(deep) == "Login token"
    # an acronym keeps its capitals in running text, as everywhere else ("Include SMS")
    methods = model("ResourceConfig.UserPoolConfigs.Mfa.Settings")
    assert owned_label(methods) == "Multi-factor authentication MFA methods"
    text = model("ResourceConfig.UserPoolConfigs.VerificationMessage.SmsSettings.SmsMessage")
    assert owned_label(text) == "SMS SMS text"


def test_a_full_width_control_keeps_its_margin_inside_and_takes_more():
    layout = full_width(height="70px")
    assert (layout.width, layout.margin, layout.height) == ("100%", "2px 0", "70px")


# -- what every field shows -------------------------------------------------------------------


def test_a_field_shows_its_label_help_and_star_above_its_control():
    field, _ = made(TextField, spec(required=True, documentation=DOC))
    assert field.spec.path == field.path == "Profile.Nickname"
    assert field.box.children == (field.label, field.control, field.note, field.messages)
    assert text_of(field.label.value) == "Nickname *What friends call you."
    assert field.label.value == (
        '<div class="aaw-label" style="line-height:1.4;white-space:normal">'
        f'<b>Nickname</b> <span style="color:{MUTED}" title="required">*</span>'
        f'<div class="aaw-help" style="color:{MUTED};font-size:90%;line-height:1.3">'
        "What friends call you.</div></div>"
    )
    assert field.label.tooltip == f"Profile.Nickname: {DOC}"
    assert field.note.value == "" and field.messages.value == ""
    assert field.findings == [] and field.fix_button is None  # nothing to show yet
    assert field.fields() == [field]


def test_an_optional_field_without_documentation_has_no_star_and_no_help():
    field, _ = made(TextField, spec("Alias<b>", documentation=""))
    assert field.label.value == (
        '<div class="aaw-label" style="line-height:1.4;white-space:normal">'
        "<b>Alias&lt;b&gt;</b></div>"
    )
    assert field.label.tooltip == "Profile.Alias<b>"


def test_a_controls_name_is_the_label_and_its_tooltip_the_documentation():
    field, _ = made(TextField)
    assert field.control.description == "Nickname" and NAMED in field.control._dom_classes
    assert field.control.tooltip == f"Profile.Nickname: {DOC}"
    shared = TextField(model(GOOGLE_SECRET), lambda f: None)  # a label four providers share
    assert shared.control.description == "Client secret (Google)"


def test_a_fields_box_is_classed_by_its_path_and_a_structure_spans_the_grid():
    field, _ = made(TextField)
    assert field.box._dom_classes == ("aaw-field", "aaw-at-Profile-Nickname")
    assert (field.box.layout.margin, field.box.layout.min_width) == ("0 0 6px 0", "0")
    assert field.box.layout.grid_column is None
    wide, _ = made(JsonField, spec("Profile", "structure", path="Profile"))
    assert wide.box._dom_classes == ("aaw-field", "aaw-wide", "aaw-at-Profile")
    assert wide.box.layout.grid_column == "1 / -1"


class Boxed(TextField):
    """A field whose control is a box (as a structure's is)."""

    def make_control(self) -> w.Widget:
        self.text = w.Text()
        return w.HBox([self.text])

    def watched(self) -> list[w.Widget]:
        return [self.text]

    def read(self) -> Any:
        return self.text.value or MISSING

    def write(self, value: Any) -> bool:
        self.text.value = value
        return True

    def clear(self) -> None:
        self.text.value = ""


def test_a_box_takes_no_tooltip_and_no_name():
    field, _ = made(Boxed)
    assert field.tooltip_parts() == []
    assert field.control.tooltip is None and field.text.tooltip is None
    assert field.text.description == ""


# -- values: given, edited, held -------------------------------------------------------------


def test_a_person_typing_is_an_edit_the_field_tells_and_sends():
    field, told = made(TextField)
    assert field.get() is MISSING
    field.control.value = "Ann"
    assert told == [field] and field.get() == "Ann"
    field.control.value = ""
    assert field.get() is MISSING and told == [field, field]


def test_a_value_given_is_not_an_edit_and_the_next_edit_is():
    field, told = made(TextField)
    field.set("Ann")
    assert field.get() == "Ann" and field.control.value == "Ann" and told == []
    field.control.value = "Bob"
    assert told == [field] and field.get() == "Bob"
    field.set(MISSING)
    assert field.get() is MISSING and field.control.value == "" and told == [field]


def test_a_value_the_control_cannot_show_is_held_as_given_until_an_edit():
    field, told = made(TextField)
    field.set("Ann")
    field.set(["a", "list"])
    assert field.control.value == ""  # not shown, and not the last value either
    assert field.get() == ["a", "list"]
    assert field.note.value == warning_html(
        "Holds ['a', 'list'], which this control cannot show; "
        "it is kept as it is until you change the field."
    )
    assert told == []
    field.control.value = "Cy"  # the person's edit replaces what was held
    assert field.get() == "Cy" and field.note.value == "" and told == [field]


def test_a_value_given_next_replaces_what_was_held():
    field, _ = made(TextField)
    field.set(7)
    assert field.get() == 7 and field.note.value
    field.set("Ann")
    assert field.get() == "Ann" and field.note.value == ""
    field.set(8)
    field.set(MISSING)
    assert field.get() is MISSING and field.note.value == ""


def test_an_empty_text_is_held_not_sent_as_nothing():
    field, _ = made(TextField)
    field.set("")
    assert field.get() == "" and "Holds ''" in text_of(field.note.value)


def test_a_secrets_held_value_is_never_quoted():
    field, _ = made(TextField, model(GOOGLE_SECRET))
    field.set(12345)
    assert field.get() == 12345
    assert "12345" not in field.note.value and "Holds" in field.note.value


# -- findings, greying out, the fix offered ---------------------------------------------------


def test_a_field_shows_its_own_findings_and_drops_them():
    field, _ = made(TextField)
    found = [error()]
    field.show(found)
    assert field.findings == found and field.messages.value == render_findings(found)
    field.show([error()])  # the same again: nothing redrawn
    assert field.messages.value == render_findings(found)
    field.show([])
    assert field.findings == [] and field.messages.value == ""


def test_a_field_greys_out_and_back():
    field, _ = made(TextField)
    field.enable(False, "Not for this operation.")
    assert field.control.disabled
    field.enable(True)
    assert not field.control.disabled


def test_a_fix_is_offered_as_a_button_that_applies_it_as_an_edit():
    field, told = made(TextField)
    field.set("ann")
    assert field.fix_button is None
    field.offer("Capitalise", str.capitalize)
    button = field.fix_button
    assert isinstance(button, w.Button)
    assert (button.description, button.icon, button.layout.width) == (
        "Capitalise",
        "wrench",
        "auto",
    )
    assert "aaw-fix" in button._dom_classes and button.layout.display is None
    assert field.box.children[-1] is button and len(field.box.children) == 5
    button.click()
    assert field.get() == "Ann" and told == [field]
    field.offer(None)
    assert button.layout.display == "none"
    field.apply_fix()  # no fix offered: nothing happens
    assert field.get() == "Ann" and told == [field]
    field.offer("Shout", str.upper)  # offered again: the same button, shown
    assert field.fix_button is button and len(field.box.children) == 5
    assert button.description == "Shout" and button.layout.display is None
    button.click()
    assert field.get() == "ANN"


def test_applying_a_fix_never_offered_changes_nothing():
    field, told = made(TextField)
    field.set("ann")
    field.apply_fix()
    assert field.get() == "ann" and told == []


def test_hiding_a_fix_never_offered_makes_no_button():
    field, _ = made(TextField)
    field.offer(None)
    assert field.fix_button is None and len(field.box.children) == 4


# -- secrets ---------------------------------------------------------------------------------


def test_a_secret_is_masked_with_a_named_show_toggle():
    field, told = made(SecretField, model(GOOGLE_SECRET))
    assert isinstance(field.hidden, w.Password) and field.text is field.hidden
    assert isinstance(field.shown, w.Text) and isinstance(field.reveal, Toggle)
    assert field.control.children == (field.hidden, field.shown, field.reveal)
    assert field.control.layout.width == "100%"
    for part in (field.hidden, field.shown):
        assert (part.layout.flex, part.layout.width) == ("1 1 auto", "auto")
        assert part.tooltip == f"{GOOGLE_SECRET}: " + model(GOOGLE_SECRET).documentation
        assert part.description == "Client secret (Google)"
    assert (field.reveal.layout.width, field.reveal.layout.flex) == ("auto", "0 0 auto")
    assert field.shown.layout.display == "none" and field.hidden.layout.display is None
    assert (field.reveal.description, field.reveal.label) == ("Show", "Show Google client secret")
    assert field.get() is MISSING and told == []


def test_a_secret_shown_and_hidden_again_says_what_a_press_does():
    field, _ = made(SecretField, model(GOOGLE_SECRET))
    field.set("s3cr3t")
    field.reveal.value = True
    assert field.shown.layout.display is None and field.hidden.layout.display == "none"
    assert field.shown.value == "s3cr3t"
    assert (field.reveal.description, field.reveal.label) == ("Hide", "Hide Google client secret")
    field.reveal.value = False
    assert field.shown.layout.display == "none" and field.hidden.layout.display is None
    assert (field.reveal.description, field.reveal.label) == ("Show", "Show Google client secret")


def test_typing_a_shown_secret_is_one_edit_of_the_secret():
    field, told = made(SecretField, model(GOOGLE_SECRET))
    field.reveal.value = True
    assert told == []  # showing it is no edit
    field.shown.value = "typed"
    assert field.hidden.value == "typed" and field.get() == "typed" and told == [field]
    field.hidden.value = "again"
    assert field.shown.value == "again" and told == [field, field]


def test_a_secret_given_cleared_or_refused():
    field, _ = made(SecretField, model(GOOGLE_SECRET))
    field.set("s3cr3t")
    assert field.hidden.value == field.shown.value == "s3cr3t" and field.get() == "s3cr3t"
    field.set(MISSING)
    assert field.hidden.value == "" and field.get() is MISSING
    field.set("s3cr3t")
    field.set(42)  # not text: held, the control cleared, the value not quoted
    assert field.get() == 42 and field.hidden.value == "" and "42" not in field.note.value
    field.set("")
    assert field.get() == "" and field.hidden.value == ""


def test_a_secret_greys_out_every_part():
    field, _ = made(SecretField, model(GOOGLE_SECRET))
    field.enable(False)
    assert field.hidden.disabled and field.shown.disabled and field.reveal.disabled
    field.enable(True)
    assert not (field.hidden.disabled or field.shown.disabled or field.reveal.disabled)


# -- choices ---------------------------------------------------------------------------------


def mode() -> FieldSpec:
    return spec("Mode", enum=("ON", "OFF", "PHONE_NUMBER"))


def test_a_choice_starts_unset_with_the_values_in_words():
    field, _ = made(EnumField, mode())
    assert field.control.options == (
        ("(unset)", ""),
        ("On, for every user", "ON"),
        ("Off", "OFF"),
        ("Phone number", "PHONE_NUMBER"),
    )
    assert field.control.value == "" and field.get() is MISSING
    assert field.control.layout.width == "100%"
    assert field.control.description == "Mode"


def test_a_choice_picked_given_and_unset():
    field, told = made(EnumField, mode())
    field.control.value = "OFF"
    assert field.get() == "OFF" and told == [field]
    field.set("ON")
    assert field.get() == "ON" and told == [field]
    field.set(MISSING)
    assert field.get() is MISSING and field.control.value == ""
    field.set("")  # no enum has an empty value: held, not taken for "(unset)"
    assert field.get() == "" and field.note.value
    field.set(3)
    assert field.get() == 3 and field.control.value == ""


def test_a_value_outside_the_choices_is_a_marked_extra_until_cleared():
    field, _ = made(EnumField, mode())
    field.set("FOO")
    assert field.control.options[-1] == ("FOO (not a valid value)", "FOO")
    assert len(field.control.options) == 5
    assert field.control.value == "FOO" and field.get() == "FOO" and field.note.value == ""
    field.set("ON")  # a valid value: the extra stays (only clearing rebuilds the list)
    assert field.get() == "ON"
    field.set(MISSING)
    assert len(field.control.options) == 4 and field.get() is MISSING


def test_clearing_a_choice_keeps_its_options():
    field, _ = made(EnumField, mode())
    options = field.control.options
    field.set("ON")
    field.set(MISSING)
    assert field.control.options is options


def methods() -> FieldSpec:
    item = spec("Method", enum=("SMS", "PHONE_NUMBER", "EMAIL"), path="Profile.Methods[]")
    return spec("Methods", "list", item=item)


def test_a_list_of_choices_is_a_tag_picker_and_a_none_of_these_box():
    field, told = made(EnumListField, methods())
    assert isinstance(field.tags, TagPicker)
    assert field.control.children == (field.tags, field.present)
    assert field.control.layout.width == "100%"
    assert field.tags.allowed_tags == ["SMS text message", "Phone number", "Email"]
    assert field.tags.value == [] and field.tags.allow_duplicates is False
    assert field.tags.placeholder == "Type or choose, then Enter"
    assert (field.tags.layout.flex, field.tags.layout.min_width) == ("1 1 auto", "120px")
    assert field.tags.layout.width == "auto"
    assert field.tags.label == "Methods"  # its accessible name
    assert field.tags.tooltip == (
        f"Profile.Methods: {DOC}\nValues: SMS text message = SMS; "
        "Phone number = PHONE_NUMBER; Email = EMAIL"
    )
    box = field.present
    assert (box.value, box.indent, box.description) == (False, False, "None of these")
    assert box.layout.width == "auto"
    assert box.tooltip == "Send an empty list, rather than leaving this setting out."
    assert field.get() is MISSING and told == []


def test_tags_picked_send_the_api_values_in_the_order_picked():
    field, told = made(EnumListField, methods())
    field.tags.value = ["Email", "Phone number"]
    assert field.get() == ["EMAIL", "PHONE_NUMBER"] and told == [field]


def test_a_tag_set_by_a_program_that_is_no_value_is_sent_as_it_is():
    # the picker's front end only adds allowed tags; a notebook's code may set any text
    field, _ = made(EnumListField, methods())
    field.tags.value = ["Email", "Fax"]
    assert field.get() == ["EMAIL", "Fax"]  # for the validator to name, never a null


def test_none_of_these_sends_an_empty_list_and_a_tag_unticks_it():
    field, told = made(EnumListField, methods())
    field.present.value = True
    assert field.get() == [] and told == [field]
    field.tags.value = ["SMS text message"]
    assert field.present.value is False and field.get() == ["SMS"]
    assert told == [field, field]  # unticking it is part of the person's edit, not another
    field.tags.value = []
    assert field.get() is MISSING


def test_removing_the_last_tag_leaves_none_of_these_as_it_is():
    field, _ = made(EnumListField, methods())
    field.tags.value = ["SMS text message"]
    field.tags.value = []
    field.present.value = True
    field.tags.value = []  # no change
    assert field.present.value is True and field.get() == []


def test_a_list_of_choices_given_shows_its_tags():
    field, told = made(EnumListField, methods())
    field.set(["EMAIL", "SMS"])
    assert field.tags.value == ["Email", "SMS text message"] and field.present.value is False
    assert field.get() == ["EMAIL", "SMS"] and told == []
    field.set([])
    assert field.tags.value == [] and field.present.value is True and field.get() == []
    assert told == []
    field.set(MISSING)
    assert field.present.value is False and field.get() is MISSING


def test_a_value_outside_the_list_of_choices_is_a_marked_tag():
    field, _ = made(EnumListField, methods())
    field.set(["FOO", "SMS", "BAR", "FOO"])
    assert field.tags.value == [
        "FOO (not a valid value)",
        "SMS text message",
        "BAR (not a valid value)",
        "FOO (not a valid value)",
    ]
    assert field.tags.allowed_tags == [
        "SMS text message",
        "Phone number",
        "Email",
        "FOO (not a valid value)",
        "BAR (not a valid value)",
    ]
    assert field.tags.allow_duplicates is True
    assert field.get() == ["FOO", "SMS", "BAR", "FOO"]
    assert field.tag("FOO") == "FOO (not a valid value)"
    field.set(MISSING)
    assert field.tags.allowed_tags == ["SMS text message", "Phone number", "Email"]
    assert field.tags.value == [] and field.get() is MISSING
    field.set(["SMS"])
    assert field.tags.allow_duplicates is False


def test_a_list_of_choices_holds_what_is_not_a_list_of_texts():
    field, _ = made(EnumListField, methods())
    for odd in ("SMS", ["SMS", 3]):
        field.set(odd)
        assert field.get() == odd and field.tags.value == [] and field.note.value


def test_a_list_of_choices_greys_out_both_parts():
    field, _ = made(EnumListField, methods())
    field.enable(False)
    assert field.tags.disabled and field.present.disabled
    field.enable(True)
    assert not (field.tags.disabled or field.present.disabled)


# -- lines, check boxes, numbers, JSON -------------------------------------------------------


def test_one_value_a_line():
    field, told = made(StringListField, spec("URIs", "list", item=spec("URI")))
    assert field.control.placeholder == "one per line"
    assert (field.control.layout.width, field.control.layout.height) == ("100%", "70px")
    field.control.value = "https://a\nhttps://b"
    assert field.get() == ["https://a", "https://b"] and told == [field]
    field.control.value = "myapp://signed in\n\n https://b "  # kept as typed, for the checks
    assert field.get() == ["myapp://signed in", "", " https://b "]
    field.set(["x", "y"])
    assert field.control.value == "x\ny"
    field.set(MISSING)
    assert field.control.value == "" and field.get() is MISSING
    for odd in ([], ["a\nb"], ["a", ""], ["a", 1], "a"):
        field.set(odd)
        assert field.get() == odd and field.control.value == "" and field.note.value


def test_a_check_box_is_sent_once_set():
    field, told = made(BoolField, spec("Guests", "boolean"))
    box = field.control
    assert (box.value, box.indent, box.description) == (False, False, "Guests (not set)")
    assert box.layout.width == "auto" and field.unset == "Guests (not set)"
    assert field.get() is MISSING
    box.value = True
    assert field.get() is True and box.description == "Guests" and told == [field]
    box.value = False
    assert field.get() is False and told == [field, field]


def test_a_check_box_given_a_value_and_cleared():
    field, told = made(BoolField, spec("Guests", "boolean"))
    field.set(False)
    assert field.get() is False and field.control.description == "Guests" and told == []
    field.set(MISSING)
    assert field.get() is MISSING and field.control.description == "Guests (not set)"
    field.set(True)
    field.set(MISSING)
    assert field.control.value is False and field.get() is MISSING
    field.set("true")
    assert field.get() == "true" and field.note.value and told == []


def test_typed_numbers_are_read_as_numbers_and_other_text_kept():
    assert parse_number(" 12 ") == 12 and isinstance(parse_number("12"), int)
    assert parse_number("2.5") == 2.5
    assert parse_number(" 1e3") == 1000.0
    assert parse_number(" twelve ") == " twelve "


def test_a_number_is_kept_as_typed_and_a_loaded_one_exactly():
    field, told = made(NumberField, spec("Length", "double"))
    assert field.control.placeholder == "a number" and field.control.layout.width == "160px"
    assert field.get() is MISSING
    field.set(10.0)
    assert field.control.value == "10" and field.get() == 10.0
    assert isinstance(field.get(), float) and told == []
    field.control.value = "3"
    assert field.get() == 3 and isinstance(field.get(), int) and told == [field]
    field.set(2.5)
    assert field.control.value == "2.5" and field.get() == 2.5
    field.set(7)
    assert field.control.value == "7" and field.get() == 7
    field.control.value = "abc"
    assert field.get() == "abc"
    field.set(MISSING)
    assert field.control.value == "" and field.get() is MISSING


def test_a_number_field_holds_what_is_not_a_number():
    field, _ = made(NumberField, spec("Length", "double"))
    field.set(10.0)
    for odd in (True, "8"):
        field.set(odd)
        assert field.get() == odd and field.control.value == "" and field.note.value


def test_any_other_shape_is_json_text():
    field, told = made(JsonField, spec("Tags", "map"))
    assert field.control.placeholder == "JSON" and field.control.layout.width == "100%"
    assert field.get() is MISSING
    field.set({"a": [1, 2]})
    assert field.control.value == '{"a": [1, 2]}' and field.get() == {"a": [1, 2]}
    assert told == []
    field.control.value = "  \n "
    assert field.get() is MISSING and told == [field]
    field.control.value = ' {"a": '
    assert field.get() == '{"a":'
    field.set(MISSING)
    assert field.control.value == ""


@pytest.mark.parametrize(
    "kind", [TextField, StringListField, NumberField, JsonField, BoolField, EnumField]
)
def test_each_single_control_greys_out(kind):
    field, _ = made(kind, spec(enum=("ON",)))
    field.enable(False)
    assert field.control.disabled is True
    field.enable(True)
    assert field.control.disabled is False
