"""STS's query protocol as the emulator reads and writes it (``emulator.query``): which form
parameters become which members, what each refusal says, and what botocore's own parser reads
from an answer or an error. The functions are called directly (no server), with STS's model and,
for what STS's model has no example of (a flattened list, a renamed member, a map, a boolean or a
double), shapes built with botocore's own ``ShapeResolver``; milliseconds each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.model import ShapeResolver
from botocore.parsers import QueryParser

from amplify_auth_widgets.core.model import operation_model
from amplify_auth_widgets.emulator import query
from amplify_auth_widgets.emulator.protocol import EmulatorError

NS = "https://sts.amazonaws.com/doc/2011-06-15/"
ROLE = "arn:aws:iam::210987654321:role/platform/auditor"
BASE = {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": ROLE, "RoleSessionName": "s1"}

SHAPES = ShapeResolver(
    {
        "Request": {
            "type": "structure",
            "members": {
                "Names": {"shape": "Flat", "flattened": True},
                "Items": {"shape": "Named"},
                "Renamed": {"shape": "Text", "locationName": "Wire"},
                "Inner": {"shape": "Inner"},
                "Labels": {"shape": "Labels"},
                "On": {"shape": "Flag"},
                "Ratio": {"shape": "Ratio"},
                "Count": {"shape": "Long"},
            },
        },
        "Inner": {"type": "structure", "members": {"Leaf": {"shape": "Text"}}},
        "Flat": {"type": "list", "member": {"shape": "Text"}, "flattened": True},
        "Named": {"type": "list", "member": {"shape": "Text", "locationName": "item"}},
        "Labels": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Text"}},
        "Text": {"type": "string"},
        "Flag": {"type": "boolean"},
        "Ratio": {"type": "double"},
        "Float": {"type": "float"},
        "Long": {"type": "long"},
        "When": {"type": "timestamp"},
    }
)
REQUEST = SHAPES.get_shape_by_name("Request")


def refusal(call: Any, *args: Any) -> EmulatorError:
    with pytest.raises(EmulatorError) as raised:
        call(*args)
    return raised.value


def client_reads(operation: str, body: bytes, status: int = 200) -> dict[str, Any]:
    """What boto3 returns for ``body``: botocore's query parser along the output shape."""
    shape = operation_model(operation, "sts").output_shape
    return dict(QueryParser().parse({"body": body, "headers": {}, "status_code": status}, shape))


# -- the form ---------------------------------------------------------------------------------


def test_the_form_merges_query_and_body_with_the_body_winning_and_blanks_kept():
    form = query.read_form(b"Action=AssumeRole&Policy=&RoleArn=body", "RoleArn=query&Version=v")
    assert form == {"RoleArn": "body", "Version": "v", "Action": "AssumeRole", "Policy": ""}
    assert query.read_form(b"", "") == {}


def test_a_body_that_is_not_utf8_is_refused():
    error = refusal(query.read_form, b"Action=\xff", "")
    assert (error.code, error.status) == ("InvalidParameterValue", 400)
    assert error.message == "The body is not UTF-8 text."


def test_a_parameter_given_twice_in_one_place_is_refused_by_its_clipped_name():
    error = refusal(query.read_form, b"Policy=a&Policy=b", "")
    assert (error.code, error.status) == ("InvalidParameterValue", 400)
    assert error.message == "The parameter 'Policy' is given twice."
    long = "N" * 70
    error = refusal(query.read_form, b"", f"{long}=1&{long}=2")
    assert error.message == f"The parameter {'N' * 60!r} is given twice."


# -- members by the model -----------------------------------------------------------------------


