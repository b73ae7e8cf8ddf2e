"""The target choosers (widgets/targets.py) on a connection faked in memory: what each listing
offers, the hint under App ID, the resource names suggested, what the picker reports as the
environment's existing auth, and what a listing that fails says. No emulator: each test runs
in milliseconds, so that a mutation run of the module gets its verdicts fast."""

from __future__ import annotations

import json
import threading
from types import SimpleNamespace
from typing import Any

import pytest

from amplify_auth_widgets.client.service import ApiError, PaginationError
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.widgets.fields import MISSING
from amplify_auth_widgets.widgets.html import muted_html, warning_html
from amplify_auth_widgets.widgets.targets import (
    PLACEHOLDERS,
    ComboField,
    TargetPicker,
    existing_auth,
    list_apps,
    list_environments,
    suggest_resource_name,
)

TARGET = ("AppId", "BackendEnvironmentName", "ResourceName")


class Amplify:
    """The `amplify` client: apps and environments, a page at a time when asked."""

    def __init__(self, apps: list[Any], envs: dict[str, list[Any]], fail: Exception | None):
        self.apps, self.envs, self.fail = apps, envs, fail
        self.env_requests: list[dict[str, Any]] = []

    def list_apps(self, **request: Any) -> dict[str, Any]:
        if self.fail is not None:
            raise self.fail
        return {"apps": self.apps}

    def list_backend_environments(self, **request: Any) -> dict[str, Any]:
        self.env_requests.append(request)
        return {"backendEnvironments": self.envs.get(request["appId"], [])}


class Backend:
    """The `amplifybackend` client: each environment's Amplify metadata."""

    def __init__(self, meta: dict[tuple[str, str], Any]):
        self.meta = meta

    def get_backend(self, AppId: str, BackendEnvironmentName: str) -> dict[str, Any]:
        found = self.meta[(AppId, BackendEnvironmentName)]
        if isinstance(found, Exception):
            raise found
        return {"AmplifyMetaConfig": found}


class Connection:
    def __init__(self, amplify: Amplify, backend: Backend):
        self.clients = {"amplify": amplify, "amplifybackend": backend}

    def client(self, name: str) -> Any:
        return self.clients[name]


class Service:
    def __init__(self, connection: Any):
        self.connection = connection


def auth_meta(*names: str) -> str:
    return json.dumps({"auth": {n: {"service": "Cognito"} for n in names}, "api": {}})


APPS = [{"appId": "d1shop", "name": "Shop Front!"}, {"appId": "d2bare"}]
ENVS = {"d1shop": [{"environmentName": "dev"}, {"environmentName": "prod"}]}
META = {
    ("d1shop", "dev"): auth_meta("shopauth01"),
    ("d1shop", "prod"): "{}",
    ("d0other", "dev"): auth_meta("otherauth"),  # an app the listing does not show
}


def picker(
    apps: list[Any] = APPS,
    meta: dict[tuple[str, str], Any] = META,
    fail: Exception | None = None,
    service: Any = "connected",
    background: bool = False,
) -> tuple[TargetPicker, dict[str, ComboField], Amplify]:
    spec = request_spec("CreateBackendAuth")
    fields = {p: ComboField(spec.member(p), lambda _: None) for p in TARGET}
    amplify = Amplify(apps, ENVS, fail)
    if service == "connected":
        service = Service(Connection(amplify, Backend(meta)))
    chooser = TargetPicker(fields.__getitem__, lambda: service, background=background)
    chooser.refresh()
    chooser.join()
    return chooser, fields, amplify


def test_apps_are_listed_from_every_page_and_malformed_ones_are_left_out():
    pages = {
        None: {
            "apps": [{"appId": "d1", "name": "one"}, {"appId": ""}, "d9", {"name": "x"}],
            "nextToken": "p2",
        },
        "p2": {"apps": [{"appId": "d2", "name": 7}, {"appId": 3, "name": "n"}]},
    }

    class Paged:
        def list_apps(self, **request: Any) -> dict[str, Any]:
            return pages[request.get("nextToken")]

    connection = Connection(Paged(), Backend({}))  # type: ignore[arg-type]
    assert list_apps(connection) == [("d1", "one"), ("d2", "")]


