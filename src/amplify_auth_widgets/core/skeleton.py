"""Skeletons, CLI input files and `aws ...` command lines.

Everything here follows the AWS CLI's conventions so that files move between the two tools:
``--generate-cli-skeleton input`` (JSON), ``yaml-input`` and ``output`` skeletons built from the
operation's shapes, the YAML one commented as the AWS CLI v2 comments it (``# [REQUIRED]``, the
member's first sentence, ``Valid values are: ...``), and ``input-minimal`` /
``yaml-input-minimal``, ours, with only the required members; ``--cli-input-json`` /
``--cli-input-yaml`` read from a string or
``file://path``, with options given explicitly overriding the file; and a request rendered as the
exact, shell-quoted ``aws amplifybackend ...`` command that sends it.

Secrets are redacted by default in everything this module renders, as the secrets policy
(``secrets.py``) says: a redacted value is ``REDACTED``, which the validator refuses, so a
redacted file is never sent by mistake.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
from pathlib import Path
from typing import Any

from .findings import describe
from .model import REDACTED, SERVICE_NAME, FieldSpec, request_spec, response_spec
from .secrets import contains_secret, redact

__all__ = [
    "REDACTED",
    "InputError",
    "command_line",
    "contains_secret",
    "generate_skeleton",
    "redact",
]

#: The AWS CLI's placeholder for each scalar type the AmplifyBackend model uses (a test checks
#: that every type of the model is here).
_PLACEHOLDER = {"string": "", "boolean": True, "double": 0.0, "integer": 0}


class InputError(ValueError):
    """Input that cannot be read: a missing file, malformed JSON or YAML, a wrong shape.

    ``where`` names the source (an option or a file), ``line`` and ``column`` (1-based) the
    place of a parse error.
    """

    def __init__(
        self, message: str, where: str = "", line: int | None = None, column: int | None = None
    ) -> None:
        self.where, self.line, self.column = where, line, column
        place = where
        if line is not None:
            place += f" line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{place}: {message}" if place else message)


# -- skeletons -----------------------------------------------------------------------------


#: The kinds ``--generate-cli-skeleton`` takes: the AWS CLI's three, then our minimal ones.
SKELETON_KINDS = ("input", "yaml-input", "output", "input-minimal", "yaml-input-minimal")


def _skeleton_value(spec: FieldSpec, minimal: bool = False) -> Any:
    """A placeholder for ``spec`` as the AWS CLI's skeletons have it: every member of a
    structure (only the required ones if ``minimal``), a list of one item, an enum's first
    value, the type's placeholder otherwise."""
    if spec.is_structure:
        members = [m for m in spec.members if m.required or not minimal]
        return {m.name: _skeleton_value(m, minimal) for m in members}
    if spec.is_list:
        assert spec.item is not None
        return [_skeleton_value(spec.item, minimal)]
    if spec.enum:
        return spec.enum[0]
    return _PLACEHOLDER.get(spec.type, "")


def input_skeleton(operation: str = "CreateBackendAuth", minimal: bool = False) -> dict[str, Any]:
    """Every member of the request, with placeholder values, as the AWS CLI generates it; with
    ``minimal``, only the required members (and the required members of those)."""
    value: dict[str, Any] = _skeleton_value(request_spec(operation), minimal)
    return value


def output_skeleton(operation: str = "CreateBackendAuth") -> dict[str, Any]:
    """Every member of the response, with placeholder values (``--generate-cli-skeleton
    output``)."""
    spec = response_spec(operation)
    return {m.name: _skeleton_value(m) for m in spec.members}


def generate_skeleton(kind: str, operation: str = "CreateBackendAuth") -> str:
    """The text of ``--generate-cli-skeleton KIND``, one of SKELETON_KINDS. The YAML ones carry
    the AWS CLI v2's comments (``commented_yaml``)."""
    spec = request_spec(operation)
    if kind in ("input", "input-minimal"):
        return to_json(input_skeleton(operation, minimal=kind.endswith("-minimal")))
    if kind in ("yaml-input", "yaml-input-minimal"):
        return commented_yaml(input_skeleton(operation, minimal=kind.endswith("-minimal")), spec)
    if kind == "output":
        return to_json(output_skeleton(operation))
    raise InputError(
        f"{kind!r} is not a skeleton kind; use {', '.join(SKELETON_KINDS[:-1])} or "
        f"{SKELETON_KINDS[-1]}.",
        "--generate-cli-skeleton",
    )


