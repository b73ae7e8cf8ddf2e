"""Generated Gen 2 files evaluated in Node: each case's files are written under one root, the
``@aws-amplify/backend`` import resolves to a stub that records what ``defineAuth`` and
``defineBackend`` receive, and one ``tsx`` process loads every case. Shared by the Gen 2 tests
and the hostile-strings properties."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import valid_request

from amplify_auth_widgets.gen2 import typescript as ts
from support import toolchain

CODE = "<CODE>"

STUB = """
export function secret(name) { return { secret: name }; }
export function defineAuth(props) { globalThis.__auth = props; return { isAuth: true }; }
export function defineBackend(resources) {
  const cfn = () => {
    const o = {};
    const overrides = [];
    Object.defineProperty(o, "addPropertyOverride", { value: (p, v) => overrides.push([p, v]) });
    Object.defineProperty(o, "overrides", { value: overrides });
    return o;
  };
  const resources_ = {
    cfnResources: { cfnUserPool: cfn(), cfnUserPoolClient: cfn(), cfnIdentityPool: cfn() },
    domain: {},
    clients: [],
  };
  resources_.userPool = {
    node: { findChild: (id) => ({ node: { defaultChild: resources_.domain }, id }) },
    addClient: (id, props) => resources_.clients.push({ id, props }),
  };
  globalThis.__backend = { given: Object.keys(resources), resources: resources_ };
  return { auth: { resources: resources_ } };
}
"""

COGNITO_STUB = """
export const OAuthScope = new Proxy({}, { get: (_, name) => ({ scope: String(name) }) });
"""

DRIVER = """
import { pathToFileURL } from "node:url";
const CODE = "<CODE>";
function plain(value) {
  if (typeof value === "function") return { called: value(() => CODE) };
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}
const before = new Set(Object.getOwnPropertyNames(globalThis));
const results = {};
for (const [name, file] of JSON.parse(process.argv[2])) {
  globalThis.__auth = undefined;
  globalThis.__backend = undefined;
  const result = { error: null };
  try {
    const module = await import(pathToFileURL(file).href);
    result.exports = plain({ ...module });
  } catch (error) {
    result.error = String(error && error.stack || error);
  }
  result.auth = plain(globalThis.__auth);
  const backend = globalThis.__backend;
  if (backend) {
    const cfn = {};
    for (const [k, o] of Object.entries(backend.resources.cfnResources)) {
      cfn[k] = { set: plain({ ...o }), overrides: plain(o.overrides) };
    }
    result.backend = {
      given: backend.given,
      cfn,
      domain: plain(backend.resources.domain),
      clients: plain(backend.resources.clients),
    };
  }
  result.planted = Object.getOwnPropertyNames(globalThis).filter(
    (k) => !before.has(k) && !k.startsWith("__"),
  );
  results[name] = result;
}
process.stdout.write(JSON.stringify(results));
"""


def evaluate(root: Path, files: dict[str, dict[str, str]], entry: dict[str, str]) -> dict:
    """Write each case's files under ``root/<case>/``, load each case's ``entry`` file in one
    tsx process, and return what the stub recorded per case."""
    stub = root / "node_modules" / "@aws-amplify" / "backend"
    stub.mkdir(parents=True)
    (stub / "package.json").write_text(
        '{ "name": "@aws-amplify/backend", "type": "module", "main": "index.js" }'
    )
    (stub / "index.js").write_text(STUB)
    # the native app client's OAuthScope.NAME reads back as {"scope": "NAME"}
    cdk = root / "node_modules" / "aws-cdk-lib"
    cdk.mkdir(parents=True)
    package = {"name": "aws-cdk-lib", "type": "module", "exports": {"./aws-cognito": "./c.js"}}
    (cdk / "package.json").write_text(json.dumps(package))
    (cdk / "c.js").write_text(COGNITO_STUB)
    (root / "package.json").write_text('{ "type": "module", "private": true }')
    (root / "driver.mjs").write_text(DRIVER)
    order = []
    for case, texts in files.items():
        for name, text in texts.items():
            path = root / case / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        order.append((case, str(root / case / entry[case])))
    done = toolchain._run(
        [str(toolchain.BIN / "tsx"), str(root / "driver.mjs"), json.dumps(order)], root, 300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def message(text: str) -> str:
    return text + " {####} " + text


def called(text: str) -> dict[str, str]:
    return {"called": text.replace("{####}", CODE)}


def email_case(h: str) -> dict[str, Any]:
    """Email sign-in: the messages go into defineAuth, the names into backend.ts."""
    request = valid_request()
    pool = request["ResourceConfig"]["UserPoolConfigs"]
    pool["UserPoolName"] = h
    request["ResourceConfig"]["IdentityPoolConfigs"]["IdentityPoolName"] = h
    pool["VerificationMessage"]["EmailSettings"] = {"EmailSubject": h, "EmailMessage": message(h)}
    pool["Mfa"] = {"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS"], "SmsMessage": message(h)}}
    pool["OAuth"]["DomainPrefix"] = h
    pool["OAuth"]["RedirectSignInURIs"] = [h, "https://app.example.com/"]
    pool["OAuth"]["RedirectSignOutURIs"] = [h]
    return request


def phone_case(h: str) -> dict[str, Any]:
    """Phone sign-in: the SMS message goes into defineAuth, the email settings and the MFA
    message into backend.ts (assignments and addPropertyOverride)."""
    request = valid_request()
    pool = request["ResourceConfig"]["UserPoolConfigs"]
    pool["SignInMethod"] = "PHONE_NUMBER"
    pool["VerificationMessage"] = {
        "DeliveryMethod": "SMS",
        "SmsSettings": {"SmsMessage": message(h)},
        "EmailSettings": {"EmailSubject": h, "EmailMessage": message(h)},
    }
    pool["Mfa"] = {"MFAMode": "ON", "Settings": {"MfaTypes": ["TOTP"], "SmsMessage": h}}
    return request


def literal_file(values: list[str]) -> str:
    """The code layer alone, over any text (lone surrogates included): each value as a string
    literal, a template literal and a comment line."""
    lines = ts.comment_block(values)
    lines.append("export const strings = [")
    lines += [f"  {ts.string(v)}," for v in values]
    lines += ["];", "export const templates = ["]
    lines += [f"  (c: () => string) => `{ts.template_text(v, '{####}', 'c()')}`," for v in values]
    lines.append("];")
    return "\n".join(lines) + "\n"


def check_email_case(result: dict[str, Any], h: str) -> None:
    """What ``email_case(h)``'s files gave the stub: ``h`` as written, everywhere it went."""
    login = result["auth"]["loginWith"]
    assert login["email"]["verificationEmailSubject"] == h
    assert login["email"]["verificationEmailBody"] == called(message(h))
    assert login["externalProviders"]["callbackUrls"] == [h, "https://app.example.com/"]
    assert login["externalProviders"]["logoutUrls"] == [h]
    assert result["auth"]["multifactor"]["sms"]["smsMessage"] == called(message(h))
    cfn = result["backend"]["cfn"]
    assert cfn["cfnUserPool"]["set"]["userPoolName"] == h
    assert cfn["cfnIdentityPool"]["set"]["identityPoolName"] == h
    assert result["backend"]["domain"] == {"domain": h}


def check_phone_case(result: dict[str, Any], h: str) -> None:
    """What ``phone_case(h)``'s files gave the stub: ``h`` as written, everywhere it went."""
    assert result["auth"]["loginWith"]["phone"]["verificationMessage"] == called(message(h))
    pool = result["backend"]["cfn"]["cfnUserPool"]
    assert pool["set"]["emailVerificationSubject"] == h
    assert pool["set"]["emailVerificationMessage"] == message(h)
    assert pool["set"]["smsAuthenticationMessage"] == h
    assert pool["overrides"] == [
        ["VerificationMessageTemplate.EmailSubject", h],
        ["VerificationMessageTemplate.EmailMessage", message(h)],
    ]
