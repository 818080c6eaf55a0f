"""Typed YAML configuration files: decoded once into msgspec Structs, refused in one line.

A file is declared as Structs (types, limits, defaults, checks in `__post_init__`) and read
with `load(path, Struct, Error)`. Whatever is wrong comes back as one line naming the file,
the place and the problem, e.g. `classification.yaml: routing #1.level: invalid enum value 4`
(list entries are counted from 1, as a person counts them). Besides msgspec's own types a
field may be a `ZoneInfo`, a `re.Pattern`, or any class with a `from_yaml(value)`
classmethod that raises ValueError with a short reason.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
import yaml
from msgspec import inspect

T = TypeVar("T")
_SEGMENT = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[(\.\.\.)\]")


class ConfigFileError(ValueError):
    """A configuration file is unusable; the message is one line naming file and place."""


def load(path: Path, kind: type[T], error: type[ConfigFileError] = ConfigFileError) -> T:
    """Read, decode and check `path` as `kind`; raise `error` with one line on any problem."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise error(f"{path}:{line} is not valid YAML ({problem})") from None
    try:
        return decode(raw, kind)
    except msgspec.ValidationError as exc:
        raise error(f"{path}: {_explain(exc, raw, kind)}") from None


def decode(raw: Any, kind: type[T]) -> T:
    """Convert parsed YAML into `kind` (strict: no text is taken for a number)."""
    return msgspec.convert(raw, kind, dec_hook=_from_yaml)


def _from_yaml(kind: type, value: Any) -> Any:
    if kind is ZoneInfo:
        try:
            return ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be a time zone such as Europe/Berlin") from None
    if kind is re.Pattern:
        if not isinstance(value, str):
            raise ValueError("must be a regular expression in quotes")
        try:
            return re.compile(value)
        except re.error as exc:
            raise ValueError(f"is not a valid regular expression ({exc})") from None
    if hasattr(kind, "from_yaml"):
        return kind.from_yaml(value)
    raise NotImplementedError


def _explain(exc: msgspec.ValidationError, raw: Any, kind: type) -> str:
    """`place: problem` from msgspec's `Problem - at `$.a[0].b``, naming mapping keys too.

    msgspec writes `[...]` for an entry of a mapping; the entry at fault is found by
    decoding the file again with that mapping cut down to one entry at a time.
    """
    text = str(exc)
    problem, at, where = text.rpartition(" - at `")
    problem = (problem if at else text)[:1].lower() + (problem if at else text)[1:]
    if not at:  # about the whole file (a __post_init__ there names its place itself)
        return problem
    in_key = "`key` in `" in where
    where = where.split("` in `")[-1].rstrip("`")
    root = copy.deepcopy(raw)
    node, place, declared = root, "", inspect.type_info(kind)
    for name, index, entry in _SEGMENT.findall(where.removeprefix("$")):
        declared = _inner(declared, name, index)
        if index:
            node = node[int(index)] if isinstance(node, list) else None
            place = f"{place} #{int(index) + 1}"
            continue
        if entry:
            name = _entry_at_fault(root, node, kind, text) if isinstance(node, dict) else None
            if name is None:
                return f"{place}.?: {problem}"
        node = node.get(name) if isinstance(node, dict) else None
        place = f"{place}.{name}" if place else str(name)
    allowed = plain_type(plain_type(declared).key_type if in_key else declared)
    if problem.startswith("invalid enum value") and isinstance(allowed, inspect.LiteralType):
        problem += f" (use {', '.join(str(value) for value in allowed.values)})"
    return f"{place}: {problem}" if place else problem


def plain_type(declared: inspect.Type) -> inspect.Type:
    """A msgspec.inspect type without metadata; of a union (`X | None`), the member with
    parts (fields, items, values), else the first."""
    while isinstance(declared, inspect.Metadata):
        declared = declared.type
    if isinstance(declared, inspect.UnionType):
        members = [plain_type(member) for member in declared.types]
        return next((m for m in members if _has_parts(m)), members[0])
    return declared


def _has_parts(declared: inspect.Type) -> bool:
    return any(hasattr(declared, part) for part in ("fields", "item_type", "value_type"))


def _inner(declared: inspect.Type, name: str, index: str) -> inspect.Type:
    """The declared type one step down the path (a field, an item, a mapping entry)."""
    declared = plain_type(declared)
    if isinstance(declared, inspect.StructType) and name:
        return next((f.type for f in declared.fields if f.encode_name == name), inspect.AnyType())
    if isinstance(declared, inspect.TupleType) and index:
        return declared.item_types[int(index)]
    for part in ("value_type", "item_type"):
        if hasattr(declared, part):
            return getattr(declared, part)
    return inspect.AnyType()


def _entry_at_fault(root: Any, mapping: dict, kind: type, text: str) -> Any:
    """The key whose entry alone fails with `text`; `mapping` is left holding only it."""
    entries = dict(mapping)
    for key, value in entries.items():
        mapping.clear()
        mapping[key] = value
        try:
            decode(root, kind)
        except msgspec.ValidationError as exc:
            if str(exc) == text:
                return key
    mapping.clear()
    mapping.update(entries)
    return None