class Repeating:
    """A service that gives the same page token again: the listing would never end."""

    def list_apps(self, **request: Any) -> dict[str, Any]:
        return {"apps": [], "nextToken": "again"}

    def list_backend_environments(self, **request: Any) -> dict[str, Any]:
        return {"backendEnvironments": [], "nextToken": "again"}


def test_a_listing_that_would_never_end_stops_with_an_error_naming_the_listing():
    connection = Connection(Repeating(), Backend({}))  # type: ignore[arg-type]
    with pytest.raises(PaginationError) as apps:
        list_apps(connection)
    assert str(apps.value).startswith("ListApps failed: RepeatedPageToken: ")
    with pytest.raises(PaginationError) as envs:
        list_environments(connection, "d1")
    assert str(envs.value).startswith("ListBackendEnvironments failed: RepeatedPageToken: ")


def test_environments_are_listed_from_every_page():
    pages = {
        None: {"backendEnvironments": [{"environmentName": "dev"}], "nextToken": "p2"},
        "p2": {"backendEnvironments": [{"environmentName": "prod"}]},
    }

    class Paged:
        def list_backend_environments(self, **request: Any) -> dict[str, Any]:
            assert request["appId"] == "d1"
            return pages[request.get("nextToken")]

    connection = Connection(Paged(), Backend({}))  # type: ignore[arg-type]
    assert list_environments(connection, "d1") == ["dev", "prod"]


def test_environments_are_listed_for_the_app_asked_and_malformed_ones_left_out():
    amplify = Amplify([], {"d1": [{"environmentName": "dev"}, {"environmentName": ""}, "x"]}, None)
    amplify.envs["d1"] += [{"environmentName": 5}, {"name": "y"}, {"environmentName": "prod"}]
    connection = Connection(amplify, Backend({}))
    assert list_environments(connection, "d1") == ["dev", "prod"]
    assert amplify.env_requests == [{"appId": "d1"}]


@pytest.mark.parametrize(
    ("meta", "names"),
    [
        (auth_meta("a1", "b2"), ["a1", "b2"]),
        ("{}", []),
        (None, []),  # no metadata at all
        ("not json", []),
        ("[1, 2]", []),  # JSON, not an object
        (json.dumps({"auth": ["a1"]}), []),  # auth not a mapping of resources
    ],
)
def test_existing_auth_reads_the_environment_s_metadata(meta, names):
    connection = Connection(Amplify([], {}, None), Backend({("d1", "dev"): meta}))
    assert existing_auth(connection, "d1", "dev") == names


def test_a_resource_name_is_made_from_the_app_s_name_as_the_cli_does():
    assert suggest_resource_name("Todo <App> 2") == "todoapp2auth"
    assert suggest_resource_name("ÄÖ-!") == "auth"  # nothing left of the name
    assert suggest_resource_name("") == "auth"
    assert suggest_resource_name("A" * 60) == "a" * 40 + "auth"


def test_a_combobox_says_what_to_do_while_empty_and_holds_the_id_an_option_stands_for():
    spec = request_spec("CreateBackendAuth")
    changed: list[Any] = []
    app = ComboField(spec.member("AppId"), changed.append)
    env = ComboField(spec.member("BackendEnvironmentName"), changed.append)
    assert app.control.placeholder == PLACEHOLDERS["AppId"]
    assert env.control.placeholder == PLACEHOLDERS["BackendEnvironmentName"]
    assert {"aaw-target-app", "aaw-combo-chooser"} <= set(app.control._dom_classes)
    assert "aaw-target-env" in env.control._dom_classes
    assert app.control.ensure_option is False  # an ID can be typed
    assert app.control.layout.width == "100%"  # as wide as its field
    assert app.get() is MISSING
    app.choices = {"Shop (d1shop)": "d1shop"}
    app.control.value = "Shop (d1shop)"
    assert app.control.value == "d1shop" and app.get() == "d1shop"
    assert changed == [app]  # one change, not one for the option and one for its ID
    app.control.value = "d7typed"
    assert app.get() == "d7typed"
    app.control.value = ""
    assert app.get() is MISSING


