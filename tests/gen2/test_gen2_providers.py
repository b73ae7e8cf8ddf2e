"""What AWS's Gen 1 to Gen 2 generator keeps and the export keeps too: each social provider's
attribute mapping and scopes, derived as Gen 1 derives them from the required sign-up
attributes (amplify-cli's ``attributeProviderMap``), and the second, native app client every
Gen 1 auth resource has. Also which names keep Gen 1's ``-<env>`` suffix (none).

Python-level first (the derivation against values worked out by hand from amplify-cli's code,
the code and the table), then hostile values (in Node, through the stub of support.gen2_eval),
then one batch through tsc, Prettier and a CDK synthesis: the CloudFormation must carry it all.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import load_case, valid_request
from support import toolchain
from support.gen2_eval import evaluate

from amplify_auth_widgets import gen2
from amplify_auth_widgets.gen2.mapping import (
    ATTRIBUTE_PROVIDER_MAP,
    CDK_DEFAULT_SCOPES,
    DERIVED,
    NATIVE_CLIENT,
    provider_details,
)

UPC = "ResourceConfig.UserPoolConfigs"
SOCIAL = f"{UPC}.OAuth.SocialProviderSettings"
CREDENTIALS = {
    "Google": {"ClientId": "g-id", "ClientSecret": "g-secret-value"},
    "Facebook": {"ClientId": "fb-id", "ClientSecret": "fb-secret-value"},
    "LoginWithAmazon": {"ClientId": "amzn-id", "ClientSecret": "amzn-secret-value"},
    "SignInWithApple": {
        "ClientId": "com.example",
        "KeyId": "K1",
        "TeamId": "T1",
        "PrivateKey": "apple-key-value",
    },
}


def with_providers(names: list[str], required: list[str] | None, **pool: Any) -> dict:
    """The full valid request with these social providers and required attributes (None:
    the member left out), and other user pool members changed."""
    request = valid_request()
    upc = request["ResourceConfig"]["UserPoolConfigs"]
    upc["OAuth"]["SocialProviderSettings"] = {n: dict(CREDENTIALS[n]) for n in names}
    if required is None:
        del upc["RequiredSignUpAttributes"]
    else:
        upc["RequiredSignUpAttributes"] = required
    upc.update(pool)
    return request


def table(export: gen2.Gen2Export) -> Any:
    return export.frame().set_index("member")


# -- Gen 1's derivation ----------------------------------------------------------------------

#: (provider, RequiredSignUpAttributes) -> (AttributeMapping, authorize_scopes), worked out by
#: hand from amplify-cli's userPoolProviders and attributeProviderMap.
GEN1 = {
    ("Google", ("EMAIL",)): ({"email": "email", "username": "sub"}, "openid email profile"),
    ("Google", ()): ({"username": "sub"}, "openid profile"),
    ("Google", ("NAME", "PHONE_NUMBER", "ZONE_INFO")): (
        {"name": "name", "phone_number": "phoneNumbers", "username": "sub"},
        "openid profile",
    ),
    ("Google", ("PICTURE", "EMAIL", "EMAIL")): (
        {"picture": "picture", "email": "email", "username": "sub"},
        "openid profile email",
    ),
    ("Facebook", ("EMAIL",)): ({"email": "email", "username": "id"}, "email,public_profile"),
    ("Facebook", ("GIVEN_NAME", "FAMILY_NAME", "BIRTHDATE", "UPDATED_AT")): (
        {
            "given_name": "first_name",
            "family_name": "last_name",
            "birthdate": "birthday",
            "updated_at": "updated_at",
            "username": "id",
        },
        "public_profile",
    ),
    ("LoginWithAmazon", ("EMAIL", "LOCALE")): (
        {"email": "email", "locale": "postal_code", "username": "user_id"},
        "profile postal_code profile:user_id",
    ),
    ("LoginWithAmazon", ("NICKNAME",)): ({"username": "user_id"}, "profile:user_id"),
    ("SignInWithApple", ("EMAIL", "NAME")): ({"email": "email", "name": "name"}, "email name"),
    ("SignInWithApple", ("GIVEN_NAME", "FAMILY_NAME")): (
        {"given_name": "firstName", "family_name": "lastName"},
        "name",
    ),
    ("SignInWithApple", ("PHONE_NUMBER",)): ({}, ""),
}


@pytest.mark.parametrize("case", list(GEN1), ids=lambda c: f"{c[0]}-{'-'.join(c[1]) or 'none'}")
def test_each_provider_gets_gen1s_mapping_and_scopes(case):
    provider, required = case
    details = provider_details(provider, list(required))
    mapping, scopes = GEN1[case]
    assert details.attribute_mapping == mapping
    assert list(details.attribute_mapping) == list(mapping)  # Gen 1's order
    assert details.authorize_scopes == scopes
    assert not details.defaulted


def test_no_required_attributes_given_is_gen1s_default_email():
    for provider in CREDENTIALS:
        details, email = provider_details(provider, None), provider_details(provider, ["EMAIL"])
        assert details.defaulted and not email.defaulted
        assert (details.attribute_mapping, details.scopes) == (
            email.attribute_mapping,
            email.scopes,
        )
    assert provider_details("Google", None).authorize_scopes == "openid email profile"


def test_attributes_a_provider_does_not_give_are_named():
    assert provider_details("Facebook", ["PHONE_NUMBER", "EMAIL"]).unmapped == ("phone_number",)
    assert provider_details("SignInWithApple", ["ZONE_INFO", "ZONE_INFO"]).unmapped == ("zoneinfo",)
    assert provider_details("Google", ["EMAIL", "NAME"]).unmapped == ()


def test_the_table_is_gen1s_own_data():
    """Spot checks of the copy against amplify-cli's string-maps.js."""
    assert ATTRIBUTE_PROVIDER_MAP["username"]["LoginWithAmazon"] == ("user_id", "profile:user_id")
    assert ATTRIBUTE_PROVIDER_MAP["given_name"]["SignInWithApple"] == ("firstName", "name")
    assert ATTRIBUTE_PROVIDER_MAP["birthdate"]["Google"] == ("birthdays", "profile")
    assert "address" not in ATTRIBUTE_PROVIDER_MAP  # no provider gives it in Gen 1
    for providers in ATTRIBUTE_PROVIDER_MAP.values():
        assert set(providers) <= set(CREDENTIALS)


