"""Each rule of docs/rules.md, with its code, path and severity, on variations of one request."""

import copy

import pytest
from conftest import load_case, valid_request

from amplify_auth_widgets import validate
from amplify_auth_widgets.core.model import REDACTED
from amplify_auth_widgets.core.rules import strip_pem_armor

UPC = "ResourceConfig.UserPoolConfigs"


def upc(request):
    return request["ResourceConfig"]["UserPoolConfigs"]


def found(request, operation="CreateBackendAuth"):
    return {(f.severity, f.code, f.path) for f in validate(request, operation)}


def test_valid_request_has_no_findings():
    assert found(valid_request()) == set()


@pytest.mark.parametrize(
    ("app_id", "ok"),
    [
        ("d1", True),
        ("d" + "a" * 19, True),
        ("d" + "a" * 20, False),
        ("D1abc", False),
        ("", False),
        ("1abc", False),
        ("d12-3", False),
    ],
)
def test_app_id(app_id, ok):
    assert (("error", "amplify.app-id", "AppId") not in found(valid_request(AppId=app_id))) == ok


def test_env_name_length():
    assert ("error", "cognito.env-name", "BackendEnvironmentName") in found(
        valid_request(BackendEnvironmentName="")
    )
    assert ("error", "cognito.env-name", "BackendEnvironmentName") in found(
        valid_request(BackendEnvironmentName="e" * 256)
    )


@pytest.mark.parametrize("name", ["", "a" * 129, "bad/name", "naïve!"])
def test_user_pool_name(name):
    request = valid_request()
    upc(request)["UserPoolName"] = name
    assert ("error", "cognito.user-pool-name", f"{UPC}.UserPoolName") in found(request)


def test_identity_pool_name_and_resources():
    request = valid_request()
    request["ResourceConfig"]["IdentityPoolConfigs"]["IdentityPoolName"] = "bad#name"
    path = "ResourceConfig.IdentityPoolConfigs.IdentityPoolName"
    assert ("error", "cognito.identity-pool-name", path) in found(request)
    request = valid_request()
    request["ResourceConfig"]["AuthResources"] = "USER_POOL_ONLY"
    assert found(request) == {
        ("warning", "cognito.identity-pool-ignored", "ResourceConfig.IdentityPoolConfigs")
    }


@pytest.mark.parametrize("length", [5, 100, 8.5, 6.0000001])
def test_password_length_bad(length):
    request = valid_request()
    upc(request)["PasswordPolicy"]["MinimumLength"] = length
    path = f"{UPC}.PasswordPolicy.MinimumLength"
    assert ("error", "cognito.password-length", path) in found(request)


@pytest.mark.parametrize("length", [6, 99, 8.0])
def test_password_length_ok(length):
    request = valid_request()
    upc(request)["PasswordPolicy"]["MinimumLength"] = length
    assert found(request) == set()


def test_boolean_is_not_a_number():
    request = valid_request()
    upc(request)["PasswordPolicy"]["MinimumLength"] = True
    assert found(request) == {("error", "model.type", f"{UPC}.PasswordPolicy.MinimumLength")}


def test_domain_prefix_rules():
    bad = ["-start", "end-", "a" * 64, "has space", "my_app", "amazon-shop", "awsome"]
    for prefix in [*bad, "cognito", "my-cognito-login", "shopcognito"]:
        request = valid_request()
        upc(request)["OAuth"]["DomainPrefix"] = prefix
        assert ("error", "cognito.domain-prefix", f"{UPC}.OAuth.DomainPrefix") in found(request)
    request = valid_request()
    del upc(request)["OAuth"]["DomainPrefix"]
    assert found(request) == {("warning", "cognito.domain-missing", f"{UPC}.OAuth")}


@pytest.mark.parametrize(
    "uri",
    [
        "/relative",
        "app.example.com",
        "https://x.example.com/#frag",
        "http://example.com/",
        "https://",
        "https://a b.com/",
        "https://x.example.com/" + "a" * 1024,
        "",
    ],
)
def test_redirect_uri_bad(uri):
    request = valid_request()
    upc(request)["OAuth"]["RedirectSignOutURIs"] = [uri]
    path = f"{UPC}.OAuth.RedirectSignOutURIs[0]"
    assert ("error", "cognito.redirect-uri", path) in found(request)


