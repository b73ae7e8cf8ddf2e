"""What each way to Gen 2 writes and says, in full: the notes a user follows, the code of the
files a way adds or replaces, and the rows of the mapping table.

test_gen2_ways.py checks the parts that must hold for any ids (quoting, refusals, what is
present); the toolchain test type-checks and synthesizes the code. Neither reaches a mutation
run (the toolchain is not there) nor tells a changed word of an instruction from the right one:
these tests pin, for one environment, every line a way writes below the header and every
sentence it tells the user, so that an instruction, a comment or a code line that changes is
seen. (A mutation run of gen2/ways.py found them unchecked.)
"""

from __future__ import annotations

import dataclasses
import shlex

from conftest import valid_request
from support.deployed import DEPLOYED

from amplify_auth_widgets import gen2
from amplify_auth_widgets.gen2 import ways

RESOURCE, BACKEND, MIGRATE = gen2.RESOURCE_TS, gen2.BACKEND_TS, ways.MIGRATE_TS
POOL, CLIENT = DEPLOYED.user_pool_id, DEPLOYED.web_client_id
WHERE = f"--region us-east-1 --user-pool-id {POOL} --client-id {CLIENT}"


def below_header(text: str) -> str:
    """A file's text after its header comment (the notes, pinned on their own)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if not line.startswith("//"))
    return "".join(lines[start:])


def way_rows(export: gen2.Gen2Export) -> list[dict[str, str]]:
    return [r for r in export.rows if r["status"] == ways.WAY]


# -- keep ------------------------------------------------------------------------------------

KEEP_NOTES = [
    f"Way 'keep': Gen 2 references the Gen 1 user pool {POOL}, its web app client {CLIENT}, "
    f"the identity pool {DEPLOYED.identity_pool_id} and its roles (referenceAuth). Users, "
    "passwords and sessions stay.",
    "The pool's settings stay managed outside Gen 2 (by the Gen 1 stack, or by hand): Gen 2 "
    "cannot change them, so the configuration is not written as code here.",
    "Do not delete the Gen 1 environment or its auth while this backend references them: that "
    "deletes the pool and its users.",
]

KEEP_RESOURCE = f"""\
import {{ referenceAuth }} from "@aws-amplify/backend";

export const auth = referenceAuth({{
  userPoolId: "{POOL}",
  identityPoolId: "{DEPLOYED.identity_pool_id}",
  userPoolClientId: "{CLIENT}",
  authRoleArn: "{DEPLOYED.auth_role_arn}",
  unauthRoleArn:
    "{DEPLOYED.unauth_role_arn}",
}});
"""

KEEP_BACKEND = """\
import { defineBackend } from "@aws-amplify/backend";
import { auth } from "./auth/resource";

defineBackend({ auth });
"""


def test_keep_tells_what_it_means_in_full():
    export = gen2.export(valid_request(), way="keep", deployed=DEPLOYED)
    assert export.notes == KEEP_NOTES


def test_keep_writes_a_reference_and_a_backend_of_it_alone():
    export = gen2.export(valid_request(), way="keep", deployed=DEPLOYED)
    assert below_header(export.files[RESOURCE]) == KEEP_RESOURCE
    assert below_header(export.files[BACKEND]) == KEEP_BACKEND


def test_keep_rows_say_what_is_referenced_and_that_the_rest_is_kept():
    plain = gen2.export(valid_request())
    export = gen2.export(valid_request(), way="keep", deployed=DEPLOYED)
    note = "referenceAuth: the Gen 1 resource is used as it is"
    assert way_rows(export) == [
        {
            "member": "way",
            "value": "keep",
            "status": "way",
            "file": RESOURCE,
            "target": "referenceAuth",
            "note": "the Gen 1 pool itself: users, passwords and sessions stay; its settings "
            "stay managed outside Gen 2, which cannot change them",
        },
        *(
            {
                "member": f"deployed.{name}",
                "value": getattr(DEPLOYED, name),
                "status": "way",
                "file": RESOURCE,
                "target": prop,
                "note": note,
            }
            for name, prop in ways.REFERENCE.items()
        ),
    ]
    # every row of the configuration is still there, each mapped one now kept, written nowhere
    kept = export.rows[: len(plain.rows)]
    assert [r["member"] for r in kept] == [r["member"] for r in plain.rows]
    for before, after in zip(plain.rows, kept, strict=True):
        if before["status"] == "source":
            assert after == before
        else:
            assert after == {
                **before,
                "status": ways.KEPT,
                "file": "",
                "target": "",
                "note": "the kept pool keeps its deployed setting; Gen 2 cannot change it",
            }
    assert {r["status"] for r in kept} == {ways.KEPT, "source"}


# -- recreate --------------------------------------------------------------------------------

RECREATE_NOTES = [
    "Way 'recreate': Gen 2 creates a new, empty user pool; its user-migration trigger "
    f"(amplify/auth/migrate-users) moves each user from the Gen 1 pool {POOL} at their first "
    "sign-in or password reset, the password checked by the old pool.",
    "Cognito calls the migration trigger only at a USER_PASSWORD_AUTH sign-in, never with SRP: "
    "the new app client allows ALLOW_USER_PASSWORD_AUTH, and the front end must sign in with "
    'authFlowType: "USER_PASSWORD_AUTH" (Amplify JS: signIn({ username, password, options: '
    '{ authFlowType: "USER_PASSWORD_AUTH" } })) until the users have moved.',
    "What does not move: MFA devices and TOTP secrets (users set MFA up again), remembered "
    "devices, groups; social identities relink at their first sign-in with the provider. "
    "Users who never sign in stay in the old pool: keep it until then.",
    f"First, on the old pool: its app client {CLIENT} must allow "
    "ALLOW_ADMIN_USER_PASSWORD_AUTH (the trigger signs in there with AdminInitiateAuth). "
    "update-user-pool-client resets every setting it is not given: read them with the first "
    "command below, and add to the second the client's other settings (callback and logout "
    "URLs, OAuth flows and scopes, identity providers, token validity, read and write "
    "attributes) and any other auth flow it lists.",
    f"$ aws cognito-idp describe-user-pool-client {WHERE}",
    f"$ aws cognito-idp update-user-pool-client {WHERE} --explicit-auth-flows "
    "ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_USER_SRP_AUTH ALLOW_REFRESH_TOKEN_AUTH",
]

MIGRATE_RESOURCE = f"""\
import {{ defineFunction }} from "@aws-amplify/backend";

