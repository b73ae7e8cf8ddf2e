"""Gen 2 exports checked by the real Gen 2 toolchain: type-checked with ``tsc --noEmit``,
formatted as Prettier formats, and synthesized offline with the AWS CDK into CloudFormation,
whose Cognito resources must carry the original settings.

The toolchain is the one pinned in tests/gen2 (``make gen2-toolchain``, part of ``make test``).
Work is batched to keep CI short: one tsc run and one Prettier run over all projects, several
projects synthesized per process. CI checks the valid corpus plus a representative sample and a
few generated configurations; ``make test-full`` (GEN2_FULL=1) checks many more.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from conftest import CORPUS, valid_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import toolchain

from amplify_auth_widgets import gen2, validate
from amplify_auth_widgets.core.findings import errors

FULL = os.environ.get("GEN2_FULL") == "1"
pytestmark = [
    pytest.mark.skipif(
        not toolchain.installed(),
        reason="the Gen 2 toolchain is not installed: run `make gen2-toolchain` (make test does)",
    ),
    # tsc, Prettier and a CDK synthesis over a batch of projects take a minute or two, and
    # the full run checks eight batches in one test
    pytest.mark.timeout(3600 if FULL else 900),
]

# -- what the template must say, derived from the configuration alone ----------------------

COGNITO_ATTRIBUTE = {"ZONE_INFO": "zoneinfo"}
USERNAME_ATTRIBUTES = {
    "EMAIL": ["email"],
    "PHONE_NUMBER": ["phone_number"],
    "EMAIL_AND_PHONE_NUMBER": ["email", "phone_number"],
    "USERNAME": [],
}
SCOPE = {"AWS_COGNITO_SIGNIN_USER_ADMIN": "aws.cognito.signin.user.admin"}
PROVIDER = {
    "Google": ("Google", "client_id"),
    "Facebook": ("Facebook", "client_id"),
    "LoginWithAmazon": ("LoginWithAmazon", "client_id"),
    "SignInWithApple": ("SignInWithApple", "client_id"),
}


def one(template, kind):
    found = toolchain.resources(template, kind)
    assert len(found) == 1, (kind, found)
    return found[0]


def web_client(template: dict) -> dict:
    """Gen 2's own app client: not the native one the export adds (test_gen2_providers)."""
    found = [
        r.get("Properties", {})
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::Cognito::UserPoolClient" and "NativeAppClient" not in name
    ]
    assert len(found) == 1, found
    return found[0]