def test_gen2_keys_and_username_under_custom():
    details = provider_details("Google", ["NAME", "PICTURE", "EMAIL"])
    assert details.gen2_mapping() == {
        "fullname": "name",
        "profilePicture": "picture",
        "email": "email",
        "custom": {"username": "sub"},
    }
    facebook = provider_details("Facebook", ["UPDATED_AT", "MIDDLE_NAME"])
    assert facebook.gen2_mapping() == {
        "lastUpdateTime": "updated_at",
        "middleName": "middle_name",
        "custom": {"username": "id"},
    }


# -- the code and the table ------------------------------------------------------------------


def test_resource_ts_carries_the_scopes_and_the_mapping():
    export = gen2.export(valid_request())  # Google, EMAIL and NAME required
    resource = export.files["amplify/auth/resource.ts"]
    block = resource.split("google: {", 1)[1].split("\n      },\n", 1)[0]
    assert block.splitlines()[1:] == [
        '        clientId: secret("GOOGLE_CLIENT_ID"),',
        '        clientSecret: secret("GOOGLE_CLIENT_SECRET"),',
        '        scopes: ["openid", "email", "profile"],',
        "        attributeMapping: {",
        '          email: "email",',
        '          fullname: "name",',
        "          custom: {",
        '            username: "sub",',
        "          },",
        "        },",
    ]


def test_the_table_shows_each_providers_scopes_and_mapping():
    request = with_providers(["Facebook", "SignInWithApple"], ["PHONE_NUMBER", "GIVEN_NAME"])
    rows = table(gen2.export(request))
    scopes = rows.loc[f"{SOCIAL}.Facebook (scopes)"]
    assert (scopes["value"], scopes["status"], scopes["file"]) == (
        "public_profile",
        DERIVED,
        "amplify/auth/resource.ts",
    )
    assert scopes["target"] == "loginWith.externalProviders.facebook.scopes"
    assert "CDK asks for public_profile only" in scopes["note"]
    mapping = rows.loc[f"{SOCIAL}.Facebook (attribute mapping)"]
    assert mapping["value"] == "given_name=first_name, username=id"
    assert mapping["target"] == "loginWith.externalProviders.facebook.attributeMapping"
    assert "Facebook gives no phone_number: federated sign-up fails" in mapping["note"]
    apple = rows.loc[f"{SOCIAL}.SignInWithApple (scopes)"]
    assert apple["value"] == "name" and "RequiredSignUpAttributes" in apple["note"]