# -- the AWS CLI v2's comments -------------------------------------------------------------

#: Where the AWS CLI v2 ends a member's overview: at the first run of periods or colons
#: (awscli/customizations/utils.py, ``get_shape_doc_overview``).
_SENTENCE_END = re.compile(r"[.:]+")


def doc_overview(documentation: str) -> str:
    """The first sentence of a member's documentation (plain text, as ``FieldSpec`` holds it),
    cut as the AWS CLI v2 cuts it for its YAML skeleton: before the first period or colon,
    ended with one period."""
    first = _SENTENCE_END.split(documentation, maxsplit=1)[0]
    return " ".join(first.split()) + "." if first.strip() else ""


def skeleton_comment(spec: FieldSpec) -> str:
    """The AWS CLI v2's comment on a member of a YAML skeleton, without its ``# ``:
    ``[REQUIRED]`` if the structure requires it, its documentation's first sentence, and
    ``Valid values are: A, B.`` for an enum."""
    parts = ["[REQUIRED]"] if spec.required else []
    parts.append(doc_overview(spec.documentation))
    if spec.enum:
        parts.append(f"Valid values are: {', '.join(spec.enum)}.")
    return " ".join(p for p in parts if p)


def commented_yaml(data: dict[str, Any], spec: FieldSpec) -> str:
    """``data`` as ``to_yaml`` writes it, each member of ``spec`` followed by the AWS CLI v2's
    comment (``key: value  # comment``; a structure's or list's comment on its key's line).

    Keys and values are written by PyYAML line by line, so that without its comments the text
    is ``to_yaml(data)``'s: ``'ON'`` stays quoted (a YAML 1.1 boolean otherwise, as v2 leaves
    it), and the file reads back as ``data``."""
    return "".join(f"{line}\n" for line in _yaml_lines(data, spec, 0))


def _yaml_lines(data: Any, spec: FieldSpec | None, indent: int) -> list[str]:
    """The lines of a structure's members at ``indent``, each commented from its spec."""
    lines: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        member = spec.member(key) if spec is not None and isinstance(key, str) else None
        comment = skeleton_comment(member) if member is not None else ""
        tail = f"  # {comment}" if comment else ""
        head = f"{pad}{_yaml_scalar(key)}:"
        if isinstance(value, dict) and value:
            lines.append(head + tail)
            lines += _yaml_lines(value, member, indent + 2)
        elif isinstance(value, list) and value:
            lines.append(head + tail)
            item = member.item if member is not None else None
            lines += _yaml_items(value, item, indent)
        else:
            lines.append(f"{head} {_yaml_scalar(value)}{tail}")
    return lines


def _yaml_items(items: list[Any], item: FieldSpec | None, indent: int) -> list[str]:
    """A block list's lines, ``- `` at its key's indent as PyYAML writes them; an item that is
    a structure has its first member on the dash's line."""
    lines: list[str] = []
    pad = " " * indent
    for value in items:
        if isinstance(value, dict) and value:
            inner = _yaml_lines(value, item, indent + 2)
            lines += [f"{pad}- {inner[0][indent + 2 :]}", *inner[1:]]
        elif isinstance(value, list) and value:
            inner = _yaml_items(value, item.item if item is not None else None, indent + 2)
            lines += [f"{pad}- {inner[0][indent + 2 :]}", *inner[1:]]
        else:
            lines.append(f"{pad}- {_yaml_scalar(value)}")
    return lines


def _yaml_scalar(value: Any) -> str:
    """One value as PyYAML writes it in a block mapping (``{}``/``[]`` when empty); JSON's
    double-quoted form, which YAML reads too, should PyYAML need more than one line. Lines as
    ``str.splitlines`` counts them: YAML also breaks lines at U+0085, U+2028 and U+2029, so the
    JSON form then escapes every character that is not ASCII."""
    import yaml  # deferred: only YAML input and output need it

    text: str = yaml.safe_dump({"k": value}, allow_unicode=True, width=1 << 30)
    lines = text.splitlines()
    if len(lines) != 1:
        return json.dumps(value, ensure_ascii=True)
    return lines[0][len("k: ") :]


def to_json(data: Any) -> str:
    return json.dumps(data, indent=4, ensure_ascii=False) + "\n"


def to_yaml(data: Any) -> str:
    import yaml  # deferred: only YAML input and output need it

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)


# -- reading input -------------------------------------------------------------------------


