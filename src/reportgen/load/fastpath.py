"""The fast path of checking: a record file of the plain shape straight to its ``Record``.

Most record files are a block mapping of ``key: value`` lines, a few nested mappings and
lists, one-line scalars, and nothing wrong with them.  For those, composing a libyaml node
tree (a node and two marks per scalar, a resolver call each) and then walking it with the
schema costs several times what the values themselves do.  ``record_of`` splits such a
file into lines with one regular expression and turns each value into what the schema
makes of it, in one pass.

It vouches only for what it fully understands, and only for a file with no problem at all:
anything else (a tag, an anchor, a flow or block scalar, a multi-line or escaped value, a
tab, a comment after a value, an empty value, a duplicate or unknown key, a value the schema
refuses or YAML 1.1 would read as another type, ...) returns None, and the exact path
(``load_file`` then ``check_file``, the auditable definition) runs on that file and words
its problems.  So does every later lookup of a position (``validate.locate``).
``tests/load/test_fastpath.py`` proves both paths give the same records.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from reportgen.load import SourceFile, UnreadableFile, read_regular, yamlnodes
from reportgen.load.characters import INVISIBLE, INVISIBLE_OR_TAB
from reportgen.load.yamlnodes import MAX_BYTES, decode
from reportgen.model import Record
from reportgen.schema.kinds import EXAMPLE_FLAG
from reportgen.schema.types import Field, Kind, Type
from reportgen.validate import fields as exact  # the exact path's own patterns and helpers
from reportgen.validate.identifiers import phone_problem, uscc_problem

_YAML = "tag:yaml.org,2002:"
_STR = _YAML + "str"
# YAML 1.1's implicit types, exactly as the exact path's loader resolves a plain scalar
_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = yamlnodes._Loader.yaml_implicit_resolvers
_WILDCARD = _RESOLVERS.get(None, [])  # resolvers for any first character (PyYAML registers none)
_KEY_TAGS = frozenset({_STR, _YAML + "int", _YAML + "bool"})  # what a mapping key may resolve to

# Any character libyaml refuses or reads as a line break (tab, CR, NEL, LS, PS, a BOM inside
# the text, C0 and C1 controls, U+FFFE/U+FFFF): such a file is left to the exact path.
_UNSAFE = re.compile("[^\n -~\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# Every line as (indent, "- " and the spaces after it, plain key, the rest of the line).
# A line matches whatever it holds; what the groups cannot describe, the reader refuses.
_LINE = re.compile(r"^( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_]*):(?: +|$))?(.*)", re.MULTILINE)
_DOUBLE = re.compile(r'"([^"\\]*)"')  # one line, no escapes
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
# A one-line plain scalar we do not read: one starting with a YAML indicator (or a quote, read
# apart), or holding ": " or " #", or ending in ":".
_NOT_PLAIN = re.compile(r"""[-?:,\[\]{}#&*!|>%@`'"]|.*?(?:: | #)|.*:$""")

_Row = tuple[str, str, str, str]  # one line's groups of _LINE
_Convert = Callable[[str], Any]
# A field's name, the field, what its one-line values already became (by the rest of the
# line: the conversion is a function of it alone) and how a new one is converted.
_Entry = tuple[str, Field, dict[str, Any], _Convert]
_Layout = tuple[dict[str, _Entry], frozenset[str], tuple[tuple[str, Any], ...]]
# Few distinct values, many times over; and texts: equal ones (a history entry's stock phrases)
# become one object in every record a worker makes, sent to the parent once a chunk (pickle
# writes a shared object once) and kept once there (10k issues: 36 → 28 MB of records).
_MEMO_TYPES = frozenset({Type.ENUM, Type.REF, Type.DATE, Type.BOOL, Type.TEXT, Type.MARKDOWN})
_MEMO_LIMIT = 10_000  # values remembered per field and process


class _Refused(Exception):
    """The file is not one the fast path vouches for."""


def read_plain(source: SourceFile) -> bytes | None:
    """The bytes of ``source`` when the fast path may read it (a YAML file, readable); else None."""
    if source.kind.suffix != ".yaml":
        return None
    try:
        return read_regular(source.where, MAX_BYTES)
    except UnreadableFile:
        return None


def record_of(data: bytes, source: SourceFile) -> Record | None:
    """The record in the bytes ``data`` read from ``source`` (``read_plain``) when the file is of the plain shape
    and has no problem at all, else None.

    None means only "not vouched for": the exact path must then load and check the file.
    """
    text, problems = decode(data, source.display)
    if text is None or problems:
        return None
    return record_from_text(text, source)


def record_from_text(text: str, source: SourceFile) -> Record | None:
    """The record the exact path would make of ``text`` with no problem, or None (see ``record_of``)."""
    if source.kind.suffix != ".yaml" or _UNSAFE.search(text):
        return None
    rows = [row for row in _LINE.findall(text) if row[1] or row[2] or (row[3] and row[3][0] != "#")]
    if not rows or rows[0][0] or rows[0][1]:
        return None  # empty, or not a mapping at the left margin
    kind = source.kind
    try:
        data, end = _Reader(rows, kind).mapping(kind.as_mapping, 0, 0)
    except _Refused:
        return None
    return _record(data, source) if end == len(rows) else None


def _record(data: dict[str, Any], source: SourceFile) -> Record | None:
    """The record as ``check_file`` makes it, or None where it would add a problem (E303, W630)."""
    kind = source.kind
    if data.get(EXAMPLE_FLAG.name) is True:
        return None
    if not kind.id_field or kind.id_field not in data:
        return Record(kind.name, source.stem, source.display, data)
    record_id = str(data[kind.id_field])
    name = source.name  # the stem is the name less the suffix: no need to make it
    if (name != record_id + kind.suffix) if name.endswith(kind.suffix) else (record_id != source.stem):
        return None
    return Record(kind.name, record_id, source.display, data)


class _Reader:
    """Reads the rows of one file with its kind's schema, building the record's values.

    A mapping's keys all start at one column; a list's dashes all at one column, which may
    be its key's own (``key:`` then ``- item`` below it); ``- key: value`` starts a mapping
    whose keys are at the column of that first key.  Each method returns the value and the
    index of the first row after it.
    """

    def __init__(self, rows: list[_Row], kind: Kind) -> None:
        self.rows = rows
        self.id_pattern = kind.id_pattern

    def mapping(self, field: Field, at: int, column: int) -> tuple[dict[str, Any], int]:
        """The mapping whose first key is on row ``at`` and whose keys start at ``column``."""
        if field.type is not Type.MAPPING:
            raise _Refused
        children, required, defaults = _layout(field, self.id_pattern)
        rows = self.rows
        end = len(rows)
        result: dict[str, Any] = {}
        first = at  # the only row of the mapping that may start with "- "
        while at < end:
            indent, dash, key, rest = rows[at]
            if (len(indent) + len(dash) if at == first else -1 if dash else len(indent)) != column:
                break
            found = children.get(key)  # a line without a key ("" is none) here is no YAML we read
            if found is None:
                raise _Refused
            name, child, memo, convert = found
            if name in result:
                raise _Refused
            at += 1
            if rest:
                value = memo.get(rest)
                result[name] = convert(rest) if value is None else value
            else:
                result[name], at = self.block(child, at, column)
        if not required <= result.keys():
            raise _Refused
        for name, default in defaults:
            if name not in result:
                result[name] = default
        return result, at

    def block(self, field: Field, at: int, column: int) -> tuple[Any, int]:
        """The value of a key at ``column`` written on the rows below it: a mapping or a list."""
        if at < len(self.rows):
            indent, dash, key, _ = self.rows[at]
            if not dash and key and len(indent) > column:
                return self.mapping(field, at, len(indent))
            if dash and len(indent) >= column:
                return self.sequence(field, at, len(indent))
        raise _Refused  # an empty value: null, which the exact path reads its own way

    def sequence(self, field: Field, at: int, column: int) -> tuple[list[Any], int]:
        """The list whose dashes are at ``column``."""
        items = field.items
        if field.type is not Type.LIST or items is None:
            raise _Refused
        _, _, memo, convert = _entry(items, self.id_pattern)
        rows = self.rows
        end = len(rows)
        values: list[Any] = []
        while at < end:
            indent, dash, key, rest = rows[at]
            if not dash or len(indent) != column:
                break
            if key:
                value, at = self.mapping(items, at, column + len(dash))
                values.append(value)
            elif rest:
                known = memo.get(rest)
                values.append(convert(rest) if known is None else known)
                at += 1
            else:
                raise _Refused  # an empty item: null
        if field.min_items and len(values) < field.min_items:
            raise _Refused
        return values, at


def plain_tag(value: str) -> str:
    """The tag YAML 1.1 gives the plain scalar ``value``, as the exact path's resolver gives it."""
    for tag, pattern in _RESOLVERS.get(value[:1], []) + _WILDCARD:
        if pattern.match(value):
            return tag
    return _STR


def _written(rest: str) -> tuple[str, bool]:
    """A one-line scalar's value and whether it was quoted; refuses anything but the plainest forms."""
    rest = rest.rstrip(" ")
    first = rest[0]
    if first == '"':
        found = _DOUBLE.fullmatch(rest)
        if found is None:
            raise _Refused
        return found.group(1), True
    if first == "'":
        found = _SINGLE.fullmatch(rest)
        if found is None:
            raise _Refused
        return found.group(1).replace("''", "'"), True
    if _NOT_PLAIN.match(rest):
        raise _Refused
    return rest, False


def _text_converter(field: Field, id_pattern: str) -> _Convert:
    """A string type's value (``FieldChecker.text`` and ``string_value`` finding no problem)."""
    max_length = field.max_length
    refused = (INVISIBLE if field.type in exact._FREE_TEXT else INVISIBLE_OR_TAB).search
    check = _TEXT_CHECKS.get(field.type)
    pattern = re.compile(id_pattern).match if field.type is Type.ID and id_pattern else None

    def convert(rest: str) -> Any:
        first = rest[0]
        if first == '"' or first == "'" or rest[-1] == " ":
            written, quoted = _written(rest)
        else:  # plain, as most are: _written's checks without a call
            if _NOT_PLAIN.match(rest):
                raise _Refused
            written, quoted = rest, False
        if not quoted and (written[0] in _RESOLVERS or _WILDCARD) and plain_tag(written) != _STR:
            raise _Refused  # null, or YAML 1.1 reads a number, a date, a yes/no: the exact path words it
        value = written.strip()
        if not value or len(value) > max_length or (not value.isprintable() and refused(value)):
            raise _Refused
        if pattern is not None and not pattern(value):
            raise _Refused
        return value if check is None else check(field, value)

    return convert


def _enum(field: Field, value: str) -> str:
    choice = field.interned_choices.get(value)
    if choice is None:
        raise _Refused
    return choice


def _ref(field: Field, value: str) -> str:
    if not value.isascii() and exact._half_width(value).isascii():
        raise _Refused
    return sys.intern(value)


def _uscc(field: Field, value: str) -> str:
    if uscc_problem(value):
        raise _Refused
    return value


def _phone(field: Field, value: str) -> str:
    if phone_problem(value):
        raise _Refused
    return value


_TEXT_CHECKS: dict[Type, Callable[[Field, str], str]] = {
    Type.ENUM: _enum,
    Type.REF: _ref,
    Type.USCC: _uscc,
    Type.PHONE: _phone,
}


def _date(rest: str) -> dt.date:
    """A date as ``FieldChecker.date`` gives it (one object per day, shared with the exact path)."""
    known = exact._DATES.get(rest)  # a plain date seen before: most of them
    if known is not None:
        return known
    value = _written(rest)[0].strip()
    known = exact._DATES.get(value)
    if known is not None:
        return known
    if not exact._DATE.match(value) or exact._impossible_date(value):
        raise _Refused
    parsed = exact._DATES[value] = dt.date.fromisoformat(value)
    return parsed


def _plain(rest: str) -> str:
    """An unquoted scalar's text (a number or true/false must not be quoted)."""
    written, quoted = _written(rest)
    if quoted:
        raise _Refused
    return written.strip()


def _integer_converter(field: Field) -> _Convert:
    """A whole number in the field's range (``FieldChecker.integer``)."""
    low = field.minimum if field.minimum is not None else 0
    high = field.maximum if field.maximum is not None else 10**12

    def convert(rest: str) -> int:
        value = _plain(rest)
        if not exact._INT.match(value) or len(value) > 20:
            raise _Refused
        number = int(value)
        if not low <= number <= high:
            raise _Refused
        return number

    return convert


def _money(rest: str) -> Decimal:
    """An amount in yuan (``FieldChecker.number`` with a money field's bounds)."""
    value = _plain(rest)
    if not exact._MONEY.match(value):
        raise _Refused
    amount = Decimal(value)
    if not 0 <= amount <= 1e13:
        raise _Refused
    return abs(amount) if amount.is_zero() else amount


def _boolean(rest: str) -> bool:
    """true or false (``FieldChecker.boolean``)."""
    value = _plain(rest)
    if value in exact._TRUE:
        return True
    if value in exact._FALSE:
        return False
    raise _Refused


def _refused(rest: str) -> Any:
    """A list, a mapping or weights written on one line: left to the exact path."""
    raise _Refused


def _entry(field: Field, id_pattern: str) -> _Entry:
    """How one-line values of ``field`` become its values, made once per field and kind."""
    key = (id(field), id_pattern)
    found = _ENTRIES.get(key)
    if found is None or found[1] is not field:
        memo: dict[str, Any] = {}
        convert = _make_converter(field, id_pattern)
        if field.type in _MEMO_TYPES:
            convert = _remembering(convert, memo)
        found = _ENTRIES[key] = (field.name, field, memo, convert)
    return found


def _remembering(convert: _Convert, memo: dict[str, Any]) -> _Convert:
    """``convert`` that also remembers what each line's rest became (up to ``_MEMO_LIMIT`` of them)."""

    def remember(rest: str) -> Any:
        value = convert(rest)
        if len(memo) < _MEMO_LIMIT:
            memo[rest] = value
        return value

    return remember


def _make_converter(field: Field, id_pattern: str) -> _Convert:
    if field.type in exact._STRING_TYPES:
        return _text_converter(field, id_pattern)
    if field.type is Type.INT:
        return _integer_converter(field)
    return {Type.DATE: _date, Type.MONEY: _money, Type.BOOL: _boolean}.get(field.type, _refused)


def _layout(field: Field, id_pattern: str) -> _Layout:
    """A mapping's fields by the keys that name them (only keys YAML reads as plain text), the
    names it requires, and the defaults of the others in the schema's order."""
    key = (id(field), id_pattern)
    found = _LAYOUTS.get(key)
    if found is None or found[0] is not field:
        children = {f.name: _entry(f, id_pattern) for f in field.fields if plain_tag(f.name) in _KEY_TAGS}
        required = frozenset(f.name for f in field.fields if f.required)
        defaults = tuple((f.name, f.default) for f in field.fields if not f.required and f.default is not None)
        found = _LAYOUTS[key] = (field, (children, required, defaults))
    return found[1]


_ENTRIES: dict[tuple[int, str], _Entry] = {}
_LAYOUTS: dict[tuple[int, str], tuple[Field, _Layout]] = {}