def test_an_option_s_text_given_as_the_value_is_read_as_the_id_it_stands_for():
    spec = request_spec("CreateBackendAuth")
    app = ComboField(spec.member("AppId"), lambda _: None)
    app.choices = {"Shop (d1shop)": "d1shop"}
    app.set("Shop (d1shop)")  # a request (a draft, a file) holding what the list showed
    assert app.get() == "d1shop"


def test_a_combobox_of_another_member_gets_the_generic_class_and_no_placeholder():
    spec = request_spec("CreateBackendAuth")
    other = ComboField(spec.member("ResourceConfig").member("AuthResources"), lambda _: None)
    assert "aaw-combo" in other.control._dom_classes
    assert "aaw-combo-chooser" in other.control._dom_classes
    assert other.control.placeholder == ""


def test_apps_are_offered_by_name_and_id_and_the_hint_counts_them():
    chooser, fields, _ = picker()
    app = fields["AppId"]
    assert app.control.options == ("Shop Front! (d1shop)", "d2bare")
    assert app.choices == {"Shop Front! (d1shop)": "d1shop"}
    assert chooser.hint.value == muted_html("2 app(s) on this connection.")
    assert "aaw-target-hint" in chooser.hint._dom_classes
    assert chooser.hint in app.box.children  # under App ID
    assert fields["BackendEnvironmentName"].control.options == ()
    assert fields["ResourceName"].control.options == ()
    assert fields["ResourceName"].control.placeholder == PLACEHOLDERS["ResourceName"]


def test_choosing_an_app_names_it_lists_its_environments_and_suggests_a_resource():
    chooser, fields, _ = picker()
    fields["AppId"].control.value = "Shop Front! (d1shop)"
    assert fields["AppId"].get() == "d1shop"
    assert chooser.hint.value == muted_html("Shop Front!")
    assert fields["BackendEnvironmentName"].control.options == ("dev", "prod")
    resource = fields["ResourceName"].control
    assert resource.options == ("shopfrontauth",)
    assert resource.placeholder == "e.g. shopfrontauth"
    assert chooser.existing == ()


def test_an_app_listed_without_a_name_is_not_said_to_be_unlisted():
    chooser, fields, _ = picker()
    fields["AppId"].control.value = "d2bare"  # offered by its ID alone, and chosen
    assert chooser.hint.value == muted_html("2 app(s) on this connection.")
    assert fields["ResourceName"].control.options == ("auth",)


def test_an_id_typed_that_is_not_listed_is_said_so_and_lists_nothing():
    chooser, fields, amplify = picker()
    fields["AppId"].control.value = "d1shop"
    assert fields["BackendEnvironmentName"].control.options == ("dev", "prod")
    fields["AppId"].control.value = "d0other"
    assert chooser.hint.value == muted_html("Not one of the apps listed on this connection.")
    assert fields["BackendEnvironmentName"].control.options == ()
    assert fields["ResourceName"].control.options == ()
    assert fields["ResourceName"].control.placeholder == PLACEHOLDERS["ResourceName"]
    assert amplify.env_requests == [{"appId": "d1shop"}]  # the unknown app is not asked
    fields["BackendEnvironmentName"].control.value = "dev"  # typed too
    assert chooser.existing == ()  # only a listed app's environment is looked at
    assert fields["ResourceName"].control.options == ()


