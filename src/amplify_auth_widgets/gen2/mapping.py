"""The mapping from a Gen 1 backend auth configuration to Gen 2 code, member by member.

``Mapper`` reads a request's ``ResourceConfig`` and builds the ``defineAuth`` props (plain data
for ``gen2_code``), the overrides ``amplify/backend.ts`` sets on the Cognito resources that
``defineAuth`` creates, and the secrets; for every member it places it records a ``Placement``
(file and property path) or, in words, why it cannot go. ``gen2.export`` walks the model to
list every configured member, so a member this module does not place shows as "not mapped".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.model import UPC
from ..core.rules import CODE_PLACEHOLDER
from . import typescript as ts

RESOURCE_TS = "amplify/auth/resource.ts"
BACKEND_TS = "amplify/backend.ts"
OAUTH = f"{UPC}.OAuth"

#: Status of a configured member in the mapping table; ``derived`` marks a row that is no
#: member but what Gen 1 made from the configuration (see ``Mapper.derived``).
MAPPED, SECRET, SOURCE, UNSUPPORTED, NOT_MAPPED, DERIVED = (
    "mapped",
    "secret",
    "source",
    "not supported",
    "not mapped",
    "derived",
)

#: Cognito's standard attributes, in the API's spelling, as ``userAttributes`` keys.
ATTRIBUTES = {
    "ADDRESS": "address",
    "BIRTHDATE": "birthdate",
    "EMAIL": "email",
    "FAMILY_NAME": "familyName",
    "GENDER": "gender",
    "GIVEN_NAME": "givenName",
    "LOCALE": "locale",
    "MIDDLE_NAME": "middleName",
    "NAME": "fullname",
    "NICKNAME": "nickname",
    "PHONE_NUMBER": "phoneNumber",
    "PICTURE": "profilePicture",
    "PREFERRED_USERNAME": "preferredUsername",
    "PROFILE": "profilePage",
    "UPDATED_AT": "lastUpdateTime",
    "WEBSITE": "website",
    "ZONE_INFO": "timezone",
}
SCOPES = {"AWS_COGNITO_SIGNIN_USER_ADMIN": "COGNITO_ADMIN"}
CONSTRAINTS = {
    "REQUIRE_LOWERCASE": "requireLowercase",
    "REQUIRE_DIGIT": "requireNumbers",
    "REQUIRE_SYMBOL": "requireSymbols",
    "REQUIRE_UPPERCASE": "requireUppercase",
}
#: Social providers: Gen 2 key, secret-name prefix, and the Gen 2 key of each API member.
PROVIDERS = {
    "Facebook": ("facebook", "FACEBOOK", {"ClientId": "clientId", "ClientSecret": "clientSecret"}),
    "Google": ("google", "GOOGLE", {"ClientId": "clientId", "ClientSecret": "clientSecret"}),
    "LoginWithAmazon": (
        "loginWithAmazon",
        "LOGINWITHAMAZON",
        {"ClientId": "clientId", "ClientSecret": "clientSecret"},
    ),
    "SignInWithApple": (
        "signInWithApple",
        "SIWA",
        {"ClientId": "clientId", "KeyId": "keyId", "PrivateKey": "privateKey", "TeamId": "teamId"},
    ),
}
SIGN_IN = {
    "EMAIL": ("email",),
    "PHONE_NUMBER": ("phone",),
    "EMAIL_AND_PHONE_NUMBER": ("email", "phone"),
    "USERNAME": (),
}
VERIFIED = {"email": "email", "phone": "phone_number"}
MFA_MODES = {"ON": "REQUIRED", "OPTIONAL": "OPTIONAL", "OFF": "OFF"}
MFA_TYPES = {"SMS": "SMS_MFA", "TOTP": "SOFTWARE_TOKEN_MFA"}
RECOVERY = {"EMAIL": "EMAIL_ONLY", "SMS": "PHONE_ONLY_WITHOUT_MFA"}
RESET_MESSAGE = (
    "Cognito has no separate password-reset message: the reset code goes out with the "
    "verification message. To word it apart, add a custom message Lambda trigger "
    "(defineAuth triggers.customMessage) by hand."
)

#: Gen 1's ``attributeProviderMap``: for each Cognito attribute, the name each social provider
#: gives it and the provider scope that returns it (providers without one left out). Copied
#: from aws-amplify/amplify-cli, packages/amplify-category-auth/src/provider-utils/
#: awscloudformation/assets/string-maps.js; ``userPoolProviders`` in service-walkthroughs/
#: auth-questions.ts derives each provider's ``AttributeMapping`` and ``authorize_scopes`` from
#: it (see ``provider_details``). Keys: Cognito's attribute names, then the API's provider names.
ATTRIBUTE_PROVIDER_MAP: dict[str, dict[str, tuple[str, str]]] = {
    "birthdate": {"Facebook": ("birthday", "public_profile"), "Google": ("birthdays", "profile")},
    "email": {
        "Facebook": ("email", "email"),
        "Google": ("email", "email"),
        "LoginWithAmazon": ("email", "profile"),
        "SignInWithApple": ("email", "email"),
    },
    "family_name": {
        "Facebook": ("last_name", "public_profile"),
        "Google": ("family_name", "profile"),
        "SignInWithApple": ("lastName", "name"),
    },
    "gender": {"Facebook": ("gender", "public_profile"), "Google": ("genders", "profile")},
    "given_name": {
        "Facebook": ("first_name", "public_profile"),
        "Google": ("given_name", "profile"),
        "SignInWithApple": ("firstName", "name"),
    },
    "locale": {"LoginWithAmazon": ("postal_code", "postal_code")},
    "middle_name": {"Facebook": ("middle_name", "public_profile")},
    "name": {
        "Facebook": ("name", "public_profile"),
        "Google": ("name", "profile"),
        "LoginWithAmazon": ("name", "profile"),
        "SignInWithApple": ("name", "name"),
    },
    "phone_number": {"Google": ("phoneNumbers", "profile")},
    "picture": {"Facebook": ("picture", "public_profile"), "Google": ("picture", "profile")},
    "username": {
        "Facebook": ("id", "public_profile"),
        "Google": ("sub", "profile"),
        "LoginWithAmazon": ("user_id", "profile:user_id"),
    },
    "updated_at": {"Facebook": ("updated_at", "public_profile")},
}
#: What Gen 1 maps when the configuration names no required attributes: its default, email.
GEN1_DEFAULT_REQUIRED = ("email",)
#: The construct id of the re-created native app client in ``backend.ts``.
NATIVE_CLIENT = "NativeAppClient"
GRANTS = {"CODE": "authorizationCodeGrant", "IMPLICIT": "implicitCodeGrant"}
#: The scopes the CDK asks each provider for when given none.
CDK_DEFAULT_SCOPES = {
    "Facebook": "public_profile",
    "Google": "profile",
    "LoginWithAmazon": "profile",
    "SignInWithApple": "name",
}
CDK_SCOPES = {
    "PHONE": "PHONE",
    "EMAIL": "EMAIL",
    "OPENID": "OPENID",
    "PROFILE": "PROFILE",
    "AWS_COGNITO_SIGNIN_USER_ADMIN": "COGNITO_ADMIN",
}
NAME_UNSUFFIXED = (
    "Gen 2 deploys a pool per branch and sandbox, and one environment's name would mislabel "
    "the others (names need not be unique)"
)
DOMAIN_UNSUFFIXED = (
    "a prefix is unique in its region, so with the suffix the new domain would clash with "
    "Gen 1's while that exists; give each further Gen 2 branch or sandbox a prefix of its own, "
    "and add https://<prefix>.auth.<region>.amazoncognito.com/oauth2/idpresponse to each "
    "social provider's allowed redirect URIs"
)
NATIVE_NOTE = (
    "Gen 1's second app client, for native apps, as its template made it: Cognito's defaults "
    "(30-day refresh tokens, every attribute readable and writable) and the web client's "
    "OAuth settings. generateSecret is false, Gen 1's default since CLI 4.42 (January 2021) "
    "and the only kind Amplify's libraries can use; a server or old mobile SDK that used the "
    "secret needs generateSecret: true, and then the new secret from the Cognito console "
    "(Cognito makes it; it is never in this export). Its id is not in amplify_outputs.json."
)


@dataclass(frozen=True)
class Placement:
    status: str
    file: str
    target: str
    note: str = ""


@dataclass(frozen=True)
class Secret:
    """A value the Gen 2 code reads with ``secret(name)``, set once per sandbox or branch."""

    name: str
    member: str
    configured: bool

    @property
    def command(self) -> str:
        return f"npx ampx sandbox secret set {self.name}"


def cognito_name(attribute: str) -> str:
    """Cognito's (and Gen 1's) name of an attribute the API spells ``GIVEN_NAME``."""
    return "zoneinfo" if attribute == "ZONE_INFO" else attribute.lower()


#: The Gen 2 ``attributeMapping`` key of each standard attribute, by Cognito's name.
GEN2_MAPPING_KEYS = {cognito_name(api): key for api, key in ATTRIBUTES.items()}


@dataclass(frozen=True)
class ProviderDetails:
    """What Gen 1 gave one social provider: its ``AttributeMapping`` (Cognito's attribute name
    to the provider's, in Gen 1's order) and the provider scopes it requested."""

    provider: str
    attribute_mapping: dict[str, str]
    scopes: tuple[str, ...]
    defaulted: bool = False  # no RequiredSignUpAttributes given: Gen 1's default was used
    unmapped: tuple[str, ...] = ()  # required attributes this provider gives none of

    @property
    def authorize_scopes(self) -> str:
        """The scopes as Gen 1 stored them in ``ProviderDetails.authorize_scopes``."""
        return ("," if self.provider == "Facebook" else " ").join(self.scopes)

    def gen2_mapping(self) -> dict[str, Any]:
        """The mapping as Gen 2's ``attributeMapping``: its key for a standard attribute, the
        others (``username``) under ``custom`` as Cognito names them."""
        mapping: dict[str, Any] = {}
        custom: dict[str, str] = {}
        for attribute, source in self.attribute_mapping.items():
            if attribute in GEN2_MAPPING_KEYS:
                mapping[GEN2_MAPPING_KEYS[attribute]] = source
            else:
                custom[attribute] = source
        if custom:
            mapping["custom"] = custom
        return mapping

    def describe(self) -> str:
        """``email=email, name=name, username=sub``: Cognito's attribute = the provider's."""
        return ", ".join(f"{k}={v}" for k, v in self.attribute_mapping.items())


def provider_details(provider: str, required: list[Any] | None) -> ProviderDetails:
    """Gen 1's attribute mapping and scopes for ``provider`` (an API name, ``Google``) given
    the configuration's ``RequiredSignUpAttributes`` (None: not given).

    As amplify-cli's ``userPoolProviders`` does: the required attributes (its default, email,
    when none are given; an attribute it does not know adds nothing) and then ``username``, each
    looked up in ``ATTRIBUTE_PROVIDER_MAP``; each scope once, in that order, with ``openid``
    first for Google."""
    if required is None:
        names = list(GEN1_DEFAULT_REQUIRED)
    else:
        names = [cognito_name(a) for a in required if isinstance(a, str) and a in ATTRIBUTES]
    mapping: dict[str, str] = {}
    scopes: list[str] = []
    for attribute in [*names, "username"]:
        found = ATTRIBUTE_PROVIDER_MAP.get(attribute, {}).get(provider)
        if found and found[1] not in scopes:
            scopes.append(found[1])
        if provider == "Google" and "openid" not in scopes:
            scopes.insert(0, "openid")
        if found and attribute not in mapping:
            mapping[attribute] = found[0]
    unmapped = tuple(a for a in dict.fromkeys(names) if a not in mapping)
    return ProviderDetails(provider, mapping, tuple(scopes), required is None, unmapped)


# -- the mapping ---------------------------------------------------------------------------


class Mapper:
    """Builds the defineAuth props and the backend.ts overrides, recording each placement."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.request = request
        self.config = request.get("ResourceConfig") or {}
        self.pool = self.config.get("UserPoolConfigs") or {}
        self.props: dict[str, Any] = {}
        self.overrides: list[tuple[str, str, Any]] = []  # (object, property, value)
        self.domain: str | None = None
        self.placed: dict[str, Placement] = {}
        self.secrets: list[Secret] = []
        self.notes: list[str] = []
        #: Table rows of what Gen 1 derived rather than read from a member (status DERIVED).
        self.derived: list[dict[str, str]] = []
        #: Import lines and statements of amplify/backend.ts beyond the overrides and domain.
        self.imports: list[str] = []
        self.statements: list[str] = []

    def place(self, path: str, target: str, note: str = "", status: str = MAPPED) -> None:
        self.placed[path] = Placement(status, RESOURCE_TS, target, note)

    def override(self, path: str | None, obj: str, prop: str, value: Any, note: str = "") -> None:
        self.overrides.append((obj, prop, value))
        if path:
            self.placed[path] = Placement(MAPPED, BACKEND_TS, f"{obj}.{prop}", note)

    def cannot(self, path: str, why: str) -> None:
        self.placed[path] = Placement(UNSUPPORTED, "", "", why)

    def derive(self, member: str, value: str, file: str, target: str, note: str) -> None:
        """A table row for what the code holds though no member says it (Gen 1 derived it)."""
        row = {"member": member, "value": value, "status": DERIVED}
        self.derived.append(row | {"file": file, "target": target, "note": note})

    def build(self) -> None:
        for name in ("AppId", "BackendEnvironmentName", "ResourceName"):
            if name in self.request:
                self.placed[name] = Placement(SOURCE, "", "header comment", "names the source")
        self._resources()
        login = self._login()
        self._attributes(login)
        self._messages(login)
        self._mfa(login)
        self._recovery()
        self._oauth()
        self._password()
        self._native_client()

    # identity pool and names
    def _resources(self) -> None:
        c = self.config
        if "UserPoolName" in self.pool:
            self.override(
                f"{UPC}.UserPoolName",
                "cfnUserPool",
                "userPoolName",
                self.pool["UserPoolName"],
                self._unsuffixed("-", NAME_UNSUFFIXED),
            )
        if c.get("Service"):
            self.place("ResourceConfig.Service", "defineAuth", "Gen 2 auth is Amazon Cognito")
        kind = c.get("AuthResources")
        ip = c.get("IdentityPoolConfigs") or {}
        if kind == "USER_POOL_ONLY":
            self.override(
                "ResourceConfig.AuthResources",
                "cfnIdentityPool",
                "allowUnauthenticatedIdentities",
                False,
                "Gen 2 always creates an identity pool; with USER_POOL_ONLY it gets no guest "
                "access",
            )
            for name in ip:
                self.cannot(
                    f"ResourceConfig.IdentityPoolConfigs.{name}",
                    "AuthResources is USER_POOL_ONLY, so the service ignores IdentityPoolConfigs",
                )
            return
        if kind:
            self.place("ResourceConfig.AuthResources", "defineAuth", "identity and user pool")
        if "IdentityPoolName" in ip:
            self.override(
                "ResourceConfig.IdentityPoolConfigs.IdentityPoolName",
                "cfnIdentityPool",
                "identityPoolName",
                ip["IdentityPoolName"],
                self._unsuffixed("__", NAME_UNSUFFIXED),
            )
        if "UnauthenticatedLogin" in ip:
            self.override(
                "ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin",
                "cfnIdentityPool",
                "allowUnauthenticatedIdentities",
                bool(ip["UnauthenticatedLogin"]),
                "Gen 2 allows guests by default, so it is always set",
            )

    # sign-in
    def _login(self) -> dict[str, Any]:
        method = self.pool.get("SignInMethod")
        delivery = (self.pool.get("VerificationMessage") or {}).get("DeliveryMethod")
        login: dict[str, Any] = {}
        if method in SIGN_IN:
            keys = SIGN_IN[method] or (("phone",) if delivery == "SMS" else ("email",))
            login = {k: True for k in keys}
            if method == "USERNAME":
                self.override(
                    f"{UPC}.SignInMethod",
                    "cfnUserPool",
                    "usernameAttributes",
                    [],
                    "users sign in with a username: Gen 2 signs in with email or phone, so "
                    f"{keys[0]} is set up and this override makes the username the sign-in",
                )
            else:
                self.place(f"{UPC}.SignInMethod", "loginWith." + " + loginWith.".join(keys))
        else:
            login = {"email": True}
            self.notes.append(
                "SignInMethod is not configured; Gen 2 needs one, so email sign-in is assumed."
            )
        return login

    def _attributes(self, login: dict[str, Any]) -> None:
        path = f"{UPC}.RequiredSignUpAttributes"
        required = [a for a in self.pool.get("RequiredSignUpAttributes") or [] if a in ATTRIBUTES]
        attrs: dict[str, Any] = {}
        for name in required:
            attrs[ATTRIBUTES[name]] = ts.Inline(required=True)
        loosened = []
        if "RequiredSignUpAttributes" in self.pool:
            for key, attr in (("email", "email"), ("phone", "phoneNumber")):
                if key in login and attr not in attrs:
                    attrs[attr] = ts.Inline(required=False)
                    loosened.append(attr)
        if attrs:
            self.props["userAttributes"] = attrs
        if required or loosened:
            notes = []
            if loosened:
                notes.append(
                    f"Gen 2 makes {' and '.join(loosened)} required for sign-in; not so here, "
                    "as in the source"
                )
            notes.append(_left_out(self.pool["RequiredSignUpAttributes"], ATTRIBUTES))
            note = "; ".join(n for n in notes if n)
            # every key written, the loosened ones too: with none required, "userAttributes."
            # named nothing
            self.place(path, "userAttributes." + ", ".join(attrs), note)

    def _messages(self, login: dict[str, Any]) -> None:
        vm = self.pool.get("VerificationMessage") or {}
        base = f"{UPC}.VerificationMessage"
        delivery = vm.get("DeliveryMethod")
        if delivery:
            key = "email" if delivery == "EMAIL" else "phone"
            if key in login:
                self.place(f"{base}.DeliveryMethod", f"loginWith.{key}", "verified automatically")
            else:
                verified = [VERIFIED[k] for k in ("email", "phone") if k in login or k == key]
                self.override(
                    f"{base}.DeliveryMethod",
                    "cfnUserPool",
                    "autoVerifiedAttributes",
                    verified,
                    f"{key} is not a sign-in attribute, so it is verified by an override",
                )
        email = vm.get("EmailSettings") or {}
        if email:
            self._email_message(login, email, f"{base}.EmailSettings")
        sms = (vm.get("SmsSettings") or {}).get("SmsMessage")
        if sms:
            path = f"{base}.SmsSettings.SmsMessage"
            if "phone" in login:
                login["phone"] = {"verificationMessage": _arrow(sms)}
                self.place(path, "loginWith.phone.verificationMessage")
            else:
                self.override(path, "cfnUserPool", "smsVerificationMessage", sms)
                self.override(None, "cfnUserPool", "VerificationMessageTemplate.SmsMessage", sms)
        self.props["loginWith"] = login

    def _email_message(self, login: dict[str, Any], email: dict[str, Any], base: str) -> None:
        subject, body = email.get("EmailSubject"), email.get("EmailMessage")
        if "email" in login:
            settings: dict[str, Any] = {"verificationEmailStyle": "CODE"}
            if subject:
                settings["verificationEmailSubject"] = subject
                self.place(f"{base}.EmailSubject", "loginWith.email.verificationEmailSubject")
            if body:
                settings["verificationEmailBody"] = _arrow(body)
                self.place(f"{base}.EmailMessage", "loginWith.email.verificationEmailBody")
            login["email"] = settings
            return
        if subject:
            self.override(
                f"{base}.EmailSubject", "cfnUserPool", "emailVerificationSubject", subject
            )
            self.override(None, "cfnUserPool", "VerificationMessageTemplate.EmailSubject", subject)
        if body:
            self.override(f"{base}.EmailMessage", "cfnUserPool", "emailVerificationMessage", body)
            self.override(None, "cfnUserPool", "VerificationMessageTemplate.EmailMessage", body)

    def _mfa(self, login: dict[str, Any]) -> None:
        mfa = self.pool.get("Mfa") or {}
        base = f"{UPC}.Mfa"
        mode = mfa.get("MFAMode")
        settings = mfa.get("Settings") or {}
        types = [t for t in settings.get("MfaTypes") or [] if t in MFA_TYPES]
        message = settings.get("SmsMessage")
        if mode not in MFA_MODES:  # absent, or a value the model lacks: the table says so
            return
        if mode == "OFF":
            self.props["multifactor"] = ts.Inline(mode="OFF")
            self.place(f"{base}.MFAMode", "multifactor.mode")
            for name in settings:
                self.cannot(f"{base}.Settings.{name}", "MFA is OFF, so Cognito uses no MFA types")
            return
        if "phone" in login and "SMS" not in types:
            self._mfa_on_the_pool(mode, types, message)
            return
        multifactor: dict[str, Any] = {"mode": MFA_MODES[mode]}
        if "TOTP" in types:
            multifactor["totp"] = True
        if "SMS" in types:
            multifactor["sms"] = {"smsMessage": _arrow(message)} if message else True
            if message:
                self.place(f"{base}.Settings.SmsMessage", "multifactor.sms.smsMessage")
        elif message:
            self.override(
                f"{base}.Settings.SmsMessage", "cfnUserPool", "smsAuthenticationMessage", message
            )
        self.props["multifactor"] = (
            ts.Inline(multifactor) if "sms" not in multifactor or not message else multifactor
        )
        renamed = f"{mode} is {MFA_MODES[mode]} in Gen 2" if MFA_MODES[mode] != mode else ""
        self.place(f"{base}.MFAMode", "multifactor.mode", renamed)
        if types:
            targets = ", ".join(f"multifactor.{t.lower()}" for t in types)
            self.place(f"{base}.Settings.MfaTypes", targets)

    def _mfa_on_the_pool(self, mode: str, types: list[str], message: str | None) -> None:
        """MFA set on the Cognito pool itself: Gen 2 refuses phone sign-in with MFA but no SMS
        MFA, which Cognito takes."""
        base = f"{UPC}.Mfa"
        why = "Gen 2's multifactor requires SMS MFA with phone sign-in; Cognito does not"
        self.override(f"{base}.MFAMode", "cfnUserPool", "mfaConfiguration", mode, why)
        self.override(
            f"{base}.Settings.MfaTypes",
            "cfnUserPool",
            "enabledMfas",
            [MFA_TYPES[t] for t in types],
            why,
        )
        if message:
            self.override(
                f"{base}.Settings.SmsMessage", "cfnUserPool", "smsAuthenticationMessage", message
            )

    def _recovery(self) -> None:
        fp = self.pool.get("ForgotPassword") or {}
        base = f"{UPC}.ForgotPassword"
        if fp.get("DeliveryMethod") in RECOVERY:
            self.props["accountRecovery"] = RECOVERY[fp["DeliveryMethod"]]
            self.place(
                f"{base}.DeliveryMethod",
                "accountRecovery",
                "deprecated in the API; Gen 2 calls it account recovery",
            )
        for block, members in (
            ("EmailSettings", ("EmailSubject", "EmailMessage")),
            ("SmsSettings", ("SmsMessage",)),
        ):
            for name in members:
                if (fp.get(block) or {}).get(name) is not None:
                    self.cannot(f"{base}.{block}.{name}", RESET_MESSAGE)

    def _oauth(self) -> None:
        oauth = self.pool.get("OAuth")
        if not isinstance(oauth, dict) or not oauth:
            return
        target = "loginWith.externalProviders"
        providers: dict[str, Any] = {}
        for name, settings in (oauth.get("SocialProviderSettings") or {}).items():
            if name not in PROVIDERS or not isinstance(settings, dict):
                continue
            key, prefix, members = PROVIDERS[name]
            block: dict[str, Any] = {}
            for member, prop in members.items():
                secret_name = f"{prefix}_{_snake(member)}"
                block[prop] = ts.Code(f"secret({ts.string(secret_name)})")
                path = f"{OAUTH}.SocialProviderSettings.{name}.{member}"
                self.secrets.append(Secret(secret_name, path, settings.get(member) is not None))
                self.placed[path] = Placement(
                    SECRET, RESOURCE_TS, f"{target}.{key}.{prop}", f'secret("{secret_name}")'
                )
            self._provider_details(name, key, block)
            providers[key] = block
        external: dict[str, Any] = dict(providers)
        if oauth.get("OAuthScopes"):
            external["scopes"] = [SCOPES.get(s, s) for s in oauth["OAuthScopes"]]
            scopes = set(oauth["OAuthScopes"])
            note = ""
            if scopes & {"PHONE", "EMAIL", "PROFILE"} and "OPENID" not in scopes:
                note = "Cognito grants phone, email and profile only with openid; the CDK adds it"
            self.place(f"{OAUTH}.OAuthScopes", f"{target}.scopes", note)
        external["callbackUrls"] = list(oauth.get("RedirectSignInURIs") or [])
        external["logoutUrls"] = list(oauth.get("RedirectSignOutURIs") or [])
        if "RedirectSignInURIs" in oauth:
            self.place(f"{OAUTH}.RedirectSignInURIs", f"{target}.callbackUrls")
        if "RedirectSignOutURIs" in oauth:
            self.place(f"{OAUTH}.RedirectSignOutURIs", f"{target}.logoutUrls")
        self.props["loginWith"]["externalProviders"] = external
        grant = oauth.get("OAuthGrantType")
        if grant == "CODE":
            self.place(f"{OAUTH}.OAuthGrantType", target, "Gen 2 uses the code grant")
        elif grant == "IMPLICIT":
            self.override(
                f"{OAUTH}.OAuthGrantType", "cfnUserPoolClient", "allowedOAuthFlows", ["implicit"]
            )
        if oauth.get("DomainPrefix"):
            self.domain = oauth["DomainPrefix"]
            self.placed[f"{OAUTH}.DomainPrefix"] = Placement(
                MAPPED,
                BACKEND_TS,
                "userPoolDomain.domain",
                self._unsuffixed("-", DOMAIN_UNSUFFIXED),
            )

    def _unsuffixed(self, joiner: str, why: str) -> str:
        """The note of a name Gen 1 deployed with ``joiner + env`` appended."""
        env = self.request.get("BackendEnvironmentName")
        suffix = joiner + (env if isinstance(env, str) and env else "<env>")
        return f"Gen 1 deployed it with {suffix} appended; the export leaves that off: {why}"

    def _provider_details(self, name: str, key: str, block: dict[str, Any]) -> None:
        """Gen 1's scopes and attribute mapping for one provider: into its block, and a table
        row each."""
        required = self.pool.get("RequiredSignUpAttributes")
        details = provider_details(name, required if isinstance(required, list) else None)
        member = f"{OAUTH}.SocialProviderSettings.{name}"
        target = f"loginWith.externalProviders.{key}"
        source = (
            "Gen 1's default required attribute (email; none is configured)"
            if details.defaulted
            else "RequiredSignUpAttributes"
        )
        if details.scopes:
            block["scopes"] = list(details.scopes)
            note = (
                f"the provider scopes Gen 1 requested, derived from {source} and username; "
                f"without them the CDK asks for {CDK_DEFAULT_SCOPES[name]} only"
            )
            self.derive(
                f"{member} (scopes)",
                details.authorize_scopes,
                RESOURCE_TS,
                f"{target}.scopes",
                note,
            )
        else:
            note = f"Gen 1 requested no scope: the CDK's default, {CDK_DEFAULT_SCOPES[name]}"
            self.derive(f"{member} (scopes)", "", "", "", note)
        mapping = details.gen2_mapping()
        if mapping:
            block["attributeMapping"] = mapping
        note = f"Gen 1's mapping, derived from {source} and username"
        if details.unmapped:
            note += (
                f"; {name} gives no {', '.join(details.unmapped)}: federated sign-up fails "
                "while such an attribute is required"
            )
        self.derive(
            f"{member} (attribute mapping)",
            details.describe(),
            RESOURCE_TS if mapping else "",
            f"{target}.attributeMapping" if mapping else "",
            note,
        )

    def _native_client(self) -> None:
        """Gen 1's second, native app client, re-created with the settings Gen 1 gave it."""
        oauth = self.pool.get("OAuth")
        props: dict[str, Any] = {"generateSecret": False}
        if isinstance(oauth, dict) and oauth:
            props["oAuth"] = self._native_oauth(oauth)
        else:
            props["disableOAuth"] = True
        head = f"backend.auth.resources.userPool.addClient({ts.string(NATIVE_CLIENT)}, {{"
        self.statements += [
            "",
            "// Gen 1's native app client (AppClientID), without a secret: see the table.",
            head,
            *ts.object_body(props, 1),
            "});",
        ]
        value = "generateSecret: false; " + (
            "OAuth as the web client's" if "oAuth" in props else "no OAuth"
        )
        target = f"userPool.addClient({ts.string(NATIVE_CLIENT)})"
        self.derive("AppClientID (native app client)", value, BACKEND_TS, target, NATIVE_NOTE)

    def _native_oauth(self, oauth: dict[str, Any]) -> dict[str, Any]:
        """The web client's OAuth settings, as Gen 1 gave both clients, for ``addClient``."""
        grant = GRANTS.get(oauth.get("OAuthGrantType") or "CODE", GRANTS["CODE"])
        settings: dict[str, Any] = {"flows": ts.Inline({grant: True})}
        scopes = oauth.get("OAuthScopes")
        if scopes:
            known = [s for s in scopes if isinstance(s, str) and s in CDK_SCOPES]
            settings["scopes"] = [ts.Code(f"OAuthScope.{CDK_SCOPES[s]}") for s in known]
            self.imports.append('import { OAuthScope } from "aws-cdk-lib/aws-cognito";')
        settings["callbackUrls"] = list(oauth.get("RedirectSignInURIs") or [])
        settings["logoutUrls"] = list(oauth.get("RedirectSignOutURIs") or [])
        return settings

    def _password(self) -> None:
        policy = self.pool.get("PasswordPolicy")
        if not isinstance(policy, dict) or not policy:
            return
        base = f"{UPC}.PasswordPolicy"
        constraints = set(policy.get("AdditionalConstraints") or [])
        password: dict[str, Any] = {}
        if policy.get("MinimumLength") is not None:
            password["minimumLength"] = int(policy["MinimumLength"])
            self.placed[f"{base}.MinimumLength"] = Placement(
                MAPPED, BACKEND_TS, "cfnUserPool.policies.passwordPolicy.minimumLength"
            )
        else:  # (an update may leave it out) Gen 2 outputs the length: it must have a value
            password["minimumLength"] = COGNITO_MINIMUM_LENGTH
            self.derive(
                f"{base}.MinimumLength",
                str(COGNITO_MINIMUM_LENGTH),
                BACKEND_TS,
                "cfnUserPool.policies.passwordPolicy.minimumLength",
                "not configured: Cognito's default is written, since a policy without a length "
                "leaves Gen 2's passwordPolicyMinLength output without a value, which "
                "CloudFormation refuses",
            )
        for constraint, prop in sorted(CONSTRAINTS.items(), key=lambda kv: kv[1]):
            password[prop] = constraint in constraints
        if "AdditionalConstraints" in policy:
            props = ", ".join(CONSTRAINTS[c] for c in sorted(constraints) if c in CONSTRAINTS)
            self.placed[f"{base}.AdditionalConstraints"] = Placement(
                MAPPED,
                BACKEND_TS,
                f"cfnUserPool.policies.passwordPolicy: {props}",
                "; ".join(
                    n
                    for n in ("the others are set to false", _left_out(constraints, CONSTRAINTS))
                    if n
                ),
            )
        self.override(None, "cfnUserPool", "policies", {"passwordPolicy": password})


#: The minimum password length Cognito applies when a policy gives none.
COGNITO_MINIMUM_LENGTH = 8


def _left_out(values: Any, known: Mapping[str, Any]) -> str:
    """The note on values the code cannot hold, none of Cognito's (a request let through with
    --no-validate): without it a row would say "mapped" of what the files leave out."""
    unknown = sorted({repr(v) for v in values or () if v not in known})
    return f"left out, not Cognito's: {', '.join(unknown)}" if unknown else ""


def _snake(name: str) -> str:
    from botocore import xform_name  # deferred: slow to import

    return xform_name(name).upper()


def _arrow(message: str) -> ts.Arrow:
    return ts.Arrow("createCode", ts.template_text(message, CODE_PLACEHOLDER, "createCode()"))