def check_template(request: dict, template: dict) -> None:
    config = request["ResourceConfig"]
    pool_config = config.get("UserPoolConfigs") or {}
    pool = one(template, "UserPool")
    client = web_client(template)
    identity = one(template, "IdentityPool")
    if "UserPoolName" in pool_config:
        assert pool["UserPoolName"] == pool_config["UserPoolName"]
    policy = pool_config.get("PasswordPolicy")
    if policy:
        got = pool["Policies"]["PasswordPolicy"]
        constraints = set(policy.get("AdditionalConstraints") or [])
        if "MinimumLength" in policy:
            assert got["MinimumLength"] == int(policy["MinimumLength"])
        for name, key in (
            ("REQUIRE_DIGIT", "RequireNumbers"),
            ("REQUIRE_LOWERCASE", "RequireLowercase"),
            ("REQUIRE_SYMBOL", "RequireSymbols"),
            ("REQUIRE_UPPERCASE", "RequireUppercase"),
        ):
            assert got[key] is (name in constraints), (key, got)
    mfa = pool_config.get("Mfa")
    if mfa:
        assert pool["MfaConfiguration"] == mfa["MFAMode"]
        if mfa["MFAMode"] != "OFF":
            types = (mfa.get("Settings") or {}).get("MfaTypes") or []
            expected = {"SMS": "SMS_MFA", "TOTP": "SOFTWARE_TOKEN_MFA"}
            assert sorted(pool["EnabledMfas"]) == sorted(expected[t] for t in types)
        message = (mfa.get("Settings") or {}).get("SmsMessage")
        if message and mfa["MFAMode"] != "OFF":
            assert pool["SmsAuthenticationMessage"] == message
    method = pool_config.get("SignInMethod")
    if method:
        assert sorted(pool.get("UsernameAttributes") or []) == USERNAME_ATTRIBUTES[method]
    if "RequiredSignUpAttributes" in pool_config:
        required = {a["Name"] for a in pool.get("Schema", []) if a.get("Required")}
        assert required == {
            COGNITO_ATTRIBUTE.get(a, a.lower()) for a in pool_config["RequiredSignUpAttributes"]
        }
    message = pool_config.get("VerificationMessage")
    if message:
        attribute = {"EMAIL": "email", "SMS": "phone_number"}[message["DeliveryMethod"]]
        assert attribute in pool["AutoVerifiedAttributes"]
        template_ = pool["VerificationMessageTemplate"]
        email = message.get("EmailSettings") or {}
        if email.get("EmailSubject"):
            assert template_["EmailSubject"] == email["EmailSubject"]
        if email.get("EmailMessage"):
            assert template_["EmailMessage"] == email["EmailMessage"]
        sms = (message.get("SmsSettings") or {}).get("SmsMessage")
        if sms:
            assert template_["SmsMessage"] == sms
    forgot = pool_config.get("ForgotPassword")
    if forgot:
        mechanism = {"EMAIL": "verified_email", "SMS": "verified_phone_number"}
        names = [m["Name"] for m in pool["AccountRecoverySetting"]["RecoveryMechanisms"]]
        assert names == [mechanism[forgot["DeliveryMethod"]]]
    oauth = pool_config.get("OAuth")
    if oauth:
        flow = {"CODE": "code", "IMPLICIT": "implicit"}[oauth["OAuthGrantType"]]
        assert client["AllowedOAuthFlows"] == [flow]
        scopes = {SCOPE.get(s, s.lower()) for s in oauth["OAuthScopes"]}
        if scopes & {"phone", "email", "profile"}:
            scopes.add("openid")  # Cognito grants these only with openid
        assert set(client["AllowedOAuthScopes"]) == scopes
        assert client["CallbackURLs"] == oauth["RedirectSignInURIs"]
        assert client["LogoutURLs"] == oauth["RedirectSignOutURIs"]
        if oauth.get("DomainPrefix"):
            assert one(template, "UserPoolDomain")["Domain"] == oauth["DomainPrefix"]
        providers = {
            p["ProviderName"]: p for p in toolchain.resources(template, "UserPoolIdentityProvider")
        }
        social = oauth.get("SocialProviderSettings") or {}
        assert sorted(providers) == sorted(PROVIDER[name][0] for name in social)
        for name in social:
            details = providers[PROVIDER[name][0]]["ProviderDetails"]
            # a reference resolved at deploy time, never the value itself
            assert "Fn::GetAtt" in details[PROVIDER[name][1]], details
    if config.get("AuthResources") == "USER_POOL_ONLY":
        assert identity["AllowUnauthenticatedIdentities"] is False
    else:
        identity_config = config.get("IdentityPoolConfigs") or {}
        if "UnauthenticatedLogin" in identity_config:
            assert (
                identity["AllowUnauthenticatedIdentities"]
                is identity_config["UnauthenticatedLogin"]
            )
        if "IdentityPoolName" in identity_config:
            assert identity["IdentityPoolName"] == identity_config["IdentityPoolName"]


def secret_values(request: dict) -> list[str]:
    social = (request["ResourceConfig"].get("UserPoolConfigs", {}).get("OAuth", {}) or {}).get(
        "SocialProviderSettings"
    ) or {}
    return [
        v
        for provider in social.values()
        for k, v in provider.items()
        if k in ("ClientSecret", "PrivateKey") and v
    ]


def check_batch(root: Path, cases: dict[str, tuple[dict, str]]) -> None:
    """Export, type-check, Prettier-check and synthesize every case; check each template."""
    exports = {
        name: gen2.export(request, operation) for name, (request, operation) in cases.items()
    }
    folders = toolchain.checked(root, exports)
    for folder in folders:
        request = cases[folder.name][0]
        check_template(request, toolchain.auth_template(folder))
        for template in (folder / "cdk.out").glob("*.template.json"):  # CloudFormation
            outputs = json.loads(template.read_text()).get("Outputs", {})  # refuses an
            assert all("Value" in o for o in outputs.values()), (
                template.name,
                outputs,
            )  # empty one
        synthesized = "".join(p.read_text() for p in (folder / "cdk.out").glob("*.json"))
        for value in secret_values(request):
            assert value not in synthesized
            assert value not in "".join(exports[folder.name].files.values())


# -- the cases -------------------------------------------------------------------------------

VALID = {
    p.stem: (case["request"], case["operation"])
    for p in CORPUS
    if not (case := json.loads(p.read_text()))["errors"]
}


