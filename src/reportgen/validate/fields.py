"""Check one record's node tree against its schema and turn it into plain values.

Walking the nodes directly (instead of ``yaml.load`` then validating) means every value
is interpreted by the schema, not by YAML 1.1's guesses, and every problem gets the
exact line and column of the offending node for free.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from reportgen.compute.metrics import group
from reportgen.lang import listed
from reportgen.load.characters import INVISIBLE, INVISIBLE_OR_TAB, invisible_name, visible
from reportgen.load.slips import indentation_words
from reportgen.load.yamlnodes import position
from reportgen.problems import Problem, Words
from reportgen.schema.types import TYPE_LABELS, Field, Type
from reportgen.validate.identifiers import phone_problem, uscc_problem
from reportgen.validate.nearest import did_you_mean_words, nearest_choices
from reportgen.validate.wording import field_words

_YAML = "tag:yaml.org,2002:"
_STANDARD_TAGS = frozenset(_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))
_NUMBER = Words("数字", "a number")
_BECAME = {
    _YAML + "int": _NUMBER,
    _YAML + "float": _NUMBER,
    _YAML + "bool": Words("true/false（是/否）", "true/false (yes/no)"),
    _YAML + "timestamp": Words("日期", "a date"),
}
# what a value should have been, beyond its type's label (TYPE_LABELS)
_A_MAPPING = Words("键值对（字段: 值）", "a mapping (key: value)")
_A_KEY = Words("文字形式的字段名", "a field name written as text")
_A_LIST = Words("列表（每项以“- ”开头）", "a list (each item starting with '- ')")
_A_WEIGHTS = Words("权重表（名称: 小数）", "a table of weights (name: decimal)")
_AN_AMOUNT = Words("数字（最多两位小数）", "a number (at most two decimal places)")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# a date a clerk wrote another way: full-width digits are made half-width first
_OTHER_DATE = re.compile(
    r"^([0-9]{4})\s*[-./年]\s*([0-9]{1,2})\s*[-./月]\s*([0-9]{1,2})\s*日?$|^([0-9]{4})([0-9]{2})([0-9]{2})$"
)
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_MONEY = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]{1,2})?$")
# what may indent a key by mistake and stay in it (YAML only takes spaces as indentation): its names, zh and en
_INDENT_SLIPS = {"\u3000": ("全角空格", "full-width space (U+3000)")}
_TRUE, _FALSE = frozenset({"true", "True", "TRUE"}), frozenset({"false", "False", "FALSE"})
_FREE_TEXT = frozenset({Type.TEXT, Type.MARKDOWN})
_STRING_TYPES = frozenset({Type.ID, Type.TEXT, Type.MARKDOWN, Type.REF, Type.USCC, Type.PHONE, Type.PATH, Type.ENUM})
WEIGHT_NAMES = group("ranked")  # the rates a ranking weight may name: the metric registry's
MIN_YEAR, MAX_YEAR = 1990, 2100
# valid dates already seen, by their text: a few thousand distinct days recur in 100,000s of
# records; sharing one object per day saves memory and pickling (bounded by the year range)
_DATES: dict[str, dt.date] = {}


class FieldChecker:
    """Checks nodes of one file; gathers problems instead of stopping at the first."""

    def __init__(self, file: str, record: str | None = None, id_pattern: str | None = None) -> None:
        self.file = file
        self.record = record
        self.id_pattern = re.compile(id_pattern) if id_pattern else None
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self.root: Field | None = None  # the field checked at the top: the places in messages are named in it

    def words(self, path: str) -> Words:
        """Where ``path`` is, in the labels of the schema (list positions from 1)."""
        return field_words(self.root, path) if self.root is not None else Words(path, path)

    def report(self, node: yaml.Node, code: str, path: str, **params: Any) -> None:
        """Record a problem at ``node``."""
        pos = position(node)
        self.problems.append(Problem(self.file, pos.line, pos.column, code, params, self.record, path))

    def check(self, field: Field, node: yaml.Node, path: str) -> Any:
        """Interpret ``node`` as ``field``; returns the value, or None after reporting."""
        if not path:
            self.root = field
        if id(node) in self._seen:  # the composer shares one node object for every alias
            self.report(node, "E106", path)
            return None
        self._seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            self.report(
                node,
                "E203",
                path,
                field=self.words(path),
                expected=_expected(field),
                actual=Words(f"带标签 {node.tag} 的值", f"a value tagged {node.tag}"),
            )
            return None
        if field.type is Type.MAPPING:
            return self.mapping(field, node, path)
        if field.type is Type.LIST:
            return self.sequence(field, node, path)
        if field.type is Type.WEIGHTS:
            return self.weights(field, node, path)
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, "E105", path, expected=_expected(field), actual=_shape(node))
            return None
        return self.scalar(field, node, path)

    # -- collections -------------------------------------------------------------------

    def mapping(self, field: Field, node: yaml.Node, path: str) -> dict[str, Any] | None:
        """A mapping: known keys only, each once, required ones present, defaults filled."""
        if not isinstance(node, yaml.MappingNode):
            self.report(node, "E105", path, expected=_A_MAPPING, actual=_shape(node))
            return None
        result: dict[str, Any] = {}
        first_line: dict[str, yaml.Node] = {}  # each key's node; its line is looked up only for a duplicate
        for key_node, value_node in node.value:
            key = self.key(key_node, path)
            if key is None:
                continue
            if key[:1] in _INDENT_SLIPS and field.child(key.lstrip("".join(_INDENT_SLIPS))) is not None:
                key = self.padded_key(node, key_node, value_node, key)
            sub_path = f"{path}.{key}" if path else key
            if key in first_line:
                self.report(key_node, "E102", sub_path, key=key, first_line=position(first_line[key]).line)
                continue
            first_line[key] = key_node
            child = field.child(key)
            if child is None:
                nearest, allowed = _field_choices(key, field.fields)
                self.report(
                    key_node, "E202", sub_path, field=self.words(sub_path), key=key, nearest=nearest, allowed=allowed
                )
                continue
            value = self.check(child, value_node, sub_path)
            if value is not None:
                result[child.name] = value  # the schema's string: one object for every record's key
            elif child.required and _is_null(value_node):
                self.report(value_node, "E209", sub_path, field=self.words(sub_path))
        for child in field.fields:
            if child.name in result or child.name in first_line:
                continue
            if child.required:
                sub_path = f"{path}.{child.name}" if path else child.name
                self.report(node, "E201", sub_path, field=self.words(sub_path), key=child.name)
            elif child.default is not None:
                result[child.name] = child.default
        return result

    def padded_key(self, mapping: yaml.Node, node: yaml.Node, value: yaml.Node, key: str) -> str:
        """E114 for a key a full-width space indents (YAML takes it into the key); the key without it."""
        bare = key.lstrip("".join(_INDENT_SLIPS))
        written = value.value if isinstance(value, yaml.ScalarNode) and not value.style else "…"
        spaces = position(mapping).column - 1
        fixed = " " * spaces + f"{bare}: {written}".rstrip()
        char = _INDENT_SLIPS[key[0]]
        pos = position(node)
        indent = indentation_words(spaces)
        params = {
            "char": Words(*char),
            "char_en": char[1],
            "indent": indent,
            "fixed": Words(f"“{fixed}”", f"'{fixed}'"),
        }
        self.problems.append(Problem(self.file, pos.line, pos.column, "E114", params, self.record, bare))
        return bare

    def key(self, node: yaml.Node, path: str) -> str | None:
        """A mapping key must be plain text; an invisible character in it is reported and dropped."""
        if isinstance(node, yaml.ScalarNode) and node.tag in (
            _YAML + "str",
            _YAML + "int",
            _YAML + "bool",
        ):
            key = str(node.value)
            if not key.isprintable() and INVISIBLE_OR_TAB.search(key):  # isprintable: a C scan, no regex
                key = INVISIBLE_OR_TAB.sub("", key)
                self.report_invisible(node, f"{path}.{key}" if path else key, str(node.value), INVISIBLE_OR_TAB)
            return key
        self.report(node, "E105", path, expected=_A_KEY, actual=_shape(node))
        return None

    def report_invisible(self, node: yaml.Node, path: str, value: str, refused: re.Pattern[str]) -> None:
        """E210 for ``value``: which invisible character, and the value without any of them."""
        found = refused.search(value)
        assert found is not None
        self.report(
            node,
            "E210",
            path,
            field=self.words(path),
            detail=invisible_name(found.group()),
            fixed=_show(refused.sub("", value)),
        )

    def sequence(self, field: Field, node: yaml.Node, path: str) -> list[Any] | None:
        """A list of ``field.items``."""
        if _is_null(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, "E105", path, expected=_A_LIST, actual=_shape(node))
            return None
        assert field.items is not None
        values = []
        for i, item in enumerate(node.value):
            value = self.check(field.items, item, f"{path}.{i}")
            if value is not None:
                values.append(value)
        if field.min_items and len(node.value) < field.min_items:
            self.report(node, "E209", path, field=self.words(path))
        return values

    def weights(self, field: Field, node: yaml.Node, path: str) -> dict[str, float] | None:
        """Named weights between 0 and 1 that add up to 1."""
        if not isinstance(node, yaml.MappingNode):
            self.report(node, "E105", path, expected=_A_WEIGHTS, actual=_shape(node))
            return None
        result: dict[str, float] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, path)
            if key is None:
                continue
            if key in first_line:  # a repeated weight would silently replace the first
                self.report(key_node, "E102", f"{path}.{key}", key=key, first_line=first_line[key])
                continue
            first_line[key] = position(key_node).line
            if key not in WEIGHT_NAMES:
                self.report(
                    key_node,
                    "E202",
                    f"{path}.{key}",
                    field=self.words(f"{path}.{key}"),
                    key=key,
                    nearest=_key_meant(key, dict.fromkeys(WEIGHT_NAMES, "")),
                    allowed=listed(WEIGHT_NAMES),
                )
                continue
            number = self.number(value_node, f"{path}.{key}", 0, 1)
            if number is not None:
                result[key] = float(number)
        if result and abs(sum(result.values()) - 1) > 1e-9:
            self.report(
                node,
                "E207",
                path,
                field=self.words(path),
                value=Words(f"合计 {sum(result.values()):g}", f"total {sum(result.values()):g}"),
                minimum=1,
                maximum=1,
            )
        return result

    # -- scalars -----------------------------------------------------------------------

    def scalar(self, field: Field, node: yaml.ScalarNode, path: str) -> Any:
        """Dispatch on the scalar field's type."""
        if _is_null(node):
            return None
        kind = field.type
        if kind in _STRING_TYPES:
            text = self.text(field, node, path)
            if text is None:
                return None
            return self.string_value(field, node, path, text)
        if kind is Type.DATE:
            return self.date(node, path)
        if kind is Type.INT:
            return self.integer(field, node, path)
        if kind is Type.MONEY:
            return self.number(node, path, 0, 1e13)
        if kind is Type.BOOL:
            return self.boolean(node, path)
        raise AssertionError(f"unhandled field type {kind}")  # pragma: no cover

    def text(self, field: Field, node: yaml.ScalarNode, path: str) -> str | None:
        """The scalar as text, refusing values YAML would have read as something else."""
        if not node.style and node.tag in _BECAME:
            self.report(
                node,
                "E208",
                path,
                field=self.words(path),
                key=path.rsplit(".", 1)[-1],
                value=node.value,
                became=_BECAME[node.tag],
            )
            return None
        value = str(node.value).strip()
        if not value:
            self.report(node, "E209", path, field=self.words(path))
            return None
        if len(value) > field.max_length:
            self.report(
                node,
                "E206",
                path,
                field=self.words(path),
                value=Words(
                    f"{visible(value[:20])}…（{len(value)} 字）", f"{visible(value[:20])}… ({len(value)} characters)"
                ),
                pattern_hint=Words(f"不超过 {field.max_length} 字。", f"At most {field.max_length} characters."),
            )
            return None
        return value

    def string_value(self, field: Field, node: yaml.ScalarNode, path: str, value: str) -> Any:
        """Per-type checks of a text value."""
        kind = field.type
        refused = INVISIBLE if kind in _FREE_TEXT else INVISIBLE_OR_TAB
        if not value.isprintable() and refused.search(value):  # every refused character is unprintable
            self.report_invisible(node, path, value, refused)
            return None
        if kind is Type.ENUM:
            choice = field.interned_choices.get(value)
            if choice is None:
                near = _nearest_choices(field, value)
                shown = dict(zip(field.choices, field.choices_shown, strict=True))
                nearest = Words(did_you_mean_words([shown[c] for c in near]).zh, did_you_mean_words(near).en)
                allowed = Words("、".join(field.choices_shown), ", ".join(field.choices))
                self.report(node, "E204", path, field=self.words(path), value=value, nearest=nearest, allowed=allowed)
            return choice
        if kind is Type.ID and self.id_pattern and not self.id_pattern.match(value):
            self.report(
                node,
                "E206",
                path,
                field=self.words(path),
                value=value,
                pattern_hint=_id_hint(field.example, _id_fix(value, self.id_pattern)),
            )
            return None
        if kind is Type.REF and not value.isascii() and _half_width(value).isascii():  # Ｅ００１: looks right, is not
            fix = _half_width(value)
            self.report(
                node,
                "E206",
                path,
                field=self.words(path),
                value=value,
                pattern_hint=Words(
                    f"编号只能用半角字母和数字：改为 {fix}。",
                    f"Ids are half-width letters and digits only: write {fix}.",
                ),
            )
            return None
        if kind is Type.USCC:
            found = uscc_problem(value)
            if found:
                self.report(node, found[0], path, **found[1])
                return None
        if kind is Type.PHONE:
            why = phone_problem(value)
            if why:
                self.report(node, "E503", path, value=value, detail=why)
                return None
        if kind is Type.REF:
            return sys.intern(value)  # the same few thousand ids recur in every record
        return value

    def date(self, node: yaml.ScalarNode, path: str) -> dt.date | None:
        """A calendar date written YYYY-MM-DD that really exists."""
        value = str(node.value).strip()
        known = _DATES.get(value)
        if known is not None:
            return known
        fixed = value if _DATE.match(value) else _date_written_otherwise(value)
        if fixed is None:
            self.report(node, "E205", path, field=self.words(path), value=_show(value))
            return None
        reason = _impossible_date(fixed)
        if reason is not None:
            shown = _show(value)
            said = Words(f"{shown}（{reason.zh}）", f"{shown} ({reason.en})")
            self.report(node, "E205", path, field=self.words(path), value=said)
            return None
        if fixed != value:
            self.report(node, "E116", path, field=self.words(path), value=_show(value), fixed=fixed)
            return None
        parsed = dt.date.fromisoformat(value)
        _DATES[value] = parsed
        return parsed

    def integer(self, field: Field, node: yaml.ScalarNode, path: str) -> int | None:
        """A whole number in the field's range (no YAML 1.1 octal or sexagesimal)."""
        value = str(node.value).strip()
        if node.style or not _INT.match(value):
            self.report(
                node, "E203", path, field=self.words(path), expected=_expected(field), actual=_written(node, value)
            )
            return None
        low = field.minimum if field.minimum is not None else 0
        high = field.maximum if field.maximum is not None else 10**12
        # int() refuses strings of more than 4300 digits; anything over 20 is out of range anyway
        number = int(value) if len(value) <= 20 else None
        if number is None or not low <= number <= high:
            self.report(
                node, "E207", path, field=self.words(path), value=_show(value), minimum=_num(low), maximum=_num(high)
            )
            return None
        return number

    def number(self, node: yaml.Node, path: str, low: float, high: float) -> Decimal | None:
        """A decimal amount with at most two places (yuan and fen), within [low, high]."""
        value = str(getattr(node, "value", "")).strip()
        if not isinstance(node, yaml.ScalarNode) or node.style or not _MONEY.match(value):
            self.report(
                node,
                "E203",
                path,
                field=self.words(path),
                expected=_AN_AMOUNT,
                actual=_written(node, value),
            )
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern already excludes these
            self.report(node, "E203", path, field=self.words(path), expected=_NUMBER, actual=_written(node, value))
            return None
        if not low <= amount <= high:
            self.report(
                node, "E207", path, field=self.words(path), value=_show(value), minimum=_num(low), maximum=_num(high)
            )
            return None
        return abs(amount) if amount.is_zero() else amount  # "-0.00" would print with its sign

    def boolean(self, node: yaml.ScalarNode, path: str) -> bool | None:
        """Only true/false; yes/no/on/off are refused because they surprise people."""
        value = str(node.value).strip()
        if not node.style and value in _TRUE:
            return True
        if not node.style and value in _FALSE:
            return False
        self.report(
            node, "E203", path, field=self.words(path), expected=_label(Type.BOOL), actual=_written(node, value)
        )
        return None


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _YAML + "null" and not node.style


