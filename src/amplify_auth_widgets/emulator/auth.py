"""SigV4 as the emulator checks it: every request must carry an ``Authorization`` header of the
SigV4 form; with ``strict_auth`` the signature is verified as AWS does.

Verified means: the access key is the configured one (or temporary credentials the emulator's
STS issued, with their session token); the credential scope names a region the emulator serves
(``us-east-1`` unless it was started with more) and the service the request is for
(``amplifybackend``, ``amplify`` or ``sts``, by its route), as AWS refuses a signature made for
another endpoint; ``X-Amz-Date`` is within five minutes of
the emulator's clock either way (an older or newer signature is refused as expired, so that a
captured request cannot be replayed forever) and its day is the credential scope's;
``x-amz-content-sha256``, when sent, is the SHA-256 of the body actually received (otherwise a
signed request's body could be swapped); and the signature matches the canonical request
rebuilt from what arrived, a header sent more than once signed as SigV4 signs it: its values
comma-joined, each trimmed and its inner runs of spaces made one.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping

from starlette.datastructures import Headers

from .protocol import EmulatorError

CREDENTIAL = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<headers>[^,]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]+)"
)
#: How far a signature's time may be from the emulator's clock, as AWS allows.
WINDOW_SECONDS = 5 * 60
AMZ_DATE = "%Y%m%dT%H%M%SZ"


def signing_service(headers: Mapping[str, str]) -> tuple[str, re.Match[str]]:
    """The service a request is signed for, from its ``Authorization`` header (403 without)."""
    found = CREDENTIAL.match(headers.get("authorization", ""))
    if not found:
        raise EmulatorError(
            "MissingAuthenticationTokenException",
            "The request is not signed with AWS Signature Version 4. Sign it with any "
            "access key (boto3 and the AWS CLI do, given credentials: e.g. set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use "
            "Connection.for_emulator(url)).",
            403,
        )
    return found["service"], found


def _denied(message: str, code: str = "InvalidSignatureException") -> EmulatorError:
    return EmulatorError(code, message, 403)


def _check_date(amz_date: str, scope_date: str, now: float) -> None:
    try:
        signed_at = calendar.timegm(time.strptime(amz_date, AMZ_DATE))
    except ValueError:
        raise _denied(
            f"X-Amz-Date {amz_date[:40]!r} is missing or not of the form YYYYMMDDTHHMMSSZ; "
            "sign the request with SigV4 (boto3 and the AWS CLI do)."
        ) from None
    stamp = time.strftime(AMZ_DATE, time.gmtime(now))
    if signed_at < now - WINDOW_SECONDS:
        low = time.strftime(AMZ_DATE, time.gmtime(now - WINDOW_SECONDS))
        raise _denied(
            f"Signature expired: {amz_date} is now earlier than {low} ({stamp} - 5 min.). "
            "Sign each request when you send it; check this machine's clock."
        )
    if signed_at > now + WINDOW_SECONDS:
        high = time.strftime(AMZ_DATE, time.gmtime(now + WINDOW_SECONDS))
        raise _denied(
            f"Signature not yet current: {amz_date} is still later than {high} "
            f"({stamp} + 5 min.). Check this machine's clock."
        )
    if amz_date[:8] != scope_date:
        raise _denied(
            f"The credential scope's date {scope_date} is not the day of X-Amz-Date {amz_date}."
        )


def check_region(region: str, regions: tuple[str, ...]) -> None:
    """Refuse (403, in AWS's words) a credential scope naming a region the emulator does not
    serve: each region holds apps of its own, and one not served would hold nothing."""
    if region not in regions:
        served = ", ".join(regions)
        raise _denied(
            f"Credential should be scoped to a valid region, not {region[:40]!r}. "
            f"This emulator serves {served}: sign for one of them (the client's region, e.g. "
            f"AWS_DEFAULT_REGION={regions[0]} or --region {regions[0]}), or start it with "
            f"--region {region[:40]} to serve that region too."
        )


def _check_scope(found: re.Match[str], service: str, regions: tuple[str, ...]) -> None:
    """The credential scope's region must be one the emulator serves and its service the
    request's, as AWS answers a signature made for another region or service."""
    check_region(found["region"], regions)
    if found["service"] != service:
        raise _denied(
            f"Credential should be scoped to correct service: {service!r}. The request was "
            f"signed for {found['service'][:40]!r}; sign it for {service!r}, as boto3's "
            f"{service} client does."
        )


def signed_value(headers: Headers, name: str) -> str:
    """A header's value as SigV4 signs it: every value sent under ``name``, each trimmed with its
    runs of spaces made one, joined by commas ("" when it was not sent)."""
    return ",".join(" ".join(value.split()) for value in headers.getlist(name))


def _check_body_hash(headers: Headers, body: bytes) -> None:
    """``x-amz-content-sha256``, when sent, must be the SHA-256 of the body received."""
    declared = headers.get("x-amz-content-sha256")
    if declared is not None and not hmac.compare_digest(
        declared.lower(), hashlib.sha256(body).hexdigest()
    ):
        raise _denied(
            "The x-amz-content-sha256 header is not the SHA-256 of the body received: the body "
            "was changed after it was signed (or the header is not a body hash)."
        )


def _signature(
    found: re.Match[str],
    method: str,
    raw_path: str,
    query: str,
    headers: Headers,
    body: bytes,
    secret: str,
) -> str:
    """The SigV4 signature of the canonical request rebuilt from what arrived, over the
    headers the request says it signed, with the credential scope it names."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    picked = {h: signed_value(headers, h) for h in found["headers"].split(";")}
    url = f"http://{picked['host']}{raw_path}" + (f"?{query}" if query else "")
    aws_request = AWSRequest(method=method, url=url, headers=picked, data=body)
    aws_request.context["timestamp"] = headers.get("x-amz-date", "")
    signer = SigV4Auth(Credentials(found["key"], secret), found["service"], found["region"])
    canonical = signer.canonical_request(aws_request)
    return str(signer.signature(signer.string_to_sign(aws_request, canonical), aws_request))


def verify(
    found: re.Match[str],
    method: str,
    raw_path: str,
    query: str,
    headers: Headers,
    body: bytes,
    secret_of: Callable[[str], str | None],
    clock: Callable[[], float],
    service: str,
    regions: tuple[str, ...],
) -> None:
    """Refuse (403) a request whose SigV4 signature is not valid now for the secret
    ``secret_of`` its access key (None: a key not known), or was made for a region the emulator
    does not serve or another service than ``service`` (the one the request's route is for)."""
    if "host" not in found["headers"].split(";"):
        # AWS's words: a signature that leaves the Host out could be replayed to any host (and
        # SigV4's signed header names are lower case: "HOST" is not the Host signed)
        raise _denied(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization. Sign "
            "the Host header, as boto3 and the AWS CLI do."
        )
    secret = secret_of(found["key"])
    if secret is None:
        raise _denied(
            "The access key id is not the one this emulator was started with "
            "(--strict-auth KEY:SECRET), nor one its STS issued.",
            "UnrecognizedClientException",
        )
    _check_scope(found, service, regions)
    amz_date = headers.get("x-amz-date", "")
    _check_date(amz_date, found["date"], clock())
    _check_body_hash(headers, body)
    expected = _signature(found, method, raw_path, query, headers, body, secret)
    if not hmac.compare_digest(expected, found["signature"]):
        raise _denied(
            "The request signature does not match: check the secret key given to the "
            "client (this emulator runs with --strict-auth)."
        )
