"""The Gen 2 tab's way choice: new pool, keep or recreate, open only with the deployed auth,
which here comes from the emulator over HTTP as the app would get it."""

from __future__ import annotations

import dataclasses
import html

import pytest
from conftest import valid_request
from support.htmltext import text_of

from amplify_auth_widgets import BackendAuthService, gen2
from amplify_auth_widgets.gen2.trigger import HANDLER_TS
from amplify_auth_widgets.widgets.gen2_tab import NEW_POOL, Gen2Tab

MIGRATE = "amplify/auth/migrate-users/resource.ts"


@pytest.fixture
def deployed(emulator, app_env):
    app_id, env = app_env
    service = BackendAuthService(emulator.connection())
    service.create_backend_auth(valid_request(AppId=app_id, BackendEnvironmentName=env))
    emulator.clock.advance(5)  # the auth job completes: its outputs exist
    found = service.deployed_auth(app_id, env)
    assert found is not None
    return found


def test_without_the_deployed_auth_the_choice_is_closed_and_says_why():
    tab = Gen2Tab(valid_request())
    assert tab.way == NEW_POOL and tab.way_choice.disabled
    reason = html.unescape(tab.way_reason.value)
    assert "needs the environment's deployed auth" in reason
    assert "deploy the environment's auth first" in reason
    assert tab.export is not None and tab.export.way is None
    assert tab.chooser.options == (gen2.RESOURCE_TS, gen2.BACKEND_TS)


def test_with_the_deployed_auth_each_way_shows_its_files_and_notes(deployed):
    tab = Gen2Tab(valid_request())
    tab.deployed = deployed
    assert not tab.way_choice.disabled and tab.way_reason.value == ""
    assert "NEW, EMPTY user pool" in tab.notes.value  # a new pool says the users stay behind
    tab.way_choice.value = "recreate"
    assert tab.export.way == "recreate" and tab.export.deployed == deployed
    assert tab.chooser.options == (gen2.RESOURCE_TS, gen2.BACKEND_TS, MIGRATE, HANDLER_TS)
    assert "triggers: { userMigration: migrateUsers }" in text_of(tab.code.value)
    tab.chooser.value = MIGRATE
    assert deployed.user_pool_id in text_of(tab.code.value)
    assert "authFlowType: &quot;USER_PASSWORD_AUTH&quot;" in tab.notes.value
    tab.value = valid_request(BackendEnvironmentName="staging")  # a re-export keeps the file
    assert tab.file == MIGRATE and "defineFunction" in text_of(tab.code.value)
    tab.way_choice.value = "keep"
    assert tab.chooser.options == (gen2.RESOURCE_TS, gen2.BACKEND_TS)
    assert tab.file == gen2.RESOURCE_TS and "referenceAuth({" in text_of(tab.code.value)
    assert "Gen 2 cannot change them" in tab.notes.value
    assert tab.secrets.value == ""  # the kept pool keeps its providers' secrets
    tab.deployed = None  # the environment is not known any more: back to a new pool
    assert tab.way == NEW_POOL and tab.way_choice.disabled and tab.export.way is None


def test_keep_refused_is_explained_in_the_tab(deployed):
    request = valid_request()
    request["ResourceConfig"]["AuthResources"] = "USER_POOL_ONLY"
    del request["ResourceConfig"]["IdentityPoolConfigs"]
    tab = Gen2Tab(request, deployed=dataclasses.replace(deployed, identity_pool_id=None))
    tab.way = "keep"
    assert tab.export is None and tab.code.value == "" and tab.notes.value == ""
    assert "USER_POOL_ONLY" in tab.error and "Use way='recreate'" in tab.error
    assert "Use way=&#x27;recreate&#x27;" in tab.message.value
    tab.way = "recreate"
    assert tab.error == "" and tab.export.way == "recreate"


def test_hostile_ids_are_escaped_in_the_notes(deployed):
    hostile = dataclasses.replace(deployed, web_client_id="<script>alert(1)</script>")
    tab = Gen2Tab(valid_request(), deployed=hostile, way="recreate")
    assert "<script>" not in tab.notes.value + tab.code.value + tab.table.value
    assert "&lt;script&gt;" in tab.notes.value