def _label(kind: Type) -> Words:
    """A type's label, in both languages."""
    return Words(*TYPE_LABELS[kind])


def _expected(field: Field) -> Words:
    return _label(field.type)


def _shape(node: yaml.Node) -> Words:
    if isinstance(node, yaml.MappingNode):
        return _label(Type.MAPPING)
    if isinstance(node, yaml.SequenceNode):
        return _label(Type.LIST)
    shown = _show(str(node.value))
    return Words(f"“{shown}”", f"'{shown}'")


def _written(node: yaml.Node, value: str) -> Words | str:
    """The value as the person wrote it: quotes kept, since they are what makes it text."""
    quote = getattr(node, "style", None)
    if quote in ("'", '"'):
        written = f"{quote}{_show(value)}{quote}"
        return Words(f"{written}（加了引号，是文字）", f"{written} (quoted, so it is text)")
    half = _half_width(value)
    if half != value and half.isascii():  # ２０００: typed with a Chinese input method
        return Words(
            f"{_show(value)}（用了全角字符，应写成 {half}）", f"{_show(value)} (full-width characters; write {half})"
        )
    return _show(value)


def _half_width(text: str) -> str:
    """Full-width letters and digits (Ｅ００１) as the half-width ones they look like."""
    return unicodedata.normalize("NFKC", text)


