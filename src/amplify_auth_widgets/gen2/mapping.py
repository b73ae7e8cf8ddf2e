"""The mapping from a Gen 1 backend auth configuration to Gen 2 code, member by member.

``Mapper`` reads a request's ``ResourceConfig`` and builds the ``defineAuth`` props (plain data
for ``gen2_code``), the overrides ``amplify/backend.ts`` sets on the Cognito resources that
``defineAuth`` creates, and the secrets; for every member it places it records a ``Placement``
(file and property path) or, in words, why it cannot go. ``gen2.export`` walks the model to
list every configured member, so a member this module does not place shows as "not mapped".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.model import UPC
from ..core.rules import CODE_PLACEHOLDER
from . import typescript as ts

RESOURCE_TS = "amplify/auth/resource.ts"
BACKEND_TS = "amplify/backend.ts"
OAUTH = f"{UPC}.OAuth"

#: Status of a configured member in the mapping table.
MAPPED, SECRET, SOURCE, UNSUPPORTED, NOT_MAPPED = (
    "mapped",
    "secret",
    "source",
    "not supported",
    "not mapped",
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

    def place(self, path: str, target: str, note: str = "", status: str = MAPPED) -> None:
        self.placed[path] = Placement(status, RESOURCE_TS, target, note)

    def override(self, path: str | None, obj: str, prop: str, value: Any, note: str = "") -> None:
        self.overrides.append((obj, prop, value))
        if path:
            self.placed[path] = Placement(MAPPED, BACKEND_TS, f"{obj}.{prop}", note)

    def cannot(self, path: str, why: str) -> None:
        self.placed[path] = Placement(UNSUPPORTED, "", "", why)

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

    # identity pool and names
    def _resources(self) -> None:
        c = self.config
        if "UserPoolName" in self.pool:
            self.override(
                f"{UPC}.UserPoolName", "cfnUserPool", "userPoolName", self.pool["UserPoolName"]
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
            note = ""
            if loosened:
                note = (
                    f"Gen 2 makes {' and '.join(loosened)} required for sign-in; not so here, "
                    "as in the source"
                )
            self.place(path, "userAttributes." + ", ".join(ATTRIBUTES[a] for a in required), note)

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
                MAPPED, BACKEND_TS, "userPoolDomain.domain", "Gen 2 would pick a prefix"
            )

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
        for constraint, prop in sorted(CONSTRAINTS.items(), key=lambda kv: kv[1]):
            password[prop] = constraint in constraints
        if "AdditionalConstraints" in policy:
            props = ", ".join(CONSTRAINTS[c] for c in sorted(constraints) if c in CONSTRAINTS)
            self.placed[f"{base}.AdditionalConstraints"] = Placement(
                MAPPED,
                BACKEND_TS,
                f"cfnUserPool.policies.passwordPolicy: {props}",
                "the others are set to false",
            )
        self.override(None, "cfnUserPool", "policies", {"passwordPolicy": password})


def _snake(name: str) -> str:
    from botocore import xform_name  # deferred: slow to import

    return xform_name(name).upper()


def _arrow(message: str) -> ts.Arrow:
    return ts.Arrow("createCode", ts.template_text(message, CODE_PLACEHOLDER, "createCode()"))
