"""What the emulated services share, as a client meets it: job times, pages and their tokens,
app ids, and the not-found answers for apps and environments (over HTTP with boto3 for what a
client reads, and on the services' base directly for its edges)."""

from __future__ import annotations

import base64
import random
import re

import pytest
from botocore.exceptions import ClientError
from conftest import FakeClock

from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.amplify import Amplify
from amplify_auth_widgets.emulator.common import ACCOUNT, ServiceBackend, iso, page
from amplify_auth_widgets.emulator.protocol import EmulatorError
from amplify_auth_widgets.emulator.store import Store

T0 = 1_800_000_000.0  # 2027-01-15T08:00:00Z
REFUSED = "NextToken is not valid: repeat the request without it."


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("common") / "state.sqlite3")
    with Emulator(job_seconds=5, clock=FakeClock(), db=db, seed=7) as emu:
        yield emu


@pytest.fixture
def store(tmp_path):
    store = Store(str(tmp_path / "state.sqlite3"))
    yield store
    store.close()


def token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def test_the_default_account_is_the_emulators():
    assert ACCOUNT == "123456789012"


def test_job_times_are_utc_with_milliseconds_cut_not_rounded(far_from_utc):
    assert iso(T0) == "2027-01-15T08:00:00.000Z"
    assert iso(T0 + 0.0999) == "2027-01-15T08:00:00.099Z"
    assert iso(T0 + 3723.5) == "2027-01-15T09:02:03.500Z"
    assert iso(0.0) == "1970-01-01T00:00:00.000Z"


def test_pages_follow_each_other_to_the_end():
    items = list(range(7))
    first, following = page(items, 3, None)
    assert first == [0, 1, 2] and following
    second, following = page(items, 3, following)
    assert second == [3, 4, 5] and following
    last, following = page(items, 3, following)
    assert last == [6] and following is None


def test_an_exact_fit_has_no_next_page():
    assert page(list(range(6)), 3, token("v1:3")) == ([3, 4, 5], None)
    assert page(list(range(3)), 3, None) == ([0, 1, 2], None)
    assert page([], 3, None) == ([], None)
    # one item more than the page: a token
    assert page(list(range(4)), 3, None)[1] is not None


def test_no_token_or_an_empty_one_is_the_first_page():
    assert page(list(range(5)), 2, "")[0] == [0, 1]
    assert page(list(range(5)), 2, None)[0] == [0, 1]


@pytest.mark.parametrize(
    "bad",
    [
        "garbage!",  # not base64
        token("v2:2"),  # another version
        token("v1"),  # no number
        token("v1:"),
        token("v1:x"),
        token("v1:-1"),
        token("2:v1"),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not UTF-8
    ],
)
def test_a_token_the_service_did_not_give_is_refused(bad):
    with pytest.raises(EmulatorError) as info:
        page(list(range(5)), 2, bad)
    error = info.value
    assert (error.code, error.message, error.status) == ("BadRequestException", REFUSED, 400)


def test_a_page_past_the_end_is_empty():
    assert page(list(range(3)), 2, token("v1:9")) == ([], None)


def test_apps_page_over_http(emulator):
    amplify = emulator.client("amplify")
    created = [emulator.create_app(f"paged-{i}", ()) for i in range(5)]
    seen: list[str] = []
    kwargs: dict[str, str] = {}
    pages = 0
    while True:
        answer = amplify.list_apps(maxResults=2, **kwargs)
        seen += [a["appId"] for a in answer["apps"]]
        pages += 1
        if "nextToken" not in answer:
            break
        kwargs = {"nextToken": answer["nextToken"]}
    # every app once (apps created at one time are listed by id)
    assert len(seen) == len(set(seen)) and set(created) <= set(seen)
    assert seen == sorted(seen)
    assert pages == (len(seen) + 1) // 2
    with pytest.raises(ClientError) as info:
        amplify.list_apps(nextToken="garbage!")
    assert info.value.response["Error"]["Message"] == REFUSED


def test_app_ids_have_amplifys_form_and_follow_the_seed(store):
    backend = ServiceBackend(store, lambda: T0, random.Random(3))
    ids = [backend.new_app_id() for _ in range(60)]
    assert all(re.fullmatch(r"d[a-z0-9]{13}", i) for i in ids), ids
    assert set("".join(i[1:] for i in ids)) == set("abcdefghijklmnopqrstuvwxyz0123456789")
    again = ServiceBackend(store, lambda: T0, random.Random(3))
    assert [again.new_app_id() for _ in range(60)] == ids


def test_a_service_keeps_its_store_clock_and_random_source(store):
    rng = random.Random(1)
    backend = ServiceBackend(store, lambda: T0 + 5, rng)
    assert backend.store is store and backend.rng is rng and backend.clock() == T0 + 5
    # a service without jobs has nothing to finish
    assert backend.settle() == 0
    assert Amplify(store, lambda: T0, rng).settle() == 0


def test_a_missing_app_or_environment_is_named(store):
    backend = ServiceBackend(store, lambda: T0, random.Random(1))
    with pytest.raises(EmulatorError) as info:
        backend.require_app("dnope")
    error = info.value
    assert (error.code, error.message, error.status) == (
        "NotFoundException",
        "App dnope not found.",
        404,
    )
    assert error.fields == {"ResourceType": "App"}
    store.put_app("dhere", "here", {}, T0)
    store.put_environment("dhere", "dev", {}, T0)
    assert backend.require_app("dhere")["name"] == "here"
    assert backend.require_env("dhere", "dev")["env_name"] == "dev"
    with pytest.raises(EmulatorError) as env:
        backend.require_env("dhere", "prod")
    assert (env.value.code, env.value.message) == (
        "NotFoundException",
        "Backend environment prod not found for app dhere.",
    )
    assert env.value.fields == {"ResourceType": "BackendEnvironment"}
    # the app is looked for first
    with pytest.raises(EmulatorError) as app:
        backend.require_env("dnope", "dev")
    assert app.value.message == "App dnope not found."


def test_not_found_over_http_names_the_resource_type(emulator):
    amplify = emulator.client("amplify")
    with pytest.raises(ClientError) as info:
        amplify.get_app(appId="dnope")
    response = info.value.response
    assert response["Error"]["Code"] == "NotFoundException"
    assert response["Error"]["Message"] == "App dnope not found."
    app_id = emulator.create_app("found", ("dev",))
    with pytest.raises(ClientError) as env:
        amplify.get_backend_environment(appId=app_id, environmentName="prod")
    assert env.value.response["Error"]["Message"] == (
        f"Backend environment prod not found for app {app_id}."
    )