def test_without_required_attributes_the_table_says_gen1s_default_applied():
    rows = table(gen2.export(with_providers(["Google"], None)))
    note = rows.loc[f"{SOCIAL}.Google (scopes)", "note"]
    assert "Gen 1's default required attribute (email; none is configured)" in note
    assert rows.loc[f"{SOCIAL}.Google (scopes)", "value"] == "openid email profile"


def test_a_provider_with_nothing_to_map_leaves_the_cdk_defaults_and_says_so():
    request = with_providers(["SignInWithApple"], ["PHONE_NUMBER"])
    export = gen2.export(request)
    apple = export.files["amplify/auth/resource.ts"].split("signInWithApple: {", 1)[1]
    apple = apple.split("},", 1)[0]
    assert "scopes" not in apple and "attributeMapping" not in apple
    rows = table(export)
    assert "the CDK's default, name" in rows.loc[f"{SOCIAL}.SignInWithApple (scopes)", "note"]
    mapping = rows.loc[f"{SOCIAL}.SignInWithApple (attribute mapping)"]
    assert (mapping["value"], mapping["target"]) == ("", "")


def test_phone_sign_in_maps_email_gen2_would_not():
    """Gen 2 maps email by itself only with email sign-in; Gen 1's mapping has it whenever
    email is required, which is the case federated sign-up failed on."""
    request = with_providers(["Google"], ["EMAIL", "PHONE_NUMBER"], SignInMethod="PHONE_NUMBER")
    resource = gen2.export(request).files["amplify/auth/resource.ts"]
    assert "phone: true" in resource or "phone: {" in resource
    assert '          email: "email",\n          phoneNumber: "phoneNumbers",' in resource


def test_derived_rows_come_after_the_members_and_are_no_members():
    export = gen2.export(valid_request())
    statuses = [r["status"] for r in export.rows]
    first = statuses.index(DERIVED)
    assert set(statuses[first:]) == {DERIVED}
    assert [r["member"] for r in export.rows[first:]] == [
        f"{SOCIAL}.Google (scopes)",
        f"{SOCIAL}.Google (attribute mapping)",
        "AppClientID (native app client)",
    ]
    assert export.unmapped() == []


# -- the native app client -------------------------------------------------------------------


def native_block(backend: str) -> list[str]:
    start = backend.index(f'backend.auth.resources.userPool.addClient("{NATIVE_CLIENT}", {{')
    return backend[start:].split("});", 1)[0].splitlines()[1:]


def test_the_native_client_takes_the_web_clients_oauth_and_no_secret():
    backend = gen2.export(valid_request()).files["amplify/backend.ts"]
    assert 'import { OAuthScope } from "aws-cdk-lib/aws-cognito";' in backend
    assert native_block(backend) == [
        "  generateSecret: false,",
        "  oAuth: {",
        "    flows: { authorizationCodeGrant: true },",
        "    scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],",
        '    callbackUrls: ["https://app.example.com/", "http://localhost:3000/"],',
        '    logoutUrls: ["https://app.example.com/signout/"],',
        "  },",
    ]


def test_an_implicit_grant_and_the_admin_scope_reach_the_native_client():
    request = valid_request()
    oauth = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]
    oauth.update(OAuthGrantType="IMPLICIT", OAuthScopes=["PHONE", "AWS_COGNITO_SIGNIN_USER_ADMIN"])
    block = native_block(gen2.export(request).files["amplify/backend.ts"])
    assert "    flows: { implicitCodeGrant: true }," in block
    assert "    scopes: [OAuthScope.PHONE, OAuthScope.COGNITO_ADMIN]," in block


def test_without_oauth_the_native_client_has_none_and_nothing_is_imported():
    case = load_case("valid-minimal-user-pool-only")
    export = gen2.export(case["request"], case["operation"])
    backend = export.files["amplify/backend.ts"]
    assert native_block(backend) == ["  generateSecret: false,", "  disableOAuth: true,"]
    assert "OAuthScope" not in backend
    row = table(export).loc["AppClientID (native app client)"]
    assert row["value"] == "generateSecret: false; no OAuth"
    assert row["status"] == DERIVED and row["file"] == "amplify/backend.ts"
    assert "generateSecret: true" in row["note"] and "never in this export" in row["note"]


