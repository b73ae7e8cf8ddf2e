"""Where members sit in the form: sections by task, in the order a person decides them.

``SECTIONS`` places and orders members and says which sections are open at first; it lists no
type, enum or rule, and it may name members an operation lacks (they are skipped). ``plan``
walks the model: a required structure (``ResourceConfig``, ``UserPoolConfigs``) is a container
only, its members placed one by one, and every member no section names (a member new to the
model included) lands in "Other settings". The model stays the only list of members.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.model import UPC, FieldSpec

OTHER = "other"


@dataclass(frozen=True)
class Section:
    """A section of the form: ``key`` names it (CSS class ``aaw-section-<key>``)."""

    key: str
    title: str
    paths: tuple[str, ...]
    open: bool = False


SECTIONS: tuple[Section, ...] = (
    Section("target", "Target", ("AppId", "BackendEnvironmentName", "ResourceName"), open=True),
    Section(
        "sign-in",
        "Sign-in and sign-up",
        (
            f"{UPC}.SignInMethod",
            f"{UPC}.RequiredSignUpAttributes",
            f"{UPC}.UserPoolName",
            "ResourceConfig.Service",
        ),
        open=True,
    ),
    Section("social", "Social sign-in", (f"{UPC}.OAuth",)),
    Section("password", "Password policy", (f"{UPC}.PasswordPolicy",)),
    Section("mfa", "MFA", (f"{UPC}.Mfa",)),
    Section("messages", "Messages", (f"{UPC}.VerificationMessage", f"{UPC}.ForgotPassword")),
    Section(
        "identity-pool",
        "Identity pool",
        ("ResourceConfig.AuthResources", "ResourceConfig.IdentityPoolConfigs"),
    ),
)

OTHER_TITLE = "Other settings"


def plan(root: FieldSpec, sections: tuple[Section, ...] = SECTIONS) -> list[Section]:
    """The sections for a request spec, each with the member paths it shows, in order."""
    present = {s.path for s in root.walk()}
    placed: set[str] = set()
    out: list[Section] = []
    for section in sections:
        paths = tuple(p for p in section.paths if p in present)
        placed.update(paths)
        if paths:
            out.append(Section(section.key, section.title, paths, section.open))
    other: list[str] = []

    def collect(spec: FieldSpec) -> None:
        if spec.path in placed:
            return
        if spec.is_structure and (spec.required or spec is root):
            for member in spec.members:
                collect(member)
        elif spec is not root:
            other.append(spec.path)

    collect(root)
    if other:
        out.append(Section(OTHER, OTHER_TITLE, tuple(other)))
    return out