@pytest.mark.parametrize(
    "uri", ["http://localhost/", "http://127.0.0.1:8080/cb", "myapp://cb", "com.example.app:/oauth"]
)
def test_redirect_uri_ok(uri):
    request = valid_request()
    upc(request)["OAuth"]["RedirectSignOutURIs"] = [uri]
    assert found(request) == set()


def test_redirect_uri_count_and_duplicates():
    request = valid_request()
    upc(request)["OAuth"]["RedirectSignInURIs"] = [f"https://e.com/{i}" for i in range(101)]
    assert ("error", "cognito.redirect-uri-count", f"{UPC}.OAuth.RedirectSignInURIs") in found(
        request
    )
    request = valid_request()
    upc(request)["OAuth"]["RedirectSignInURIs"] = [
        "https://a.com/",
        "https://b.com/",
        "https://a.com/",
    ]
    assert found(request) == {
        ("warning", "cognito.redirect-uri-duplicate", f"{UPC}.OAuth.RedirectSignInURIs[2]")
    }


def test_scope_without_openid():
    request = valid_request()
    upc(request)["OAuth"]["OAuthScopes"] = ["EMAIL", "PHONE"]
    assert found(request) == {("warning", "cognito.scope-openid", f"{UPC}.OAuth.OAuthScopes")}


def test_social_providers():
    request = valid_request()
    social = upc(request)["OAuth"]["SocialProviderSettings"]
    social["Google"]["ClientSecret"] = "  "
    social["SignInWithApple"] = {"ClientId": "com.example", "KeyId": "K1", "TeamId": ""}
    base = f"{UPC}.OAuth.SocialProviderSettings"
    assert found(request) == {
        ("error", "cognito.social-provider", f"{base}.Google.ClientSecret"),
        ("error", "cognito.social-provider", f"{base}.SignInWithApple.PrivateKey"),
        ("error", "cognito.social-provider", f"{base}.SignInWithApple.TeamId"),
    }


def test_apple_private_key_armor_and_strip():
    key = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMG\nByqGSM49\n-----END PRIVATE KEY-----\n"
    request = valid_request()
    upc(request)["OAuth"]["SocialProviderSettings"]["SignInWithApple"] = {
        "ClientId": "com.example",
        "KeyId": "K1",
        "TeamId": "T1",
        "PrivateKey": key,
    }
    path = f"{UPC}.OAuth.SocialProviderSettings.SignInWithApple.PrivateKey"
    assert found(request) == {("error", "cognito.apple-private-key", path)}
    assert strip_pem_armor(key) == "MIGTAgEAMBMGByqGSM49"
    upc(request)["OAuth"]["SocialProviderSettings"]["SignInWithApple"]["PrivateKey"] = (
        strip_pem_armor(key)
    )
    assert found(request) == set()


def test_secret_values_never_appear_in_messages():
    request = valid_request()
    google = upc(request)["OAuth"]["SocialProviderSettings"]["Google"]
    google["ClientSecret"] = " sup3r-secret-value "
    google["ClientId"] = 42
    for finding in validate(request):
        assert "sup3r-secret-value" not in finding.message
    google["ClientSecret"] = ["sup3r-secret-value"]
    for finding in validate(request):
        assert "sup3r-secret-value" not in finding.message


def test_redacted_secret_is_refused():
    request = valid_request()
    upc(request)["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"] = REDACTED
    path = f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret"
    assert found(request) == {("error", "cognito.social-provider", path)}


def test_mfa_rules():
    request = valid_request()
    upc(request)["Mfa"] = {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": []}}
    assert found(request) == {("error", "cognito.mfa-types", f"{UPC}.Mfa.Settings.MfaTypes")}
    upc(request)["Mfa"] = {"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS"]}}
    assert found(request) == {
        ("warning", "cognito.mfa-sms-phone", f"{UPC}.RequiredSignUpAttributes")
    }
    upc(request)["RequiredSignUpAttributes"].append("PHONE_NUMBER")
    assert found(request) == set()
    upc(request)["Mfa"] = {"MFAMode": "OFF"}
    assert found(request) == set()