def test_a_way_that_keeps_the_pool_keeps_its_native_client_too():
    """With referenceAuth the Gen 1 pool keeps both its clients: nothing is re-created."""
    ways = pytest.importorskip("amplify_auth_widgets.gen2.ways")
    from support.deployed import DEPLOYED as deployed

    export = gen2.export(valid_request(), way=ways.KEEP, deployed=deployed)
    assert "addClient" not in export.text()
    assert DERIVED not in {r["status"] for r in export.rows}


# -- Gen 1's -<env> suffix -------------------------------------------------------------------


def test_names_and_the_domain_leave_gen1s_env_suffix_off_and_say_so():
    export = gen2.export(valid_request())  # environment "staging"
    rows = table(export)
    backend = export.files["amplify/backend.ts"]
    assert 'cfnUserPool.userPoolName = "main-users";' in backend
    assert 'cfnIdentityPool.identityPoolName = "main_identity";' in backend
    assert '.domain = "main-app-login";' in backend
    assert "with -staging appended" in rows.loc[f"{UPC}.UserPoolName", "note"]
    identity = rows.loc["ResourceConfig.IdentityPoolConfigs.IdentityPoolName", "note"]
    assert "with __staging appended" in identity
    domain = rows.loc[f"{UPC}.OAuth.DomainPrefix", "note"]
    assert "with -staging appended" in domain and "clash with Gen 1's" in domain
    assert "oauth2/idpresponse" in domain


def test_without_an_environment_the_note_names_the_suffix_generally():
    request = valid_request()
    rows = table(gen2.export(request["ResourceConfig"]))
    assert "with -<env> appended" in rows.loc[f"{UPC}.UserPoolName", "note"]


# -- hostile values --------------------------------------------------------------------------

#: Attribute names that are no attributes: JavaScript's object keys, and near misses.
JUNK = ["__proto__", "constructor", "toString", "EMAIL\u2028", "email", " NAME", "hasOwnProperty"]
#: Text that ends a string, a template or a line, as redirect URIs of the native client.
URIS = [
    '"; globalThis.PWNED_QUOTE = 1; "',
    "`${globalThis.PWNED_TEMPLATE = 1}`",
    "line\u2028sep\r\nend\\",
    "https://app.example.com/?a=1&b='2'",
]


def test_unknown_required_attributes_add_nothing():
    request = with_providers(["Google", "Facebook"], [*JUNK, "NAME"])
    export = gen2.export(request)
    assert provider_details("Google", [*JUNK, "NAME"]) == provider_details("Google", ["NAME"])
    rows = table(export)
    assert rows.loc[f"{SOCIAL}.Google (attribute mapping)", "value"] == "name=name, username=sub"
    resource = export.files["amplify/auth/resource.ts"]
    for junk in ("__proto__", "constructor", "toString", "hasOwnProperty"):
        assert junk not in resource
    assert all(len(line) <= 80 for line in resource.splitlines())


@pytest.mark.skipif(not toolchain.installed(), reason="the Gen 2 toolchain is not installed")
def test_hostile_redirect_uris_reach_the_native_client_as_written(tmp_path):
    files, entry = {}, {}
    for i, uri in enumerate(URIS):
        request = with_providers(["Google"], [*JUNK, "EMAIL"])
        oauth = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]
        oauth.update(RedirectSignInURIs=[uri, "myapp://"], RedirectSignOutURIs=[uri])
        files[f"c{i}"] = gen2.export(request).files
        entry[f"c{i}"] = "amplify/backend.ts"
    results = evaluate(tmp_path, files, entry)
    for i, uri in enumerate(URIS):
        result = results[f"c{i}"]
        assert result["error"] is None and result["planted"] == [], result
        (client,) = result["backend"]["clients"]
        assert client["id"] == NATIVE_CLIENT
        oauth = client["props"]["oAuth"]
        assert oauth["callbackUrls"] == [uri, "myapp://"]
        assert oauth["logoutUrls"] == [uri]
        assert oauth["scopes"] == [{"scope": s} for s in ("OPENID", "EMAIL", "PROFILE")]
        assert client["props"]["generateSecret"] is False
        google = result["auth"]["loginWith"]["externalProviders"]["google"]
        assert google["attributeMapping"] == {"email": "email", "custom": {"username": "sub"}}


# -- the toolchain: tsc, Prettier, the CDK ---------------------------------------------------


