"""The migration trigger's handler text, what comes before its fixed body, in full.

test_migration_trigger.py runs the handler under tsx against moto and type-checks it; without
the Gen 2 toolchain (a mutation run) only its literal tests run, which read the two arrays back
and look for a few lines. These pin the head of ``handler.ts`` as a whole: its header comment,
the imports tsc and the Lambda runtime need, both arrays with their comments and types, and
where the body starts, as Prettier lays them out. (A mutation run of gen2/trigger.py found the
head unchecked.)
"""

from __future__ import annotations

from amplify_auth_widgets.gen2.trigger import STANDARD_ATTRIBUTES, custom_names, handler_source

HEADER = """\
// The user-migration trigger: when a user the new pool does not know signs in or
// resets a password, Cognito calls this function, which asks the old (Gen 1) pool.
// Moves: the username, the password (checked by the old pool, never kept), the
// standard attributes, the custom ones listed below, and email_verified and
// phone_number_verified as they were. Does not move: MFA settings, TOTP secrets,
// devices, groups; social identities relink when the user signs in with them.
import type { UserMigrationTriggerHandler } from "aws-lambda";
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  type AttributeType,
} from "@aws-sdk/client-cognito-identity-provider";

// The custom attributes the new pool defines; any other stays behind.
"""

STANDARD = (
    "\n"
    "// The standard attributes an app may write (sub and identities are Cognito's).\n"
    "const STANDARD_ATTRIBUTES = [\n"
    + "".join(f'  "{name}",\n' for name in STANDARD_ATTRIBUTES)
    + "];\n"
    "\n"
    "const KEPT = new Set([...STANDARD_ATTRIBUTES, ...CUSTOM_ATTRIBUTES]);\n"
)


def test_the_head_of_the_handler_in_full():
    source = handler_source(["tier", "custom:plan"])
    custom = 'const CUSTOM_ATTRIBUTES: string[] = ["custom:tier", "custom:plan"];\n'
    assert source.startswith(HEADER + custom + STANDARD)


def test_without_custom_attributes_the_list_is_empty_and_typed():
    custom = "const CUSTOM_ATTRIBUTES: string[] = [];\n"
    assert handler_source().startswith(HEADER + custom + STANDARD)
    assert handler_source() == handler_source(())


def test_a_long_list_takes_a_line_a_name():
    names = [f"attribute_{i}" for i in range(8)]
    custom = (
        "const CUSTOM_ATTRIBUTES: string[] = [\n"
        + "".join(f'  "custom:{name}",\n' for name in names)
        + "];\n"
    )
    assert handler_source(names).startswith(HEADER + custom + STANDARD)


def test_names_are_checked_as_given_each_once():
    assert custom_names(("a", "b", "a", "custom:b", "custom:c")) == [
        "custom:a",
        "custom:b",
        "custom:c",
    ]
    assert custom_names(iter(["x"])) == ["custom:x"]
    assert custom_names([]) == []