#: The largest input read, in bytes. The service takes request bodies up to 1 MiB; a file many
#: times that cannot be a request, and reading stops there (``/dev/zero`` never ends).
MAX_INPUT_BYTES = 8 * 1024 * 1024
#: The most values a document may hold once expanded. YAML aliases repeat a value without
#: copying it: nine levels of nine make a billion ("billion laughs"). A request has hundreds.
MAX_VALUES = 100_000
#: The deepest nesting of objects and lists; a request nests seven deep.
MAX_DEPTH = 64
#: The most digits of a number; the API's numbers fit in 64 bits (19 digits).
MAX_DIGITS = 100
_TOO_LONG = 10**MAX_DIGITS  # the smallest number of MAX_DIGITS + 1 digits

_MIB = 1024 * 1024


def read_value(text: str, where: str) -> str:
    """The text of an option value, following ``file://path`` as the AWS CLI does; at most
    MAX_INPUT_BYTES."""
    if text.startswith("file://"):
        path = Path(text[len("file://") :]).expanduser()
        try:
            with path.open("rb") as stream:
                data = stream.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise InputError(f"no such file: {path}", where) from None
        except IsADirectoryError:
            raise InputError(f"{path} is a folder, not a file", where) from None
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}", where) from None
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(_too_big(f"{path} is"), where)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path} is not UTF-8 text (byte {exc.start + 1} is not)", where
            ) from None
    if len(text) > MAX_INPUT_BYTES:
        raise InputError(_too_big("the value is"), where)
    return text


def _too_big(what: str) -> str:
    return (
        f"{what} larger than {MAX_INPUT_BYTES // _MIB} MiB, the most read as input; "
        "a request the service takes is at most 1 MiB"
    )


class _LongNumber(ValueError):
    def __init__(self, digits: int, line: int | None = None, column: int | None = None) -> None:
        super().__init__(
            f"a number has {digits:,} digits, over the {MAX_DIGITS} read; the API's numbers "
            "have at most 19"
        )
        self.line, self.column = line, column


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _LongNumber(digits)
    return int(text)


def parse_json(text: str, where: str) -> Any:
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", where, exc.lineno, exc.colno) from None
    except _LongNumber as exc:
        raise InputError(str(exc), where) from None
    except RecursionError:
        raise InputError(_too_deep(), where) from None
    check_limits(data, where)
    return data


def _yaml_integer(loader: Any, node: Any) -> int:
    """A YAML integer, its digits counted (in its own base) before Python reads it, as JSON's
    are: Python refuses one of over 4,300 digits in its own words."""
    from yaml.constructor import SafeConstructor

    number = loader.construct_scalar(node).lstrip("+-").replace("_", "")
    digits = len(number) - 2 * (number[:2].lower() in ("0b", "0x"))
    if digits > MAX_DIGITS:
        raise _LongNumber(digits, node.start_mark.line + 1, node.start_mark.column + 1)
    return SafeConstructor.construct_yaml_int(loader, node)


@functools.cache
def _yaml_loader(base: type) -> type:
    """``base`` (a safe loader, libyaml's or Python's) reading integers by ``_yaml_integer``."""
    loader = type(f"Counting{base.__name__}", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:int", _yaml_integer)  # type: ignore[attr-defined]
    return loader


def parse_yaml(text: str, where: str) -> Any:
    import yaml  # deferred: only YAML input and output need it

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
    try:
        data = yaml.load(text, Loader=_yaml_loader(base))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not YAML"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise InputError(f"malformed YAML: {problem}", where, line, column) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", where) from None
    except RecursionError:
        raise InputError(_too_deep(), where) from None
    except _LongNumber as exc:
        raise InputError(str(exc), where, exc.line, exc.column) from None
    except ValueError as exc:  # a tagged value that is none: `!!int x`
        raise InputError(f"a value cannot be read: {exc}", where) from None
    check_limits(data, where, yaml=True)
    return data


def _too_deep() -> str:
    return f"objects and lists are nested more than {MAX_DEPTH} deep; a request nests 7 deep"


