"""Safe YAML parsing into node trees that keep every value's line and column.

We compose nodes with libyaml (fast, no arbitrary objects) and let the schema decide
what each scalar means, so YAML 1.1's guesses (``no`` → false, a phone number → int)
never silently change a value.  File-level faults become problems, never exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from reportgen.load.slips import Slip, find_slip
from reportgen.problems import Problem, Words

try:  # libyaml is an order of magnitude faster; fall back to the pure-Python loader
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
# Plain scalars starting with one of these may resolve to something other than text
# (numbers, booleans, null, dates, YAML 1.1's yes/no/on/off, merge keys, .inf/.nan).
_MAY_RESOLVE = frozenset("0123456789+-.~=<nNyYtTfFoO")


class _Loader(_BaseLoader):
    """libyaml's loader with a shortcut in tag resolution.

    Resolution runs in Python for every scalar and was the largest cost of loading;
    most values are Chinese text, which can only ever be a string.
    """

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value and value[0] not in _MAY_RESOLVE:
                return _STR_TAG
        elif kind is yaml.MappingNode:  # no path resolvers are registered: the default is the answer
            return _MAP_TAG
        elif kind is yaml.SequenceNode:
            return _SEQ_TAG
        resolved: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return resolved


MAX_BYTES = 2 * 1024 * 1024  # a record is a few KB; anything larger is a mistake or an attack
MAX_DEPTH = 40

YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a line break
TAB_DETAIL = Words("这里有制表符（Tab），YAML 只能用空格缩进", "a tab here: YAML indents with spaces only")
DEEP_DETAIL = Words("嵌套层数过多", "nested too deeply")
_CONTROL = Words("文件中有不可打印的控制字符", "the file holds an unprintable control character")

# libyaml's messages, translated for people who are not programmers
_TRANSLATIONS: tuple[tuple[str, Words], ...] = (
    (
        "found character '\\t' that cannot start any token",
        TAB_DETAIL,
    ),
    ("found a tab character", TAB_DETAIL),
    (
        "mapping values are not allowed",
        Words(
            "这里不能出现“: ”（值里含有冒号时，请给整个值加引号）",
            "': ' cannot appear here (quote the whole value when it holds a colon)",
        ),
    ),
    (
        "could not find expected ':'",
        Words("缺少冒号，或者上一行的引号没有闭合", "a colon is missing, or a quote on the line above is not closed"),
    ),
    (
        "did not find expected ',' or ']'",
        Words(
            "方括号 [ ] 没有闭合，或列表项之间缺少逗号",
            "a [ ] bracket is not closed, or a comma is missing between items",
        ),
    ),
    (
        "did not find expected ',' or '}'",
        Words(
            "花括号 { } 没有闭合，或各项之间缺少逗号", "a { } brace is not closed, or a comma is missing between items"
        ),
    ),
    (
        "did not find expected key",
        Words("缩进不一致，或多了/少了一个“- ”", "the indentation is inconsistent, or a '- ' is extra or missing"),
    ),
    ("did not find expected '-' indicator", Words("列表项的缩进不一致", "the list items are indented inconsistently")),
    (
        "found unexpected end of stream",
        Words("文件在引号或括号闭合之前就结束了", "the file ends before a quote or bracket is closed"),
    ),
    ("found undefined alias", Words("使用了未定义的别名（*）", "an undefined alias (*) is used")),
    (
        "found unknown escape character",
        Words(
            "双引号中的反斜杠转义无效（路径请用单引号）",
            "an invalid backslash escape in double quotes (use single quotes for paths)",
        ),
    ),
    ("special characters are not allowed", _CONTROL),
    ("control characters are not allowed", _CONTROL),
    ("found unexpected ':'", Words("冒号的位置不对", "a colon in the wrong place")),
    ("expected <block end>, but found", Words("缩进不一致", "the indentation is inconsistent")),
    ("did not find expected node content", Words("这里缺少内容", "something is missing here")),
    (
        "found character that cannot start any token",
        Words("这个字符不能出现在值的开头（请给值加引号）", "this character cannot start a value (quote the value)"),
    ),
    ("while scanning an anchor", Words("锚点（&）写法不对", "a badly written anchor (&)")),
    (
        "while scanning an alias",
        Words(
            "别名（*）写法不对，值以 * 开头时请加引号", "a badly written alias (*); quote a value that starts with *"
        ),
    ),
    (
        "expected alphabetic or numeric character",
        Words(
            "这个字符不能出现在这里（值以 & 或 * 开头时请加引号）",
            "this character cannot appear here (quote a value that starts with & or *)",
        ),
    ),
    ("while scanning a directive", Words("“%”开头的行不是有效内容", "a line starting with '%' is not valid content")),
    ("maximum nesting", DEEP_DETAIL),  # becomes E108
    ("a tab character that violates indentation", TAB_DETAIL),
)


@dataclass(frozen=True)
class Position:
    """1-based line and column."""

    line: int
    column: int


def position(node: yaml.Node) -> Position:
    """Where ``node`` starts, 1-based."""
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text.  UTF-8 (with or without BOM) only; GBK gets a message saying so."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        if b"\x00" in data:
            detail = Words("（看起来是二进制文件）", " (it looks like a binary file)")
        else:
            try:
                data.decode("gb18030")
                detail = Words(
                    "（看起来是 GBK/GB18030 编码，常见于 Windows 记事本或 Excel 导出）",
                    " (it looks like GBK/GB18030, as Windows Notepad or Excel save it)",
                )
            except UnicodeDecodeError:
                detail = Words("（含有无效字节）", " (it holds invalid bytes)")
        return None, [Problem(file, line, column, "E103", {"detail": detail})]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [
            Problem(
                file,
                line,
                1,
                "E103",
                {"detail": Words("（含有 NUL 字节，看起来是二进制文件）", " (it holds NUL bytes: a binary file)")},
            )
        ]
    return text.replace("\r\n", "\n"), []


def compose(text: str, file: str, line_offset: int = 0) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse one YAML document into a node tree, or say precisely why not.

    ``line_offset`` is how many lines of the file come before ``text`` (a bulletin's
    opening ``---``); the text is padded with that many empty lines, so every node's
    position, also those looked up later, is a position in the file.
    """
    text = "\n" * line_offset + text
    unusual = _UNUSUAL_BREAK.search(text)
    if unusual:  # libyaml breaks lines here, editors and git do not: positions and keys would differ
        at = unusual.start()
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        code_point = f"U+{ord(unusual.group()):04X}"
        detail = Words(
            f"这里有特殊的换行字符 {code_point}，多数编辑器看不到它；请删除或换成普通换行",
            f"an unusual line break {code_point} here, invisible in most editors; delete it or use a plain line break",
        )
        return None, [Problem(file, line, column, "E101", {"detail": detail})]
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        return None, _syntax_problems(exc, file, text)
    except yaml.reader.ReaderError as exc:  # control characters: a position, not a mark
        # libyaml counts the position in UTF-8 bytes; the first occurrence of the refused
        # character is where reading stopped, counted in characters
        offset = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        offset = offset if offset >= 0 else min(exc.position, len(text))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        detail = _translate(str(exc.reason))
        return None, [Problem(file, line, column, "E101", {"detail": detail})]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1 + line_offset, 1, "E101", {"detail": _translate(str(exc))})]
    except RecursionError:
        return None, [Problem(file, 1 + line_offset, 1, "E108", {"detail": DEEP_DETAIL})]
    documents = [d for d in documents if d is not None and not _is_blank(d)]
    if not documents:
        return None, [Problem(file, 1 + line_offset, 1, "E104")]
    if len(documents) > 1:
        pos = position(documents[1])
        return None, [Problem(file, pos.line, pos.column, "E107")]
    found = _first_property(text) if _MAYBE_ANCHOR.search(text) or _MAYBE_TAG.search(text) else None
    if found is not None:
        return None, [_property_problem(file, text, *found)]
    deep = _too_deep(documents[0]) if _may_be_deep(text) else None  # after the anchor check: no cycles
    if deep is not None:
        pos = position(deep)
        detail = Words(f"嵌套超过 {MAX_DEPTH} 层", f"nested more than {MAX_DEPTH} levels deep")
        return None, [Problem(file, pos.line, pos.column, "E108", {"detail": detail})]
    return documents[0], []


