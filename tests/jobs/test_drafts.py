"""Drafts (``jobs.drafts``): the form's request kept in the history's file, never a secret."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import every_secret

from amplify_auth_widgets.core.model import REDACTED
from amplify_auth_widgets.jobs.drafts import DraftStore, without_secrets
from amplify_auth_widgets.jobs.history import JobHistory


def test_a_draft_comes_back_without_its_secrets_which_are_named(tmp_path, clock):
    request, planted = every_secret(AppId="d4demonew")
    path = tmp_path / "history.sqlite3"
    with JobHistory(path, clock) as history:
        DraftStore(history).save(request, "UpdateBackendAuth")
    with JobHistory(path, clock) as history:  # another kernel, later
        draft = DraftStore(history).load()
    assert draft is not None and draft.operation == "UpdateBackendAuth"
    assert draft.time == clock.now
    assert sorted(draft.reenter) == sorted(planted)
    for secret_path in planted:  # the secrets are gone from the request, not "<redacted>"
        parent, _, name = secret_path.rpartition(".")
        node = draft.request
        for part in parent.split("."):
            node = node[part]
        assert name not in node
    assert draft.request["AppId"] == "d4demonew"
    assert REDACTED not in repr(draft.request)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert not [s for s in planted.values() if s.encode() in stored]


def test_one_last_draft_replaced_and_cleared(tmp_path, clock):
    with JobHistory(tmp_path / "h.sqlite3", clock) as history:
        store = DraftStore(history)
        assert store.load() is None
        store.save({"AppId": "first"}, "CreateBackendAuth")
        clock.advance(5)
        store.save({"AppId": "second"}, "CreateBackendAuth")
        draft = store.load()
        assert draft is not None and draft.request == {"AppId": "second"}
        assert draft.reenter == () and draft.time == clock.now
        store.clear()
        assert store.load() is None


def test_a_hand_edited_draft_gives_no_draft_and_real_secrets_are_still_taken_out(tmp_path):
    path = tmp_path / "h.sqlite3"
    with JobHistory(path) as history:
        DraftStore(history).save({"AppId": "a"}, "CreateBackendAuth")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE drafts SET operation = 'DeleteBackendAuth'")
    with JobHistory(path) as history:
        assert DraftStore(history).load() is None
    with sqlite3.connect(path) as db:
        db.execute("UPDATE drafts SET operation = 'CreateBackendAuth', request = '[1, 2'")
    with JobHistory(path) as history:
        assert DraftStore(history).load() is None
    with sqlite3.connect(path) as db:
        db.execute(
            'UPDATE drafts SET request = \'{"ResourceConfig": {"UserPoolConfigs": '
            '{"OAuth": {"SocialProviderSettings": {"Google": '
            '{"ClientId": "c", "ClientSecret": "typed-in"}}}}}}\''
        )
    with JobHistory(path) as history:
        draft = DraftStore(history).load()
    assert draft is not None and "typed-in" not in repr(draft)
    assert draft.reenter == (
        "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret",
    )


def test_without_secrets_walks_lists_too():
    kept, removed = without_secrets({"a": [REDACTED, {"b": REDACTED, "c": 1}], "d": REDACTED})
    assert kept == {"a": [{"c": 1}]} and removed == ["a[0]", "a[1].b", "d"]


SECRET = "S3CRET"


def social(settings) -> dict:
    return {
        "AppId": "a",
        "BackendEnvironmentName": "dev",
        "ResourceConfig": {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": settings}}},
    }


#: A security review's spellings of a secret: none may reach the draft's file.
SPELLINGS = {
    "member": social({"Google": {"ClientId": "i", "ClientSecret": SECRET + "1"}}),
    "wire": social({"Google": {"client_id": "i", "client_secret": SECRET + "2"}}),
    "lower case": social({"Google": {"clientsecret": SECRET + "3"}}),
    "camel case": social({"Google": {"clientSecret": SECRET + "4"}}),
    "dashed": social({"Google": {"client-secret": SECRET + "5"}}),
    "provider in lower case": social({"google": {"clientSecret": SECRET + "6"}}),
    "apple private key": social({"SignInWithApple": {"privateKey": SECRET + "7"}}),
    "provider as a list": social({"Google": [{"ClientSecret": SECRET + "8"}, SECRET + "8b"]}),
    "provider as a string": social({"Google": json.dumps({"ClientSecret": SECRET + "9"})}),
    "providers as a string": social(json.dumps({"Google": {"ClientSecret": SECRET + "10"}})),
    "providers as a list": social([{"Google": {"client_secret": SECRET + "11"}}]),
    "secret as an object": social({"Google": {"ClientSecret": {"v": SECRET + "12"}}}),
    "AWS credentials": {"AppId": "a", "SecretAccessKey": SECRET + "13"},
    "AWS credentials, file spelling": {"AppId": "a", "aws_secret_access_key": SECRET + "14"},
    "trailing space": social({"Google": {"ClientSecret ": SECRET + "15"}}),
    "secret as a number": social({"Google": {"ClientSecret": 31415926}}),
    "OAuth as a list": social({})
    | {
        "ResourceConfig": {
            "UserPoolConfigs": {
                "OAuth": [{"SocialProviderSettings": {"Facebook": {"ClientSecret": SECRET + "16"}}}]
            }
        }
    },
    "secret as a member name": social({"Google": {SECRET + "17": "x"}}),
    "unknown member of the config": {"ResourceConfig": {"Token": SECRET + "18"}},
}


@pytest.mark.parametrize("name", SPELLINGS)
def test_no_spelling_of_a_secret_reaches_the_drafts_file(tmp_path, name):
    path = tmp_path / "h.sqlite3"
    with JobHistory(path) as history:
        store = DraftStore(history)
        store.save(SPELLINGS[name], "CreateBackendAuth")
        draft = store.load()
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert SECRET.encode() not in stored and b"31415926" not in stored
    assert draft is not None and SECRET not in repr(draft) and "31415926" not in repr(draft)
    assert draft.request.get("AppId", "a") == "a"  # what cannot be a secret is kept


def test_a_secret_in_another_shape_is_named_to_type_again(tmp_path):
    with JobHistory(tmp_path / "h.sqlite3") as history:
        store = DraftStore(history)
        store.save(SPELLINGS["provider as a string"], "CreateBackendAuth")
        draft = store.load()
    assert draft is not None
    assert draft.reenter == ("ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google",)


@pytest.mark.parametrize(
    ("saved", "text"),
    [
        ("abc", '{"AppId": "a"}'),  # a time that is no number
        (1e300, '{"AppId": "a"}'),  # beyond any calendar
        (float("inf"), '{"AppId": "a"}'),
        (-5.0, '{"AppId": "a"}'),
        (b"\x00", '{"AppId": "a"}'),
        (1.0, b"\xff\xfe"),  # a request that is no text
        (1.0, 12),
        (1.0, '{"a":' * 5000 + "1" + "}" * 5000),  # too deep for the JSON reader
        (1.0, "[" * 900 + "]" * 900),  # deep, and no request
    ],
)
def test_a_malformed_row_gives_no_draft(tmp_path, saved, text):
    with JobHistory(tmp_path / "h.sqlite3") as history:
        store = DraftStore(history)
        with store.database.transaction() as db:
            db.execute(
                "INSERT INTO drafts VALUES ('last', ?, 'CreateBackendAuth', ?)", (saved, text)
            )
        assert store.load() is None


def test_a_deep_member_the_model_does_not_know_is_left_out(tmp_path):
    deep = '{"a":' * 900 + "1" + "}" * 900  # readable, but too deep for any walk of it
    text = '{"AppId": "a", "ResourceConfig": {"UserPoolConfigs": {"x": ' + deep + "}}}"
    with JobHistory(tmp_path / "h.sqlite3") as history:
        store = DraftStore(history)
        with store.database.transaction() as db:
            db.execute("INSERT INTO drafts VALUES ('last', 1.0, 'CreateBackendAuth', ?)", (text,))
        draft = store.load()
    assert draft is not None
    assert draft.request == {"AppId": "a", "ResourceConfig": {"UserPoolConfigs": {}}}