def test_messages():
    request = valid_request()
    upc(request)["Mfa"]["Settings"]["SmsMessage"] = "code {####}" + "x" * 140
    upc(request)["VerificationMessage"]["EmailSettings"] = {
        "EmailSubject": "",
        "EmailMessage": "no code here",
    }
    assert found(request) == {
        ("error", "cognito.sms-message", f"{UPC}.Mfa.Settings.SmsMessage"),
        ("error", "cognito.email-subject", f"{UPC}.VerificationMessage.EmailSettings.EmailSubject"),
        ("error", "cognito.email-message", f"{UPC}.VerificationMessage.EmailSettings.EmailMessage"),
    }


def test_delivery_settings():
    request = valid_request()
    upc(request)["VerificationMessage"] = {"DeliveryMethod": "SMS"}
    assert found(request) == {
        ("warning", "cognito.delivery-settings", f"{UPC}.VerificationMessage")
    }


@pytest.mark.parametrize(
    ("method", "attributes", "warned"),
    [
        ("EMAIL", ["NAME"], True),
        ("PHONE_NUMBER", ["EMAIL"], True),
        ("EMAIL_AND_PHONE_NUMBER", ["EMAIL"], True),
        ("EMAIL_AND_PHONE_NUMBER", ["EMAIL", "PHONE_NUMBER"], False),
        ("USERNAME", [], False),
    ],
)
def test_sign_in_attribute(method, attributes, warned):
    request = valid_request()
    upc(request)["SignInMethod"] = method
    upc(request)["RequiredSignUpAttributes"] = attributes
    finding = ("warning", "cognito.sign-in-attribute", f"{UPC}.RequiredSignUpAttributes")
    assert (finding in found(request)) == warned


def test_whitespace_is_reported_not_changed():
    request = valid_request(ResourceName=" mainauth ")
    upc(request)["UserPoolName"] = "main users "
    before = copy.deepcopy(request)
    assert found(request) == {
        ("warning", "input.whitespace", "ResourceName"),
        ("warning", "input.whitespace", f"{UPC}.UserPoolName"),
    }
    assert request == before
    request = valid_request(AppId=" d123")  # already an error: no second finding
    assert found(request) == {("error", "amplify.app-id", "AppId")}


def test_model_errors_all_collected():
    request = valid_request(Extra=1)
    rc = request["ResourceConfig"]
    rc["Service"] = "AUTH0"
    rc["IdentityPoolConfigs"]["UnauthenticatedLogin"] = "no"
    del upc(request)["SignInMethod"]
    upc(request)["RequiredSignUpAttributes"] = "EMAIL"
    assert found(request) == {
        ("error", "model.unknown", "Extra"),
        ("error", "model.enum", "ResourceConfig.Service"),
        ("error", "model.type", "ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin"),
        ("error", "model.required", f"{UPC}.SignInMethod"),
        ("error", "model.type", f"{UPC}.RequiredSignUpAttributes"),
    }


@pytest.mark.parametrize("bad", [None, [], "text", 3, {"ResourceConfig": None}])
def test_anything_gives_findings_not_exceptions(bad):
    findings = validate(bad)
    assert findings and all(f.severity == "error" for f in findings)


def test_update_skips_whole_configuration_rules():
    request = load_case("update-valid-partial")["request"]
    request["ResourceConfig"]["AuthResources"] = "IDENTITY_POOL_AND_USER_POOL"
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"] = {"OAuthGrantType": "CODE"}
    assert found(request, "UpdateBackendAuth") == set()
    request["ResourceConfig"]["UserPoolConfigs"]["Mfa"] = {"MFAMode": "ON"}
    assert ("error", "cognito.mfa-types", f"{UPC}.Mfa.Settings.MfaTypes") in found(
        request, "UpdateBackendAuth"
    )


@pytest.mark.parametrize("path", ["AppId", f"{UPC}.PasswordPolicy.MinimumLength"])
def test_a_huge_integer_anywhere_gives_findings_not_an_exception(path):
    request = valid_request(AppId="d1abc", BackendEnvironmentName="dev")
    parent, _, name = path.rpartition(".")
    node = request
    for step in filter(None, parent.split(".")):
        node = node[step]
    node[name] = 10**4000
    found = [f for f in validate(request) if f.path == path]
    assert found and all(f.is_error and len(f.message) < 300 for f in found)