def _is_blank(node: yaml.Node) -> bool:
    """A document with nothing in it (``---`` followed by comments only)."""
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value == ""


# YAML 1.1 line breaks that editors, git and GitHub do not count as line breaks (NEL, LS, PS)
_UNUSUAL_BREAK = re.compile("[\x85\u2028\u2029]")

# an anchor or alias can only start after a separator; Markdown's ** and "R&D" rarely look like this
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:?-])[&*][^\s*&]", re.MULTILINE)


# a tag starts with "!" after a separator (or is declared by a %TAG directive)
_MAYBE_TAG = re.compile(r"(?:^|[\s\[{,:?-])!|^%TAG", re.MULTILINE)
_TAG_WRITTEN = re.compile(r"![^\s,\[\]{}]*")

_INDENTS = re.compile(r"^ +", re.MULTILINE)


def _may_be_deep(text: str) -> bool:
    """A cheap upper bound on nesting: indentation plus flow brackets plus inline "- " and ": "."""
    if text.count("[") + text.count("{") >= MAX_DEPTH:
        return True
    # a looser bound first, counted in C: most files are far from the limit
    if text.count("- ") + text.count(": ") + max(map(len, _INDENTS.findall(text)), default=0) < MAX_DEPTH:
        return False
    widest = max(
        (len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count(": ") for line in text.split("\n")),
        default=0,
    )
    return widest >= MAX_DEPTH


