"""Which findings a person sees, and where (widgets/disclosure.py), on its own: nothing before
a member is touched or a send attempted; a finding on the field at its path, or on the nearest
field there is, or on the switch of a structure that is off; the fix offered beside a finding.
Over stand-in fields: each test runs in milliseconds."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from amplify_auth_widgets.core.findings import Finding
from amplify_auth_widgets.widgets.disclosure import Disclosure, fix_for, leaf_paths
from amplify_auth_widgets.widgets.form import StructureField

APPLE = "cognito.apple-private-key"
KEY = "-----BEGIN PRIVATE KEY-----\nMIGT\nAgEA\n-----END PRIVATE KEY-----\n"


def finding(path: str, code: str = "some.rule") -> Finding:
    return Finding(path, "error", code, f"{path} is wrong")


def plain(path: str) -> Any:
    return SimpleNamespace(path=path)


class Switch(StructureField):
    """An optional structure's field, switched on or off (no widgets)."""

    def __init__(self, path: str, on: bool) -> None:
        self.path = path
        self.control = SimpleNamespace(value=on)


ROOT = plain("")


def test_every_value_given_is_a_leaf_path_an_empty_object_one_too():
    value = {"Auth": {"Name": "pool", "Policy": {"Min": 8}, "Tags": {}}, "AppId": "a1"}
    assert leaf_paths(value) == ["Auth.Name", "Auth.Policy.Min", "Auth.Tags", "AppId"]
    assert leaf_paths({}) == [] and leaf_paths("text") == []
    assert leaf_paths({}, "Auth.Tags") == ["Auth.Tags"]
    assert leaf_paths(8, "Auth.Min") == ["Auth.Min"]


def test_the_fix_offered_is_the_first_finding_s_that_has_one():
    assert fix_for([]) == (None, None)
    assert fix_for([finding("A")]) == (None, None)
    label, fix = fix_for([finding("A"), finding("K", APPLE), finding("B")])
    assert label == "Remove the BEGIN/END lines"
    assert fix is not None and fix(KEY) == "MIGTAgEA"


def test_nothing_shows_before_a_member_is_touched_or_a_send_attempted():
    disclosure = Disclosure()
    fields = {"A": plain("A"), "B": plain("B")}
    assert disclosure.place([finding("A"), finding("B")], fields, ROOT) == ({}, [])
    disclosure.reveal_all = True  # a send was attempted: every finding shows
    per_field, shown = disclosure.place([finding("B"), finding("A")], fields, ROOT)
    assert shown == [finding("B"), finding("A")]
    assert per_field == {"B": [finding("B")], "A": [finding("A")]}


def test_a_touched_member_shows_its_own_findings_only():
    disclosure = Disclosure()
    disclosure.touch("A")
    fields = {"A": plain("A"), "AB": plain("AB"), "B": plain("B")}
    per_field, shown = disclosure.place([finding("A"), finding("AB"), finding("B")], fields, ROOT)
    assert shown == [finding("A")] and per_field == {"A": [finding("A")]}


def test_a_finding_in_a_list_is_the_list_member_s():
    disclosure = Disclosure()
    disclosure.touch("Auth.Scopes")
    fields = {"Auth.Scopes": plain("Auth.Scopes")}
    per_field, shown = disclosure.place([finding("Auth.Scopes[2].Name")], fields, ROOT)
    assert per_field == {"Auth.Scopes": shown} and shown == [finding("Auth.Scopes[2].Name")]


def test_a_value_given_touches_what_it_holds_and_forgets_the_attempted_send():
    disclosure = Disclosure()
    disclosure.touch("Old")
    disclosure.reveal_all = True
    disclosure.given({"Auth": {"Name": "pool"}, "AppId": "a1"})
    assert disclosure.touched == {"Auth.Name", "AppId"} and not disclosure.reveal_all
    fields = {p: plain(p) for p in ("Auth.Name", "AppId", "Old", "Auth.Other")}
    found = [finding(p) for p in ("Old", "Auth.Name", "Auth.Other", "AppId")]
    assert disclosure.place(found, fields, ROOT)[1] == [finding("Auth.Name"), finding("AppId")]


