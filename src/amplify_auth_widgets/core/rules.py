"""The Cognito and Amplify rules of docs/rules.md, which the service model does not carry.

Each rule is a small function over the request dict that yields findings; ``rule_findings`` runs
them all. Rules read values defensively: a member of the wrong type has already been reported by
the model checks, so a rule simply skips what it cannot read. Where a rule is about a kind of
member rather than one place (every ``SmsMessage``, every deprecated member, every string with
stray spaces), it walks the request beside the field specs, so it covers members wherever the
model puts them.

Update requests are partial: the service merges them into the stored configuration. Rules that
judge the relation between members that an update may leave out (the identity pool that
``IDENTITY_POOL_AND_USER_POOL`` needs, the hosted-UI domain, the sign-up attributes that the
sign-in method and SMS MFA need) therefore run on whole configurations only (Create).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from .findings import Finding, show_number
from .model import REDACTED, UPC, FieldSpec, join_path, request_spec
from .secrets import quote

APP_ID = re.compile(r"d[a-z0-9]+")
POOL_NAME = re.compile(r"[\w\s+=,.@-]+", re.ASCII)  # Cognito's (Java's) \w and \s
DOMAIN_PREFIX = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
RESERVED_DOMAIN_WORDS = ("aws", "amazon", "cognito")
URI_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", re.DOTALL)
LOCAL_HOSTS = ("localhost", "127.0.0.1")
#: Where Cognito puts the code in a verification or MFA message (Gen 2 writes a function
#: that returns the message with the code there, ``gen2.mapping``).
CODE_PLACEHOLDER = "{####}"
MAX_REDIRECT_URIS = 100
PEM_ARMOR = re.compile(r"-----(BEGIN|END)[^-]*-----")
WHOLE_CONFIGURATION_OPERATIONS = ("CreateBackendAuth",)
#: The largest request body the service takes, in bytes (the emulator refuses larger with 413).
MAX_REQUEST_BYTES = 1024 * 1024

Rule = Callable[[dict[str, Any], str], Iterator[Finding]]


def _error(path: str, code: str, message: str) -> Finding:
    return Finding(path, "error", code, message)


def _warning(path: str, code: str, message: str) -> Finding:
    return Finding(path, "warning", code, message)


def get(data: Any, path: str) -> Any:
    """The value at a dotted path, or None where any step is missing or not an object."""
    for step in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _str(data: dict[str, Any], path: str) -> str | None:
    value = get(data, path)
    return value if isinstance(value, str) else None


def _str_list(data: dict[str, Any], path: str) -> list[str]:
    value = get(data, path)
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)]


def _and(words: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


def strip_pem_armor(private_key: str) -> str:
    """The key body of a PEM private key, without its BEGIN/END lines and line breaks."""
    return "".join(PEM_ARMOR.sub("", private_key).split())


def _length_problem(value: str, low: int, high: int) -> str | None:
    """What is wrong with the length of ``value``; the message then says what to write."""
    if low <= len(value) <= high:
        return None
    return "is empty" if not value else f"is {len(value)} characters"


# -- target and names ----------------------------------------------------------------------


def rule_app_id(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    app_id = _str(request, "AppId")
    if app_id is None:
        return
    # The pattern needs two characters at least, so only the upper bound is checked here.
    if not (len(app_id) <= 20 and APP_ID.fullmatch(app_id)):
        yield _error(
            "AppId",
            "amplify.app-id",
            f"AppId {quote(app_id)} is not an Amplify app id: it is 'd' followed by lowercase "
            "letters and digits, 20 characters at most (as in the Amplify console's App ARN).",
        )


def rule_env_name(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    env = _str(request, "BackendEnvironmentName")
    if env is not None and (problem := _length_problem(env, 1, 255)):
        yield _error(
            "BackendEnvironmentName",
            "cognito.env-name",
            f"BackendEnvironmentName {problem}; give 1 to 255 characters.",
        )


def _pool_name(value: str | None, path: str, code: str, label: str) -> Iterator[Finding]:
    if value is None:
        return
    problem = _length_problem(value, 1, 128)
    if problem is None and not POOL_NAME.fullmatch(value):
        bad = sorted({c for c in value if not POOL_NAME.fullmatch(c)})
        problem = f"contains {' '.join(repr(c) for c in bad)}"
    if problem:
        yield _error(
            path,
            code,
            f"{label} {problem}; use 1 to 128 letters, digits, spaces or + = , . @ - _.",
        )


def rule_pool_names(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    yield from _pool_name(
        _str(request, f"{UPC}.UserPoolName"),
        f"{UPC}.UserPoolName",
        "cognito.user-pool-name",
        "UserPoolName",
    )
    path = "ResourceConfig.IdentityPoolConfigs.IdentityPoolName"
    yield from _pool_name(
        _str(request, path), path, "cognito.identity-pool-name", "IdentityPoolName"
    )


# -- resources -----------------------------------------------------------------------------


def rule_identity_pool(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    resources = _str(request, "ResourceConfig.AuthResources")
    config = get(request, "ResourceConfig")
    present = isinstance(config, dict) and "IdentityPoolConfigs" in config
    path = "ResourceConfig.IdentityPoolConfigs"
    if (
        resources == "IDENTITY_POOL_AND_USER_POOL"
        and not present
        and operation in WHOLE_CONFIGURATION_OPERATIONS
    ):
        yield _error(
            path,
            "cognito.identity-pool-missing",
            "AuthResources IDENTITY_POOL_AND_USER_POOL needs IdentityPoolConfigs: add an "
            "identity pool name, or choose USER_POOL_ONLY.",
        )
    if resources == "USER_POOL_ONLY" and present:
        yield _warning(
            path,
            "cognito.identity-pool-ignored",
            "AuthResources is USER_POOL_ONLY, so IdentityPoolConfigs is ignored; remove it, "
            "or choose IDENTITY_POOL_AND_USER_POOL.",
        )


# -- password, MFA, sign-in ----------------------------------------------------------------


def rule_password_length(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    path = f"{UPC}.PasswordPolicy.MinimumLength"
    value = get(request, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return  # absent, or a model.type error already
    if value != value or value in (float("inf"), float("-inf")):
        return
    if value != int(value) or not 6 <= value <= 99:
        yield _error(
            path,
            "cognito.password-length",
            f"MinimumLength {show_number(value)} is not allowed; Cognito takes a whole number "
            "from 6 to 99.",
        )


def rule_mfa(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    mode = _str(request, f"{UPC}.Mfa.MFAMode")
    if mode not in ("ON", "OPTIONAL"):
        return
    types = _str_list(request, f"{UPC}.Mfa.Settings.MfaTypes")
    if not types:
        yield _error(
            f"{UPC}.Mfa.Settings.MfaTypes",
            "cognito.mfa-types",
            f"MFAMode {mode} needs at least one MFA type: choose SMS, TOTP or both, "
            "or set MFAMode to OFF.",
        )
    attributes = get(request, f"{UPC}.RequiredSignUpAttributes")
    if (
        "SMS" in types
        and operation in WHOLE_CONFIGURATION_OPERATIONS
        and isinstance(attributes, list)
        and "PHONE_NUMBER" not in attributes
    ):
        yield _warning(
            f"{UPC}.RequiredSignUpAttributes",
            "cognito.mfa-sms-phone",
            "SMS MFA needs a verified phone number: add PHONE_NUMBER to "
            "RequiredSignUpAttributes, or users without one cannot sign in.",
        )


def rule_sign_in_attribute(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    method = _str(request, f"{UPC}.SignInMethod")
    attributes = get(request, f"{UPC}.RequiredSignUpAttributes")
    if operation not in WHOLE_CONFIGURATION_OPERATIONS or not isinstance(attributes, list):
        return
    needed = {
        "EMAIL": ["EMAIL"],
        "PHONE_NUMBER": ["PHONE_NUMBER"],
        "EMAIL_AND_PHONE_NUMBER": ["EMAIL", "PHONE_NUMBER"],
    }.get(method or "", [])
    missing = [a for a in needed if a not in attributes]
    if missing:
        yield _warning(
            f"{UPC}.RequiredSignUpAttributes",
            "cognito.sign-in-attribute",
            f"SignInMethod {method} signs users in with {' and '.join(needed)}, but "
            f"RequiredSignUpAttributes lacks {' and '.join(missing)}; add it.",
        )


# -- messages ------------------------------------------------------------------------------


def rule_delivery_settings(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    for block in ("VerificationMessage", "ForgotPassword"):
        path = f"{UPC}.{block}"
        method = _str(request, f"{path}.DeliveryMethod")
        settings = {"EMAIL": "EmailSettings", "SMS": "SmsSettings"}.get(method or "")
        if settings and get(request, f"{path}.{settings}") is None:
            yield _warning(
                path,
                "cognito.delivery-settings",
                f"{block} is delivered by {method} without {settings}: Cognito's default "
                f"message is used. Add {settings} to word it yourself.",
            )


def _message_rule(spec: FieldSpec, path: str, value: str) -> Finding | None:
    if spec.name == "SmsMessage":
        code, low, high, needs_code = "cognito.sms-message", 6, 140, True
    elif spec.name == "EmailMessage":
        code, low, high, needs_code = "cognito.email-message", 6, 20000, True
    elif spec.name == "EmailSubject":
        code, low, high, needs_code = "cognito.email-subject", 1, 140, False
    else:
        return None
    problem = _length_problem(value, low, high)
    if problem is None and needs_code and CODE_PLACEHOLDER not in value:
        problem = f"does not contain {CODE_PLACEHOLDER}, where Cognito puts the code"
    if problem is None:
        return None
    need = f"{low} to {high} characters" + (f" with {CODE_PLACEHOLDER}" if needs_code else "")
    return _error(path, code, f"{spec.name} {problem}; write {need}.")


# -- OAuth ---------------------------------------------------------------------------------


def _uri_problem(uri: str) -> str | None:
    if not uri:
        return "is empty"
    if len(uri) > 1024:
        return f"is {len(uri)} characters; Cognito takes at most 1024"
    if any(c.isspace() for c in uri):
        return "contains spaces"
    match = URI_SCHEME.fullmatch(uri)
    if not match or not match.group(2):
        return "is not an absolute URI; start it with https:// (or your app's scheme, myapp://)"
    if "#" in uri:
        return "has a fragment (#...), which Cognito refuses; remove it"
    scheme = match.group(1).lower()
    if scheme in ("http", "https"):
        try:
            host = urlsplit(uri).hostname
        except ValueError:
            host = None
        if not host:
            return "has no host"
        if scheme == "http" and host not in LOCAL_HOSTS:
            return "uses http for a host other than localhost; use https"
    return None


def rule_oauth(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    """The hosted UI's settings: the domain prefix, the redirect URIs, the scopes and grant,
    then each social provider."""
    oauth = get(request, f"{UPC}.OAuth")
    if not isinstance(oauth, dict):
        return
    base = f"{UPC}.OAuth"
    yield from _domain_prefix(oauth, base, operation)
    for member in ("RedirectSignInURIs", "RedirectSignOutURIs"):
        yield from _redirect_uris(oauth, base, member)
    yield from _scopes_and_grant(request, oauth, base)
    yield from _social_providers(request, f"{base}.SocialProviderSettings", operation)


def _domain_prefix(oauth: dict[str, Any], base: str, operation: str) -> Iterator[Finding]:
    """A DomainPrefix Cognito would refuse (its form, a reserved word), or none at all where
    the request carries the whole configuration."""
    prefix = oauth.get("DomainPrefix")
    if isinstance(prefix, str):
        reserved = [w for w in RESERVED_DOMAIN_WORDS if w in prefix.lower()]
        if not DOMAIN_PREFIX.fullmatch(prefix):
            yield _error(
                f"{base}.DomainPrefix",
                "cognito.domain-prefix",
                f"DomainPrefix {quote(prefix)} must be 1 to 63 lowercase letters, digits and "
                "hyphens, starting and ending with a letter or digit.",
            )
        elif reserved:
            yield _error(
                f"{base}.DomainPrefix",
                "cognito.domain-prefix",
                f"DomainPrefix {quote(prefix)} contains the reserved word {reserved[0]!r}; "
                "Cognito refuses domains containing aws, amazon or cognito.",
            )
    elif "DomainPrefix" not in oauth and operation in WHOLE_CONFIGURATION_OPERATIONS:
        yield _warning(
            base,
            "cognito.domain-missing",
            "OAuth is set without DomainPrefix: the hosted UI needs a domain; add one.",
        )


def _redirect_uris(oauth: dict[str, Any], base: str, member: str) -> Iterator[Finding]:
    """One list of redirect URIs: too many, one Cognito would refuse, or one listed twice."""
    uris = oauth.get(member)
    if not isinstance(uris, list):
        return
    if len(uris) > MAX_REDIRECT_URIS:
        yield _error(
            f"{base}.{member}",
            "cognito.redirect-uri-count",
            f"{member} has {len(uris)} URIs; Cognito takes at most {MAX_REDIRECT_URIS}.",
        )
    seen: set[str] = set()
    for i, uri in enumerate(uris):
        if not isinstance(uri, str):
            continue
        path = f"{base}.{member}[{i}]"
        if (problem := _uri_problem(uri)) is not None:
            yield _error(path, "cognito.redirect-uri", f"{member}[{i}] {quote(uri)} {problem}.")
        elif uri in seen:
            yield _warning(
                path,
                "cognito.redirect-uri-duplicate",
                f"{quote(uri)} is listed twice in {member}; remove the repeat.",
            )
        seen.add(uri)


def _scopes_and_grant(
    request: dict[str, Any], oauth: dict[str, Any], base: str
) -> Iterator[Finding]:
    """Identity scopes without OPENID (they do nothing), and the IMPLICIT grant."""
    scopes = _str_list(request, f"{base}.OAuthScopes")
    identity_scopes = [s for s in scopes if s in ("EMAIL", "PHONE", "PROFILE")]
    if identity_scopes and "OPENID" not in scopes:
        works = "scope works" if len(identity_scopes) == 1 else "scopes work"
        yield _warning(
            f"{base}.OAuthScopes",
            "cognito.scope-openid",
            f"The {_and(identity_scopes)} {works} only with OPENID; add OPENID.",
        )
    if oauth.get("OAuthGrantType") == "IMPLICIT":
        yield _warning(
            f"{base}.OAuthGrantType",
            "cognito.implicit-grant",
            "The IMPLICIT grant returns tokens in the redirect URL; the CODE grant (with "
            "PKCE) is recommended.",
        )


def _social_providers(request: dict[str, Any], base: str, operation: str) -> Iterator[Finding]:
    providers = get(request, base)
    spec = request_spec(operation).find(base)
    if not isinstance(providers, dict) or spec is None:
        return
    for provider_spec in spec.members:
        provider = providers.get(provider_spec.name)
        if not isinstance(provider, dict):
            continue
        path = f"{base}.{provider_spec.name}"
        for member in provider_spec.members:
            value = provider.get(member.name)
            if value is None or (isinstance(value, str) and not value.strip()):
                state = "is missing" if value is None else "is empty"
                yield _error(
                    f"{path}.{member.name}",
                    "cognito.social-provider",
                    f"{provider_spec.name} {member.name} {state}; {provider_spec.name} "
                    f"sign-in needs {', '.join(provider_spec.member_names)}.",
                )
            elif value == REDACTED:
                yield _error(
                    f"{path}.{member.name}",
                    "cognito.social-provider",
                    f"{provider_spec.name} {member.name} was redacted when it was exported; "
                    "enter the real value.",
                )
        key = provider.get("PrivateKey")
        if isinstance(key, str) and PEM_ARMOR.search(key):
            yield _error(
                f"{path}.PrivateKey",
                "cognito.apple-private-key",
                "PrivateKey must be the key body only: remove the -----BEGIN/-----END lines "
                "(the editor offers to strip them).",
            )


# -- rules over every member of a kind -----------------------------------------------------


def _walk_values(value: Any, spec: FieldSpec, path: str) -> Iterator[tuple[FieldSpec, str, Any]]:
    yield spec, path, value
    if spec.is_structure and isinstance(value, dict):
        for member in spec.members:
            if member.name in value:
                yield from _walk_values(value[member.name], member, join_path(path, member.name))
    elif spec.is_list and isinstance(value, list) and spec.item is not None:
        for i, item in enumerate(value):
            yield from _walk_values(item, spec.item, f"{path}[{i}]")


def _member_rules(
    request: dict[str, Any], operation: str, earlier: list[Finding]
) -> Iterator[Finding]:
    error_paths = {f.path for f in earlier if f.is_error}
    spec = request_spec(operation)
    deprecated_parents: list[str] = []
    for member, path, value in _walk_values(request, spec, ""):
        if member.deprecated and not any(path.startswith(p + ".") for p in deprecated_parents):
            deprecated_parents.append(path)
            yield _warning(
                path,
                "amplify.deprecated",
                f"{member.name} is deprecated in the AmplifyBackend API; the service may "
                "ignore it. Prefer VerificationMessage.",
            )
        if not isinstance(value, str):
            continue
        if path.startswith(f"{UPC}.") and (found := _message_rule(member, path, value)):
            yield found
        elif value != value.strip() and path not in error_paths and not member.enum:
            yield _warning(
                path,
                "input.whitespace",
                f"{member.name} has leading or trailing spaces; remove them if they are "
                "not meant to be there.",
            )


# -- size ----------------------------------------------------------------------------------


def _wire(value: Any, spec: FieldSpec | None) -> Any:
    """``value`` with member names as the wire spells them (the body's keys)."""
    if spec is not None and spec.is_structure and isinstance(value, dict):
        out = {}
        for key, item in value.items():
            member = spec.member(key)  # None for a key no member has, a str or not
            out[member.wire_name if member else key] = _wire(item, member)
        return out
    if spec is not None and spec.is_list and isinstance(value, list):
        return [_wire(item, spec.item) for item in value]
    return value


def _encoded_size(value: Any) -> int:
    # As botocore's rest-json serializer encodes a body: json.dumps with its defaults.
    return len(json.dumps(value, default=str))


def rule_request_size(request: dict[str, Any], operation: str) -> Iterator[Finding]:
    spec = request_spec(operation)
    body = {
        key: value
        for key, value in request.items()
        if not ((member := spec.member(key)) is not None and member.location == "uri")
    }
    try:
        size = _encoded_size(_wire(body, spec))
        if size <= MAX_REQUEST_BYTES:
            return
        largest = max(body, key=lambda k: _encoded_size(_wire(body[k], spec.member(k))))
        largest_size = _encoded_size(_wire(body[largest], spec.member(largest)))
    except (ValueError, TypeError, RecursionError, OverflowError):
        return  # not encodable at all: the model checks have said why
    mib = 1024 * 1024
    yield _error(
        str(largest),
        "amplify.request-size",
        f"The request would be {size / mib:.1f} MiB ({size:,} bytes) once encoded; the "
        f"service takes at most 1 MiB ({MAX_REQUEST_BYTES:,} bytes). {largest} alone is "
        f"{largest_size / mib:.1f} MiB: shorten it.",
    )


RULES: tuple[Rule, ...] = (
    rule_app_id,
    rule_env_name,
    rule_pool_names,
    rule_identity_pool,
    rule_password_length,
    rule_mfa,
    rule_sign_in_attribute,
    rule_delivery_settings,
    rule_oauth,
    rule_request_size,
)


def rule_findings(request: dict[str, Any], operation: str, earlier: list[Finding]) -> list[Finding]:
    """Findings of every rule; ``earlier`` holds the model findings already made."""
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(request, operation))
    found.extend(_member_rules(request, operation, earlier + found))
    return found