def _batch() -> dict[str, dict]:
    """Configurations that take each route: every provider, phone and username sign-in, no
    required attributes given, an implicit grant, no OAuth."""
    phone = with_providers(
        list(CREDENTIALS),
        ["PHONE_NUMBER", "GIVEN_NAME", "FAMILY_NAME"],
        SignInMethod="PHONE_NUMBER",
        VerificationMessage={"DeliveryMethod": "SMS", "SmsSettings": {"SmsMessage": "{####}"}},
        Mfa={"MFAMode": "OFF"},
    )
    phone["ResourceConfig"]["UserPoolConfigs"]["OAuth"].update(
        OAuthGrantType="IMPLICIT", OAuthScopes=["PHONE", "AWS_COGNITO_SIGNIN_USER_ADMIN"]
    )
    username = with_providers(["Facebook", "LoginWithAmazon"], None, SignInMethod="USERNAME")
    apple = with_providers(["SignInWithApple", "Google"], ["PHONE_NUMBER", "ZONE_INFO"])
    minimal = load_case("valid-minimal-user-pool-only")["request"]
    return {
        "google": valid_request(),
        "phone-all": phone,
        "username-default": username,
        "apple-nothing": apple,
        "no-oauth": minimal,
    }


def _clients(template: dict) -> tuple[dict, dict]:
    """(web, native) app clients' properties."""
    found = {
        name: r["Properties"]
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::Cognito::UserPoolClient"
    }
    assert len(found) == 2, found
    native = [p for n, p in found.items() if NATIVE_CLIENT in n]
    web = [p for n, p in found.items() if NATIVE_CLIENT not in n]
    assert len(native) == len(web) == 1, found
    return web[0], native[0]


def _check_providers(request: dict, template: dict) -> None:
    pool = request["ResourceConfig"]["UserPoolConfigs"]
    social = (pool.get("OAuth") or {}).get("SocialProviderSettings") or {}
    idps = {p["ProviderName"]: p for p in toolchain.resources(template, "UserPoolIdentityProvider")}
    assert sorted(idps) == sorted(social)
    gen2_maps_email = pool.get("SignInMethod") in ("EMAIL", "EMAIL_AND_PHONE_NUMBER")
    required = pool.get("RequiredSignUpAttributes")
    for name in social:
        details = provider_details(name, required)
        idp = idps[name]
        scopes = details.authorize_scopes or CDK_DEFAULT_SCOPES[name]
        assert idp["ProviderDetails"]["authorize_scopes"] == scopes, (name, idp)
        expected = dict(details.attribute_mapping)
        if gen2_maps_email:
            expected.setdefault("email", "email")  # Gen 2's own, with email sign-in
        assert idp.get("AttributeMapping", {}) == expected, (name, idp)


def _check_native(request: dict, template: dict) -> None:
    web, native = _clients(template)
    assert native["GenerateSecret"] is False
    oauth = request["ResourceConfig"]["UserPoolConfigs"].get("OAuth")
    if not oauth:
        assert native["AllowedOAuthFlowsUserPoolClient"] is False
        assert "AllowedOAuthFlows" not in native
        return
    assert native["AllowedOAuthFlowsUserPoolClient"] is True
    for key in ("AllowedOAuthFlows", "CallbackURLs", "LogoutURLs"):
        assert native[key] == web[key], key
    assert sorted(native["AllowedOAuthScopes"]) == sorted(web["AllowedOAuthScopes"])
    # every identity provider, by reference (so created first), and Cognito's own users
    refs = [p for p in native["SupportedIdentityProviders"] if isinstance(p, dict)]
    assert len(refs) == len(oauth.get("SocialProviderSettings") or {})
    assert all(set(r) == {"Ref"} for r in refs)
    assert "COGNITO" in native["SupportedIdentityProviders"]


@pytest.mark.skipif(not toolchain.installed(), reason="the Gen 2 toolchain is not installed")
@pytest.mark.timeout(900)
def test_the_synthesized_stack_carries_mapping_scopes_and_the_native_client(tmp_path):
    cases = _batch()
    exports = {name: gen2.export(copy.deepcopy(r)) for name, r in cases.items()}
    folders = toolchain.checked(tmp_path, exports)
    for folder in folders:
        template = toolchain.auth_template(folder)
        _check_providers(cases[folder.name], template)
        _check_native(cases[folder.name], template)
    google = toolchain.resources(
        toolchain.auth_template(tmp_path / "google"), "UserPoolIdentityProvider"
    )
    assert google[0]["ProviderDetails"]["authorize_scopes"] == "openid email profile"
    assert google[0]["AttributeMapping"] == {"email": "email", "name": "name", "username": "sub"}
