"""The secrets policy: which values are secret, how they are redacted, how messages may quote.

One module decides, and the validator, the rules, the skeletons, the history, the diff, the CLI
and the editor ask it:

- **Secret names.** ``ClientSecret`` and ``PrivateKey`` are the credentials among the members of
  the structures the model flags ``sensitive``; a request may spell them as members or as their
  wire names (``client_secret``, ``private_key``), and both are secret. ``secret_names()`` reads
  the wire spellings from the model.
- **Secret paths.** A path is secret when it passes through a secret name or through a shape the
  model flags ``sensitive`` (a social provider, an email or SMS settings block), in either
  spelling. A message never quotes a value at or under such a path, whatever the value's shape:
  a provider given as a list holds its secret all the same.
- **Redaction.** ``redact`` replaces every secret member's value by ``REDACTED`` (and, given the
  operation, a sensitive structure given in the wrong shape). The validator refuses
  ``REDACTED`` as a value, so an exported file is never sent by mistake.
- **Quoting.** ``quote`` is the one way a message shows a value: bounded in size and in the work
  it takes (a YAML alias bomb expands to billions of items; its repr must not be built), and
  ``(hidden)`` for anything secret.
- **Scrubbing.** ``scrub_text`` takes secrets out of text others wrote (botocore's parameter
  validation report quotes values, a service may echo them) before it is shown or recorded.

Nothing here imports the model at import time; the model is read on first use.
"""

from __future__ import annotations

import functools
import re
import reprlib
from typing import Any

from .model import (
    REDACTED,
    SECRET_MEMBERS,
    FieldSpec,
    join_path,
    operation_model,
    request_spec,
    response_spec,
    service_model,
)
from .operations import auth_operations, sending_operations

#: What a message shows instead of a value it may not quote.
HIDDEN = "(hidden)"

#: The longest quotation of a value in a message, in characters.
QUOTE_LIMIT = 40

#: Values looked at when deciding whether a value holds a secret; beyond it, it is described.
_INSPECT_BUDGET = 10_000


@functools.cache
def secret_names() -> frozenset[str]:
    """``ClientSecret``, ``PrivateKey`` and every wire spelling the model gives them."""

    names = set(SECRET_MEMBERS)
    for operation in auth_operations():
        for root in (request_spec(operation), response_spec(operation)):
            names.update(s.wire_name for s in root.walk() if s.name in SECRET_MEMBERS)
    return frozenset(names)


def is_secret_name(key: Any) -> bool:
    return isinstance(key, str) and key in secret_names()


@functools.cache
def _sensitive_paths(operation: str) -> frozenset[str]:
    """Member-spelled paths (list items as ``[]``) of the shapes the model flags sensitive."""

    found: set[str] = set()

    def walk(shape: Any, path: str, seen: tuple[str, ...]) -> None:
        if shape.metadata.get("sensitive"):
            found.add(path)
        if shape.type_name == "structure" and shape.name not in seen:
            for name, member in shape.members.items():
                walk(member, join_path(path, name), (*seen, shape.name))
        elif shape.type_name == "list":
            walk(shape.member, f"{path}[]", seen)

    shape = operation_model(operation).input_shape
    if shape is not None:
        walk(shape, "", ())
    return frozenset(found)


_STEP = re.compile(r"[^.\[\]]+|\[[^\]]*\]")


def _steps(path: str) -> list[str]:
    return ["[]" if s.startswith("[") else s for s in _STEP.findall(path)]


def _member(spec: FieldSpec, step: str) -> FieldSpec | None:
    found = spec.member(step)
    if found is None:
        found = next((m for m in spec.members if m.wire_name == step), None)
    return found


def is_secret_path(path: str, operation: str | None = None) -> bool:
    """True if ``path`` (member or wire spelling, ``[i]`` for list items) is at or under a
    secret member or a shape the model flags sensitive, in ``operation``'s request (any auth
    request when None)."""
    if not path:
        return False
    # the requests' shapes define the secret paths when no operation is named
    operations = (operation,) if operation else sending_operations()
    return any(_is_secret_path(path, op) for op in operations)


