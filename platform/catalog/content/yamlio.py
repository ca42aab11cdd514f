"""YAML in with line numbers, YAML out in one canonical form (so export round-trips exactly)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from catalog.content.problems import Problem


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of each key and of itself."""

    line: int = 0
    key_lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]


class LineList(list):  # type: ignore[type-arg]
    """A sequence that remembers the line of each item and of itself."""

    line: int = 0
    item_lines: list[int]


class _Invalid:
    """Stands for a file whose YAML did not parse (its problem is already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


class _Loader(yaml.SafeLoader):
    """A safe loader that returns LineDict/LineList and notes duplicate keys."""


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicates = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        if key in data.key_lines:
            data.duplicates.append((key, key_node.start_mark.line + 1))
        data.key_lines[key] = key_node.start_mark.line + 1
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> Any:
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # Dates stay text: course files never need date objects, and text round-trips.
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(text: str, path: str, problems: list[Problem], *, line_offset: int = 0) -> Any:
    """Parse YAML text, adding a Problem (with its line) instead of raising on bad syntax."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        what = " ".join(filter(None, [exc.context, exc.problem]))
        problems.append(
            Problem(
                path,
                line,
                f"invalid YAML: {what}",
                "check indentation, and quote text that contains ': ' or starts with a symbol",
            )
        )
        return INVALID
    except yaml.YAMLError as exc:
        problems.append(Problem(path, None, f"invalid YAML: {exc}", "fix the YAML syntax"))
        return INVALID
    if line_offset:
        _shift(data, line_offset)
    return data


def _shift(value: Any, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        value.duplicates = [(k, v + offset) for k, v in value.duplicates]
        for item in value.values():
            _shift(item, offset)
    elif isinstance(value, LineList):
        value.line += offset
        value.item_lines = [v + offset for v in value.item_lines]
        for item in value:
            _shift(item, offset)


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Split a Markdown file into its front matter (None when absent) and its body."""
    match = _FRONT.match(text)
    if not match:
        return None, text
    return match.group(1) or "", text[match.end() :]


# Canonical output ---------------------------------------------------------------------------


class Flow(list):  # type: ignore[type-arg]
    """A list written on one line: ``[a, b, c]``."""


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, literal blocks for multi-line text."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        # Indent list items under their key, as people write them by hand.
        return super().increase_indent(flow, False)


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_flow(dumper: _Dumper, value: Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_float(dumper: _Dumper, value: float) -> yaml.ScalarNode:
    if value.is_integer() and abs(value) < 1e15:
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", repr(value))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Flow, _represent_flow)
_Dumper.add_representer(float, _represent_float)
_Dumper.add_representer(LineDict, _Dumper.represent_dict)
_Dumper.add_representer(LineList, _Dumper.represent_list)

FLOW_WIDTH = 100


def flow(items: list[Any]) -> list[Any]:
    """Return the list marked for one-line output when it is short scalars, else as is."""
    if all(isinstance(i, str | int | float | bool) for i in items):
        text = yaml.dump(Flow(items), Dumper=_Dumper, width=10**6, allow_unicode=True)
        if len(text) <= FLOW_WIDTH and "\n" not in text.strip():
            return Flow(items)
    return list(items)


def dump_yaml(data: dict[str, Any]) -> str:
    """Write a mapping in the canonical form of course files."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False
    )
