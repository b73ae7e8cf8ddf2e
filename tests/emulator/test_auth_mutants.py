"""SigV4 as the emulator checks it, word for word: requests signed by botocore (dated by the
test's clock) checked by the emulator's own functions, each refusal's code, status and message,
and the edges: the five-minute window's ends, the scope's day, a body hash in capitals, a
header sent twice, a request that signed no Host."""

from __future__ import annotations

import hashlib

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from conftest import FakeClock, sign_by
from starlette.datastructures import Headers

from amplify_auth_widgets.emulator.auth import (
    AMZ_DATE,
    WINDOW_SECONDS,
    check_region,
    signed_value,
    signing_service,
    verify,
)
from amplify_auth_widgets.emulator.protocol import EmulatorError

KEY, SECRET = "AKIDTEST", "s3cret"
T0 = 1_800_000_000.0  # 2027-01-15T08:00:00Z
PATH = "/backend/d1/details"
REGIONS = ("us-east-1", "eu-west-1")


@pytest.fixture
def signing(monkeypatch):
    clock = FakeClock(T0)
    sign_by(clock, monkeypatch)
    return clock


def sign(
    *,
    method="POST",
    path=PATH,
    query="",
    body=b"{}",
    service="amplifybackend",
    region="us-east-1",
    headers=None,
    host="127.0.0.1:8080",
):
    """What arrives of a request botocore signed: its headers as a list of pairs."""
    url = f"http://{host}{path}" + (f"?{query}" if query else "")
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    SigV4Auth(Credentials(KEY, SECRET), service, region).add_auth(request)
    pairs = [(k.lower(), v) for k, v in request.headers.items()]
    if not any(k == "host" for k, _ in pairs):
        pairs.append(("host", host))
    return pairs


def as_headers(pairs):
    return Headers(raw=[(k.encode(), v.encode()) for k, v in pairs])


def check(
    pairs,
    *,
    method="POST",
    path=PATH,
    query="",
    body=b"{}",
    service="amplifybackend",
    now=T0,
    secret_of=None,
):
    headers = as_headers(pairs)
    _, found = signing_service(headers)
    verify(
        found,
        method,
        path,
        query,
        headers,
        body,
        secret_of or {KEY: SECRET}.get,
        lambda: now,
        service,
        REGIONS,
    )


def refusal(*args, **kwargs):
    with pytest.raises(EmulatorError) as info:
        check(*args, **kwargs)
    error = info.value
    return error.code, error.status, error.message


def test_the_constants():
    assert WINDOW_SECONDS == 300 and AMZ_DATE == "%Y%m%dT%H%M%SZ"


def test_an_unsigned_request_is_told_how_to_sign():
    for headers in ({}, {"authorization": "Bearer x"}, {"authorization": "AWS4-HMAC-SHA256 x"}):
        with pytest.raises(EmulatorError) as info:
            signing_service(headers)
        error = info.value
        assert (error.code, error.status) == ("MissingAuthenticationTokenException", 403)
        assert error.message == (
            "The request is not signed with AWS Signature Version 4. Sign it with any access "
            "key (boto3 and the AWS CLI do, given credentials: e.g. set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or use Connection.for_emulator(url))."
        )


def test_the_service_and_scope_are_read_from_the_signature(signing):
    pairs = sign(service="amplify", region="eu-west-1")
    service, found = signing_service(dict(pairs))
    assert service == "amplify"
    assert (found["key"], found["date"], found["region"], found["service"]) == (
        KEY,
        "20270115",
        "eu-west-1",
        "amplify",
    )
    assert "host" in found["headers"].split(";") and len(found["signature"]) == 64


def test_a_fresh_signature_passes_and_a_wrong_secret_does_not(signing):
    check(sign())
    get = {"method": "GET", "path": "/apps", "query": "maxResults=2", "body": b""}
    check(sign(**get, service="amplify"), **get, service="amplify")
    assert refusal(sign(), secret_of={KEY: "other"}.get) == (
        "InvalidSignatureException",
        403,
        "The request signature does not match: check the secret key given to the client "
        "(this emulator runs with --strict-auth).",
    )
    # what arrived is what is checked: another path, query, method or body does not match
    for changed in (
        {"path": "/backend/d2/details"},
        {"query": "x=1"},
        {"method": "PUT"},
    ):
        assert refusal(sign(), **changed)[0] == "InvalidSignatureException"


def test_a_key_not_known_is_refused_before_anything_else(signing):
    # (the scope names a region not served: the key is what is reported)
    assert refusal(sign(region="ap-south-1"), secret_of={}.get) == (
        "UnrecognizedClientException",
        403,
        "The access key id is not the one this emulator was started with "
        "(--strict-auth KEY:SECRET), nor one its STS issued.",
    )


