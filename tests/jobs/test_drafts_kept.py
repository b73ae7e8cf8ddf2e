"""What a draft keeps (``jobs.drafts``), member by member: the model's shapes (a list kept as a
list of its scalars, anything else in a member's place left out), the secrets named to type
again however they are spelled (and only real ones: an empty secret, a structure that holds no
secret, a name that only looks like a secret's are not named), the times a row may carry, and
what ``load(strict=True)`` says of a row it cannot read."""

from __future__ import annotations

import json

import pytest

from amplify_auth_widgets.core.model import REDACTED, request_spec
from amplify_auth_widgets.jobs.drafts import (
    MAX_TIME,
    DraftStore,
    UnreadableDraft,
    draft_of,
    keep_known,
)
from amplify_auth_widgets.jobs.history import JobHistory

UPC = "ResourceConfig.UserPoolConfigs"
GOOGLE = f"{UPC}.OAuth.SocialProviderSettings.Google"


def pool(**members: object) -> dict:
    return {"AppId": "a", "ResourceConfig": {"UserPoolConfigs": dict(members)}}


def google(settings: object) -> dict:
    return pool(OAuth={"SocialProviderSettings": {"Google": settings}})


@pytest.fixture
def store(tmp_path):
    with JobHistory(tmp_path / "h.sqlite3") as history:
        yield DraftStore(history)


def saved(store: DraftStore, request: object, operation: str = "CreateBackendAuth"):
    store.save(request, operation)
    draft = store.load(strict=True)
    assert draft is not None
    return draft


def test_a_list_is_kept_as_its_scalars_and_a_list_in_another_shape_is_left_out(store):
    scopes = ["EMAIL", {"x": 1}, ["OPENID"], "OPENID"]
    draft = saved(store, pool(OAuth={"OAuthScopes": scopes}, RequiredSignUpAttributes="EMAIL"))
    assert draft.request == pool(OAuth={"OAuthScopes": ["EMAIL", "OPENID"]})
    assert draft.reenter == ()  # nothing of it was a secret


def test_a_structure_or_value_in_a_place_the_model_gives_another_shape_is_left_out(store):
    request = pool(PasswordPolicy="strong", UserPoolName={"n": 1}, SignInMethod=["EMAIL"])
    request["AppId"] = ["a"]
    draft = saved(store, request)
    assert draft.request == {"ResourceConfig": {"UserPoolConfigs": {}}}
    assert draft.reenter == ()  # a structure that holds no secret is no secret to type again


@pytest.mark.parametrize("empty", ["", None])
def test_an_empty_secret_or_provider_is_nothing_to_type_again(store, empty):
    for request in (google({"ClientId": "c", "ClientSecret": empty}), google(empty)):
        draft = saved(store, request)
        assert draft.reenter == ()
        assert REDACTED not in json.dumps(draft.request)


@pytest.mark.parametrize(
    "name", ["client_secret", "client-secret", "Client_Secret ", "CLIENTSECRET", "client secret"]
)
def test_a_secret_spelled_otherwise_is_named_to_type_again(store, name):
    draft = saved(store, google({"ClientId": "c", name: "typed"}))
    assert draft.reenter == (f"{GOOGLE}.{name}",)
    assert draft.request == google({"ClientId": "c"})


@pytest.mark.parametrize("name", ["aws_secret_access_key", "SessionToken", "secret-key"])
def test_credentials_anywhere_are_named_to_type_again(store, name):
    draft = saved(store, {"AppId": "a", name: "typed"})
    assert draft.reenter == (name,) and draft.request == {"AppId": "a"}


@pytest.mark.parametrize("name", ["ClientSecretX", "xClientSecret", "Client.Secret"])
def test_a_name_that_only_looks_like_a_secrets_is_left_out_and_not_named(store, name):
    draft = saved(store, google({"ClientId": "c", name: "typed"}))
    assert draft.reenter == () and draft.request == google({"ClientId": "c"})


def test_a_secret_member_on_its_own_is_redacted_unless_empty():
    spec = request_spec("CreateBackendAuth").find(f"{GOOGLE}.ClientSecret")
    assert spec is not None
    assert keep_known("typed", spec) == REDACTED
    assert keep_known(12345, spec) == REDACTED
    assert keep_known("", spec) == "" and keep_known(None, spec) is None


@pytest.mark.parametrize("request_", [["AppId", "a"], "AppId", REDACTED, 7, None])
def test_a_request_that_is_no_object_saves_an_empty_draft_that_reads_back(store, request_):
    assert draft_of(request_, "CreateBackendAuth") == {}
    draft = saved(store, request_)
    assert draft.request == {} and draft.reenter == ()


def test_the_same_request_saves_the_same_text_whatever_the_order_typed(store):
    texts = []
    for request in (
        {"AppId": "a", "BackendEnvironmentName": "dev"},
        {"BackendEnvironmentName": "dev", "AppId": "a"},
    ):
        store.save(request, "CreateBackendAuth")
        texts.append(store.database.query("SELECT request FROM drafts")[0][0])
    assert texts[0] == texts[1]


@pytest.mark.parametrize("time", [0, 0.5, MAX_TIME])
def test_a_row_of_any_time_from_the_epoch_to_the_year_9999_is_a_draft(store, time):
    with store.database.transaction() as db:
        db.execute("INSERT INTO drafts VALUES ('last', ?, 'CreateBackendAuth', '{}')", (time,))
    draft = store.load(strict=True)
    assert draft is not None and draft.time == time and isinstance(draft.time, float)


@pytest.mark.parametrize(
    ("time", "text", "why"),
    [
        (MAX_TIME + 1, "{}", r"^its time, operation or request is not one a draft holds$"),
        (1.0, "[1, 2", r"^its request cannot be read \(JSONDecodeError\)$"),
        (
            1.0,
            '{"a":' * 5000 + "1" + "}" * 5000,
            r"^its request cannot be read \(RecursionError\)$",
        ),
        (1.0, "[1, 2]", r"^its request is not a JSON object$"),
    ],
)
def test_a_strict_load_says_why_a_row_is_no_draft(store, time, text, why):
    with store.database.transaction() as db:
        db.execute("INSERT INTO drafts VALUES ('last', ?, 'CreateBackendAuth', ?)", (time, text))
    with pytest.raises(UnreadableDraft, match=why):
        store.load(strict=True)
    assert store.load() is None