def _id_fix(value: str, pattern: re.Pattern[str]) -> str | None:
    """The id ``value`` would be in half-width, upper-case letters, when that is a valid one; else None."""
    fixed = _half_width(value).upper()
    return fixed if fixed != value and pattern.match(fixed) else None


def _id_hint(example: str, fix: str | None) -> Words:
    """How an id is written, and what this one becomes when the fix is plain."""
    zh, en = f"编号形如 {example}（字母加数字）", f"Ids look like {example} (letters and digits)"
    if fix is None:
        return Words(f"{zh}。", f"{en}.")
    return Words(f"{zh}：改为 {fix}。", f"{en}: write {fix}.")


def _date_written_otherwise(value: str) -> str | None:
    """``value`` as YYYY-MM-DD when it is a date written otherwise: 2021.9.3, 2021年9月3日, 2021-9-3, ２０21-09-03."""
    found = _OTHER_DATE.match(_half_width(value))
    if found is None:
        return None
    year, month, day = (part for part in found.groups() if part is not None)
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _impossible_date(value: str) -> Words | None:
    """Why ``YYYY-MM-DD`` is no day the records can hold (None when it is one)."""
    year, month, day = (int(part) for part in value.split("-"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        return Words(f"年份应在 {MIN_YEAR} 到 {MAX_YEAR} 之间", f"the year is between {MIN_YEAR} and {MAX_YEAR}")
    if not 1 <= month <= 12:
        return Words("月份应在 1 到 12 之间", "the month is between 1 and 12")
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return None
    return Words(f"{year}年{month}月只有 {last} 天", f"{year}-{month:02d} has {last} days")


def _show(value: str) -> str:
    value = visible(value)
    return value if len(value) <= 30 else value[:30] + "…"


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _field_choices(key: str, fields: Sequence[Field]) -> tuple[Words, Words]:
    """E202's suggestion (the field whose key is spelt most like ``key``) and its list of the fields that may
    stand there, each key with its Chinese label (the key is what is typed; the label says what it is)."""
    nearest = _key_meant(key, {f.name: f"（{f.label}）" for f in fields})
    allowed = Words("、".join(f"{f.name}（{f.label}）" for f in fields), ", ".join(f.name for f in fields))
    return nearest, allowed


def _key_meant(key: str, keys: dict[str, str]) -> Words:
    """E202's "，是否指“title”（问题标题）": the key of ``keys`` (key → what its Chinese names it) spelt most like
    ``key``; nothing when none is near."""
    meant = difflib.get_close_matches(key, list(keys), n=1)
    if not meant:
        return Words("", "")
    return Words(f"，是否指“{meant[0]}”{keys[meant[0]]}", f" (did you mean '{meant[0]}'?)")


def _nearest_choices(field: Field, value: str) -> list[str]:
    """The choices of an enum nearest ``value``: by their Chinese names when it is written in Chinese and they
    have them (月通报 → monthly; ``config.yaml``'s 工作日 → working), else by the choices themselves."""
    if field.choice_labels and not value.isascii():
        return [field.choices_by_label[label] for label in nearest_choices(value, field.choice_labels)]
    return nearest_choices(value, field.choices)
