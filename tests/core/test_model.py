"""The field-spec tree is the service model, walked; nothing is listed by hand."""

import subprocess
import sys

import pytest
from botocore.session import get_session

from amplify_auth_widgets.core.model import request_spec, secret_paths
from amplify_auth_widgets.core.operations import auth_operations


def _botocore_paths(shape, path=""):
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            p = f"{path}.{name}" if path else name
            yield p
            yield from _botocore_paths(member, p)
    elif shape.type_name == "list":
        yield from _botocore_paths(shape.member, f"{path}[]")


@pytest.mark.parametrize("operation", auth_operations())
def test_spec_tree_covers_exactly_the_model(operation):
    model = get_session().get_service_model("amplifybackend")
    expected = set(_botocore_paths(model.operation_model(operation).input_shape))
    spec = request_spec(operation)
    got = {s.path for s in spec.walk() if s.path and not s.path.endswith("[]")}
    assert got == {p for p in expected if not p.endswith("[]")}


def test_spec_carries_model_metadata():
    spec = request_spec("CreateBackendAuth")
    sign_in = spec.find("ResourceConfig.UserPoolConfigs.SignInMethod")
    assert sign_in.required and sign_in.type == "string"
    assert "EMAIL_AND_PHONE_NUMBER" in sign_in.enum
    assert sign_in.wire_name == "signInMethod"
    mfa_mode = spec.find("ResourceConfig.UserPoolConfigs.Mfa.MFAMode")
    assert mfa_mode.wire_name == "MFAMode"  # the model gives no locationName
    client_id = spec.find("ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google")
    assert client_id.member("ClientId").wire_name == "client_id"
    forgot = spec.find("ResourceConfig.UserPoolConfigs.ForgotPassword")
    assert forgot.deprecated and not forgot.required
    length = spec.find("ResourceConfig.UserPoolConfigs.PasswordPolicy.MinimumLength")
    assert length.type == "double" and length.required
    assert "<" not in length.documentation and length.documentation
    attrs = spec.find("ResourceConfig.UserPoolConfigs.RequiredSignUpAttributes[0]")
    assert attrs is not None and "PHONE_NUMBER" in attrs.enum
    assert spec.find("AppId").location == "uri"


def test_update_shapes_differ_from_create():
    create = request_spec("CreateBackendAuth")
    update = request_spec("UpdateBackendAuth")
    assert create.find("ResourceConfig.UserPoolConfigs.UserPoolName").required
    assert update.find("ResourceConfig.UserPoolConfigs.UserPoolName") is None
    assert not update.find("ResourceConfig.UserPoolConfigs.Mfa.MFAMode").required


def test_secrets_are_the_credentials_only():
    paths = secret_paths("CreateBackendAuth")
    names = {p.rsplit(".", 1)[1] for p in paths}
    assert names == {"ClientSecret", "PrivateKey"}
    assert len(paths) == 4  # Facebook, Google, LoginWithAmazon secrets and Apple's key


def test_import_is_fast_and_does_no_work():
    code = (
        "import sys, amplify_auth_widgets as a; "
        "assert 'botocore' not in sys.modules, 'botocore loaded at import'; "
        "assert 'ipywidgets' not in sys.modules; "
        "from amplify_auth_widgets import validate, Finding, Connection, BackendAuthService, "
        "ApiError; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