def _sample() -> dict[str, tuple[dict, str]]:
    """Configurations that take every other route of the mapping."""
    username = valid_request()
    pool = username["ResourceConfig"]["UserPoolConfigs"]
    pool.update(
        SignInMethod="USERNAME",
        RequiredSignUpAttributes=["PHONE_NUMBER", "ZONE_INFO", "PICTURE"],
        VerificationMessage={
            "DeliveryMethod": "SMS",
            "SmsSettings": {"SmsMessage": "Code: {####}"},
        },
        Mfa={"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS"], "SmsMessage": "MFA {####}"}},
        ForgotPassword={"DeliveryMethod": "SMS", "SmsSettings": {"SmsMessage": "Reset {####}"}},
    )
    pool["PasswordPolicy"] = {"MinimumLength": 6}
    oauth = pool["OAuth"]
    oauth.update(OAuthGrantType="IMPLICIT", OAuthScopes=["PHONE", "AWS_COGNITO_SIGNIN_USER_ADMIN"])
    oauth["SocialProviderSettings"] = {
        "Facebook": {"ClientId": "fb-id", "ClientSecret": "fb-secret-value"},
        "LoginWithAmazon": {"ClientId": "amzn-id", "ClientSecret": "amzn-secret-value"},
        "SignInWithApple": {
            "ClientId": "com.example",
            "KeyId": "K1",
            "TeamId": "T1",
            "PrivateKey": "apple-key-value",
        },
    }
    username["ResourceConfig"]["IdentityPoolConfigs"]["UnauthenticatedLogin"] = True
    phone = valid_request()
    phone["ResourceConfig"] = {
        "AuthResources": "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": {
            "UserPoolName": "phone users",
            "SignInMethod": "PHONE_NUMBER",
            "RequiredSignUpAttributes": ["PHONE_NUMBER", "EMAIL", "GIVEN_NAME"],
            "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP"]}},
            "VerificationMessage": {
                "DeliveryMethod": "EMAIL",
                "EmailSettings": {"EmailSubject": "Hi", "EmailMessage": "Use `{####}` now"},
            },
        },
    }
    both = valid_request()
    both_pool = both["ResourceConfig"]["UserPoolConfigs"]
    both_pool.update(
        SignInMethod="EMAIL_AND_PHONE_NUMBER",
        RequiredSignUpAttributes=["EMAIL", "PHONE_NUMBER"],
        Mfa={"MFAMode": "OFF", "Settings": {"MfaTypes": ["TOTP"]}},
        PasswordPolicy={
            "MinimumLength": 99,
            "AdditionalConstraints": [
                "REQUIRE_DIGIT",
                "REQUIRE_LOWERCASE",
                "REQUIRE_SYMBOL",
                "REQUIRE_UPPERCASE",
            ],
        },
    )
    del both_pool["OAuth"]["SocialProviderSettings"]
    long = valid_request()
    long_pool = long["ResourceConfig"]["UserPoolConfigs"]
    long_pool["UserPoolName"] = "a very long user pool name " * 4
    long_pool["VerificationMessage"]["EmailSettings"] = {
        "EmailSubject": "A subject that runs well past the width Prettier allows" * 2,
        "EmailMessage": "Hello, here is the code you asked for: {####}. " * 3,
    }
    long_pool["OAuth"]["DomainPrefix"] = "a" + "-long-prefix" * 5 + "z"
    long_pool["OAuth"]["RedirectSignInURIs"] = [
        "https://a-very-long-host-name.example.com/and/a/long/path/to/the/callback/page/",
        "myapp://callback",
    ]
    cases = {
        "username-sms": username,
        "phone-totp": phone,
        "email-and-phone": both,
        "long-values": long,
    }
    for name, request in cases.items():
        assert not errors(validate(request)), (name, validate(request))
    update = valid_request()  # an update's policy may leave the length out
    update["ResourceConfig"] = {
        "AuthResources": "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": {"PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_DIGIT"]}},
    }
    assert not errors(validate(update, "UpdateBackendAuth"))
    return {name: (request, "CreateBackendAuth") for name, request in cases.items()} | {
        "update-policy-without-length": (update, "UpdateBackendAuth")
    }


def test_corpus_and_sample_pass_the_gen2_toolchain(tmp_path):
    check_batch(tmp_path, {**VALID, **_sample()})


# -- configurations generated from the model -------------------------------------------------

NAME = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
MESSAGE = st.from_regex(r"[A-Za-z ,.!'\"`$]{0,20}", fullmatch=True).map(lambda s: s + "{####}")
URI = st.sampled_from(
    ["https://app.example.com/", "myapp://", "http://localhost:3000/cb", "https://x.io/a?b=1"]
)
PREFIX = st.from_regex(r"[a-z][a-z0-9-]{2,20}[a-z0-9]", fullmatch=True).filter(
    lambda p: not any(w in p for w in ("aws", "amazon", "cognito"))
)