def test_an_environment_with_auth_offers_its_resources_first_and_reports_them():
    chooser, fields, _ = picker()
    fields["AppId"].control.value = "Shop Front! (d1shop)"
    fields["BackendEnvironmentName"].control.value = "dev"
    resource = fields["ResourceName"].control
    assert resource.options == ("shopauth01", "shopfrontauth")
    assert resource.placeholder == "e.g. shopauth01"
    assert resource.value == ""  # a suggestion, never a value the user did not choose
    assert chooser.existing == ("d1shop", "dev", ("shopauth01",))
    fields["BackendEnvironmentName"].control.value = "prod"  # no auth there
    assert chooser.existing == ()
    assert resource.options == ("shopfrontauth",)


def test_the_suggestion_is_not_offered_twice_when_the_environment_has_it():
    meta = {("d1shop", "dev"): auth_meta("shopfrontauth")}
    chooser, fields, _ = picker(meta=meta)
    fields["AppId"].control.value = "d1shop"
    fields["BackendEnvironmentName"].control.value = "dev"
    assert fields["ResourceName"].control.options == ("shopfrontauth",)
    assert chooser.existing == ("d1shop", "dev", ("shopfrontauth",))


def test_an_environment_whose_metadata_cannot_be_read_keeps_the_suggestion():
    meta = {("d1shop", "dev"): ApiError("GetBackend", "NotFoundException", "no such backend")}
    chooser, fields, _ = picker(meta=meta)
    fields["AppId"].control.value = "d1shop"
    fields["BackendEnvironmentName"].control.value = "dev"
    assert fields["ResourceName"].control.options == ("shopfrontauth",)
    assert chooser.existing == ()
    assert chooser.hint.value == muted_html("Shop Front!")  # no error said: only a hint lost


def test_a_listing_that_fails_says_so_in_words_under_app_id():
    denied = ApiError("ListApps", "AccessDeniedException", "not allowed to list apps")
    chooser, fields, _ = picker(fail=denied)
    assert chooser.hint.value == warning_html(
        "Could not list the apps on this connection: not allowed to list apps. "
        "Type the IDs instead."
    )
    assert fields["AppId"].control.options == ()
    fields["AppId"].control.value = "d1typed"  # typing still works
    assert fields["AppId"].get() == "d1typed"
    assert "Could not list the apps" in chooser.hint.value  # still said after typing


def test_a_failure_that_is_no_api_error_is_said_in_words_too():
    chooser, _, _ = picker(fail=RuntimeError("socket closed"))
    assert chooser.hint.value == warning_html(
        "Could not list the apps on this connection: socket closed. Type the IDs instead."
    )


def test_an_environment_listing_that_fails_is_named_as_such():
    chooser, fields, amplify = picker()

    def refuse(**request: Any) -> dict[str, Any]:
        raise ApiError("ListBackendEnvironments", "AccessDeniedException", "no environments")

    amplify.list_backend_environments = refuse  # type: ignore[method-assign]
    fields["AppId"].control.value = "d1shop"
    assert chooser.hint.value == warning_html(
        "Could not list the environments on this connection: no environments. Type the IDs instead."
    )


def test_no_connection_lists_nothing_and_says_nothing():
    for service in (None, object()):  # not connected; a service without a connection
        chooser, fields, _ = picker(service=service)
        assert fields["AppId"].control.options == ()
        assert chooser.hint.value == ""
        fields["AppId"].control.value = "d1shop"
        fields["BackendEnvironmentName"].control.value = "dev"
        assert chooser.hint.value == "" and chooser.existing == ()
        assert fields["ResourceName"].control.options == ()


def test_with_no_app_listed_a_choice_asks_the_service_nothing():
    chooser, fields, amplify = picker(apps=[])
    assert chooser.hint.value == muted_html("0 app(s) on this connection.")
    fields["AppId"].control.value = "d1shop"
    fields["BackendEnvironmentName"].control.value = "dev"
    assert amplify.env_requests == []
    assert chooser.hint.value == muted_html("0 app(s) on this connection.")
    assert chooser.existing == ()


