"""Read a playbook file: YAML in, a checked ``Playbook`` out, or errors naming file, line, field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.flows.schema import Playbook

# libyaml's loader when present (about 6x faster); both keep line marks on every node.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


_ACTION_TAGS = ("notify", "classify", "deadline")
_CONDITION_TAGS = ("all", "any", "not", "answer", "setting")


def _union_tag(data: Any) -> str | None:
    """The tag pydantic puts in an error location for a step, action or condition mapping."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("kind"), str):
        return str(data["kind"])
    for key in (*_ACTION_TAGS, *_CONDITION_TAGS):
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


def _duplicate_keys(node: yaml.Node, file: str) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    problems.append(
                        Problem(file, key.start_mark.line + 1, key.value, "duplicate key")
                    )
                seen.add(key.value)
            problems.extend(_duplicate_keys(value, file))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems.extend(_duplicate_keys(item, file))
    return problems


def load_playbook(path: Path) -> LoadedPlaybook:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError([Problem(file, 1, "", f"cannot read: {exc}")]) from exc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise PlaybookError([Problem(file, 1, "", "the file is empty")])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = f"not valid YAML: {exc.problem}"
        if "expected ',' or '}'" in str(exc.problem) or "mapping values" in str(exc.problem):
            message += " (hint: put text containing , ? : # [ ] { } in quotes)"
        raise PlaybookError([Problem(file, line, "", message)]) from exc
    finally:
        loader.dispose()
    problems = _duplicate_keys(node, file)
    if problems:
        raise PlaybookError(problems)
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