@functools.lru_cache(maxsize=4096)
def _is_secret_path(path: str, operation: str) -> bool:

    # Another service's operation (the emulator also serves Amplify's): only names can tell.
    known = operation in service_model().operation_names
    sensitive = _sensitive_paths(operation) if known else frozenset()
    spec: FieldSpec | None = request_spec(operation) if known else None
    canonical = ""
    for step in _steps(path):
        if is_secret_name(step):
            return True
        if spec is None:
            continue  # below an unknown member only the names can tell
        if step == "[]":
            spec, canonical = spec.item, f"{canonical}[]"
        else:
            spec = _member(spec, step)
            canonical = join_path(canonical, spec.name) if spec else canonical
        if spec is not None and canonical in sensitive:
            return True
    return False


# -- redaction -----------------------------------------------------------------------------


def redact(data: Any, operation: str | None = None, path: str = "") -> Any:
    """A copy of ``data`` with every secret member's value (either spelling) replaced by
    REDACTED. Given the request's ``operation``, a sensitive structure given in the wrong shape
    (a provider as a list or a string) is replaced whole, since its secret is somewhere in it."""
    if isinstance(data, dict):
        return {
            k: (
                REDACTED
                if is_secret_name(k) and v not in (None, "")
                else redact(v, operation, f"{path}.{k}" if path else str(k))
            )
            for k, v in data.items()
        }
    if operation and path and data not in (None, "") and _wrong_shaped_secret(path, operation):
        return REDACTED
    if isinstance(data, list | tuple):
        return [redact(v, operation, f"{path}[{i}]") for i, v in enumerate(data)]
    return data


def _wrong_shaped_secret(path: str, operation: str) -> bool:
    """A non-object value where the model has a sensitive structure (or under one)."""

    if not is_secret_path(path, operation):
        return False
    spec = request_spec(operation).find(path)
    return spec is not None and (spec.is_structure or spec.is_list)


def contains_secret(data: Any) -> bool:
    """True where any secret member (either spelling) holds a real value (not empty, not
    REDACTED)."""
    if isinstance(data, dict):
        return any(
            (is_secret_name(k) and v not in (None, "", REDACTED)) or contains_secret(v)
            for k, v in data.items()
        )
    if isinstance(data, list | tuple):
        return any(contains_secret(v) for v in data)
    return False


# -- quoting -------------------------------------------------------------------------------