def test_assume_role_reads_lists_structures_and_numbers_by_the_model():
    form = {
        **BASE,
        "DurationSeconds": "900",
        "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "PolicyArns.member.2.arn": "arn:aws:iam::aws:policy/Other",
        "Tags.member.1.Key": "team",
        "Tags.member.1.Value": "auth",
        "TransitiveTagKeys.member.1": "team",
    }
    assert query.parse(form, "sts") == (
        "AssumeRole",
        {
            "RoleArn": ROLE,
            "RoleSessionName": "s1",
            "DurationSeconds": 900,
            "PolicyArns": [
                {"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                {"arn": "arn:aws:iam::aws:policy/Other"},
            ],
            "Tags": [{"Key": "team", "Value": "auth"}],
            "TransitiveTagKeys": ["team"],
        },
    )


def test_an_empty_list_is_its_bare_name_and_a_list_stops_at_its_first_gap():
    form = {**BASE, "TransitiveTagKeys": ""}
    assert query.parse(form, "sts")[1] == {
        "RoleArn": ROLE,
        "RoleSessionName": "s1",
        "TransitiveTagKeys": [],
    }
    error = refusal(query.parse, {**BASE, "PolicyArns.member.2.arn": "arn:x:y:z"}, "sts")
    assert error.message == "PolicyArns.member.2.arn: unknown parameter of AssumeRole."


def test_an_operation_without_members_reads_as_an_empty_request():
    assert query.parse({"Action": "GetCallerIdentity", "Version": "2011-06-15"}, "sts") == (
        "GetCallerIdentity",
        {},
    )


def test_members_are_read_by_their_wire_names_flattened_lists_and_named_items():
    used: set[str] = set()
    form = {
        "Names.1": "a",
        "Names.2": "b",
        "Items.item.1": "x",
        "Wire": "w",
        "Renamed": "not read",
        "Inner.Leaf": "leaf",
        "On": "TRUE",
        "Ratio": "0.5",
        "Count": "12",
        "Labels.entry.1.key": "k",
        "Labels": "not read",
    }
    assert query._read(form, REQUEST, "", used) == {
        "Names": ["a", "b"],
        "Items": ["x"],
        "Renamed": "w",
        "Inner": {"Leaf": "leaf"},
        "On": True,
        "Ratio": 0.5,
        "Count": 12,
    }
    assert used == {
        "Names.1",
        "Names.2",
        "Items.item.1",
        "Wire",
        "Inner.Leaf",
        "On",
        "Ratio",
        "Count",
    }


def test_a_nested_structure_with_nothing_given_is_left_out():
    used: set[str] = set()
    assert query._read({"On": "false"}, REQUEST, "", used) == {"On": False}
    assert query._read({}, REQUEST, "", used) == {}
    assert used == {"On"}


@pytest.mark.parametrize(
    ("text", "shape", "value"),
    [
        ("true", "Flag", True),
        ("True", "Flag", True),
        ("false", "Flag", False),
        ("yes", "Flag", False),
        ("1.25", "Ratio", 1.25),
        ("2.5", "Float", 2.5),
        ("-3", "Long", -3),
        ("007", "Text", "007"),
    ],
)
def test_scalars_take_their_members_types(text, shape, value):
    got = query._scalar(text, SHAPES.get_shape_by_name(shape), "Name")
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("shape", ["Ratio", "Float", "Long"])
def test_a_number_that_is_not_one_is_refused_naming_the_member_and_the_text(shape):
    error = refusal(query._scalar, "ten", SHAPES.get_shape_by_name(shape), "Ratio")
    assert (error.code, error.status) == ("InvalidParameterValue", 400)
    assert error.message == "Ratio: 'ten' is not a number."
    error = refusal(query._scalar, "x" * 50, SHAPES.get_shape_by_name(shape), "M" * 90)
    assert error.message == f"{'M' * 80}: {'x' * 40!r} is not a number."


def test_an_sts_number_that_is_not_one_is_refused_through_parse():
    error = refusal(query.parse, {**BASE, "DurationSeconds": "ten"}, "sts")
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "DurationSeconds: 'ten' is not a number.",
    )


# -- refusals -------------------------------------------------------------------------------


def test_an_unknown_or_missing_action_is_refused_naming_it_and_the_version():
    error = refusal(query.parse, {"Action": "Nope", "Version": "2011-06-15"}, "sts")
    assert (error.code, error.status) == ("InvalidAction", 400)
    assert error.message == "Could not find operation 'Nope' for version '2011-06-15'."
    error = refusal(query.parse, {}, "sts")
    assert error.message == "Could not find operation '' for version ''."
    error = refusal(query.parse, {"Action": "A" * 70, "Version": "V" * 30}, "sts")
    assert error.message == f"Could not find operation {'A' * 60!r} for version {'V' * 20!r}."


def test_a_wrong_or_missing_version_is_refused_naming_the_right_one():
    error = refusal(query.parse, {**BASE, "Version": "2011"}, "sts")
    assert (error.code, error.status) == ("InvalidParameterValue", 400)
    assert error.message == "Version must be 2011-06-15 for sts, not '2011'."
    error = refusal(query.parse, {**BASE, "Version": "9" * 30}, "sts")
    assert error.message == f"Version must be 2011-06-15 for sts, not {'9' * 20!r}."
    form = dict(BASE)
    del form["Version"]
    error = refusal(query.parse, form, "sts")
    assert error.message == "Version must be 2011-06-15 for sts, not 'None'."


def test_unknown_parameters_are_named_five_at_most_in_order():
    form = {**BASE, **{f"Z{i}": "1" for i in range(6, 0, -1)}, "A" * 70: "1"}
    error = refusal(query.parse, form, "sts")
    assert (error.code, error.status) == ("ValidationError", 400)
    assert error.message == " ".join(
        f"{name}: unknown parameter of AssumeRole." for name in ["A" * 60, "Z1", "Z2", "Z3", "Z4"]
    )


def test_missing_and_out_of_range_members_are_named_with_unknown_ones():
    error = refusal(
        query.parse,
        {"Action": "AssumeRole", "Version": "2011-06-15", "DurationSeconds": "60", "Colour": "red"},
        "sts",
    )
    assert error.code == "ValidationError"
    problems = error.message
    assert problems.startswith("Colour: unknown parameter of AssumeRole. ")
    assert "DurationSeconds takes from 900 to 43200; it has 60." in problems
    assert "RoleArn" in problems and "RoleSessionName" in problems


