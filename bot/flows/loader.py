"""Read a playbook file: YAML in, a checked ``Playbook`` out, or errors naming file, line, field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.flows.conditions import CONDITIONS
from bot.flows.parts import ACTIONS
from bot.flows.schema import Playbook

# libyaml's loader when present (about 6x faster); both keep line marks on every node.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Limits that keep a hostile or broken file from hanging ``flows check`` or start-up. The
# largest shipped playbook is under 30 kB and 1,600 values, nested 11 deep.
MAX_BYTES = 512 * 1024
# Values in the document with every alias (*name) expanded: anchors and aliases are allowed, but
# a few lines of nested aliases ("billion laughs") would otherwise expand to billions.
MAX_VALUES = 20_000
MAX_DEPTH = 32  # nesting, counting what aliases bring in
MAX_NUMBER_CHARS = 40  # an int or float written with more characters is no playbook's number
# Characters YAML refuses (C0 and C1 controls but tab, line feed and carriage return; DEL;
# U+FFFE, U+FFFF), found before YAML reads the file so that the error names the line.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader, whose scalar constructors cannot escape with a bare ``ValueError``."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. 2026-02-30 as a date
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value ({exc})", node.start_mark
            ) from exc


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}: {self.severity}:{field} {self.message}"


class PlaybookError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LoadedPlaybook:
    playbook: Playbook
    path: Path
    lines: LineMap


class LineMap:
    """Where each key and list item of a YAML document starts (1-based lines)."""

    def __init__(self, root: yaml.Node) -> None:
        self.root = root

    def line_of(self, loc: tuple[Any, ...]) -> int:
        node = self.root
        line = node.start_mark.line + 1
        for part in loc:
            child = _child(node, part)
            if child is None:
                continue  # a union tag or a model name in pydantic's location: skip it
            key_line, node = child
            line = key_line
        return line


def _child(node: yaml.Node, part: Any) -> tuple[int, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line + 1, value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            item = node.value[part]
            return item.start_mark.line + 1, item
    return None


def _union_tag(data: Any) -> str | None:
    """The tag pydantic puts in an error location for a step, action or condition mapping."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("kind"), str):
        return str(data["kind"])
    for key in (*ACTIONS, *CONDITIONS):
        if key in data:
            return key
    return None


def strip_tags(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Drop the union tags from a pydantic error location, leaving keys and indexes."""
    out: list[Any] = []
    current = data
    tag_allowed = False
    for part in loc:
        if tag_allowed and part == _union_tag(current):
            tag_allowed = False
            continue
        out.append(part)
        if isinstance(current, dict):
            key = "not" if part == "not_" else part
            current = current.get(key)
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            current = None
        tag_allowed = True
    return tuple(out)


def field_path(loc: tuple[Any, ...], data: Any) -> str:
    """``steps[3].options[0].id``; step entries are shown by id when they have one."""
    out = ""
    current = data
    for part in loc:
        if isinstance(part, int) and isinstance(current, list):
            item = current[part] if part < len(current) else None
            label = item.get("id") if isinstance(item, dict) else None
            out += f"[{part}]" if label is None else f"[{part}:{label}]"
            current = item
        elif isinstance(current, dict) and str(part) in current:
            out += ("." if out else "") + str(part)
            current = current[str(part)]
        elif isinstance(current, dict) and part == "not_" and "not" in current:
            out += ("." if out else "") + "not"
            current = current["not"]
    return out


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _check_tree(root: yaml.Node, file: str) -> list[Problem]:
    """Duplicate keys, over-long numbers, recursive aliases, and a document too big or too deep
    once its aliases are expanded. An alias is the very node object its anchor names, so each
    node is visited once, without recursion: neither a recursive alias nor a billion laughs can
    hang it."""
    problems: list[Problem] = []
    size: dict[int, int] = {}  # by node id: values under the node, aliases expanded
    height: dict[int, int] = {}
    started: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children = _children(node)
        if finished:
            size[key] = 1 + sum(size[id(child)] for child in children)
            height[key] = 1 + max((height[id(child)] for child in children), default=0)
            if size[key] > MAX_VALUES:
                message = (
                    f"this expands to more than {MAX_VALUES} values"
                    " (each alias *name repeats what its anchor &name holds)"
                )
                return [*problems, Problem(file, _line(node), "", message)]
            if height[key] > MAX_DEPTH:
                message = f"nested deeper than {MAX_DEPTH} levels (counting what aliases bring in)"
                return [*problems, Problem(file, _line(node), "", message)]
            continue
        if key in started:
            continue  # another alias of a node already measured
        started.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in started and id(child) not in size:
                message = "recursive alias: an anchor (&name) is used (*name) inside itself"
                return [*problems, Problem(file, _line(child), "", message)]
            stack.append((child, False))
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
                message = f"a number longer than {MAX_NUMBER_CHARS} characters"
                problems.append(Problem(file, _line(node), "", message))
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, _value in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in seen:
                        problems.append(
                            Problem(file, _line(key_node), key_node.value, "duplicate key")
                        )
                    seen.add(key_node.value)
    return problems


def _read(path: Path) -> str:
    """The file's text, or the reason it cannot be a playbook (too big, not UTF-8, a control
    character) with its line."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlaybookError([Problem(file, 1, "", f"cannot read: {exc}")]) from exc
    if len(raw) > MAX_BYTES:
        message = f"the file is larger than {MAX_BYTES // 1024} kB"
        raise PlaybookError([Problem(file, 1, "", message)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        raise PlaybookError([Problem(file, line, "", message)]) from exc
    bad = _FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        message = f"control character U+{ord(bad.group()):04X} is not allowed"
        raise PlaybookError([Problem(file, line, "", message)])
    return text


def load_playbook(path: Path) -> LoadedPlaybook:
    """Read and check one file against the schema; :class:`PlaybookError` names file and line.

    Whatever the bytes, this returns or raises ``PlaybookError``, and quickly: size, nesting and
    alias expansion are bounded before anything recursive walks the document.
    """
    file = str(path)
    text = _read(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise PlaybookError([Problem(file, 1, "", "the file is empty")])
        problems = _check_tree(node, file)
        if problems:
            raise PlaybookError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = f"not valid YAML: {exc.problem}"
        if "expected ',' or '}'" in str(exc.problem) or "mapping values" in str(exc.problem):
            message += " (hint: put text containing , ? : # [ ] { } in quotes)"
        raise PlaybookError([Problem(file, line, "", message)]) from exc
    except yaml.YAMLError as exc:
        raise PlaybookError([Problem(file, 1, "", f"not valid YAML: {exc}")]) from exc
    except RecursionError as exc:  # the pure-Python parser has no depth limit of its own
        message = f"nested deeper than {MAX_DEPTH} levels"
        raise PlaybookError([Problem(file, 1, "", message)]) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise PlaybookError([Problem(file, 1, "", "a playbook is a mapping of keys")])
    lines = LineMap(node)
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as exc:
        found = []
        for error in exc.errors():
            loc = strip_tags(tuple(error["loc"]), data)
            if error["type"] == "step_kind":
                loc = (*loc, "kind")
            message = error["msg"].removeprefix("Value error, ")
            found.append(Problem(file, lines.line_of(loc), field_path(loc, data), message))
        raise PlaybookError(found) from exc
    return LoadedPlaybook(playbook=playbook, path=path, lines=lines)
