"""The emulator's rest-json protocol (``emulator.protocol``): each error's HTTP status and body,
which route a path reaches and what its parameters decode to, which bodies are refused and with
what words, which members a request reads from where (and what it says of members it does not
know), what the model's maps and patterns refuse, and the wire names of an answer. The
functions are called directly with the served models (milliseconds each); the end-to-end checks
through a running emulator are in ``test_emulator_http.py`` and ``test_emulator_hardening.py``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from botocore.model import ShapeResolver

from amplify_auth_widgets.core.model import FieldSpec
from amplify_auth_widgets.core.operations import emulated_operations
from amplify_auth_widgets.emulator import protocol
from amplify_auth_widgets.emulator.protocol import EmulatorError


def refusal(call: Any, *args: Any) -> EmulatorError:
    with pytest.raises(EmulatorError) as raised:
        call(*args)
    return raised.value


def route(operation: str) -> protocol.Route:
    [found] = [r for r in protocol.routes() if r.operation == operation]
    return found


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("BadRequestException", 400),
        ("UnauthorizedException", 401),
        ("AccessDeniedException", 403),
        ("MissingAuthenticationTokenException", 403),
        ("InvalidSignatureException", 403),
        ("NotFoundException", 404),
        ("UnknownOperationException", 404),
        ("RequestEntityTooLargeException", 413),
        ("UnsupportedMediaTypeException", 415),
        ("TooManyRequestsException", 429),
        ("LimitExceededException", 429),
        ("InternalFailureException", 500),
        ("GatewayTimeoutException", 504),
        ("ValidationError", 400),
    ],
)
def test_each_error_code_has_its_http_status(code, status):
    error = EmulatorError(code, "what happened")
    assert (error.code, error.message, error.status, error.fields) == (
        code,
        "what happened",
        status,
        {},
    )
    assert str(error) == "what happened"


def test_a_status_given_wins_and_fields_are_kept():
    error = EmulatorError("NotFoundException", "gone", 410, ResourceType="app")
    assert (error.status, error.fields) == (410, {"ResourceType": "app"})


def test_an_error_body_has_the_members_of_its_modeled_shape_by_wire_name():
    gone = EmulatorError("NotFoundException", "No app d1.", ResourceType="app")
    assert protocol.error_body(gone, "amplifybackend") == {
        "message": "No app d1.",
        "resourceType": "app",
    }
    # Amplify's NotFoundException has only a message
    assert protocol.error_body(gone, "amplify") == {"message": "No app d1."}
    busy = EmulatorError("TooManyRequestsException", "Slow down.", LimitType="requests")
    assert protocol.error_body(busy, "amplifybackend") == {
        "limitType": "requests",
        "message": "Slow down.",
    }


def test_an_error_the_model_does_not_define_has_just_its_message():
    error = EmulatorError("MissingAuthenticationTokenException", "Sign it.", Extra="x")
    assert protocol.error_body(error, "amplifybackend") == {"message": "Sign it."}
    assert protocol.error_body(error, None) == {"message": "Sign it."}
    found = EmulatorError("NotFoundException", "gone", ResourceType="app")
    assert protocol.error_body(found, None) == {"message": "gone"}
    assert protocol.error_spec("NoSuchException", "amplify") is None
    spec = protocol.error_spec("NotFoundException", "amplifybackend")
    assert spec is not None and [m.wire_name for m in spec.members] == ["message", "resourceType"]


def test_amplify_messages_are_clipped_to_the_model_s_255_characters():
    long = EmulatorError("BadRequestException", "x" * 300)
    clipped = protocol.error_body(long, "amplify")["message"]
    assert clipped == "x" * 254 + "…" and len(clipped) == 255
    exact = EmulatorError("BadRequestException", "y" * 255)
    assert protocol.error_body(exact, "amplify")["message"] == "y" * 255
    # AmplifyBackend's messages have no maximum
    assert protocol.error_body(long, "amplifybackend")["message"] == "x" * 300


# -- routes ----------------------------------------------------------------------------------


def test_every_operation_of_each_served_service_has_one_route_answering_200():
    for service, operations in emulated_operations().items():
        for operation in operations:
            [found] = [
                r for r in protocol.routes() if r.service == service and r.operation == operation
            ]
            assert found.status == 200
    assert {r.service for r in protocol.routes()} == set(emulated_operations())


def test_a_path_reaches_its_operation_with_its_parameters_decoded_once():
    found = protocol.match("post", "/backend/a%2Fb/auth/dev%25x/details")
    assert found is not None
    assert (found[0].service, found[0].operation) == ("amplifybackend", "GetBackendAuth")
    assert found[1] == {"appId": "a/b", "backendEnvironmentName": "dev%x"}
    accented = protocol.match("GET", "/apps/%C3%A9t%C3%A9")
    assert accented is not None and accented[1] == {"appId": "été"}
    raw = protocol.match("GET", "/apps/" + "été".encode().decode("latin-1"))
    assert raw is not None and raw[1] == {"appId": "été"}


def test_a_final_slash_is_allowed_and_a_route_of_another_method_is_not_taken():
    found = protocol.match("GET", "/apps/d1/backendenvironments/")
    assert found is not None and found[0].operation == "ListBackendEnvironments"
    assert protocol.match("PATCH", "/apps/d1") is None
    assert protocol.match("GET", "/apps/d1/unknown") is None
    assert protocol.match("GET", "/backend/d1/details") is None


def test_a_service_hint_that_matches_no_route_falls_back_to_the_path():
    found = protocol.match("GET", "/apps", "amplifybackend")
    assert found is not None and (found[0].service, found[0].operation) == ("amplify", "ListApps")
    hinted = protocol.match("GET", "/apps", "amplify")
    assert hinted is not None and hinted[0].operation == "ListApps"


def test_a_path_parameter_that_is_not_utf8_once_decoded_is_refused_by_name():
    error = refusal(protocol.match, "POST", "/backend/%FF/details")
    assert (error.code, error.status) == ("BadRequestException", 400)
    assert error.message == (
        "The path parameter appId is not UTF-8 text once its %-escapes are decoded."
    )


def test_the_methods_a_path_allows():
    assert protocol.allowed_methods("/apps/d1") == ["DELETE", "GET", "POST"]
    assert protocol.allowed_methods("/apps") == ["GET", "POST"]
    assert protocol.allowed_methods("/nothing") == []


def test_a_greedy_label_takes_slashes_and_only_literal_text_counts():
    pattern, literal = protocol._compile("/objects/{Key+}/tail?versions")
    found = pattern.match("/objects/a/b/c/tail/")
    assert found is not None and found.groupdict() == {"Key": "a/b/c"}
    assert literal == len("/objects/") + len("/tail")
    plain, literal = protocol._compile("/apps/{appId}")
    assert plain.match("/apps/a/b") is None and literal == len("/apps/")
    assert plain.match("/apps/a.b") is not None and plain.match("/apps/x") is not None
    assert protocol._compile("/a.b")[0].match("/axb") is None


# -- bodies ----------------------------------------------------------------------------------


def test_a_json_object_body_is_read():
    assert protocol.decode_body(b'{"a": [1, 2.5, "\\u00e9", null]}') == {"a": [1, 2.5, "é", None]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff{}", "The body is not UTF-8 text."),
        (b'{"a": NaN}', "NaN is not a JSON number; send a finite number."),
        (b'{"a": -Infinity}', "-Infinity is not a JSON number; send a finite number."),
        (b'{\n  "a": }', "Malformed JSON body at line 2, column 8: Expecting value."),
        (
            b'{"n": 9223372036854775808}',
            "The number 9223372036854775808 is out of range: numbers must fit in 64 bits.",
        ),
        (
            b'{"n": -9223372036854775808}',
            "The number -9223372036854775808 is out of range: numbers must fit in 64 bits.",
        ),
        (
            b'{"n": 123456789012345678901234}',
            "The number 123456789012345678901234 is out of range: numbers must fit in 64 bits.",
        ),
        (
            b'{"n": 1234567890123456789012345}',
            "The number 123456789012... (25 digits) is out of range: numbers must fit in 64 bits.",
        ),
        (
            b'{"n": -1234567890123456789012345}',
            "The number -12345678901... (25 digits) is out of range: numbers must fit in 64 bits.",
        ),
        (
            b'{"n": ' + b"7" * 5000 + b"}",
            "The number 777777777777... (5000 digits) is out of range: numbers must fit in 64 "
            "bits.",
        ),
        (b'{"x": 1e400}', "The number 1e400 is out of range of a double."),
        (
            b'{"x": 1.0000000000000000000e400}',
            "The number 1.0000000000... (25 characters) is out of range of a double.",
        ),
    ],
)
def test_bodies_the_emulator_cannot_take_are_refused_saying_why(body, message):
    error = refusal(protocol.decode_body, body)
    assert (error.code, error.status, error.message) == ("BadRequestException", 400, message)


def test_numbers_at_the_edges_of_64_bits_and_of_a_double_are_taken():
    assert protocol.decode_body(b'{"n": 9223372036854775807}') == {"n": 2**63 - 1}
    assert protocol.decode_body(b'{"n": -9223372036854775807}') == {"n": -(2**63) + 1}
    assert protocol.decode_body(b'{"x": 1.7e308, "y": -5e-324}') == {"x": 1.7e308, "y": -5e-324}
    # 24 characters is shown whole: the shortest one clipped is 25
    error = refusal(protocol.decode_body, b'{"x": 1.000000000000000000e400}')
    assert error.message == "The number 1.000000000000000000e400 is out of range of a double."


def nested(levels: int) -> bytes:
    return b'{"a": ' * levels + b"1" + b"}" * levels


def test_nesting_is_taken_to_32_levels_and_refused_beyond():
    assert protocol.decode_body(nested(32)) is not None
    assert protocol.decode_body(b"[" * 32 + b"]" * 32) is not None
    too_deep = "The JSON body is nested too deep: at most 32 levels of objects and arrays."
    for body in (nested(33), b"[" * 33 + b"]" * 33, b"[" * 100_000 + b"]" * 100_000):
        error = refusal(protocol.decode_body, body)
        assert (error.code, error.status, error.message) == ("BadRequestException", 400, too_deep)


SURROGATE = (
    "holds a lone surrogate ({}), which is not Unicode text and cannot be stored; send the "
    "character it stands for, or its pair."
)


@pytest.mark.parametrize(
    ("body", "where", "escape"),
    [
        ('{"name": "\\ud800"}', "name", "\\ud800"),
        ('{"a": {"b": ["ok", "x\\uDC00y"]}}', "a.b[1]", "\\udc00"),
        ('{"a": "\\uDBFF"}', "a", "\\udbff"),
        ('{"\\ud9ab": 1}', "\\ud9ab", "\\ud9ab"),
        ('{"k\\udfff": {"x": 1}}', "k\\udfff", "\\udfff"),
        ('"\\ud800"', "the body", "\\ud800"),
    ],
)
def test_a_lone_surrogate_is_refused_naming_where_it_is(body, where, escape):
    error = refusal(protocol.decode_body, body.encode())
    assert (error.code, error.status) == ("BadRequestException", 400)
    assert error.message == f"{where} {SURROGATE.format(escape)}"


def test_a_surrogate_pair_and_characters_near_the_surrogates_are_text():
    assert protocol.decode_body(b'{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}
    assert protocol.decode_body(b'{"a": "\\ud7ff\\ue000"}') == {"a": "\ud7ff\ue000"}


def test_a_stored_value_is_checked_wherever_it_comes_from():
    protocol.check_storable({"a": ["x", {"b": "y"}]})
    error = refusal(protocol.check_storable, {"a": "\ud800"}, "Config")
    assert error.message == "Config.a " + SURROGATE.format("\\ud800")
    error = refusal(protocol.check_storable, ["\udc01"], "List")
    assert error.message == "List[0] " + SURROGATE.format("\\udc01")


# -- requests --------------------------------------------------------------------------------


def test_a_request_reads_each_member_from_where_the_model_puts_it():
    request, unknown = protocol.parse_request(
        route("CreateBackendAuth"),
        {"appId": "d1"},
        {"ignored": ["x"]},
        {"x-ignored": "y"},
        {
            "backendEnvironmentName": "dev",
            "resourceName": "auth1",
            "resourceConfig": {"authResources": "USER_POOL_ONLY", "service": "COGNITO"},
        },
    )
    assert request == {
        "AppId": "d1",
        "BackendEnvironmentName": "dev",
        "ResourceName": "auth1",
        "ResourceConfig": {"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO"},
    }
    assert unknown == []


def test_members_not_where_the_model_puts_them_are_named_with_how_to_send_them():
    request, unknown = protocol.parse_request(
        route("CreateBackendAuth"),
        {"appId": "d1"},
        {},
        {},
        {
            "resourceConfig": {"Service": "COGNITO", "zzz": 1},
            "ResourceName": "R",
            "RESOURCENAME": "R",
            "appId": "other",
            "Colour": 1,
        },
    )
    assert request == {"AppId": "d1", "ResourceConfig": {}}
    assert protocol.unknown_problems(unknown) == [
        "ResourceConfig.Service: unknown member 'Service'; the member is spelled service in a "
        "body.",
        "ResourceConfig.zzz: unknown member 'zzz'; ResourceConfig takes authResources, "
        "identityPoolConfigs, service, userPoolConfigs.",
        "ResourceName: unknown member 'ResourceName'; the member is spelled resourceName in a "
        "body.",
        "RESOURCENAME: unknown member 'RESOURCENAME'; the member is spelled resourceName in a "
        "body.",
        "appId: unknown member 'appId'; appId is taken from the request's path, never the body.",
        "Colour: unknown member 'Colour'; CreateBackendAuth takes backendEnvironmentName, "
        "resourceConfig, resourceName.",
    ]


def test_a_query_member_in_the_body_and_a_body_for_an_operation_without_one_are_named():
    _, unknown = protocol.parse_request(route("ListApps"), {}, {}, {}, {"maxResults": 5})
    assert protocol.unknown_problems(unknown) == [
        "maxResults: unknown member 'maxResults'; maxResults is sent in the querystring, not "
        "the body."
    ]
    request, unknown = protocol.parse_request(route("DeleteApp"), {"appId": "d1"}, {}, {}, {"x": 1})
    assert request == {"appId": "d1"}
    assert protocol.unknown_problems(unknown) == [
        "x: unknown member 'x'; DeleteApp takes no body members."
    ]


def test_a_list_in_a_body_keeps_each_item_s_place():
    request, unknown = protocol.parse_request(
        route("CreateBackendAuth"),
        {"appId": "d1"},
        {},
        {},
        {
            "resourceConfig": {
                "userPoolConfigs": {
                    "requiredSignUpAttributes": ["EMAIL", "NAME"],
                    "oAuth": {"oAuthScopes": ["EMAIL"], "socialProviderSettings": {"Nope": 1}},
                }
            }
        },
    )
    pool = request["ResourceConfig"]["UserPoolConfigs"]
    assert pool["RequiredSignUpAttributes"] == ["EMAIL", "NAME"]
    assert pool["OAuth"]["OAuthScopes"] == ["EMAIL"]
    assert [u.path for u in unknown] == [
        "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Nope"
    ]
    request, unknown = protocol.parse_request(
        route("CreateApp"),
        {},
        {},
        {},
        {"customRules": [{"source": "/a", "target": "/b"}, {"source": "/c", "Target": "/d"}]},
    )
    assert request == {"customRules": [{"source": "/a", "target": "/b"}, {"source": "/c"}]}
    assert protocol.unknown_problems(unknown) == [
        "customRules[1].Target: unknown member 'Target'; the member is spelled target in a body."
    ]


def test_a_body_that_is_not_an_object_is_read_as_none_and_path_members_only_from_the_path():
    request, unknown = protocol.parse_request(route("GetBackend"), {"appId": "d1"}, {}, {}, [1])
    assert (request, unknown) == ({"AppId": "d1"}, [])
    request, _ = protocol.parse_request(route("GetBackend"), {"other": "x"}, {}, {}, {})
    assert request == {}


def test_query_members_take_the_last_value_and_their_type():
    request, _ = protocol.parse_request(
        route("ListBackendEnvironments"),
        {"appId": "d1"},
        {"maxResults": ["5", "7"], "environmentName": ["dev"], "nextToken": []},
        {},
        {},
    )
    assert request == {"appId": "d1", "maxResults": 7, "environmentName": "dev"}
    request, _ = protocol.parse_request(route("ListApps"), {}, {"maxResults": ["ten"]}, {}, {})
    assert request == {"maxResults": "ten"}  # left for the model's type check to name
    request, _ = protocol.parse_request(
        route("UntagResource"), {"resourceArn": "arn"}, {"tagKeys": ["a", "b"]}, {}, {}
    )
    assert request == {"resourceArn": "arn", "tagKeys": ["a", "b"]}


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("integer", "12", 12),
        ("long", "-3", -3),
        ("integer", "1.5", "1.5"),
        ("boolean", "TRUE", True),
        ("boolean", "false", False),
        ("boolean", "yes", "yes"),
        ("double", "0.25", 0.25),
        ("float", "2", 2.0),
        ("double", "half", "half"),
        ("string", "12", "12"),
    ],
)
def test_text_from_a_query_or_header_takes_the_member_s_type(kind, text, value):
    got = protocol._scalar_from_text(text, FieldSpec("m", "m", kind, "M"))
    assert got == value and type(got) is type(value)


# -- what the model says beyond validation ---------------------------------------------------


def test_a_patterns_digits_are_ascii_as_in_the_models_java():
    role = "arn:aws:iam::{}:role/amplify"
    request = {"appId": "d1", "domainName": "x.com", "subDomainSettings": []}
    for digits, problems in (("1" * 12, 0), ("\u0661" * 12, 1)):
        request["autoSubDomainIAMRole"] = role.format(digits)
        found = protocol.shape_findings(request, "CreateDomainAssociation", "amplify")
        assert len(found) == problems and all("does not match the pattern" in p for p in found)


def test_maps_entries_and_patterns_are_checked_and_named():
    problems = protocol.shape_findings(
        {
            "name": "",
            "environmentVariables": {"K": 1, "OK": "v"},
            "tags": {"aws:x": "1", "fine": "2"},
        },
        "CreateApp",
        "amplify",
    )
    assert problems == [
        "name: '' does not match the pattern (?s).+.",
        "environmentVariables.K: must be a string, not int.",
        "tags (key 'aws:x'): 'aws:x' does not match the pattern ^(?!aws:)[a-zA-Z+-=._:/]+$.",
    ]
    assert (
        protocol.shape_findings({"name": "app", "tags": {"team": "auth"}}, "CreateApp", "amplify")
        == []
    )


def test_a_map_that_is_no_object_or_has_too_many_entries_is_refused():
    for value in ("A=1", ["A=1"]):
        assert protocol.shape_findings({"environmentVariables": value}, "CreateApp", "amplify") == [
            "environmentVariables: must be an object of names to values."
        ]
    # a list where text is due is the model's to name (validation.model_findings)
    assert protocol.shape_findings({"name": ["a"]}, "CreateApp", "amplify") == []
    tags = {f"t{i}": "v" for i in range(51)}
    assert protocol.shape_findings({"tags": tags}, "CreateApp", "amplify") == [
        "tags: takes at most 50 entries; it has 51."
    ]
    assert (
        protocol.shape_findings({"tags": dict(list(tags.items())[:50])}, "CreateApp", "amplify")
        == []
    )


def test_path_members_are_not_checked_against_patterns():
    assert protocol.shape_findings({"appId": "NOT AN ID"}, "GetApp", "amplify") == []
    assert protocol.shape_findings({}, "ListApps", "amplify") == []


SHAPES = ShapeResolver(
    {
        "Sized": {"type": "string", "min": 2, "max": 4},
        "Short": {"type": "string", "max": 3},
        "Long": {"type": "string", "min": 3},
        "Kind": {"type": "string", "enum": ["A", "B"]},
        "Java": {"type": "string", "pattern": "^\\p{L}+$"},
        "Digits": {"type": "string", "pattern": "[0-9]"},
        "Map": {"type": "map", "key": {"shape": "Short"}, "value": {"shape": "Inner"}},
        "Inner": {"type": "structure", "members": {"Code": {"shape": "Digits"}}},
        "Items": {"type": "list", "member": {"shape": "Digits"}},
        "Top": {
            "type": "structure",
            "members": {"M": {"shape": "Map"}, "L": {"shape": "Items"}, "Q": {"shape": "Digits"}},
        },
    }
)


@pytest.mark.parametrize(
    ("shape", "value", "problems"),
    [
        ("Sized", "ab", []),
        ("Sized", "abcd", []),
        ("Sized", "a", ["P: takes 2 to 4 characters."]),
        ("Sized", "abcde", ["P: takes 2 to 4 characters."]),
        ("Short", "abcd", ["P: takes 0 to 3 characters."]),
        ("Long", "ab", ["P: takes 3 to any number of characters."]),
        ("Kind", "A", []),
        ("Kind", "C", ["P: must be one of A, B."]),
        ("Java", "123", []),
        ("Digits", "x1", []),
        ("Digits", "x" * 50, [f"P: {'x' * 40!r} does not match the pattern [0-9]."]),
        ("Sized", 5, ["P: must be a string, not int."]),
    ],
)
def test_a_string_is_checked_for_length_values_and_pattern(shape, value, problems):
    found: list[str] = []
    protocol.check_string(value, SHAPES.get_shape_by_name(shape), "P", found)
    assert found == problems


def test_structures_inside_maps_and_items_of_lists_are_walked():
    problems: list[str] = []
    protocol._walk_shape(
        {"M": {"k": {"Code": "x"}}, "L": ["1", "y"], "Q": "z"},
        SHAPES.get_shape_by_name("Top"),
        "",
        problems,
    )
    assert problems == [
        "M.k.Code: 'x' does not match the pattern [0-9].",
        "L[1]: 'y' does not match the pattern [0-9].",
        "Q: 'z' does not match the pattern [0-9].",
    ]


# -- answers ---------------------------------------------------------------------------------


def test_an_answer_goes_out_by_wire_names_with_times_as_epoch_seconds_and_nones_left_out():
    when = dt.datetime(2027, 1, 15, 8, 15, tzinfo=dt.UTC)
    body = protocol.serialize_response(
        route("GetBackendEnvironment"),
        {
            "backendEnvironment": {
                "backendEnvironmentArn": "arn:env",
                "environmentName": "dev",
                "createTime": when,
                "updateTime": 1_800_000_000,
                "stackName": None,
            }
        },
    )
    assert body == {
        "backendEnvironment": {
            "backendEnvironmentArn": "arn:env",
            "environmentName": "dev",
            "createTime": when.timestamp(),
            "updateTime": 1_800_000_000,
        }
    }
    assert json.loads(json.dumps(body)) == body
    jobs = protocol.serialize_response(
        route("ListBackendJobs"),
        {"Jobs": [{"JobId": "j1", "Status": "COMPLETED"}], "NextToken": None},
    )
    assert jobs == {"jobs": [{"jobId": "j1", "status": "COMPLETED"}]}


def test_an_empty_or_missing_answer_is_an_empty_object():
    assert protocol.serialize_response(route("DeleteApp"), {}) == {}
    assert protocol.to_wire(None, route_spec("GetApp")) is None


def route_spec(operation: str) -> FieldSpec:
    from amplify_auth_widgets.core.model import response_spec

    return response_spec(operation, "amplify")


def test_a_long_map_key_is_named_clipped():
    key = "aws:" + "k" * 60
    [problem] = protocol.shape_findings({"tags": {key: "v"}}, "CreateApp", "amplify")
    assert problem.startswith(f"tags (key {key[:40]!r}): {key[:40]!r} does not match the pattern")


def test_a_handler_answering_nothing_answers_an_empty_object():
    assert protocol.serialize_response(route("DeleteApp"), None) == {}  # type: ignore[arg-type]


def test_a_value_of_the_wrong_kind_is_kept_as_sent_for_the_model_to_name():
    request, unknown = protocol.parse_request(
        route("CreateBackendAuth"),
        {"appId": "d1"},
        {},
        {},
        {"resourceConfig": {"userPoolConfigs": {"requiredSignUpAttributes": "EMAIL"}}},
    )
    assert request["ResourceConfig"] == {"UserPoolConfigs": {"RequiredSignUpAttributes": "EMAIL"}}
    assert unknown == []
    request, unknown = protocol.parse_request(
        route("CreateBackendAuth"), {"appId": "d1"}, {}, {}, {"resourceConfig": ["x"]}
    )
    assert request == {"AppId": "d1", "ResourceConfig": ["x"]} and unknown == []


def test_a_map_s_entries_are_kept_whatever_their_names():
    request, unknown = protocol.parse_request(
        route("CreateApp"),
        {},
        {},
        {},
        {"name": "a", "environmentVariables": {"K": "v"}, "tags": {"name": "t"}},
    )
    assert request == {"name": "a", "environmentVariables": {"K": "v"}, "tags": {"name": "t"}}
    assert unknown == []


def test_a_header_never_sets_a_body_or_path_member():
    request, _ = protocol.parse_request(
        route("GetBackend"),
        {"appId": "d1"},
        {},
        {"backendenvironmentname": "from-a-header", "appid": "other"},
        {"backendEnvironmentName": "dev"},
    )
    assert request == {"AppId": "d1", "BackendEnvironmentName": "dev"}
    request, _ = protocol.parse_request(
        route("GetBackend"), {"appId": "d1"}, {}, {"backendenvironmentname": "x"}, {}
    )
    assert request == {"AppId": "d1"}


def test_an_answer_s_maps_keep_their_entries():
    app = {"appId": "d1", "name": "a", "environmentVariables": {"K": "v"}, "tags": {"team": "x"}}
    body = protocol.serialize_response(route("GetApp"), {"app": app})
    assert body == {"app": app}
