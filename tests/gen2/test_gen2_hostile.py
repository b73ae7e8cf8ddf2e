"""Hostile text in a Gen 2 export stays text: proven by running the generated files in Node.

Names and messages reach the generated code in comments, string literals and template
literals. Each case here is exported, transpiled and evaluated by the Gen 2 toolchain's tsx,
with ``@aws-amplify/backend`` resolved to a small stub that records what ``defineAuth`` and
``defineBackend`` receive and what the code sets on the resources. Every case of a run goes
through one Node process. The files' own safety (no overwriting, no links) is tested here too.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import ours as amplify_auth
from conftest import valid_request
from support import toolchain
from support.gen2_eval import (
    called,
    check_email_case,
    check_phone_case,
    email_case,
    evaluate,
    literal_file,
    phone_case,
)

from amplify_auth_widgets import gen2, validate
from amplify_auth_widgets.core.findings import errors

UPC = "ResourceConfig.UserPoolConfigs"

pytestmark = pytest.mark.skipif(
    not toolchain.installed(),
    reason="the Gen 2 toolchain is not installed: run `make gen2-toolchain` (make test does)",
)


#: Every character that ends a line, a comment or a string somewhere, and the usual attacks.
HOSTILE = [
    "say \"hi\" it's 'quoted'",
    'only "double"',
    "back\\slash \\\\ and \\n and a last \\",
    "${globalThis.PWNED_TEMPLATE = 1}",
    "`; globalThis.PWNED_BACKTICK = 1; `",
    '"; globalThis.PWNED_QUOTE = 1; "',
    "'; globalThis.PWNED_SINGLE = 1; '",
    "*/ globalThis.PWNED_BLOCK = 1; /*",
    "</script><script>globalThis.PWNED_SCRIPT = 1</script>",
    "nul\x00byte and \x01\x1f controls",
    "line\u2028separator\u2029paragraph",
    "crlf\r\nlf\ncr\rend\r\n",
    "tab\tvt\x0bff\x0cesc\x1bdel\x7fnel\x85",
    "\\u2028 written out, \\x00 too",
    "emoji \U0001f600, e\u0301, \ufeffbom",
    "${",
    "\\${not a placeholder}",
    "$",
    "\\",
    "{####} at the start, a $ before the code: ${####}",
]
#: Names that would run code after a line ends inside the header's ``//`` comment.
BREAKS = ["\u2028", "\u2029", "\r", "\n", "\r\n", "\x85", "\x0b", "\x0c"]


def name_case(i: int, brk: str) -> dict[str, Any]:
    return valid_request(
        AppId=f"d1{brk}globalThis.PWNED_APP_{i} = 1; //",
        BackendEnvironmentName=f"x{brk}globalThis.PWNED_ENV_{i} = 1; //",
        ResourceName=f"auth{brk}globalThis.PWNED_RES_{i} = 1; //",
    )


def test_hostile_names_and_messages_stay_literal_text(tmp_path):
    files: dict[str, dict[str, str]] = {}
    entry: dict[str, str] = {}
    requests: dict[str, dict[str, Any]] = {}
    for i, brk in enumerate(BREAKS):
        requests[f"names{i}"] = name_case(i, brk)
    for i, h in enumerate(HOSTILE):
        requests[f"email{i}"] = email_case(h)
        requests[f"phone{i}"] = phone_case(h)
    for case, request in requests.items():
        files[case] = gen2.export(request).files
        entry[case] = "amplify/backend.ts"  # which imports amplify/auth/resource.ts
    values = [*HOSTILE, "lone \ud800 high", "lone \udfff low"]
    files["literals"] = {"values.ts": literal_file(values)}
    entry["literals"] = "values.ts"

    results = evaluate(tmp_path, files, entry)

    for case, result in results.items():
        assert result["error"] is None, (case, result["error"])
        assert result["planted"] == [], (case, result["planted"])
    # the code layer: every value reads back exactly, lone surrogates too
    got = results["literals"]["exports"]
    assert got["strings"] == values
    assert got["templates"] == [called(v) for v in values]
    for i, _ in enumerate(BREAKS):
        auth = results[f"names{i}"]["auth"]
        assert auth["loginWith"]["email"]["verificationEmailSubject"] == "Your code"
        assert results[f"names{i}"]["backend"]["given"] == ["auth"]
    for i, h in enumerate(HOSTILE):
        check_email_case(results[f"email{i}"], h)
        check_phone_case(results[f"phone{i}"], h)


def test_the_header_shows_a_line_break_in_a_name_as_an_escape():
    resource = gen2.export(name_case(0, "\u2028")).files["amplify/auth/resource.ts"]
    assert "\u2028" not in resource
    assert "\\u2028globalThis.PWNED_ENV_0" in resource


def test_carriage_returns_in_messages_reach_the_code_byte_for_byte(tmp_path):
    """Read back by Node above; here the text itself: a CR is an escape, never a raw CR that a
    template literal would read back as a line feed."""
    body = "Hello,\r\nyour code is {####}.\r\n"
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["VerificationMessage"]["EmailSettings"] = {
        "EmailSubject": "a\r\nb",
        "EmailMessage": body,
    }
    export = gen2.export(request)
    export.write(tmp_path)
    written = (tmp_path / "amplify/auth/resource.ts").read_bytes()
    assert b"\r" not in written
    assert b"`Hello,\\r\nyour code is ${createCode()}.\\r\n`" in written
    assert b'verificationEmailSubject: "a\\r\\nb"' in written


# -- lone surrogates -----------------------------------------------------------------------


def test_a_lone_surrogate_is_a_finding_on_its_member():
    request = valid_request(BackendEnvironmentName="dev\ud800")
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["RedirectSignInURIs"][1] = "\udfffx"
    found = {(f.path, f.severity, f.code) for f in validate(request)}
    assert ("BackendEnvironmentName", "error", "input.unicode") in found
    assert (f"{UPC}.OAuth.RedirectSignInURIs[1]", "error", "input.unicode") in found
    message = next(f.message for f in validate(request) if f.path == "BackendEnvironmentName")
    assert "lone surrogate (\\ud800)" in message and "its pair" in message


def test_export_refuses_a_lone_surrogate_by_name():
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = "pool\ud800"
    with pytest.raises(ValueError, match=rf"{UPC}\.UserPoolName: .*lone surrogate"):
        gen2.export(request)


@pytest.mark.parametrize("extra", [[], ["--no-validate"], ["--table"]])
def test_the_cli_exits_252_on_a_lone_surrogate(tmp_path, extra):
    source = tmp_path / "auth.json"
    # JSON's escape is how a lone surrogate gets into a file at all
    source.write_text(json.dumps(valid_request(BackendEnvironmentName="dev\ud800")))
    done = amplify_auth(
        "http://127.0.0.1:9",
        "export-gen2",
        "--cli-input-json",
        f"file://{source}",
        "--out",
        str(tmp_path / "out"),
        *extra,
    )
    assert done.returncode == 252, done.stderr
    assert "Traceback" not in done.stderr
    assert "BackendEnvironmentName" in done.stderr and "lone surrogate" in done.stderr
    assert not (tmp_path / "out").exists()


# -- the files -----------------------------------------------------------------------------


def export_cli(tmp_path: Path, request: dict[str, Any], out: Path, *extra: str):
    source = tmp_path / "auth.json"
    source.write_text(json.dumps(request))
    return amplify_auth(
        "http://127.0.0.1:9",
        "export-gen2",
        "--cli-input-json",
        f"file://{source}",
        "--out",
        str(out),
        *extra,
    )


def test_an_existing_backend_is_not_replaced_without_force(tmp_path):
    out = tmp_path / "project"
    backend = out / "amplify" / "backend.ts"
    backend.parent.mkdir(parents=True)
    mine = "defineBackend({ auth, data });\n"
    backend.write_text(mine)
    done = export_cli(tmp_path, valid_request(), out)
    assert done.returncode == 252, done.stderr
    assert str(backend) in done.stderr and "--force" in done.stderr
    assert backend.read_text() == mine
    assert not (out / "amplify" / "auth").exists()  # nothing at all was written

    done = export_cli(tmp_path, valid_request(), out, "--force")
    assert done.returncode == 0, done.stderr
    assert backend.read_text() == gen2.export(valid_request()).files["amplify/backend.ts"]
    assert (out / "amplify" / "backend.ts.bak").read_text() == mine
    assert "backend.ts.bak" in done.stderr

    # a second forced export of other content keeps the first backup, numbering the next
    changed = valid_request()
    changed["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = "other-users"
    done = export_cli(tmp_path, changed, out, "--force")
    assert done.returncode == 0, done.stderr
    assert (out / "amplify" / "backend.ts.bak").read_text() == mine
    assert "main-users" in (out / "amplify" / "backend.ts.bak.1").read_text()
    assert "other-users" in backend.read_text()


def test_the_same_export_twice_needs_no_force(tmp_path):
    out = tmp_path / "project"
    for _ in range(2):
        done = export_cli(tmp_path, valid_request(), out)
        assert done.returncode == 0, done.stderr
    assert "unchanged" in done.stderr
    assert sorted(p.name for p in (out / "amplify").iterdir()) == ["auth", "backend.ts"]


@pytest.mark.parametrize("link", ["amplify", "amplify/auth", "amplify/backend.ts"])
def test_no_file_is_written_through_a_symbolic_link(tmp_path, link):
    out, outside = tmp_path / "project", tmp_path / "outside"
    outside.mkdir()
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    target = outside / "backend.ts" if link.endswith(".ts") else outside
    if link.endswith(".ts"):
        target.write_text("theirs\n")
    os.symlink(target, out / link)
    for force in (False, True):
        with pytest.raises(gen2.WriteRefused, match="symbolic link"):
            gen2.export(valid_request()).write(out, force=force)
    done = export_cli(tmp_path, valid_request(), out, "--force")
    assert done.returncode == 252, done.stderr
    assert "symbolic link" in done.stderr and "Traceback" not in done.stderr
    assert sorted(os.listdir(outside)) == (["backend.ts"] if link.endswith(".ts") else [])
    if link.endswith(".ts"):
        assert target.read_text() == "theirs\n"
    # nothing was written anywhere: only the folders made above and the link are there
    assert everything_under(out) == sorted({"amplify", link})


def everything_under(folder: Path) -> list[str]:
    found = []
    for here, folders, names in os.walk(folder):  # (links are listed, not followed)
        found += [os.path.relpath(os.path.join(here, n), folder) for n in folders + names]
    return sorted(found)


def test_the_python_api_refuses_and_backs_up_alike(tmp_path):
    export = gen2.export(valid_request())
    resource = tmp_path / "amplify" / "auth" / "resource.ts"
    resource.parent.mkdir(parents=True)
    resource.write_text("// mine\n")
    with pytest.raises(gen2.WriteRefused, match=r"resource\.ts .*--force"):
        export.write(tmp_path)
    assert resource.read_text() == "// mine\n"
    assert not (tmp_path / "amplify" / "backend.ts").exists()
    done = {w.path.name: w for w in export.write_files(tmp_path, force=True)}
    assert done["resource.ts"].action == "replaced"
    assert done["resource.ts"].backup == resource.parent / "resource.ts.bak"
    assert done["backend.ts"].action == "created"
    assert (resource.parent / "resource.ts.bak").read_text() == "// mine\n"
    again = export.write_files(tmp_path)
    assert [w.action for w in again] == ["unchanged", "unchanged"]


def test_valid_corpus_still_validates():
    # the new check flags only what is not text
    assert errors(validate(copy.deepcopy(valid_request()))) == []
