"""The form's own parts, without an editor around them: which control each kind of member
gets, a section as a person first meets it (its switch, its indented grid, why it is greyed
out), the social-provider cards with their Add and Remove buttons, and a member whose widgets
are not built yet holding what it is given until it is."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pytest
from support.htmltext import text_of

from amplify_auth_widgets import request_spec
from amplify_auth_widgets.core.findings import Finding
from amplify_auth_widgets.core.model import FieldSpec
from amplify_auth_widgets.widgets.access import NAMED
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
)
from amplify_auth_widgets.widgets.form import (
    CONDITIONS,
    GRID_COLUMNS,
    WIDGET_RULES,
    Deferred,
    ProviderCards,
    StructureField,
    build_field,
)
from amplify_auth_widgets.widgets.style import BORDER, NEST
from amplify_auth_widgets.widgets.targets import ComboField

UPC = "ResourceConfig.UserPoolConfigs"
SOCIAL = f"{UPC}.OAuth.SocialProviderSettings"
ROOT = request_spec()
PROVIDERS = ["Facebook", "Google", "LoginWithAmazon", "SignInWithApple"]


def spec(name: str, type_: str = "string", **more: Any) -> FieldSpec:
    return FieldSpec(name=name, path=more.pop("path", name), type=type_, shape_name=name, **more)


def built(path: str, changes: list[Field] | None = None, **kwargs: Any) -> Any:
    found = ROOT.find(path)
    assert found is not None
    return build_field(found, (changes if changes is not None else []).append, **kwargs)


# -- which control each member gets ---------------------------------------------------------


def test_each_kind_of_member_gets_its_control():
    text = spec("Name")
    kinds = {
        "AppId": (spec("AppId"), ComboField),
        "text": (text, TextField),
        "secret": (spec("Secret", sensitive=True), SecretField),
        "choice": (spec("Mode", enum=("ON", "OFF")), EnumField),
        "flag": (spec("On", "boolean"), BoolField),
        "double": (spec("D", "double"), NumberField),
        "float": (spec("F", "float"), NumberField),
        "integer": (spec("I", "integer"), NumberField),
        "long": (spec("L", "long"), NumberField),
        "texts": (spec("Names", "list", item=text), StringListField),
        "choices": (spec("Modes", "list", item=spec("Mode", enum=("ON", "OFF"))), EnumListField),
        "numbers": (spec("Ns", "list", item=spec("N", "integer")), JsonField),
        "list of nothing": (spec("Xs", "list"), JsonField),
        "map": (spec("Tags", "map"), JsonField),
        "blob": (spec("Data", "blob"), JsonField),
    }
    got = {kind: type(build_field(s, lambda f: None)) for kind, (s, _) in kinds.items()}
    assert got == {kind: cls for kind, (_, cls) in kinds.items()}


def test_a_rule_given_wins_and_is_used_for_the_members_too():
    a = spec("A", path="Outer.Inner.A")
    inner = spec("Inner", "structure", path="Outer.Inner", members=(a,))
    outer = spec("Outer", "structure", required=True, members=(spec("B", path="Outer.B"), inner))
    rules = [(lambda s: s.is_structure, StructureField), (lambda s: s.name == "A", BoolField)]
    field = build_field(outer, lambda f: None, rules)
    assert [type(c) for c in field.children] == [JsonField, StructureField]
    assert [type(c) for c in field.children[1].children] == [BoolField]


def test_only_optional_sets_of_optional_sections_become_cards():
    def section(name: str, required: bool = False) -> FieldSpec:
        return spec(name, "structure", required=required, members=(spec(f"{name}Id"),))

    two = (section("One"), section("Two"))
    cases = {
        "the social providers": ROOT.find(SOCIAL),
        "two optional sections": spec("Set", "structure", members=two),
        "one optional section": spec("Set", "structure", members=two[:1]),
        "a required set": spec("Set", "structure", required=True, members=two),
        "a required member": spec("Set", "structure", members=(two[0], section("Two", True))),
        "a text member": spec("Set", "structure", members=(two[0], spec("Note"))),
    }
    got = {case: type(build_field(s, lambda f: None)) for case, s in cases.items()}
    assert got == {
        "the social providers": ProviderCards,
        "two optional sections": ProviderCards,
        "one optional section": StructureField,
        "a required set": StructureField,
        "a required member": StructureField,
        "a text member": StructureField,
    }
    update = request_spec("UpdateBackendAuth").find(UPC)  # required, of optional sections
    assert type(build_field(update, lambda f: None)) is StructureField


def test_members_put_off_are_held_at_every_depth():
    deferred = {f"{UPC}.PasswordPolicy", f"{UPC}.Mfa.Settings"}
    form = build_field(ROOT, lambda f: None, defer=lambda s: s.path in deferred)
    held = {f.path for f in form.fields() if isinstance(f, Deferred)}
    assert held == deferred
    assert not any(isinstance(f, Deferred) for f in build_field(ROOT, lambda f: None).fields())


# -- a section as first met -----------------------------------------------------------------


def test_an_optional_section_as_first_met():
    policy = built(f"{UPC}.PasswordPolicy")
    switch = policy.control
    assert isinstance(switch, w.Checkbox)
    assert (switch.description, switch.value, switch.indent, switch.disabled) == (
        "Include password policy",
        False,
        False,
        False,
    )
    assert (switch.layout.width, switch.layout.display) == ("auto", None)
    body = policy.body
    assert isinstance(body, w.GridBox)
    assert body.layout.display == "none"  # closed until switched on
    assert NAMED not in switch._dom_classes  # its words are shown beside it
    assert body.layout.grid_template_columns == GRID_COLUMNS
    assert GRID_COLUMNS == "repeat(auto-fill, minmax(min(100%, 280px), 1fr))"
    assert body.layout.grid_gap == "4px 24px"
    assert (body.layout.padding, body.layout.border_left) == ("0 0 0 16px", f"2px solid {NEST}")
    assert list(body.children) == [c.box for c in policy.children]
    assert policy.box.children[-2:] == (policy.reason, body) and policy.reason.value == ""
    assert policy.read() is MISSING


def test_a_required_section_has_no_switch_and_is_open():
    config = built(UPC)
    switch = config.control
    assert (switch.value, switch.description) == (True, "User pool configs")
    assert NAMED in switch._dom_classes  # named for screen readers only: not shown
    assert switch.layout.display == "none"
    assert config.body.layout.display is None
    assert config.read() == {}  # nothing filled in yet, but present


def test_switching_a_section_on_shows_it_and_tells_the_form():
    changes: list[Field] = []
    policy = built(f"{UPC}.PasswordPolicy", changes)
    policy.control.value = True
    assert policy.body.layout.display is None and changes == [policy]
    assert policy.get() == {}
    policy.control.value = False
    assert policy.body.layout.display == "none" and changes == [policy, policy]
    assert policy.get() is MISSING


def test_a_section_greyed_out_says_why_and_greys_its_members():
    policy = built(f"{UPC}.PasswordPolicy")
    policy.enable(False, "Not used here.")
    assert policy.control.disabled
    assert text_of(policy.reason.value) == "Not used here."
    assert "<i" in policy.reason.value
    assert policy.body.layout.opacity == "0.5"
    constraints, length = policy.children
    assert constraints.control.children[0].disabled and length.control.disabled
    policy.enable(True)
    assert not policy.control.disabled and policy.reason.value == ""
    assert policy.body.layout.opacity == "1"
    assert not constraints.control.children[0].disabled and not length.control.disabled


def test_a_section_keeps_members_it_does_not_know_and_forgets_them_when_cleared():
    changes: list[Field] = []
    policy = built(f"{UPC}.PasswordPolicy", changes)
    policy.set({"MinimumLength": 9, "Future": "kept"})
    assert policy.control.value and policy.body.layout.display is None
    assert policy.get() == {"Future": "kept", "MinimumLength": 9}
    assert changes == []  # a value set by code is not an edit
    policy.set({"Future": "kept"})  # a member left out is cleared
    assert policy.get() == {"Future": "kept"}
    policy.set(MISSING)
    assert policy.get() is MISSING and policy.body.layout.display == "none"
    policy.control.value = True
    assert policy.get() == {}  # the unknown member went with the clear


def test_a_section_given_something_else_holds_it_as_given():
    policy = built(f"{UPC}.PasswordPolicy")
    policy.set("ten")
    assert policy.get() == "ten" and "cannot show" in text_of(policy.note.value)
    assert not policy.control.value
    config = built(UPC)
    config.set([1])
    assert config.get() == [1]
    config.set(MISSING)
    assert config.control.value and config.get() == {}  # a required section stays included


def test_a_section_lists_its_fields_depth_first():
    policy = built(f"{UPC}.PasswordPolicy")
    assert policy.fields() == [policy, *policy.children]
    mfa = built(f"{UPC}.Mfa")
    assert [f.path for f in mfa.fields()] == [
        s.path for s in ROOT.find(f"{UPC}.Mfa").walk() if not s.path.endswith("[]")
    ]


# -- the social providers -------------------------------------------------------------------


def test_the_provider_cards_as_first_met():
    cards = built(SOCIAL)
    assert cards.control.layout.display == "none" and not cards.control.value
    assert cards.body.layout.display is None
    assert cards.body.children[0] is cards.adder
    assert list(cards.adder.children) == [cards.pick, cards.add_button]
    assert cards.adder.layout.display is None
    pick = cards.pick
    assert isinstance(pick, w.Dropdown) and "aaw-provider-pick" in pick._dom_classes
    assert (pick.description, pick.layout.width) == ("Provider to add", "auto")
    assert [v for _, v in pick.options] == PROVIDERS and pick.value == "Facebook"
    assert [label for label, _ in pick.options] == [
        "Facebook",
        "Google",
        "Login with Amazon",
        "Sign in with Apple",
    ]
    add = cards.add_button
    assert (add.description, add.icon) == ("Add provider", "plus")
    assert add._dom_classes == ("aaw-provider-add",)
    face = {}
    for name in PROVIDERS:
        card = cards.card(name)
        remove = card.box.children[1]
        face[name] = {
            "shown": card.box.layout.display,
            "classes": [c for c in card.box._dom_classes if c.startswith("aaw-provider")],
            "border": card.box.layout.border,
            "padding": card.box.layout.padding,
            "switch shown": card.control.layout.display,
            "first": card.box.children[0] is card.label,
            "remove": (remove.description, remove.icon, remove._dom_classes),
            "remove layout": (remove.layout.width, remove.layout.align_self),
            "then": card.box.children[2] is card.control,
        }
    labels = dict(zip(PROVIDERS, [label for label, _ in cards.pick.options], strict=True))
    assert face == {
        name: {
            "shown": "none",
            "classes": ["aaw-provider-card", f"aaw-provider-{name}"],
            "border": f"1px solid {BORDER}",
            "padding": "6px 10px",
            "switch shown": "none",
            "first": True,
            "remove": (f"Remove {labels[name]}", "trash", ("aaw-provider-remove",)),
            "remove layout": ("auto", "flex-start"),
            "then": True,
        }
        for name in PROVIDERS
    }
    assert cards.get() is MISSING


def test_adding_and_removing_cards_as_a_user_would():
    changes: list[Field] = []
    cards = built(SOCIAL, changes)
    cards.pick.value = "LoginWithAmazon"
    cards.add_button.click()
    assert cards.shown == ["LoginWithAmazon"] and cards.control.value
    assert cards.card("LoginWithAmazon").box.layout.display is None
    assert [v for _, v in cards.pick.options] == ["Facebook", "Google", "SignInWithApple"]
    assert cards.pick.value == "Facebook"
    assert cards.get() == {"LoginWithAmazon": {}} and changes
    for name in ["Facebook", "Google", "SignInWithApple"]:
        cards.add(name)
    assert cards.shown == PROVIDERS
    assert cards.pick.options == () and cards.pick.value is None
    assert cards.adder.layout.display == "none"  # nothing left to add
    cards.add_button.click()  # nothing picked: nothing happens
    assert cards.shown == PROVIDERS
    google = cards.card("Google")
    google.box.children[1].click()
    assert cards.shown == ["Facebook", "LoginWithAmazon", "SignInWithApple"]
    assert google.box.layout.display == "none" and cards.adder.layout.display is None
    assert cards.pick.value == "Google"
    for name in ["Facebook", "LoginWithAmazon"]:
        cards.remove(name)
    assert cards.control.value  # one card left: the set is still there
    cards.card("SignInWithApple").box.children[1].click()
    assert cards.shown == [] and not cards.control.value and cards.get() is MISSING


def test_a_provider_that_does_not_exist_is_refused_with_those_that_do():
    cards = built(SOCIAL)
    with pytest.raises(KeyError) as raised:
        cards.add("GitHub")
    assert raised.value.args[0] == (
        "no provider 'GitHub'; there are: Facebook, Google, LoginWithAmazon, SignInWithApple"
    )
    assert cards.shown == []


# -- a member not built yet -----------------------------------------------------------------


def test_a_member_not_built_yet_holds_its_value_findings_and_state_until_it_is():
    made: list[Field] = []
    policy_spec = ROOT.find(f"{UPC}.PasswordPolicy")

    def make() -> Field:
        made.append(build_field(policy_spec, lambda f: None))
        return made[-1]

    held = Deferred(policy_spec, make)
    assert (held.spec, held.path, held.built) == (policy_spec, policy_spec.path, False)
    assert held.get() is MISSING and held.findings == []
    assert held.fields() == [held]
    held.set({"MinimumLength": 12})
    finding = Finding(f"{UPC}.PasswordPolicy", "error", "min-length", "Too short.")
    held.show([finding])
    held.enable(False, "Not used here.")
    held.offer("Fix it", lambda v: v)  # nothing to show it on yet: ignored
    assert held.get() == {"MinimumLength": 12} and held.findings == [finding]
    assert made == []  # none of it built the widgets
    real = held.build()
    assert made == [real] and held.built and held.real is real
    assert held.build() is real and held.box is real.box and made == [real]
    assert real.get() == {"MinimumLength": 12}
    assert real.control.disabled and text_of(real.reason.value) == "Not used here."
    assert real.findings == [finding] and "Too short." in text_of(real.messages.value)
    assert real.fix_button is None
    held.set({"MinimumLength": 8})
    held.show([])
    held.enable(True)
    held.offer("Shorter", lambda v: {"MinimumLength": 6})
    assert real.get() == {"MinimumLength": 8} and held.get() == {"MinimumLength": 8}
    assert real.findings == [] and not real.control.disabled and real.reason.value == ""
    assert real.fix_button is not None and real.fix_button.description == "Shorter"
    real.fix_button.click()
    assert held.get() == {"MinimumLength": 6}
    assert held.fields() == real.fields()


def test_a_member_not_built_yet_builds_enabled_and_clear_by_default():
    held = Deferred(ROOT.find(f"{UPC}.PasswordPolicy"), lambda: built(f"{UPC}.PasswordPolicy"))
    real = held.box and held.real
    assert real is not None
    assert not real.control.disabled and real.reason.value == "" and real.get() is MISSING
    assert real.findings == [] and real.messages.value == ""


# -- conditions -----------------------------------------------------------------------------


def test_the_identity_pool_applies_unless_only_a_user_pool_is_made():
    applies, reason = CONDITIONS["ResourceConfig.IdentityPoolConfigs"]
    assert applies({})
    assert applies({"ResourceConfig": "not a section"})
    assert applies({"ResourceConfig": {}})
    assert applies({"ResourceConfig": {"AuthResources": "USER_POOL_AND_IDENTITY_POOL"}})
    assert not applies({"ResourceConfig": {"AuthResources": "USER_POOL_ONLY"}})
    assert reason == (
        "Not used: What to create is User pool only (USER_POOL_ONLY). Choose User pool and "
        "identity pool to configure one."
    )


def test_a_greyed_out_section_says_why_once_not_in_each_section_inside_it():
    mfa = built(f"{UPC}.Mfa")
    settings = mfa.children[1]
    assert settings.spec.name == "Settings" and isinstance(settings, StructureField)
    mfa.enable(False, "Not used here.")
    assert text_of(mfa.reason.value) == "Not used here."
    assert settings.control.disabled and settings.body.layout.opacity == "0.5"
    assert text_of(settings.reason.value) == ""
    held = Deferred(settings.spec, lambda: built(settings.spec.path))
    outer = Deferred(mfa.spec, lambda: mfa)
    held.enable(False)  # as a greyed-out section greys a member not built yet
    assert held.build().control.disabled and text_of(held.build().reason.value) == ""
    outer.build()
    outer.enable(True)
    outer.enable(False, "Only with a user pool.")  # once built, the reason is passed on
    assert text_of(mfa.reason.value) == "Only with a user pool."


def test_a_member_put_off_is_built_by_the_rules_given_and_tells_the_form_of_edits():
    rules = [(lambda s: s.is_structure, StructureField), (lambda s: True, TextField)]
    changes: list[Field] = []
    policy = built(
        f"{UPC}.PasswordPolicy", changes, rules=rules, defer=lambda s: s.name == "MinimumLength"
    )
    held = policy.children[1]
    assert isinstance(held, Deferred) and list(policy.body.children) == [policy.children[0].box]
    length = held.build()
    assert type(length) is TextField  # the rules given, not the form's number field
    length.control.value = "12"
    assert changes == [length]


def test_greying_the_providers_out_and_back_keeps_the_one_picked():
    cards = built(SOCIAL)
    cards.pick.value = "SignInWithApple"
    cards.enable(False, "Not now.")
    cards.enable(True)
    assert cards.pick.value == "SignInWithApple"
    cards.add_button.click()
    assert cards.shown == ["SignInWithApple"]


def test_an_edit_of_a_member_shown_as_json_tells_the_form():
    changes: list[Field] = []
    tags = build_field(spec("Tags", "map"), changes.append)
    tags.control.value = '{"team": "auth"}'
    assert changes == [tags] and tags.get() == {"team": "auth"}


def test_the_provider_cards_can_be_made_with_their_arguments_named():
    changes: list[Field] = []
    cards = ProviderCards(ROOT.find(SOCIAL), on_change=changes.append, rules=WIDGET_RULES)
    cards.add("Google")
    assert cards.shown == ["Google"] and changes
