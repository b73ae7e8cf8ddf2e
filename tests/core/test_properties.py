"""Property-based tests: requests generated from the service model itself.

The validator never raises, whatever it is given, and it reports every model-level error that
botocore's own ParamValidator detects, at the same path.
"""

from __future__ import annotations

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.strategies import ANY_JSON, well_typed

from amplify_auth_widgets import validate
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.core.operations import auth_operations


def _botocore_errors(params, operation):
    shape = get_session().get_service_model("amplifybackend").operation_model(operation)
    report = ParamValidator().validate(params, shape.input_shape)
    found = set()
    for reason, name, kwargs in report._errors:
        path = name.lstrip(".")
        if reason == "missing required field":
            found.add(("model.required", f"{path}.{kwargs['required_name']}".lstrip(".")))
        elif reason == "unknown field":
            found.add(("model.unknown", f"{path}.{kwargs['unknown_param']}".lstrip(".")))
        elif reason == "invalid type":
            found.add(("model.type", path))
        elif reason in ("invalid range", "invalid length"):
            found.add(("model.range", path))
        else:
            found.add((reason, path))
    return found


@pytest.mark.parametrize("operation", (*auth_operations(), "ListBackendJobs"))
def test_validator_agrees_with_botocore(operation):
    spec = request_spec(operation)

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(well_typed(spec))
    def check(request):
        findings = validate(request, operation)  # never raises
        ours = {(f.code, f.path) for f in findings if f.code.startswith("model.")}
        theirs = _botocore_errors(request, operation)
        # A value of the wrong type (say `false` where a whole number goes: botocore takes a
        # bool for an int, then finds it out of range) is reported once, as model.type.
        missed = {
            (code, path)
            for code, path in theirs
            if (code, path) not in ours and ("model.type", path) not in ours
        }
        assert not missed, f"botocore found {missed} that we missed"

    check()


@settings(max_examples=300, deadline=None)
@given(ANY_JSON, st.sampled_from(auth_operations()))
def test_validator_never_raises_on_any_json(value, operation):
    findings = validate(value, operation)
    assert all(f.severity in ("error", "warning") for f in findings)
