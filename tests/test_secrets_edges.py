"""Edges of the secrets policy that mutation testing found no test for: what counts as a
secret value, and how much of a value a message may quote."""

from __future__ import annotations

from amplify_auth_widgets.secrets import REDACTED, contains_secret, quote


def test_an_empty_or_redacted_secret_is_not_a_secret():
    assert not contains_secret({"ClientSecret": ""})
    assert not contains_secret({"client_secret": None})
    assert not contains_secret({"PrivateKey": REDACTED})
    assert contains_secret({"Google": {"private_key": "k"}})
    assert contains_secret([{"ClientSecret": "s"}])


def test_a_huge_number_is_described_from_just_past_the_limit():
    # 160 bits (4 x QUOTE_LIMIT) is still quoted, shortened; one more bit is described
    assert quote(2**160 - 1) == "146150163733090291...6283019655932542975"
    assert quote(2**160) == "a whole number of about 49 digits"


def test_quotes_are_short_at_every_level():
    assert quote([1, 2, 3, 4, 5]) == "[1, 2, 3, 4, ...]"
    assert quote((1, 2, 3, 4, 5)) == "(1, 2, 3, 4, ...)"
    assert quote({1, 2, 3, 4, 5}) == "{1, 2, 3, 4, ...}"
    assert quote({f"k{i}": i for i in range(5)}) == "{'k0': 0, 'k1': 1, 'k2': 2, 'k3': 3, ..."
    assert quote({"a": {"b": {"c": {"d": 1}}}}) == "{'a': {'b': {'c': {...}}}}"
    assert quote("x" * 50) == "'xxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxx'"