def test_a_finding_shows_on_the_nearest_field_there_is_else_on_the_form():
    fields = {"Auth": plain("Auth"), "Auth.Policy": plain("Auth.Policy")}
    field_for = Disclosure.field_for
    assert field_for("Auth.Policy.Min.Deep", fields, ROOT) is fields["Auth.Policy"]
    assert field_for("Auth.Policy[0].Min", fields, ROOT) is fields["Auth.Policy"]
    assert field_for("Auth.Policy[0].Rules[1].Min", fields, ROOT) is fields["Auth.Policy"]
    assert field_for("Auth.Unknown", fields, ROOT) is fields["Auth"]
    assert field_for("Auth.Policy.Unknown", fields, ROOT) is fields["Auth.Policy"]  # one up
    assert field_for("Elsewhere.Member", fields, ROOT) is ROOT
    assert field_for("", fields, ROOT) is ROOT


def test_a_member_of_a_switched_off_structure_shows_on_its_switch():
    off, on = Switch("Auth.Mfa", False), Switch("Auth.OAuth", True)
    fields = {
        "Auth": Switch("Auth", True),
        "Auth.Mfa": off,
        "Auth.Mfa.Settings": plain("Auth.Mfa.Settings"),
        "Auth.Mfa.Settings.Sms": plain("Auth.Mfa.Settings.Sms"),
        "Auth.OAuth": on,
        "Auth.OAuth.Domain": plain("Auth.OAuth.Domain"),
    }
    assert Disclosure.field_for("Auth.Mfa.Settings.Sms", fields, ROOT) is off
    assert Disclosure.field_for("Auth.Mfa.Settings", fields, ROOT) is off
    assert Disclosure.field_for("Auth.Mfa", fields, ROOT) is off
    assert Disclosure.field_for("Auth.OAuth.Domain", fields, ROOT) is fields["Auth.OAuth.Domain"]
    top = Switch("Mfa", False)  # a structure at the top of the request, switched off
    under_top = {"Mfa": top, "Mfa.Settings": Switch("Mfa.Settings", True)}
    under_top["Mfa.Settings.Sms"] = plain("Mfa.Settings.Sms")
    assert Disclosure.field_for("Mfa.Settings.Sms", under_top, ROOT) is top


def test_a_finding_shown_on_a_switch_shows_once_something_under_the_switch_is_touched():
    off = Switch("Auth.Mfa", False)
    fields = {"Auth.Mfa": off, "Auth.Mfa.Sms": plain("Auth.Mfa.Sms"), "Auth.Name": plain("N")}
    disclosure = Disclosure()
    disclosure.touch("Auth.Name")
    assert disclosure.place([finding("Auth.Mfa.Sms")], fields, ROOT) == ({}, [])
    disclosure.touch("Auth.Mfa.Message")  # under the switch, not the finding's member
    per_field, shown = disclosure.place([finding("Auth.Mfa.Sms")], fields, ROOT)
    assert per_field == {"Auth.Mfa": shown} and shown == [finding("Auth.Mfa.Sms")]
    switch_only = Disclosure()
    switch_only.touch("Auth.Mfa")  # the switch itself
    assert switch_only.place([finding("Auth.Mfa.Sms")], fields, ROOT)[1] == [
        finding("Auth.Mfa.Sms")
    ]


def test_a_finding_with_no_field_of_its_own_shows_on_the_form_once_its_member_is_given():
    # a member the form has no field for (one the model does not know, kept as it was given):
    # its finding shows on the form as a whole, once the value holding it was given
    fields = {"Auth": plain("Auth")}
    disclosure = Disclosure()
    disclosure.given({"Extra": [{"Name": "x"}], "Unknown": "y"})
    nested = finding("Extra[0].Items[1].Name")  # a list in a list: still the member Extra's
    found = [finding("Extra[0].Name"), nested, finding("Unknown"), finding("Missing")]
    per_field, shown = disclosure.place(found, fields, ROOT)
    assert shown == [finding("Extra[0].Name"), nested, finding("Unknown")]
    assert per_field == {"": shown}