def test_by_default_listing_runs_in_the_background_and_the_kernel_does_not_wait():
    spec = request_spec("CreateBackendAuth")
    fields = {p: ComboField(spec.member(p), lambda _: None) for p in TARGET}
    amplify = Amplify(APPS, ENVS, None)
    gate = threading.Event()
    listing = amplify.list_apps

    def slow(**request: Any) -> dict[str, Any]:
        gate.wait(10)
        return listing(**request)

    amplify.list_apps = slow  # type: ignore[method-assign]
    service = Service(Connection(amplify, Backend(META)))
    chooser = TargetPicker(fields.__getitem__, lambda: service)
    before = set(threading.enumerate())
    chooser.refresh()  # returns while the service has not answered
    assert fields["AppId"].control.options == ()
    started = set(threading.enumerate()) - before
    # a listing that hangs keeps no kernel or script from exiting
    assert started and all(thread.daemon for thread in started)
    chooser.join(timeout=0.05)  # a wait that is given up, not a hang
    assert fields["AppId"].control.options == ()
    gate.set()
    chooser.join()
    assert fields["AppId"].control.options == ("Shop Front! (d1shop)", "d2bare")


def test_a_target_chosen_before_the_connection_is_listed_once_connected():
    spec = request_spec("CreateBackendAuth")
    fields = {p: ComboField(spec.member(p), lambda _: None) for p in TARGET}
    fields["AppId"].control.value = "d1shop"  # typed, or a draft put back
    fields["BackendEnvironmentName"].control.value = "dev"
    service = Service(Connection(Amplify(APPS, ENVS, None), Backend(META)))
    chooser = TargetPicker(fields.__getitem__, lambda: service, background=False)
    chooser.refresh()
    assert chooser.hint.value == muted_html("Shop Front!")
    assert fields["BackendEnvironmentName"].control.options == ("dev", "prod")
    assert fields["ResourceName"].control.options == ("shopauth01", "shopfrontauth")
    assert chooser.existing == ("d1shop", "dev", ("shopauth01",))


def test_listing_in_the_background_is_done_once_joined():
    chooser, fields, _ = picker(background=True)
    assert fields["AppId"].control.options == ("Shop Front! (d1shop)", "d2bare")
    fields["AppId"].control.value = "d1shop"
    chooser.join()
    assert fields["BackendEnvironmentName"].control.options == ("dev", "prod")
    fields["BackendEnvironmentName"].control.value = "dev"
    chooser.join()
    assert chooser.existing == ("d1shop", "dev", ("shopauth01",))


def test_a_script_s_join_waits_thirty_seconds_for_a_listing_that_hangs(monkeypatch):
    """``join()`` with no timeout, a script's wait for the listing, is bounded: 30 seconds, the
    bound the editor's and the submitter's ``join`` give, then the script goes on (the
    listing's thread is a daemon). A thread that never ends is stood in for, and records the
    wait it is given, so that nothing waits here."""
    from amplify_auth_widgets.widgets import targets

    waits: list[float | None] = []

    class Hung:
        def __init__(self, *args: Any, **kwargs: Any) -> None:  # (the name is no matter)
            pass

        def start(self) -> None:  # the listing never answers
            pass

        def join(self, timeout: float | None = None) -> None:
            waits.append(timeout)

    spec = request_spec("CreateBackendAuth")
    fields = {p: ComboField(spec.member(p), lambda _: None) for p in TARGET}
    service = Service(Connection(Amplify(APPS, ENVS, None), Backend(META)))
    chooser = TargetPicker(fields.__getitem__, lambda: service)
    monkeypatch.setattr(targets, "threading", SimpleNamespace(Thread=Hung))
    chooser.refresh()
    chooser.join()
    assert waits == [30]
    assert fields["AppId"].control.options == ()  # nothing listed: the script went on
