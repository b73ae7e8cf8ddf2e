"""The emulator serves whatever its ``app`` is when it starts, wrapped or not.

uvicorn calls the app it is given with no arguments first, to find out whether it is an app
factory, and serves whatever that call returns. An ``app`` replaced by a wrapper taking
``*args`` (what a decorator, or mutmut's trampoline, makes of an ``async def __call__``)
answered that call with a coroutine, which uvicorn then served: every request failed with
"'coroutine' object is not callable". The shared emulator's proof of key is such a
replacement.
"""

from __future__ import annotations

import functools
import http.client
from typing import Any

from conftest import signed

from amplify_auth_widgets.client.emulator_process import PROOF_PATH, proof
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.shared import ProofOfKey


def _get(emulator: Emulator, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def _wrapped(app: Any) -> Any:
    """``app.__call__`` behind an ``*args`` wrapper, as a decorator leaves it."""
    call = app.__call__

    @functools.wraps(call)
    async def wrapper(*args: Any, **kwargs: Any) -> None:
        await call(*args, **kwargs)

    return wrapper


def test_an_app_wrapped_by_a_decorator_is_served():
    emulator = Emulator(demo=True)
    emulator.app = _wrapped(emulator.app)
    with emulator:
        status, _, payload = signed(emulator.url, "GET", "/apps", service="amplify")
    assert status == 200
    assert payload["apps"], "the demo's apps are listed through the wrapper"


def test_the_proof_of_key_wrapped_by_a_decorator_still_answers_and_passes_on():
    emulator = Emulator(demo=True)
    emulator.app = _wrapped(ProofOfKey(emulator.app, "s3cret"))
    nonce = "ab" * 16
    with emulator:
        proof_answer = _get(emulator, f"{PROOF_PATH}?nonce={nonce}")
        apps_status, _, _ = signed(emulator.url, "GET", "/apps", service="amplify")
    assert proof_answer == (200, proof("s3cret", nonce).encode())
    assert apps_status == 200
