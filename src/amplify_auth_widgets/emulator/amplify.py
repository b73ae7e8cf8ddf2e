"""The emulated Amplify service: apps and their backend environments (create, get, list,
delete), the part of Amplify that the tools listing apps read.

Methods are named after the operations in snake_case, take the request as member names (already
checked against the model by the server) and return the response as member names. Unlike
AmplifyBackend, Amplify answers at once: there are no jobs. An app's or environment's optional
members are kept as a JSON document beside the columns that are queried.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .common import ServiceBackend, page
from .protocol import EmulatorError
from .store import scope

#: The members of CreateApp kept with the app; tokens and basic-auth credentials are accepted
#: and deliberately not stored.
KEPT_APP_MEMBERS = (
    "description",
    "repository",
    "platform",
    "environmentVariables",
    "tags",
    "enableBranchAutoBuild",
    "enableBasicAuth",
)
#: The members of CreateBackendEnvironment kept with the environment.
KEPT_ENVIRONMENT_MEMBERS = ("stackName", "deploymentArtifacts")


def _extras(row: Any) -> dict[str, Any]:
    """An app's or environment's optional members. A row whose document is not a JSON object
    (written by something else) shows without them, rather than failing every listing."""
    try:
        data = json.loads(row["data"])
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _time(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def app_view(row: Any) -> dict[str, Any]:
    """An app row as Amplify's ``App``."""
    data = _extras(row)
    app_id = row["app_id"]
    account, region = scope()
    return {
        "appId": app_id,
        "appArn": f"arn:aws:amplify:{region}:{account}:apps/{app_id}",
        "name": row["name"],
        "description": data.get("description", ""),
        "repository": data.get("repository", ""),
        "platform": data.get("platform", "WEB"),
        "createTime": _time(row["create_time"]),
        "updateTime": _time(row["update_time"]),
        "environmentVariables": data.get("environmentVariables", {}),
        "defaultDomain": f"{app_id}.amplifyapp.com",
        "enableBranchAutoBuild": bool(data.get("enableBranchAutoBuild", False)),
        "enableBasicAuth": bool(data.get("enableBasicAuth", False)),
        "tags": data.get("tags", {}),
    }


def environment_view(row: Any) -> dict[str, Any]:
    """An environment row as Amplify's ``BackendEnvironment``."""
    data = _extras(row)
    account, region = scope()
    return {
        "backendEnvironmentArn": f"arn:aws:amplify:{region}:{account}:apps/"
        f"{row['app_id']}/backendenvironments/{row['env_name']}",
        "environmentName": row["env_name"],
        "stackName": data.get("stackName", f"amplify-{row['app_id']}-{row['env_name']}"),
        "deploymentArtifacts": data.get("deploymentArtifacts"),  # left out when unset
        "createTime": _time(row["create_time"]),
        "updateTime": _time(row["update_time"]),
    }


class Amplify(ServiceBackend):
    """Amplify's apps and backend environments over the shared ``Store``."""

    service = "amplify"

    # -- apps ------------------------------------------------------------------------------

    def create_app(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id = self.new_app_id()
        data = {k: request[k] for k in KEPT_APP_MEMBERS if k in request}
        self.store.put_app(app_id, request["name"], data, self.clock())
        return {"app": app_view(self.require_app(app_id))}

    def get_app(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"app": app_view(self.require_app(request["appId"]))}

    def list_apps(self, request: dict[str, Any]) -> dict[str, Any]:
        apps, token = page(
            self.store.apps(), request.get("maxResults") or 100, request.get("nextToken")
        )
        return {"apps": [app_view(r) for r in apps], "nextToken": token}

    def delete_app(self, request: dict[str, Any]) -> dict[str, Any]:
        view = app_view(self.require_app(request["appId"]))
        self.store.delete_app(request["appId"])
        return {"app": view}

    # -- backend environments --------------------------------------------------------------

    def create_backend_environment(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["appId"], request["environmentName"]
        self.require_app(app_id)
        if self.store.environment(app_id, env) is not None:
            raise EmulatorError(
                "BadRequestException", f"Backend environment {env} already exists for {app_id}."
            )
        data = {k: request[k] for k in KEPT_ENVIRONMENT_MEMBERS if k in request}
        self.store.put_environment(app_id, env, data, self.clock())
        return {"backendEnvironment": environment_view(self.require_env(app_id, env))}

    def get_backend_environment(self, request: dict[str, Any]) -> dict[str, Any]:
        row = self.require_env(request["appId"], request["environmentName"])
        return {"backendEnvironment": environment_view(row)}

    def list_backend_environments(self, request: dict[str, Any]) -> dict[str, Any]:
        self.require_app(request["appId"])
        rows = self.store.environments(request["appId"])
        if request.get("environmentName"):
            rows = [r for r in rows if r["env_name"] == request["environmentName"]]
        environments, token = page(rows, request.get("maxResults") or 50, request.get("nextToken"))
        return {
            "backendEnvironments": [environment_view(r) for r in environments],
            "nextToken": token,
        }

    def delete_backend_environment(self, request: dict[str, Any]) -> dict[str, Any]:
        row = self.require_env(request["appId"], request["environmentName"])
        view = environment_view(row)
        self.store.delete_environment(request["appId"], request["environmentName"])
        return {"backendEnvironment": view}
