"""Human labels and one-line help for the model's members.

The model names members for the wire (``BackendEnvironmentName``, ``IdentityPoolConfigs``) and
documents them in paragraphs. The form shows a short label and one line of help instead; the API
name and the model's full documentation stay in the tooltip. ``LABELS`` is keyed by the member's
path below ``ResourceConfig.UserPoolConfigs`` or ``ResourceConfig`` (or the full path), then by
its bare name; a member it does not know (one new to the model) gets its name in words and the
first sentence of its documentation, so the table never has to list every member.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

from ..core.model import FieldSpec, request_spec

#: label, and help (None: the first sentence of the model's documentation).
LABELS: dict[str, tuple[str, str | None]] = {
    "AppId": ("App ID", "The Amplify app whose backend gets the auth resource."),
    "BackendEnvironmentName": ("Environment", "The app's backend environment, such as dev."),
    "ResourceName": ("Auth resource name", "The name of the auth resource in the backend."),
    "AuthResources": (
        "What to create",
        "A user pool for sign-in only, or also an identity pool for AWS access.",
    ),
    "Service": ("Service", "The service behind the auth resource (Amazon Cognito)."),
    "IdentityPoolConfigs": ("Identity pool", None),
    "IdentityPoolName": ("Identity pool name", "1 to 128 letters, digits, spaces or +=,.@-_"),
    "UnauthenticatedLogin": ("Allow guest access", "Let users who are not signed in use AWS."),
    "UserPoolName": ("User pool name", "1 to 128 letters, digits, spaces or +=,.@-_"),
    "SignInMethod": ("Sign in with", "What users type to sign in."),
    "RequiredSignUpAttributes": ("Required at sign-up", "What users must give to sign up."),
    "PasswordPolicy": ("Password policy", None),
    "MinimumLength": ("Minimum length", "Characters a password needs at least: 6 to 99."),
    "AdditionalConstraints": ("Passwords must contain", "Kinds of character each password needs."),
    "Mfa": ("Multi-factor authentication", None),
    "MFAMode": ("MFA", "Off, required for everyone (on), or each user's choice (optional)."),
    "Mfa.Settings": ("MFA methods", None),
    "MfaTypes": ("Methods", "How users receive or make their second factor."),
    "Mfa.Settings.SmsMessage": ("SMS text", "The message carrying the code; put {####} in it."),
    "OAuth": ("Hosted sign-in and social providers", None),
    "DomainPrefix": ("Domain prefix", "The start of the hosted sign-in page's address."),
    "OAuthGrantType": ("OAuth grant", "Code (recommended) or implicit."),
    "OAuthScopes": ("Scopes", "What apps may read of a signed-in user."),
    "RedirectSignInURIs": (
        "Sign-in redirect URLs",
        "Where users land after signing in; one a line.",
    ),
    "RedirectSignOutURIs": (
        "Sign-out redirect URLs",
        "Where users land after signing out; one a line.",
    ),
    "SocialProviderSettings": ("Social providers", "Add a card for each provider users may use."),
    "Facebook": ("Facebook", None),
    "Google": ("Google", None),
    "LoginWithAmazon": ("Login with Amazon", None),
    "SignInWithApple": ("Sign in with Apple", None),
    "ClientId": ("Client ID", "From the provider's developer console."),
    "ClientSecret": ("Client secret", "From the provider's developer console; kept hidden."),
    "KeyId": ("Key ID", "The ID of the private key, from Apple."),
    "PrivateKey": ("Private key", "The key body from Apple, without the BEGIN/END lines."),
    "TeamId": ("Team ID", "Your Apple developer team ID."),
    "VerificationMessage": ("Verification message", None),
    "ForgotPassword": ("Forgot password message (deprecated)", None),
    "DeliveryMethod": ("Send by", "Email or SMS."),
    "EmailSettings": ("Email", None),
    "EmailSubject": ("Subject", None),
    "EmailMessage": ("Message", "Put {####} where the code goes."),
    "SmsSettings": ("SMS", None),
    "SmsMessage": ("SMS text", "Put {####} where the code goes; 6 to 140 characters."),
}

#: Words for enum values whose plain spelling is not enough; the rest are spelled out
#: (``EMAIL_AND_PHONE_NUMBER`` -> "Email and phone number"). The API value stays the value.
ENUM_LABELS: dict[str, str] = {
    "COGNITO": "Amazon Cognito",
    "USER_POOL_ONLY": "User pool only (sign-in)",
    "IDENTITY_POOL_AND_USER_POOL": "User pool and identity pool (AWS access)",
    "ON": "On, for every user",
    "OPTIONAL": "Optional, each user chooses",
    "SMS": "SMS text message",
    "TOTP": "Authenticator app (TOTP)",
    "CODE": "Code (recommended)",
    "OPENID": "OpenID",
    "AWS_COGNITO_SIGNIN_USER_ADMIN": "Cognito user admin",
    "REQUIRE_DIGIT": "A digit",
    "REQUIRE_LOWERCASE": "A lowercase letter",
    "REQUIRE_SYMBOL": "A symbol",
    "REQUIRE_UPPERCASE": "An uppercase letter",
    "ZONE_INFO": "Time zone",
    "UPDATED_AT": "Last updated time",
    "BIRTHDATE": "Birth date",
}

_PREFIXES = ("ResourceConfig.UserPoolConfigs.", "ResourceConfig.")


def _entry(spec: FieldSpec) -> tuple[str, str | None] | None:
    keys = [spec.path]
    for prefix in _PREFIXES:
        if spec.path.startswith(prefix):
            keys.append(spec.path[len(prefix) :])
            break
    keys.append(spec.name)
    for key in keys:
        if key in LABELS:
            return LABELS[key]
    return None


def words(name: str) -> str:
    """A member name in words: ``DeletionProtection`` -> ``Deletion protection``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    parts = spaced.split()
    return " ".join([parts[0]] + [p if p.isupper() else p.lower() for p in parts[1:]])


