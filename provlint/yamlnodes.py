"""Safe YAML loading that remembers where every node stood, for file:line:col errors."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

Path = tuple[Any, ...]
# Nodes are told apart by their `id` ("mapping", "sequence", "scalar"), not their classes,
# so that nothing here but the loading needs PyYAML imported.
MAX_EXPANDED_NODES = 100_000
MAX_NESTING = 100  # rule and config files nest a few levels; far deeper is hostile


class YamlError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def load_with_marks(text: str) -> tuple[Any, dict[Path, tuple[int, int]]]:
    """Parse one YAML document with the safe loader; return it and (line, col) per path."""
    # Imported here: a run whose rule pack is kept and that has no config file reads no YAML.
    import yaml

    # libyaml's parser when PyYAML was built with it: same safe constructor, several times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        deep = _too_deep(node) if node is not None else None
        if deep is not None:  # the constructor and the walks below recurse once per level
            raise YamlError(f"nested deeper than {MAX_NESTING} levels", deep.start_mark.line + 1,
                            deep.start_mark.column + 1)
        data = loader.construct_document(node) if node is not None else None
    except RecursionError:  # the pure-Python parser (no libyaml) recurses while composing
        raise YamlError(f"nested deeper than {MAX_NESTING} levels", 1, 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise YamlError(f"invalid YAML: {problem}", mark.line + 1 if mark else 1,
                        mark.column + 1 if mark else 1) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 1, 1) from None
    finally:
        loader.dispose()
    marks: dict[Path, tuple[int, int]] = {}
    if node is not None:
        size = _expanded_size(node, {})
        if size > MAX_EXPANDED_NODES:
            raise YamlError(f"refused: aliases expand this document to {size:,} nodes "
                            f"(more than {MAX_EXPANDED_NODES:,}; an alias bomb?)", 1, 1)
        _walk(node, (), marks, set())
    return data, marks


def load_json_object(text: str) -> dict[str, Any] | None:
    """`text` parsed as JSON when it is one JSON object, else None.

    JSON is YAML: a generated list of thousands of entries written as JSON means the same,
    and parses some fifty times faster than through the YAML constructor. No marks: the
    caller re-reads with `load_with_marks` when it must point at a line."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first node nested deeper than MAX_NESTING, found without recursion (each node
    once, so aliases cost nothing)."""
    stack, seen = [(root, 0)], set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.id == "mapping":
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        elif node.id == "sequence":
            stack.extend((item, depth + 1) for item in node.value)
    return None


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Nodes the document has once every alias is expanded, counted without expanding."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a recursive alias counts once
    if node.id == "mapping":
        size = 1 + sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    elif node.id == "sequence":
        size = 1 + sum(_expanded_size(item, sizes) for item in node.value)
    else:
        size = 1
    sizes[id(node)] = size
    return size


def _walk(node: yaml.Node, path: Path, marks: dict[Path, tuple[int, int]], seen: set[int]) -> None:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in seen:  # an alias: walking it again could explode (billion laughs)
        return
    seen.add(id(node))
    if node.id == "mapping":
        for key, value in node.value:
            name = key.value
            # The key's own position is where an unknown key should be pointed at.
            marks[path + (name, "<key>")] = (key.start_mark.line + 1, key.start_mark.column + 1)
            _walk(value, path + (name,), marks, seen)
    elif node.id == "sequence":
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), marks, seen)


def mark_of(marks: dict[Path, tuple[int, int]], path: Path) -> tuple[int, int]:
    """The closest known position for a path (falls back to its parents)."""
    path = tuple(path)
    while path not in marks and path:
        path = path[:-1]
    return marks.get(path, (1, 1))