def _enum(spec_path: str):
    from amplify_auth_widgets.core.model import request_spec

    return request_spec("CreateBackendAuth").find(spec_path).enum


@st.composite
def configurations(draw) -> dict:
    """A valid CreateBackendAuth request, its choices drawn from the model's enums."""
    upc = "ResourceConfig.UserPoolConfigs"
    pool: dict = {
        "UserPoolName": draw(NAME),
        "SignInMethod": draw(st.sampled_from(_enum(f"{upc}.SignInMethod"))),
        "RequiredSignUpAttributes": draw(
            st.lists(st.sampled_from(_enum(f"{upc}.RequiredSignUpAttributes[]")), unique=True)
        ),
    }
    if draw(st.booleans()):
        pool["PasswordPolicy"] = {
            "MinimumLength": draw(st.integers(6, 99)),
            "AdditionalConstraints": draw(
                st.lists(
                    st.sampled_from(_enum(f"{upc}.PasswordPolicy.AdditionalConstraints[]")),
                    unique=True,
                )
            ),
        }
    if draw(st.booleans()):
        mode = draw(st.sampled_from(_enum(f"{upc}.Mfa.MFAMode")))
        types = draw(st.lists(st.sampled_from(("SMS", "TOTP")), unique=True, min_size=1))
        settings_: dict = {"MfaTypes": types}
        if draw(st.booleans()):
            settings_["SmsMessage"] = draw(MESSAGE)
        pool["Mfa"] = {"MFAMode": mode, "Settings": settings_}
    if draw(st.booleans()):
        delivery = draw(st.sampled_from(("EMAIL", "SMS")))
        message: dict = {"DeliveryMethod": delivery}
        if delivery == "EMAIL":
            message["EmailSettings"] = {"EmailSubject": draw(NAME), "EmailMessage": draw(MESSAGE)}
        else:
            message["SmsSettings"] = {"SmsMessage": draw(MESSAGE)}
        pool["VerificationMessage"] = message
    if draw(st.booleans()):
        pool["ForgotPassword"] = {"DeliveryMethod": draw(st.sampled_from(("EMAIL", "SMS")))}
    if draw(st.booleans()):
        oauth: dict = {
            "OAuthGrantType": draw(st.sampled_from(_enum(f"{upc}.OAuth.OAuthGrantType"))),
            "OAuthScopes": draw(
                st.lists(
                    st.sampled_from(_enum(f"{upc}.OAuth.OAuthScopes[]")), unique=True, min_size=1
                )
            ),
            "RedirectSignInURIs": draw(st.lists(URI, unique=True, min_size=1, max_size=3)),
            "RedirectSignOutURIs": draw(st.lists(URI, unique=True, min_size=1, max_size=3)),
        }
        if draw(st.booleans()):
            oauth["DomainPrefix"] = draw(PREFIX)
        social = {}
        for name in draw(st.lists(st.sampled_from(list(PROVIDER)), unique=True)):
            if name == "SignInWithApple":
                social[name] = {
                    "ClientId": "id",
                    "KeyId": "k",
                    "TeamId": "t",
                    "PrivateKey": "pk-value",
                }
            else:
                social[name] = {"ClientId": f"{name}-id", "ClientSecret": f"{name}-secret-value"}
        if social:
            oauth["SocialProviderSettings"] = social
        pool["OAuth"] = oauth
    resources = draw(st.sampled_from(_enum("ResourceConfig.AuthResources")))
    config: dict = {"AuthResources": resources, "Service": "COGNITO", "UserPoolConfigs": pool}
    if resources == "IDENTITY_POOL_AND_USER_POOL":
        config["IdentityPoolConfigs"] = {
            "IdentityPoolName": draw(NAME),
            "UnauthenticatedLogin": draw(st.booleans()),
        }
    request = {
        "AppId": "d1a2b3c4d5e6f7",
        "BackendEnvironmentName": "dev",
        "ResourceName": "auth1",
        "ResourceConfig": config,
    }
    return copy.deepcopy(request)


@settings(
    max_examples=8 if FULL else 1,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=st.lists(configurations(), min_size=4, max_size=4))
def test_generated_configurations_keep_their_settings(tmp_path_factory, batch):
    batch = [r for r in batch if not errors(validate(r))]
    root = tmp_path_factory.mktemp("gen2-generated")
    check_batch(root, {f"c{i}": (r, "CreateBackendAuth") for i, r in enumerate(batch)})