def _first_property(text: str) -> tuple[str, yaml.Mark] | None:
    """The first anchor (``&``), alias (``*``) or tag (``!!str``, ``!custom``) and where it is.

    The composer resolves aliases and tags silently, so only the event stream shows them.
    Any anchor refuses the file: aliases make records hard to review and can blow up a
    file's size when expanded (a "billion laughs").  Any tag refuses it too: the schema
    decides what a value is, and a tag would overrule it (``!!binary``, ``!!map`` on text).
    """
    for event in yaml.parse(text, Loader=_Loader):
        if getattr(event, "anchor", None) is not None:
            return "E106", event.start_mark  # type: ignore[return-value]  # C and Python marks share the interface
        if getattr(event, "tag", None) is not None:
            return "E211", event.start_mark  # type: ignore[return-value]
    return None


def _property_problem(file: str, text: str, code: str, mark: yaml.Mark) -> Problem:
    """E106 at an anchor or alias; E211 at a tag, naming it as it is written."""
    if code == "E106":
        return Problem(file, mark.line + 1, mark.column + 1, code)
    line = text.split("\n", mark.line + 1)[mark.line]
    written = _TAG_WRITTEN.match(line, mark.column)
    tag = written.group() if written else "!"
    return Problem(file, mark.line + 1, mark.column + 1, code, {"tag": tag})


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first node (in document order) nested deeper than ``MAX_DEPTH``, if any."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            continue
        stack.extend((child, depth + 1) for child in reversed(children))
    return None


# slips reported from one file at most: each after the ones before it are corrected (a file indented with tabs
# throughout would otherwise take one run per line)
MAX_SLIPS = 50


def _syntax_problems(exc: yaml.MarkedYAMLError, file: str, text: str) -> list[Problem]:
    """The syntax error; when it is a slip (a tab, a full-width colon, a missing space), also every later slip,
    each found by parsing again with the ones before it corrected: every problem of the file at once."""
    found = [_syntax_problem(exc, file, text)]
    lines = text.split("\n")
    slip = _slip(exc, lines)
    while slip is not None and len(found) < MAX_SLIPS:
        lines[slip.line - 1] = slip.fixed
        try:
            list(yaml.compose_all("\n".join(lines), Loader=_Loader))
        except yaml.MarkedYAMLError as again:
            slip = _slip(again, lines)
            if slip is not None and all(p.line != slip.line for p in found):
                found.append(Problem(file, slip.line, slip.column, slip.code, slip.params))
                continue
        except (yaml.YAMLError, RecursionError):
            pass
        break
    return found


def _mark(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where the error is: libyaml's problem mark, but for a quote never closed the place it opens (not the end of
    the file libyaml reached)."""
    if exc.context_mark and "quoted scalar" in (exc.context or "") and "end of stream" in (exc.problem or ""):
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _slip(exc: yaml.MarkedYAMLError, lines: list[str]) -> Slip | None:
    """The slip behind a syntax error (``slips``), if it is one."""
    mark = _mark(exc)
    if mark is None or "maximum nesting" in " ".join(filter(None, (exc.context, exc.problem))):
        return None
    return find_slip(lines, mark.line)


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    mark = _mark(exc)
    line, column = _within(text, mark.line, mark.column) if mark else (1, 1)
    raw = " ".join(filter(None, (exc.context, exc.problem)))
    code = "E108" if "maximum nesting" in raw else "E101"  # libyaml's own depth limit
    detail = _translate(raw)
    lines = text.split("\n")
    slip = _slip(exc, lines)
    if slip is not None:  # the scanner stops a token late: the slip is on this line or the one above
        return Problem(file, slip.line, slip.column, slip.code, slip.params)
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        detail = TAB_DETAIL  # libyaml only says "cannot start any token"
    return Problem(file, line, column, code, {"detail": detail})


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """libyaml's 0-based mark as a 1-based place in ``text``, never past its last line.

    libyaml places some errors at the end of input, on the line after the last one ("?\\r0": two
    lines, the error on a third); such a place is the end of the last line.
    """
    lines = YAML_BREAKS.split(text)
    if line < len(lines):
        return line + 1, column + 1
    return len(lines), len(lines[-1]) + 1


def _translate(message: str) -> Words:
    """libyaml's message in office words (and plain English); an unknown one as libyaml said it."""
    for english, words in _TRANSLATIONS:
        if english in message:
            return words
    raw = re.sub(r"\s+", " ", message).strip()
    return Words(raw, raw)


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---\\nYAML\\n---\\nbody``; returns (yaml, body, body's first line) or None."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None
    front = match.group(1) or ""
    body_line = text.count("\n", 0, match.end()) + 1
    return front, text[match.end() :], body_line
