"""Edges of the secrets policy that mutation testing found no test for: what counts as a
secret value, and how much of a value a message may quote."""

from __future__ import annotations

from conftest import every_secret, get_at

from amplify_auth_widgets.core.secrets import REDACTED, contains_secret, quote, redact, scrub_text


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


def test_a_value_holding_a_secret_member_is_hidden_whole():
    assert quote({"a": {"ClientSecret": "s3cr3t"}}) == "(hidden)"
    assert quote([{"Google": {"private_key": "k3y"}}]) == "(hidden)"
    assert quote({"ClientSecret": ""}) == "(hidden)"  # the name alone: no value is looked at


def test_a_repeated_object_is_looked_at_once():
    # a YAML alias bomb: nine levels of ten references to one list are 10**9 items when
    # walked naively, and still just 91 distinct objects
    value: object = [1] * 10
    for _ in range(9):
        value = [value] * 10
    assert quote(value) == "[[[[...], [...], [...], [...], ...], ..."
    assert quote([[1] * 50] * 1000).startswith("[[1, 1, 1, 1, ...], [1, 1, 1, 1, ...]")


def test_a_value_too_big_to_look_through_is_described():
    assert quote(list(range(20_000))) == "(a list of 20000 items, too big to quote)"
    assert (
        quote({str(i): i for i in range(20_000)}) == "(an object of 20000 items, too big to quote)"
    )
    assert quote(tuple(range(20_000))) == "(a list of 20000 items, too big to quote)"


def test_a_secret_after_a_repeated_object_is_still_found():
    shared = [1]
    assert quote([{"ClientSecret": "s3cr3t"}, shared, shared]) == "(hidden)"


def test_the_inspection_budget_is_ten_thousand_values():
    # a list of n items costs n + 1 of the budget: 9,999 items are looked through, 10,000 not
    assert quote(list(range(9_999))) == "[0, 1, 2, 3, ...]"
    assert quote(list(range(10_000))) == "(a list of 10000 items, too big to quote)"


def test_another_services_operation_quotes_what_only_an_auth_shape_would_hide():
    google = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google"
    assert quote({"x": 1}, google) == "(hidden)"
    assert quote({"x": 1}, google, "CreateApp") == "{'x': 1}"


def test_scrubbing_finds_a_secret_in_a_wrongly_shaped_provider():
    # no secret member name on the way: only the sensitive shape says it is secret
    providers = {"Google": ["abcd-provider-secret"]}
    request = {
        "ResourceConfig": {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": providers}}}
    }
    said = "the service said abcd-provider-secret was bad"
    assert scrub_text(said, "CreateBackendAuth", request) == f"the service said {REDACTED} was bad"
    # another service's request is judged by the names alone: no ClientSecret, nothing to hide
    assert scrub_text(said, "CreateApp", request) == said


def test_a_secret_of_four_characters_is_scrubbed_and_of_three_not():
    for secret, scrubbed in (("abcd", True), ("abc", False)):
        request = {"ClientSecret": secret}
        said = scrub_text(f"got {secret} back", "CreateBackendAuth", request)
        assert said == (f"got {REDACTED} back" if scrubbed else f"got {secret} back")


def test_botocore_reports_are_scrubbed_by_the_operations_shapes():
    google = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google"
    report = (
        f"Invalid type for parameter {google}, value: ['abcd'], type: <class 'list'>, "
        "valid types: <class 'dict'>"
    )
    assert "value: <redacted>," in scrub_text(report, "CreateBackendAuth")
    # for another service's operation the path names no secret member: the value stays
    assert scrub_text(report, "CreateApp") == report


def test_an_empty_secret_stays_empty_when_redacted():
    # nothing to hide, and the validator then says it is missing rather than "<redacted>"
    assert redact({"ClientSecret": "", "client_id": "c"}) == {"ClientSecret": "", "client_id": "c"}
    google = {"Google": ""}  # a provider of the wrong shape, but empty
    request = {"ResourceConfig": {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": google}}}}
    assert redact(request, "CreateBackendAuth") == request


def test_a_secret_inside_another_is_scrubbed_whole():
    # the longer secret first: scrubbing "abcd" first would leave the "Z" of "Zabcd"
    request = {"ClientSecret": "abcd", "PrivateKey": "Zabcd"}
    said = scrub_text("keys abcd and Zabcd", "CreateBackendAuth", request)
    assert said == f"keys {REDACTED} and {REDACTED}"


def test_a_secret_quoted_with_escapes_is_scrubbed_whole():
    secret = "line1\nline2"  # a PEM key has line breaks; a repr shows them as \n
    said = scrub_text(f"got {secret!r}", "CreateBackendAuth", {"PrivateKey": secret})
    assert said == f"got '{REDACTED}'"


def test_redaction_changes_nothing_but_the_secrets():
    request, planted = every_secret()
    redacted = redact(request, "CreateBackendAuth")
    for path in planted:
        *parents, last = path.split(".")
        get_at(redacted, ".".join(parents))[last] = get_at(request, path)
    assert redacted == request  # lists, numbers and every other member as they were


def test_scrubbing_looks_through_ten_thousand_objects_and_no_more():
    # the same budget as quoting: the walk for secret strings stops after 10,000 objects, so a
    # request the size rule refuses anyway cannot make scrubbing slow. Here the secret is the
    # last object walked: the 9,999th, then the 10,000th.
    said = "the service said deep-secret"
    for others, scrubbed in ((9_997, True), (9_998, False)):
        request = [{"ClientSecret": "deep-secret"}] + [{} for _ in range(others)]
        expected = f"the service said {REDACTED}" if scrubbed else said
        assert scrub_text(said, "CreateBackendAuth", request) == expected


def test_scrubbing_a_yaml_alias_bomb_looks_at_each_object_once():
    # forty levels of two references to one list: 2**40 paths when walked naively (the test
    # would then not finish before its timeout), 41 distinct objects
    bomb: object = [{"ClientSecret": "bomb-secret"}]
    for _ in range(40):
        bomb = [bomb, bomb]
    said = scrub_text("the service said bomb-secret", "CreateBackendAuth", {"x": bomb})
    assert said == f"the service said {REDACTED}"


def test_a_member_whose_name_only_ends_in_a_secret_name_is_not_scrubbed():
    # "XClientSecret" is no secret member: its value stays, in the text and in the redaction
    request = {"XClientSecret": "abcd-kept", "Nested": {"ClientSecret": "abcd-gone"}}
    said = scrub_text("got abcd-kept and abcd-gone", "CreateBackendAuth", request)
    assert said == f"got abcd-kept and {REDACTED}"
    assert redact(request)["XClientSecret"] == "abcd-kept"
