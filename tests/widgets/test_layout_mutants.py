"""Where members sit in the form (``layout.plan``): the sections of each operation, in order and
open or closed as a person first meets them; a section's members an operation lacks left out,
and a section with none left out; every member no section names shown under "Other settings",
a required structure's members one by one, an optional structure whole."""

from __future__ import annotations

from typing import Any

from amplify_auth_widgets import request_spec
from amplify_auth_widgets.core.model import UPC, FieldSpec
from amplify_auth_widgets.widgets.layout import OTHER, OTHER_TITLE, SECTIONS, Section, plan


def spec(path: str, type_: str = "string", **more: Any) -> FieldSpec:
    name = path.rpartition(".")[2] or "Request"
    return FieldSpec(name=name, path=path, type=type_, shape_name=name, **more)


def shape(required: bool = True) -> FieldSpec:
    """A request: a member, a required structure holding a member and an optional structure,
    an optional structure, and a member no section names."""
    inner = spec("Req.Y", "structure", members=(spec("Req.Y.Z"),))
    req = spec("Req", "structure", required=True, members=(spec("Req.X"), inner))
    opt = spec("Opt", "structure", members=(spec("Opt.M"),))
    members = (spec("A"), req, opt, spec("New"))
    return spec("", "structure", required=required, members=members)


MINE = (
    Section("a", "First", ("A", "Missing"), open=True),
    Section("gone", "Gone", ("Gone", "Gone.Too")),
    Section("x", "Ex", ("Req.X",)),
)


def test_the_create_form_in_the_order_a_person_decides_it():
    assert plan(request_spec("CreateBackendAuth")) == [
        Section("target", "Target", ("AppId", "BackendEnvironmentName", "ResourceName"), True),
        Section(
            "sign-in",
            "Sign-in and sign-up",
            (
                f"{UPC}.SignInMethod",
                f"{UPC}.RequiredSignUpAttributes",
                f"{UPC}.UserPoolName",
                "ResourceConfig.Service",
            ),
            True,
        ),
        Section("social", "Social sign-in", (f"{UPC}.OAuth",), False),
        Section("password", "Password policy", (f"{UPC}.PasswordPolicy",), False),
        Section("mfa", "MFA", (f"{UPC}.Mfa",), False),
        Section(
            "messages", "Messages", (f"{UPC}.VerificationMessage", f"{UPC}.ForgotPassword"), False
        ),
        Section(
            "identity-pool",
            "Identity pool",
            ("ResourceConfig.AuthResources", "ResourceConfig.IdentityPoolConfigs"),
            False,
        ),
    ]


def test_the_update_form_leaves_out_what_the_operation_lacks():
    sign_in = plan(request_spec("UpdateBackendAuth"))[1]
    assert sign_in == Section("sign-in", "Sign-in and sign-up", ("ResourceConfig.Service",), True)


def test_the_form_sections_are_the_default():
    root = request_spec("CreateBackendAuth")
    assert plan(root) == plan(root, SECTIONS)


def test_members_no_section_names_are_other_settings():
    assert plan(shape(), MINE) == [
        Section("a", "First", ("A",), True),
        Section("x", "Ex", ("Req.X",), False),
        Section(OTHER, OTHER_TITLE, ("Req.Y", "Opt", "New")),
    ]
    assert (OTHER, OTHER_TITLE) == ("other", "Other settings")


def test_a_request_whose_root_is_optional_is_still_walked():
    assert plan(shape(required=False), MINE)[-1] == Section(
        OTHER, OTHER_TITLE, ("Req.Y", "Opt", "New")
    )


def test_a_structure_a_section_names_is_placed_whole():
    sections = (Section("req", "Required", ("Req",)), Section("rest", "Rest", ("A", "Opt")))
    assert plan(shape(), sections) == [
        Section("req", "Required", ("Req",)),
        Section("rest", "Rest", ("A", "Opt")),
        Section(OTHER, OTHER_TITLE, ("New",)),
    ]


def test_no_other_settings_when_every_member_is_placed():
    sections = (Section("all", "All", ("New", "Req", "Opt", "A")),)
    assert plan(shape(), sections) == [Section("all", "All", ("New", "Req", "Opt", "A"))]
