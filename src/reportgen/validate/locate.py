"""Find the line and column of a value by its path, lazily, only for records that fail.

Cross-record checks (references, dates against other records, lifecycle) run on plain
values; when one fails we walk that file's node tree to the offending value.  Files
whose tree is no longer in memory are parsed again: that costs only for failing files.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from reportgen.load import LoadedFile, SourceFile, load_file
from reportgen.load.yamlnodes import position
from reportgen.model import Record
from reportgen.problems import Problem
from reportgen.validate.record import FileResult

PARSED_KEPT = 64  # trees of files parsed again kept at once: a file's problems mostly come together


class Locator:
    """Maps (file, dotted path) to a position, parsing files on demand.

    Of the files parsed again only the last ``PARSED_KEPT`` trees are kept: at 100,000 issues
    thousands of files hold a warning, and all their trees held ~50 MB until the check ended.
    """

    def __init__(self, sources: Mapping[str, SourceFile], loaded: dict[str, LoadedFile] | None = None) -> None:
        self._sources = sources
        self._nodes: dict[str, yaml.Node | None] = {k: v.node for k, v in (loaded or {}).items()}
        self._parsed: OrderedDict[str, yaml.Node | None] = OrderedDict()

    def _node(self, file: str) -> yaml.Node | None:
        if file in self._nodes:
            return self._nodes[file]
        if file in self._parsed:
            self._parsed.move_to_end(file)
            return self._parsed[file]
        source = self._sources.get(file)
        node = self._parsed[file] = load_file(source).node if source else None
        if len(self._parsed) > PARSED_KEPT:
            self._parsed.popitem(last=False)
        return node

    def at(self, file: str, path: str) -> tuple[int, int]:
        """The 1-based line and column of the value at ``path`` (or of its nearest parent)."""
        node = self._node(file)
        if node is None:
            return 1, 1
        for part in path.split(".") if path else ():
            child = _child(node, part)
            if child is None:
                break
            node = child
        pos = position(node)
        return pos.line, pos.column

    def problem(self, record: Record, path: str, code: str, **params: Any) -> Problem:
        """A problem located at ``path`` of ``record``."""
        line, column = self.at(record.file, path)
        return Problem(record.file, line, column, code, params, record.id, path or None)


def _child(node: yaml.Node, part: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == part:
                return value_node  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and part.isdigit():
        index = int(part)
        child: yaml.Node | None = node.value[index] if index < len(node.value) else None
        return child
    return None


class SourcesOf(Mapping[str, SourceFile]):
    """The sources of results kept by display name, as a ``Locator`` reads them: no map of their own made
    (at 100,000 issues the check's gathering and its rules share one of 187,000 results)."""

    def __init__(self, results: Mapping[str, FileResult]) -> None:
        self._results = results

    def __getitem__(self, display: str) -> SourceFile:
        return self._results[display].source

    def __iter__(self) -> Iterator[str]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)


def sources_by_display(files: list[SourceFile]) -> dict[str, SourceFile]:
    """Index source files by the name problems use."""
    return {f.display: f for f in files}