// The user-migration trigger: the old (Gen 1) pool it reads users from.
export const migrateUsers = defineFunction({{
  name: "migrate-users",
  entry: "./handler.ts",
  environment: {{
    OLD_USER_POOL_ID: "{POOL}",
    OLD_USER_POOL_CLIENT_ID: "{CLIENT}",
    OLD_USER_POOL_REGION: "us-east-1",
  }},
}});
"""

BACKEND_END = f"""\

// The migration trigger reads users from the old pool, and may do nothing else.
const readOldPool = new PolicyStatement({{
  actions: ["cognito-idp:AdminInitiateAuth", "cognito-idp:AdminGetUser"],
  resources: [
    "{DEPLOYED.user_pool_arn}",
  ],
}});
backend.migrateUsers.resources.lambda.addToRolePolicy(readOldPool);

// Cognito calls the migration trigger only at a USER_PASSWORD_AUTH sign-in.
const appClient = backend.auth.resources.cfnResources.cfnUserPoolClient;
appClient.explicitAuthFlows = [
  ...(appClient.explicitAuthFlows ?? []),
  "ALLOW_USER_PASSWORD_AUTH",
];
"""


def test_recreate_tells_how_to_move_the_users_in_full():
    plain = gen2.export(valid_request())
    export = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED)
    assert export.notes == [*plain.notes, *RECREATE_NOTES]


def test_recreate_writes_the_trigger_with_the_old_pool_and_its_grant():
    export = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED)
    assert below_header(export.files[MIGRATE]) == MIGRATE_RESOURCE
    backend = export.files[BACKEND]
    assert backend.endswith("\n\n" + BACKEND_END.removeprefix("\n"))
    plain_end = gen2.export(valid_request()).files[BACKEND].splitlines()[-1]
    assert backend.count(plain_end + "\n" + BACKEND_END) == 1  # right after the plain code


def test_recreate_rows_say_where_each_deployed_id_goes():
    plain = gen2.export(valid_request())
    export = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED)
    assert export.rows[: len(plain.rows)] == plain.rows
    reads = "the migration trigger signs users in against the old pool with it"

    def row(member, value, file, target, note):
        return {
            "member": member,
            "value": value,
            "status": "way",
            "file": file,
            "target": target,
            "note": note,
        }

    assert export.rows[len(plain.rows) :] == [
        row(
            "way",
            "recreate",
            RESOURCE,
            "triggers.userMigration",
            "a new, empty pool: each user moves from the old pool at their first sign-in "
            "(MFA devices and TOTP secrets do not move)",
        ),
        row("deployed.user_pool_id", POOL, MIGRATE, "OLD_USER_POOL_ID", reads),
        row("deployed.web_client_id", CLIENT, MIGRATE, "OLD_USER_POOL_CLIENT_ID", reads),
        row("deployed.region", "us-east-1", MIGRATE, "OLD_USER_POOL_REGION", reads),
        row(
            "deployed.user_pool_arn",
            DEPLOYED.user_pool_arn,
            BACKEND,
            "readOldPool.resources",
            "the trigger may call cognito-idp:AdminInitiateAuth and cognito-idp:AdminGetUser "
            "there, nothing else",
        ),
        row(
            "way.explicitAuthFlows",
            "ALLOW_USER_PASSWORD_AUTH",
            BACKEND,
            "cfnUserPoolClient.explicitAuthFlows",
            "added to Gen 2's flows: Cognito calls the trigger only at a USER_PASSWORD_AUTH "
            'sign-in; the front end signs in with authFlowType: "USER_PASSWORD_AUTH" until '
            "the users have moved",
        ),
    ]


def test_the_old_client_commands_name_no_client_when_none_is_deployed():
    """Without a web client the commands name an empty one, which the AWS CLI refuses, rather
    than a made-up id (the ways refuse such an environment first; the commands stand alone)."""
    describe, update = gen2.old_client_commands(dataclasses.replace(DEPLOYED, web_client_id=None))
    for command in (describe, update):
        words = shlex.split(command)
        assert words[words.index("--client-id") + 1] == ""


def test_a_deployed_value_is_shown_in_the_table_as_it_is_even_empty():
    deployed = dataclasses.replace(DEPLOYED, region="")
    export = gen2.export(valid_request(), way="recreate", deployed=deployed)
    region = next(r for r in way_rows(export) if r["member"] == "deployed.region")
    assert region["value"] == ""


# -- without a way, and the plans themselves ---------------------------------------------------


def test_without_a_way_the_warning_says_how_to_keep_the_users_in_full():
    export = gen2.export(valid_request(), deployed=DEPLOYED)
    assert export.notes[-1] == (
        f"This creates a NEW, EMPTY user pool: the users of {POOL} do not move. To keep them, "
        "export with way 'keep' (the same pool) or 'recreate' (a new pool they move into at "
        "sign-in)."
    )


def test_a_plan_says_its_way():
    for way in (None, *gen2.WAYS):
        plan = ways.plan(way, DEPLOYED, valid_request())
        assert plan.way == way and plan.deployed is DEPLOYED


# -- refusals, in full: each says what is wrong and what to do --------------------------------

FIX = "Use way='recreate' (a new pool the users move into at sign-in) instead."
NEEDS = (
    "way='keep' references the user pool with referenceAuth, which needs an identity pool and "
    "its auth and unauth roles, and"
)


def refusal(config, way, deployed) -> str:
    try:
        gen2.export(config, way=way, deployed=deployed)
    except (ValueError, TypeError) as refused:
        return f"{type(refused).__name__}: {refused}"
    raise AssertionError("not refused")


def test_a_way_without_the_web_client_says_to_push_again():
    deployed = dataclasses.replace(DEPLOYED, web_client_id=None)
    assert refusal(valid_request(), "recreate", deployed) == (
        "WayRefused: way='recreate' needs the Gen 1 web app client (AppClientIDWeb) of "
        "mainauth, and the deployed auth has none: push the Gen 1 auth again (amplify push) so "
        "that its outputs name it."
    )


def test_keep_of_a_user_pool_only_environment_says_so_and_the_fix():
    request = valid_request()
    request["ResourceConfig"]["AuthResources"] = "USER_POOL_ONLY"
    del request["ResourceConfig"]["IdentityPoolConfigs"]
    assert refusal(request, "keep", DEPLOYED) == (
        f"WayRefused: {NEEDS} the environment is USER_POOL_ONLY. {FIX}"
    )


def test_keep_names_every_missing_part_and_the_fix():
    deployed = dataclasses.replace(DEPLOYED, auth_role_arn=None, unauth_role_arn=None)
    assert refusal(valid_request(), "keep", deployed) == (
        f"WayRefused: {NEEDS} the deployed auth has no auth role and no unauth role. {FIX}"
    )


def test_a_way_without_the_deployed_auth_says_where_it_comes_from():
    assert refusal(valid_request(), "recreate", None) == (
        "ValueError: way='recreate' needs deployed: the environment's deployed auth, from "
        "BackendAuthService.deployed_auth(app_id, env) (None until its auth is deployed)."
    )


def test_deployed_of_another_type_says_what_to_pass():
    assert refusal(valid_request(), "keep", DEPLOYED.as_dict()) == (
        "TypeError: deployed must be a DeployedAuth (BackendAuthService.deployed_auth(app_id, "
        "env), or core.deployed.read_deployed), not dict."
    )