def test_a_region_not_served_is_refused_with_the_served_ones(signing):
    code, status, message = refusal(sign(region="ap-south-1"))
    assert (code, status) == ("InvalidSignatureException", 403)
    assert message == (
        "Credential should be scoped to a valid region, not 'ap-south-1'. This emulator serves "
        "us-east-1, eu-west-1: sign for one of them (the client's region, e.g. "
        "AWS_DEFAULT_REGION=us-east-1 or --region us-east-1), or start it with "
        "--region ap-south-1 to serve that region too."
    )
    check_region("eu-west-1", REGIONS)  # served: nothing said
    long = "x" * 60
    with pytest.raises(EmulatorError) as info:
        check_region(long, ("us-east-1",))
    assert f"not {'x' * 40!r}." in info.value.message
    assert f"--region {'x' * 40} to serve" in info.value.message


def test_a_signature_for_another_service_is_refused(signing):
    assert refusal(sign(service="amplify")) == (
        "InvalidSignatureException",
        403,
        "Credential should be scoped to correct service: 'amplifybackend'. The request was "
        "signed for 'amplify'; sign it for 'amplifybackend', as boto3's amplifybackend client "
        "does.",
    )


def test_a_long_service_name_is_cut_in_the_refusal(signing):
    message = refusal(sign(service="s" * 60))[2]
    assert f"signed for {'s' * 40!r}; sign it for 'amplifybackend'" in message


def test_the_window_is_five_minutes_either_way(signing):
    pairs = sign()
    check(pairs, now=T0 + 300)
    check(pairs, now=T0 - 300)
    assert refusal(pairs, now=T0 + 301) == (
        "InvalidSignatureException",
        403,
        "Signature expired: 20270115T080000Z is now earlier than 20270115T080001Z "
        "(20270115T080501Z - 5 min.). Sign each request when you send it; check this "
        "machine's clock.",
    )
    assert refusal(pairs, now=T0 - 301) == (
        "InvalidSignatureException",
        403,
        "Signature not yet current: 20270115T080000Z is still later than 20270115T075959Z "
        "(20270115T075459Z + 5 min.). Check this machine's clock.",
    )


def test_a_date_not_of_the_form_is_refused(signing):
    pairs = [(k, v) for k, v in sign() if k != "x-amz-date"]
    assert refusal(pairs) == (
        "InvalidSignatureException",
        403,
        "X-Amz-Date '' is missing or not of the form YYYYMMDDTHHMMSSZ; sign the request with "
        "SigV4 (boto3 and the AWS CLI do).",
    )
    odd = [*pairs, ("x-amz-date", "2027-01-15 " + "y" * 50)]
    message = refusal(odd)[2]
    assert message.startswith("X-Amz-Date '2027-01-15 " + "y" * 29 + "' is missing")


def test_the_scopes_day_must_be_the_dates(signing):
    pairs = [
        (k, v.replace(f"{KEY}/20270115/", f"{KEY}/20270114/") if k == "authorization" else v)
        for k, v in sign()
    ]
    assert refusal(pairs) == (
        "InvalidSignatureException",
        403,
        "The credential scope's date 20270114 is not the day of X-Amz-Date 20270115T080000Z.",
    )


def test_the_body_hash_is_checked_when_sent(signing):
    body = b'{"a": 1}'
    digest = hashlib.sha256(body).hexdigest()
    pairs = sign(body=body, headers={"X-Amz-Content-SHA256": digest.upper()})
    check(pairs, body=body)  # capitals are the same hash
    assert refusal(pairs, body=b'{"a": 2}') == (
        "InvalidSignatureException",
        403,
        "The x-amz-content-sha256 header is not the SHA-256 of the body received: the body "
        "was changed after it was signed (or the header is not a body hash).",
    )


def test_a_header_sent_twice_is_signed_comma_joined_and_trimmed():
    headers = Headers(raw=[(b"x-note", b"  first   part "), (b"x-note", b"second\t  end")])
    assert signed_value(headers, "x-note") == "first part,second end"
    assert signed_value(headers, "x-absent") == ""


def test_a_request_that_did_not_sign_its_host_is_refused_as_aws_refuses_it(signing):
    """Whatever Host arrived, and whatever the signature: it could be replayed to any host."""
    for host, sent in (("localhost", "localhost"), ("127.0.0.1:8080", "127.0.0.1:9")):
        unlisted = [
            (k, v.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date"))
            if k == "authorization"
            else (k, sent if k == "host" else v)
            for k, v in sign(host=host)
        ]
        assert "SignedHeaders=x-amz-date," in dict(unlisted)["authorization"]
        assert refusal(unlisted) == (
            "InvalidSignatureException",
            403,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization. Sign "
            "the Host header, as boto3 and the AWS CLI do.",
        )
    # checked before the key: an unknown key's unsigned Host is refused for the Host
    assert refusal(unlisted, secret_of=lambda key: None)[0] == "InvalidSignatureException"
    # SigV4 signs header names in lower case: a list naming "HOST" did not sign the Host
    shouting = [(k, v.replace("SignedHeaders=host;", "SignedHeaders=HOST;")) for k, v in sign()]
    assert refusal(shouting) == refusal(unlisted)