def first_sentence(text: str, limit: int = 120) -> str:
    text = text.replace("(DEPRECATED)", "").strip()
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def enum_label(value: str) -> str:
    """An enum value in words, for a dropdown's option (its value stays the API's)."""
    return ENUM_LABELS.get(value) or value.replace("_", " ").capitalize()


def label_for(spec: FieldSpec) -> str:
    entry = _entry(spec)
    return entry[0] if entry else words(spec.name)


def help_for(spec: FieldSpec) -> str:
    """One line of help: the table's, or the model documentation's first sentence."""
    entry = _entry(spec)
    if entry and entry[1] is not None:
        return entry[1]
    return first_sentence(spec.documentation)


def tooltip_for(spec: FieldSpec) -> str:
    """The API name and the model's whole documentation."""
    return f"{spec.path}: {spec.documentation}" if spec.documentation else spec.path


#: The operations whose forms the editor builds: a control's name must be its own in each.
FORM_OPERATIONS = ("CreateBackendAuth", "UpdateBackendAuth")


def _leaves(
    spec: FieldSpec, owners: tuple[FieldSpec, ...] = ()
) -> Iterator[tuple[FieldSpec, tuple[FieldSpec, ...]]]:
    """Each member, with the structures it is in, the nearest first."""
    for member in spec.members:
        yield member, owners
        if member.is_structure:
            yield from _leaves(member, (member, *owners))


def _owned(label: str, owners: tuple[FieldSpec, ...]) -> str:
    if not owners:
        return label
    # "Forgot password message (deprecated)" says so on its own section; not in every name
    names = [label_for(o).removesuffix(" (deprecated)") for o in owners]
    return f"{label} ({', '.join(names)})"


@functools.cache
def _distinct_labels() -> dict[str, str]:
    """Each member's path and its label, with as many of its structures' labels as tell it from
    every other member of the form: "Client ID (Google)", "Message (Email, Verification
    message)"."""
    found = {
        leaf.path: (leaf, owners)
        for op in FORM_OPERATIONS
        for leaf, owners in _leaves(request_spec(op))
    }
    depth = dict.fromkeys(found, 0)
    while True:
        names = {p: _owned(label_for(leaf), o[: depth[p]]) for p, (leaf, o) in found.items()}
        shared = Counter(names.values())
        deeper = [p for p, n in names.items() if shared[n] > 1 and depth[p] < len(found[p][1])]
        if not deeper:
            return names
        for path in deeper:
            depth[path] += 1


def distinct_label(spec: FieldSpec) -> str:
    """The label a screen reader gives ``spec``'s control: its label, and where another
    control of the form has the same one (four providers each have a "Client ID"), whose it is,
    as the Update review says it ("Client ID (Google)"). Seen, the section and the card say
    whose; heard out of them (a screen reader's list of fields), the name must."""
    return _distinct_labels().get(spec.path, label_for(spec))


def in_sentence(label: str) -> str:
    """``label`` inside a sentence: its first letter in lower case, unless its first word is
    an acronym ("Include email", "Include SMS")."""
    first = label.split(" ", 1)[0]
    return label if len(first) > 1 and first.isupper() else label[:1].lower() + label[1:]
