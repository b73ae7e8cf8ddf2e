"""Lines the Gen 2 export writes into many of its files, named once for the tests that pin
those files whole (``[*header, *DEFINE_AUTH, ...]``): each is the export's exact text."""

from __future__ import annotations

#: resource.ts after its header comment, when it imports no secret: up to ``loginWith``.
DEFINE_AUTH = [
    'import { defineAuth } from "@aws-amplify/backend";',
    "",
    "export const auth = defineAuth({",
    "  loginWith: {",
]
#: backend.ts after its header comment, when it imports nothing from the CDK.
DEFINE_BACKEND = [
    'import { defineBackend } from "@aws-amplify/backend";',
    'import { auth } from "./auth/resource";',
    "",
    "const backend = defineBackend({ auth });",
]
#: backend.ts's overrides of what defineAuth cannot say, on the user and identity pools.
POOL_OVERRIDES = [
    "",
    "// What defineAuth has no property for, set on the resources it creates.",
    "const { cfnUserPool, cfnIdentityPool } = backend.auth.resources.cfnResources;",
]
#: The native app client without OAuth: backend.ts's last lines, but for the final newline.
NATIVE = [
    "",
    "// Gen 1's native app client (AppClientID), without a secret: see the table.",
    'backend.auth.resources.userPool.addClient("NativeAppClient", {',
    "  generateSecret: false,",
    "  disableOAuth: true,",
    "});",
]
#: The native app client with OAuth, up to its flows.
NATIVE_OAUTH = [
    "",
    "// Gen 1's native app client (AppClientID), without a secret: see the table.",
    'backend.auth.resources.userPool.addClient("NativeAppClient", {',
    "  generateSecret: false,",
    "  oAuth: {",
]