def check_limits(data: Any, where: str, yaml: bool = False) -> None:
    """Refuse a document that expands to over MAX_VALUES values or MAX_INPUT_BYTES characters
    of text, nests over MAX_DEPTH deep, refers to itself, or holds a number of over MAX_DIGITS
    digits.

    Each object or list is measured once however often aliases repeat it, so a billion laughs
    costs as much as its file."""
    aliases = "; YAML aliases repeat values without copying them" if yaml else ""
    measured: dict[int, tuple[int, int, int]] = {}
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        item, closing = stack.pop()
        if isinstance(item, int) and abs(item) >= _TOO_LONG:
            raise InputError(str(_LongNumber(len(str(abs(item))))), where)
        if not isinstance(item, dict | list):
            continue
        children = list(item.values()) if isinstance(item, dict) else item
        if closing:
            open_ids.discard(id(item))
            inner = [measured[id(c)] for c in children if isinstance(c, dict | list)]
            count = 1 + len(children) - len(inner) + sum(n for n, _, _ in inner)
            depth = 1 + max((d for _, d, _ in inner), default=0)
            text = sum(len(c) for c in children if isinstance(c, str)) + sum(t for *_, t in inner)
            measured[id(item)] = (count, depth, text)
            if count > MAX_VALUES:
                raise InputError(
                    f"the document expands to more than {MAX_VALUES:,} values{aliases}; "
                    "a request has a few hundred",
                    where,
                )
            if text > MAX_INPUT_BYTES:
                raise InputError(
                    f"the document's text expands to more than {MAX_INPUT_BYTES // _MIB} MiB"
                    f"{aliases}; a request the service takes is at most 1 MiB",
                    where,
                )
            if depth > MAX_DEPTH:
                raise InputError(_too_deep(), where)
        elif id(item) in open_ids:
            raise InputError("a YAML alias refers to the value that holds it", where)
        elif id(item) not in measured:
            open_ids.add(id(item))
            stack.append((item, True))
            stack.extend((c, False) for c in children)


def load_cli_input(value: str, fmt: str = "json", where: str | None = None) -> dict[str, Any]:
    """Read ``--cli-input-json`` / ``--cli-input-yaml``: a string or ``file://path``."""
    where = where or f"--cli-input-{fmt}"
    if value.startswith("file://"):
        where = f"{where} {value[len('file://') :]}"
    text = read_value(value, where)
    data = parse_yaml(text, where) if fmt == "yaml" else parse_json(text, where)
    if not isinstance(data, dict):
        kind = "empty" if data is None else describe(data)
        raise InputError(f"the input must be an object of request members, not {kind}", where)
    return data


def load_skeleton_file(path: str | Path) -> dict[str, Any]:
    """A skeleton file, JSON or YAML by its content (JSON first, as `.json` files are)."""
    path = Path(path)
    text = read_value(f"file://{path}", str(path))
    is_json = path.suffix.lower() == ".json" or text.lstrip().startswith("{")
    data = parse_json(text, str(path)) if is_json else parse_yaml(text, str(path))
    if not isinstance(data, dict):
        kind = "empty" if data is None else describe(data)
        raise InputError(f"a skeleton must be an object of request members, not {kind}", str(path))
    return data


def merge_cli_input(file_values: dict[str, Any], explicit: dict[str, Any]) -> dict[str, Any]:
    """Options given on the command line override the members read from a cli-input file."""
    merged = dict(file_values)
    merged.update({k: v for k, v in explicit.items() if v is not None})
    return merged


# -- command lines -------------------------------------------------------------------------


def cli_name(name: str) -> str:
    """The CLI's name for an operation or member: ``CreateBackendAuth`` -> create-backend-auth."""
    from botocore import xform_name  # deferred: slow to import

    return xform_name(name, "-")


def command_line(
    request: dict[str, Any],
    operation: str = "CreateBackendAuth",
    *,
    include_secrets: bool = False,
    extra: list[str] | None = None,
) -> str:
    """The exact, shell-quoted ``aws amplifybackend ...`` command that sends ``request``."""
    data = request if include_secrets else redact(request, operation)
    spec = request_spec(operation)
    words = ["aws", SERVICE_NAME, cli_name(operation)]
    names = list(spec.member_names) + [k for k in data if k not in spec.member_names]
    for name in names:
        if name not in data:
            continue
        value = data[name]
        member = spec.member(name)
        option = f"--{cli_name(name)}"
        if member is not None and member.type == "boolean" and isinstance(value, bool):
            words.append(option if value else f"--no-{cli_name(name)}")
            continue
        if isinstance(value, dict | list):
            text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        elif isinstance(value, str):
            text = value
        else:
            text = json.dumps(value)
        words += [option, text]
    words += extra or []
    return " ".join(shlex.quote(w) for w in words)