class _BoundedRepr(reprlib.Repr):
    """reprlib with small limits, and no ``repr`` of huge integers (Python refuses over 4,300
    digits, and it is slow well before that)."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxdict = self.maxlist = self.maxtuple = self.maxset = 4
        self.maxstring = self.maxother = self.maxlong = QUOTE_LIMIT

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 4 * QUOTE_LIMIT:
            return f"a whole number of about {int(x.bit_length() * 0.30103) + 1} digits"
        return super().repr_int(x, level)


def _holds_secret(value: Any) -> bool | None:
    """True if a secret name appears anywhere in ``value``; None if it is too big to tell.

    Containers are visited once each (a YAML alias repeats one object many times)."""
    stack, seen, budget = [value], set(), _INSPECT_BUDGET
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list | tuple):
            if id(item) in seen:
                continue
            seen.add(id(item))
            budget -= len(item) + 1
            if budget < 0:
                return None
            if isinstance(item, dict):
                if any(is_secret_name(k) for k in item):
                    return True
                stack.extend(item.values())
            else:
                stack.extend(item)
    return False


def _size(value: Any) -> str:
    kind = "an object" if isinstance(value, dict) else "a list"
    return f"({kind} of {len(value)} items, too big to quote)"


def quote(value: Any, path: str = "", operation: str | None = None) -> str:
    """``value`` as a message may show it: a short repr, at most QUOTE_LIMIT characters, or
    HIDDEN at or under a secret path or where the value holds a secret member."""
    if path and is_secret_path(path, operation):
        return HIDDEN
    holds = _holds_secret(value)
    if holds:
        return HIDDEN
    if holds is None:
        return _size(value)
    # Built per call (a dozen attributes), not at import: nothing here runs at import.
    text = _BoundedRepr().repr(value)
    return text if len(text) <= QUOTE_LIMIT else _cut(text)


def _cut(text: str) -> str:
    """``text`` (a repr) cut to QUOTE_LIMIT characters with ``...``, a quoted string open at
    the cut closed again (one character fewer), so that a reader of the message
    (``widgets.messages.translate``) still sees where the quoted value ends and the message's
    own words begin."""
    kept = text[: QUOTE_LIMIT - 3]
    if not _open_quote(kept)[0]:
        return kept + "..."
    kept = kept[:-1]
    opened, escaping = _open_quote(kept)
    if escaping:  # an escape cut in two: its backslash would escape the closing quote
        kept = kept[:-1]
    return kept + "..." + opened


def _open_quote(text: str) -> tuple[str, bool]:
    """The quote character of the string literal ``text`` (a repr's start) leaves open ("" if
    none), and whether it ends in the middle of an escape (a backslash)."""
    opened = ""
    escaping = False
    for ch in text:
        if escaping:
            escaping = False
        elif opened and ch == "\\":
            escaping = True
        elif opened and ch == opened:
            opened = ""
        elif not opened and ch in "'\"":
            opened = ch
    return opened, escaping


# -- scrubbing text written by others -----------------------------------------------------

#: botocore's ParamValidationError report: "Invalid type for parameter PATH, value: VALUE,
#: type: <class 'list'>, valid types: <class 'str'>" (one problem a line; the value is a repr,
#: so it holds no line break). The greedy value stops at the line's last ", type: <class".
_BOTOCORE_VALUE = re.compile(
    r"(for parameter (?P<path>[^\s,]+), value: )(?P<value>.*)(, (?:type: <class|valid ).*)$",
    re.MULTILINE,
)

#: Secret strings shorter than this are not searched for in free text: replacing every "ab"
#: would garble the message, and a credential is never that short.
_MIN_SCRUB = 4


def _secret_strings(data: Any, operation: str | None, path: str = "") -> list[str]:
    """Every string at or under a secret path or member in ``data``."""
    found: list[str] = []
    stack: list[tuple[Any, str, bool]] = [(data, path, False)]
    seen: set[int] = set()
    while stack and len(seen) < _INSPECT_BUDGET:
        item, where, secret = stack.pop()
        secret = secret or is_secret_path(where, operation)
        if isinstance(item, str):
            if secret and len(item) >= _MIN_SCRUB:
                found.append(item)
        elif isinstance(item, dict | list | tuple) and id(item) not in seen:
            seen.add(id(item))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for k, v in pairs:
                step = f"[{k}]" if isinstance(item, list | tuple) else f".{k}"
                stack.append((v, (where + step).lstrip("."), secret or is_secret_name(k)))
    return found


def scrub_text(text: str, operation: str | None = None, request: Any = None) -> str:
    """``text`` without any secret: botocore's quoted values at secret paths become REDACTED,
    and so does every occurrence of a secret string that ``request`` holds."""

    def hide(match: re.Match[str]) -> str:
        if is_secret_path(match["path"], operation) or _holds_secret_text(match["value"]):
            return f"{match[1]}{REDACTED}{match[4]}"
        return match[0]

    text = _BOTOCORE_VALUE.sub(hide, text)
    if request is not None:
        for secret in sorted(set(_secret_strings(request, operation)), key=len, reverse=True):
            for form in (secret, repr(secret)[1:-1]):
                text = text.replace(form, REDACTED)
    return text


def _holds_secret_text(value_text: str) -> bool:
    return any(f"'{name}'" in value_text for name in secret_names())