# -- answers ---------------------------------------------------------------------------------

CREDENTIALS = {
    "AccessKeyId": "ASIAEXAMPLE",
    "SecretAccessKey": "secret",
    "SessionToken": "token",
    "Expiration": 1_800_000_900,
}


def test_an_answer_is_what_botocore_reads_with_times_in_utc():
    result = {
        "Credentials": CREDENTIALS,
        "AssumedRoleUser": {"AssumedRoleId": "AROA:s1", "Arn": "arn:aws:sts::1:assumed-role/r/s1"},
        "PackedPolicySize": 0,
        "SourceIdentity": None,
    }
    body = query.answer("sts", "AssumeRole", result, "req-1")
    assert body.startswith(f'<AssumeRoleResponse xmlns="{NS}"><AssumeRoleResult>'.encode())
    assert b"<Expiration>2027-01-15T08:15:00Z</Expiration>" in body
    assert b"SourceIdentity" not in body
    read = client_reads("AssumeRole", body)
    assert read["Credentials"] == {
        **CREDENTIALS,
        "Expiration": dt.datetime(2027, 1, 15, 8, 15, tzinfo=dt.UTC),
    }
    assert read["AssumedRoleUser"]["Arn"] == "arn:aws:sts::1:assumed-role/r/s1"
    assert read["PackedPolicySize"] == 0
    assert read["ResponseMetadata"]["RequestId"] == "req-1"


def test_a_time_given_as_a_datetime_is_written_as_is():
    when = dt.datetime(2026, 12, 7, 9, 5, 3, tzinfo=dt.UTC)
    body = query.answer(
        "sts", "AssumeRole", {"Credentials": {**CREDENTIALS, "Expiration": when}}, "r"
    )
    assert client_reads("AssumeRole", body)["Credentials"]["Expiration"] == when


def test_get_caller_identity_answers_in_its_result_wrapper():
    result = {"UserId": "AIDA", "Account": "123456789012", "Arn": "arn:aws:iam::1:user/emulator"}
    body = query.answer("sts", "GetCallerIdentity", result, "req-2")
    assert (
        body
        == (
            f'<GetCallerIdentityResponse xmlns="{NS}"><GetCallerIdentityResult>'
            "<UserId>AIDA</UserId><Account>123456789012</Account>"
            "<Arn>arn:aws:iam::1:user/emulator</Arn></GetCallerIdentityResult>"
            "<ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata>"
            "</GetCallerIdentityResponse>"
        ).encode()
    )
    read = client_reads("GetCallerIdentity", body)
    assert {k: read[k] for k in result} == result


def test_lists_renamed_members_and_flags_are_written_by_the_model():
    import xml.etree.ElementTree as ET

    root = ET.Element("R")
    query._write(
        root,
        {"Names": ["a", "b"], "Items": ["x"], "Renamed": "w", "On": False, "Inner": {}},
        REQUEST,
    )
    assert ET.tostring(root) == (
        b"<R><Names><member>a</member><member>b</member></Names>"
        b"<Items><item>x</item></Items><Wire>w</Wire><Inner /><On>false</On></R>"
    )
    assert query._text(True, SHAPES.get_shape_by_name("Flag")) == "true"
    assert query._text(0, SHAPES.get_shape_by_name("When")) == "1970-01-01T00:00:00Z"
    assert query._text(2.5, SHAPES.get_shape_by_name("When")) == "1970-01-01T00:00:02Z"


@pytest.mark.parametrize(
    ("status", "kind"), [(400, "Sender"), (403, "Sender"), (499, "Sender"), (500, "Receiver")]
)
def test_an_error_is_read_by_botocore_as_its_code_message_and_kind(status, kind):
    error = EmulatorError("ValidationError", "RoleArn: is required.", status)
    body = query.error_answer("sts", error, "req-3")
    assert (
        body
        == (
            f'<ErrorResponse xmlns="{NS}"><Error><Type>{kind}</Type>'
            "<Code>ValidationError</Code><Message>RoleArn: is required.</Message></Error>"
            "<RequestId>req-3</RequestId></ErrorResponse>"
        ).encode()
    )
    read = client_reads("AssumeRole", body, status)
    assert read["Error"] == {
        "Type": kind,
        "Code": "ValidationError",
        "Message": "RoleArn: is required.",
    }
    assert read["ResponseMetadata"]["RequestId"] == "req-3"


def test_times_are_written_in_utc_whatever_the_local_zone(far_from_utc):
    body = query.answer("sts", "AssumeRole", {"Credentials": CREDENTIALS}, "r")
    assert b"<Expiration>2027-01-15T08:15:00Z</Expiration>" in body
    assert client_reads("AssumeRole", body)["Credentials"]["Expiration"] == dt.datetime(
        2027, 1, 15, 8, 15, tzinfo=dt.UTC
    )
