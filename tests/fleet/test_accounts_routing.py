"""fleet.accounts on its own: where a connection reaches (against the emulator, a connection
without a region and one whose account cannot be told), what a target's account and region
cells say, which connection each target goes through and why one none reaches is refused,
word for word, and the rows and frames of several connections put together.

``tests/fleet/test_fleet_accounts.py`` drives these through ``audit`` and ``apply`` on a fleet
of two accounts and two regions; these are the module's own tests (a mutation run of
``fleet.accounts`` takes the files named ``test_accounts*``), fast enough to run for each
mutant."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from amplify_auth_widgets import Connection
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.fleet.accounts import (
    LOCATION_COLUMNS,
    Location,
    connection_list,
    fill_location,
    locate,
    route,
    stack,
)

HOME, OTHER = "123456789012", "210987654321"
#: Three connections: the home account in two regions, the other account in one.
PLACES = [
    Location(HOME, "us-east-1"),
    Location(HOME, "eu-west-1"),
    Location(OTHER, "us-east-1"),
]


def targets(account: list, region: list) -> pd.DataFrame:
    """Targets with these location cells, an index of their own (not 0, 1, ...)."""
    return pd.DataFrame(
        {
            "app_id": [f"d{n}" for n in range(len(account))],
            "account_id": account,
            "region": region,
        },
        index=[10 + n for n in range(len(account))],
    )


def test_a_location_is_its_account_and_region_and_says_when_it_does_not_know():
    assert LOCATION_COLUMNS == ("account_id", "region")
    assert Location(HOME, "eu-west-1").as_dict() == {"account_id": HOME, "region": "eu-west-1"}
    assert Location(HOME, "eu-west-1").label() == f"{HOME}/eu-west-1"
    assert Location(None, None, "why").label() == "?/?"


def test_connection_list_takes_none_one_or_several_connections():
    (default,) = connection_list(None)
    assert default == Connection()  # AWS's default configuration
    one = Connection(region="eu-west-1")
    assert connection_list(one) == [one]
    two = (one, Connection(region="us-east-1"))
    assert connection_list(two) == list(two)
    assert connection_list(c for c in two) == list(two)  # any iterable


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        (
            "prod",
            TypeError,
            "connection must be a Connection or a list of them, not str (a profile name goes "
            "in Connection(profile=...))",
        ),
        (
            b"prod",
            TypeError,
            "connection must be a Connection or a list of them, not bytes (a profile name goes "
            "in Connection(profile=...))",
        ),
        (
            {"profile": "prod"},
            TypeError,
            "connection must be a Connection or a list of them, not dict (a profile name goes "
            "in Connection(profile=...))",
        ),
        ((), ValueError, "connection: give one Connection at least (or None for the default)"),
        (
            [Connection(), Connection(), 3],
            TypeError,
            "connection 3 is a int, not a Connection: build each with "
            "Connection(profile=..., region=...)",
        ),
    ],
)
def test_what_is_not_connections_is_refused_word_for_word(given, error, message):
    with pytest.raises(error) as raised:
        connection_list(given)
    assert str(raised.value) == message


def test_locate_tells_the_region_and_the_credentials_account():
    """The emulator answers STS as AWS does: the account of the access key."""
    with Emulator(job_seconds=0, regions=("us-east-1", "eu-west-1")) as emu:
        assert locate(emu.connection()) == Location(HOME, "us-east-1")
        assert locate(emu.connection(account=OTHER, region="eu-west-1")) == Location(
            OTHER, "eu-west-1"
        )


def test_locate_says_why_it_cannot_tell():
    """No region (the tests' AWS configuration has none): neither is known, and the error
    says what to set; a region but no answer from STS: the region, and why not the account."""
    nowhere = locate(Connection())
    assert (nowhere.account_id, nowhere.region) == (None, None)
    assert nowhere.error is not None and nowhere.error.startswith("No AWS region is set")
    gone = locate(Connection.for_emulator("http://127.0.0.1:1", max_attempts=1))
    assert (gone.account_id, gone.region) == (None, "us-east-1")
    assert gone.error is not None
    assert gone.error.startswith("Cannot tell which account the connection")


def test_fill_location_fills_only_what_a_row_does_not_say():
    rows: list[dict] = [
        {"app_id": "d1"},
        {"app_id": "d2", "account_id": None, "region": "eu-west-1"},
        {"app_id": "d3", "account_id": OTHER, "region": None},
    ]
    fill_location(rows, Location(HOME, "us-east-1"))
    assert rows == [
        {"app_id": "d1", "account_id": HOME, "region": "us-east-1"},
        {"app_id": "d2", "account_id": HOME, "region": "eu-west-1"},  # deployed: its own
        {"app_id": "d3", "account_id": OTHER, "region": "us-east-1"},
    ]


def test_stack_puts_frames_one_after_the_other_numbered_anew():
    one = pd.DataFrame({"a": [1, 2]}, index=[5, 6])
    assert stack([one]) is one  # one frame is itself, its index kept
    both = stack([one, pd.DataFrame({"a": [3]}, index=[5])])
    assert both["a"].tolist() == [1, 2, 3] and both.index.tolist() == [0, 1, 2]


def test_each_target_goes_through_the_connection_of_its_pair_with_its_index():
    frame = targets([HOME, OTHER, HOME, None], ["eu-west-1", "us-east-1", "us-east-1", "eu-west-1"])
    frame["environment"] = "dev"
    chosen, refused = route(frame, PLACES)
    assert refused == {}
    assert {n: part.index.tolist() for n, part in chosen.items()} == {1: [10, 13], 2: [11], 0: [12]}
    # the routed frames are the targets without where they are (the connection says it)
    assert all(list(part.columns) == ["app_id", "environment"] for part in chosen.values())
    assert chosen[1]["app_id"].tolist() == ["d0", "d3"]


@pytest.mark.parametrize(
    ("account", "region", "connection"),
    [
        (OTHER, None, 2),  # a missing region matches any: one connection reaches the account
        (None, "eu-west-1", 1),
        (math.nan, "eu-west-1", 1),  # NaN, <NA>, an empty or blank cell: not given
        (pd.NA, "eu-west-1", 1),
        ("", "eu-west-1", 1),
        (f"  {OTHER} ", " us-east-1", 2),  # cells are read stripped
        (int(OTHER), "us-east-1", 2),  # and as text (an account id read back as a number)
    ],
)
def test_a_cell_left_out_matches_any_and_cells_are_read_as_text(account, region, connection):
    frame = pd.DataFrame({"app_id": ["d0"], "account_id": [account], "region": [region]})
    frame = frame.astype(object)
    chosen, refused = route(frame, PLACES)
    assert refused == {} and list(chosen) == [connection]


def test_targets_without_location_columns_go_through_the_one_connection():
    frame = pd.DataFrame({"app_id": ["d0", "d1"]}, index=[4, 2])
    chosen, refused = route(frame, [Location(HOME, "us-east-1")])
    assert refused == {} and chosen[0].index.tolist() == [4, 2]
    assert list(chosen[0].columns) == ["app_id"]
    half = pd.DataFrame({"app_id": ["d0"], "region": ["eu-west-1"]})  # a region alone: none
    assert route(half, [Location(HOME, "us-east-1")])[0][0].columns.tolist() == ["app_id"]


def test_a_target_none_or_several_connections_reach_is_refused_with_why():
    frame = targets([None, "999999999999", HOME, None], [None, "us-east-1", None, "  "])
    places = [*PLACES, Location(None, "ap-south-1", "STS said no")]
    chosen, refused = route(frame, places)
    assert chosen == {}
    assert refused == {
        10: "the target names no account_id and region, and there are several connections: "
        "add the columns (an audit frame has them) to say which",
        11: "no connection reaches account 999999999999, region us-east-1 (the connections "
        f"reach {HOME}/us-east-1, {HOME}/eu-west-1, {OTHER}/us-east-1, ?/ap-south-1); "
        "STS said no",
        12: f"several connections reach account {HOME}, region any: name both account_id "
        "and region",
        13: refused[10],  # a blank cell names nothing
    }


def test_several_connections_reaching_any_account_and_errors_of_several_are_named():
    frame = targets([None, "999999999999"], ["us-east-1", "us-east-1"])
    places = [*PLACES, Location(None, None, "No region"), Location(None, "x-1", "STS said no")]
    _, refused = route(frame, places)
    assert refused == {
        10: "several connections reach account any, region us-east-1: name both account_id "
        "and region",
        11: "no connection reaches account 999999999999, region us-east-1 (the connections "
        f"reach {HOME}/us-east-1, {HOME}/eu-west-1, {OTHER}/us-east-1, ?/?, ?/x-1); "
        "No region; STS said no",
    }


def test_a_target_no_connection_reaches_is_refused_without_errors_to_add():
    frame = targets([OTHER], ["eu-west-1"])
    chosen, refused = route(frame, PLACES)
    assert chosen == {}
    assert refused == {
        10: f"no connection reaches account {OTHER}, region eu-west-1 (the connections reach "
        f"{HOME}/us-east-1, {HOME}/eu-west-1, {OTHER}/us-east-1)"
    }
