"""The field-spec tree as the rest of the package reads it: paths found and joined, the model's
documentation as one line of text, bounds and wire names carried, a recursive shape cut, and an
unknown operation refused naming the ones there are."""

from __future__ import annotations

import pytest
from botocore.model import ShapeResolver

from amplify_auth_widgets.core.model import (
    doc_text,
    join_path,
    operation_model,
    request_spec,
    secret_paths,
    spec_from_shape,
)
from amplify_auth_widgets.core.presets import preset
from amplify_auth_widgets.core.validation import validate

UPC = "ResourceConfig.UserPoolConfigs"


def test_find_steps_into_members_and_list_items_and_stops_at_unknown_ones():
    spec = request_spec("CreateBackendAuth")
    assert spec.find("") is spec
    scopes = spec.find(f"{UPC}.OAuth.OAuthScopes")
    assert scopes is not None and scopes.is_list and scopes.item is not None
    # any index, or none, names the list's item
    assert spec.find(f"{UPC}.OAuth.OAuthScopes[3]") is scopes.item
    assert spec.find(f"{UPC}.OAuth.OAuthScopes[]") is scopes.item
    assert scopes.item.path == f"{UPC}.OAuth.OAuthScopes[]" and not scopes.item.required
    assert spec.find(f"{UPC}.Nope.Deeper") is None
    assert spec.find(f"{UPC}.OAuth.OAuthScopes[0][1]") is None  # a string has no items
    assert spec.find(f"{UPC}.SignInMethod.Deeper") is None


def test_paths_join_with_a_dot_but_never_start_with_one():
    assert join_path("", "AppId") == "AppId"
    assert join_path("ResourceConfig", "Service") == "ResourceConfig.Service"


def test_documentation_reads_as_one_line_of_plain_text():
    assert doc_text("") == ""
    assert doc_text("<p>One.</p><p>Two.</p>") == "One. Two."
    assert doc_text("<ul><li>a</li><li>b</li></ul>") == "a b"
    assert doc_text("line<br/>break") == "line break"
    assert doc_text("<p>  spaced \n\t out  &amp; <code>done</code> </p>") == "spaced out & done"
    # other tags add nothing between their words
    assert doc_text("<b>bo</b><i>ld</i>") == "bold"


def test_an_unknown_operation_is_refused_naming_those_there_are():
    with pytest.raises(ValueError) as raised:
        operation_model("CreateBackendAuthz")
    message = str(raised.value)
    assert message.startswith("amplifybackend has no operation 'CreateBackendAuthz'; it has: ")
    assert ", CreateBackendAuth, " in message and message.endswith(", UpdateBackendStorage")
    assert operation_model("GetBackendJob").name == "GetBackendJob"
    assert operation_model("ListApps", "amplify").name == "ListApps"


def test_bounds_come_from_the_model():
    name = request_spec("CreateApp", "amplify").member("name")
    assert name is not None and (name.min, name.max) == (1, 255)
    description = request_spec("CreateApp", "amplify").member("description")
    assert description is not None and (description.min, description.max) == (None, 1000)


RESOLVER = ShapeResolver(
    {
        "Node": {
            "type": "structure",
            "documentation": "<p>A node (DEPRECATED) of a tree.</p>",
            "required": ["Name"],
            "members": {
                "Name": {"shape": "Text", "locationName": "name", "location": "header"},
                "ClientSecret": {"shape": "Text"},
                "Child": {"shape": "Node"},
                "Children": {"shape": "Nodes"},
            },
        },
        "Nodes": {"type": "list", "member": {"shape": "Node"}},
        "Text": {"type": "string", "min": 1, "max": 5, "enum": ["a", "b"]},
    }
)


def test_a_recursive_shape_is_built_once_its_recursion_cut():
    tree = spec_from_shape(RESOLVER.get_shape_by_name("Node"), "Tree", "", True)
    assert tree.member_names == ("Name", "ClientSecret", "Child", "Children")
    assert (
        tree.required
        and tree.deprecated
        and tree.documentation == ("A node (DEPRECATED) of a tree.")
    )
    child = tree.member("Child")
    assert child is not None and child.path == "Child" and not child.required
    assert (child.type, child.members) == ("structure", ())  # not walked again
    item = tree.find("Children[0]")
    assert item is not None and item.path == "Children[]" and item.members == ()
    assert item.type == "structure" and not item.required
    name = tree.member("Name")
    assert name is not None and name.required and name.path == "Name"
    assert (name.wire_name, name.location, name.min, name.max) == ("name", "header", 1, 5)
    assert name.enum == ("a", "b") and not name.sensitive and not name.deprecated
    secret = tree.member("ClientSecret")
    assert secret is not None and secret.sensitive and secret.wire_name == "ClientSecret"
    assert [s.path for s in tree.walk()] == [
        "",
        "Name",
        "ClientSecret",
        "Child",
        "Children",
        "Children[]",
    ]
    # below a path of its own
    deep = spec_from_shape(RESOLVER.get_shape_by_name("Node"), "Tree", "Root", False)
    assert deep.find("Children[0]").path == "Root.Children[]"  # type: ignore[union-attr]
    assert deep.member("Name").path == "Root.Name"  # type: ignore[union-attr]


def test_a_list_s_item_is_named_for_its_list_and_never_required():
    item = request_spec("CreateBackendAuth").find(f"{UPC}.RequiredSignUpAttributes[0]")
    assert item is not None and item.name == "RequiredSignUpAttributes"
    assert item.required is False and item.documentation == ""
    tree = spec_from_shape(RESOLVER.get_shape_by_name("Node"), "Tree", "", True)
    children = tree.find("Children[0]")
    assert children is not None and children.name == "Children" and children.required is False
    # so that a message about an item names its list
    request = {
        "AppId": "d1a2b3c4",
        "BackendEnvironmentName": "dev",
        "ResourceName": "appauth",
        "ResourceConfig": preset("Email sign-in (defaults)"),
    }
    request["ResourceConfig"]["UserPoolConfigs"]["RequiredSignUpAttributes"] = ["EMAIL", 5]
    assert [str(f) for f in validate(request)] == [
        f"{UPC}.RequiredSignUpAttributes[1]: error model.type: "
        "RequiredSignUpAttributes must be a string, not a number (5)."
    ]


def test_a_shape_without_documentation_has_none_and_is_not_required_unless_said():
    text = RESOLVER.get_shape_by_name("Text")
    spec = spec_from_shape(text, "Name", "Name")
    assert spec.required is False and spec.documentation == "" and not spec.deprecated
    assert spec_from_shape(text, "Name", "Name", True).required is True


def test_the_secret_paths_of_the_default_request_are_create_s():
    assert secret_paths() == secret_paths("CreateBackendAuth")
    assert f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret" in secret_paths()
