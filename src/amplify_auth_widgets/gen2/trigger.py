"""The user-migration trigger of the move to Gen 2: ``amplify/auth/migrate-users/handler.ts``.

The new (Gen 2) user pool starts empty. When someone it does not know signs in or asks for a
password reset, Cognito calls this Lambda function, which asks the old (Gen 1) pool: on a sign-in
it checks the password there (``AdminInitiateAuth`` with ``ADMIN_USER_PASSWORD_AUTH``, against a
client without a secret that allows that flow) and reads the user (``AdminGetUser``); the user is
then created in the new pool with the same password, confirmed, and no welcome message.

What moves: the username, the password (checked by the old pool, never stored or logged by the
function), the standard attributes an app may write, the custom attributes the new pool defines
(``custom_attributes``; any other is left out rather than failing the sign-in), and
``email_verified``/``phone_number_verified`` as they were. What does not: ``sub`` (the new pool
gives a new one), MFA settings, TOTP secrets and remembered devices (users set MFA up again),
groups, and social identities (a federated user signs in with the provider again and is
relinked). A user the old pool answers with a challenge did give the right password (Cognito
checks it first): after an MFA challenge the user moves as confirmed (the new pool asks for its
own MFA); after NEW_PASSWORD_REQUIRED, whose password is an administrator's temporary one, the
user moves as RESET_REQUIRED and sets a password of their own by the reset code.
"""

from __future__ import annotations

from collections.abc import Sequence

from .typescript import assignment, comment_block

#: Where the export writes the handler, relative to the project.
HANDLER_TS = "amplify/auth/migrate-users/handler.ts"

#: The environment variables the handler reads (``defineFunction({ environment })`` sets them):
#: the old pool's id, its app client's id (a client without a secret) and its region.
ENVIRONMENT = ("OLD_USER_POOL_ID", "OLD_USER_POOL_CLIENT_ID", "OLD_USER_POOL_REGION")

#: The standard attributes an app may write, as Cognito names them (``sub`` and ``identities``
#: are Cognito's own, and ``cognito:*`` its internal ones: none of these is kept).
STANDARD_ATTRIBUTES = (
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
)

CUSTOM = "custom:"

_HEADER = [
    "The user-migration trigger: when a user the new pool does not know signs in or",
    "resets a password, Cognito calls this function, which asks the old (Gen 1) pool.",
    "Moves: the username, the password (checked by the old pool, never kept), the",
    "standard attributes, the custom ones listed below, and email_verified and",
    "phone_number_verified as they were. Does not move: MFA settings, TOTP secrets,",
    "devices, groups; social identities relink when the user signs in with them.",
]

_IMPORTS = """\
import type { UserMigrationTriggerHandler } from "aws-lambda";
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  type AttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
"""

_BODY = """\
const KEPT = new Set([...STANDARD_ATTRIBUTES, ...CUSTOM_ATTRIBUTES]);

// One message for a wrong password and an unknown user: no hint which it was.
const SIGN_IN_FAILED = "Incorrect username or password.";
const NO_SUCH_USER = "User does not exist.";
const REFUSED = new Set(["NotAuthorizedException", "UserNotFoundException"]);

const client = new CognitoIdentityProviderClient({
  region: process.env.OLD_USER_POOL_REGION,
});

function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`The migration trigger needs ${name} in its environment.`);
  }
  return value;
}

// The error thrown instead of the old pool's: never its message, nor the password.
function failure(error: unknown, refused: string): Error {
  const name = error instanceof Error ? error.name : "unknown error";
  if (REFUSED.has(name)) {
    return new Error(refused);
  }
  return new Error(`The old user pool could not answer (${name}).`);
}

// The old pool's challenge, if any: it sends one only once the password is right.
async function authenticate(
  username: string,
  password: string,
): Promise<string | undefined> {
  const command = new AdminInitiateAuthCommand({
    UserPoolId: setting("OLD_USER_POOL_ID"),
    ClientId: setting("OLD_USER_POOL_CLIENT_ID"),
    AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  try {
    return (await client.send(command)).ChallengeName;
  } catch (error) {
    throw failure(error, SIGN_IN_FAILED);
  }
}

function kept(attributes: AttributeType[] = []): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { Name, Value } of attributes) {
    if (Name !== undefined && Value !== undefined && KEPT.has(Name)) {
      result[Name] = Value;
    }
  }
  return result;
}

async function attributesOf(
  username: string,
  refused: string,
): Promise<Record<string, string>> {
  const command = new AdminGetUserCommand({
    UserPoolId: setting("OLD_USER_POOL_ID"),
    Username: username,
  });
  try {
    return kept((await client.send(command)).UserAttributes);
  } catch (error) {
    throw failure(error, refused);
  }
}

export const handler: UserMigrationTriggerHandler = async (event) => {
  switch (event.triggerSource) {
    case "UserMigration_Authentication": {
      const challenge = await authenticate(
        event.userName,
        event.request.password,
      );
      event.response.userAttributes = await attributesOf(
        event.userName,
        SIGN_IN_FAILED,
      );
      // an administrator's temporary password is not made permanent: reset it
      event.response.finalUserStatus =
        challenge === "NEW_PASSWORD_REQUIRED" ? "RESET_REQUIRED" : "CONFIRMED";
      event.response.messageAction = "SUPPRESS";
      return event;
    }
    case "UserMigration_ForgotPassword":
      // no finalUserStatus: Cognito sends the reset code to the user
      event.response.userAttributes = await attributesOf(
        event.userName,
        NO_SUCH_USER,
      );
      event.response.messageAction = "SUPPRESS";
      return event;
    default:
      return event;
  }
};
"""


def custom_names(custom_attributes: Sequence[str]) -> list[str]:
    """The custom attributes as Cognito names them (``custom:tier``; ``tier`` is accepted),
    in order, each once. A lone string or an empty name is refused with what to pass."""
    if isinstance(custom_attributes, str):
        raise TypeError(
            "custom_attributes is one string: pass a list of names, "
            f"such as [{custom_attributes!r}]"
        )
    names: list[str] = []
    for index, name in enumerate(custom_attributes):
        if not isinstance(name, str):
            raise TypeError(
                f"custom_attributes[{index}] is a {type(name).__name__}: "
                "pass each custom attribute's name as a string, such as 'custom:tier'"
            )
        if name.removeprefix(CUSTOM) == "":
            raise ValueError(
                f"custom_attributes[{index}] names no attribute: "
                "pass a name such as 'custom:tier' or 'tier'"
            )
        full = name if name.startswith(CUSTOM) else CUSTOM + name
        if full not in names:
            names.append(full)
    return names


def handler_source(custom_attributes: Sequence[str] = ()) -> str:
    """The TypeScript text of ``HANDLER_TS``, laid out as Prettier lays it out.

    ``custom_attributes`` are the custom attributes the new pool defines; only these move
    (each name is a string literal in the code, whatever it holds)."""
    lines = [
        *comment_block(_HEADER),
        *_IMPORTS.splitlines(),
        "",
        "// The custom attributes the new pool defines; any other stays behind.",
        *assignment("const CUSTOM_ATTRIBUTES: string[]", custom_names(custom_attributes)),
        "",
        "// The standard attributes an app may write (sub and identities are Cognito's).",
        *assignment("const STANDARD_ATTRIBUTES", list(STANDARD_ATTRIBUTES)),
        "",
    ]
    return "\n".join(lines) + "\n" + _BODY
