"""The building blocks of the record schema: field types, fields and record kinds.

The schema is declarative data.  The validator interprets it, ``jsonschema`` exports it
for editors and ``docs`` turns it into ``docs/records.md``: one source of truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from reportgen.problems import Words


class Type(StrEnum):
    """What kind of value a field holds."""

    ID = "id"  # the record's own id, text matching the kind's pattern
    TEXT = "text"  # a short line of text
    MARKDOWN = "markdown"  # longer text, may use Markdown
    DATE = "date"  # YYYY-MM-DD
    INT = "int"  # a whole number
    MONEY = "money"  # yuan, a number not below zero
    BOOL = "bool"  # true / false
    ENUM = "enum"  # one of a fixed list of words
    REF = "ref"  # the id of another record
    USCC = "uscc"  # 统一社会信用代码
    PHONE = "phone"  # a Chinese phone number
    LIST = "list"  # a list of ``items``
    MAPPING = "mapping"  # nested ``fields``
    WEIGHTS = "weights"  # a mapping of fixed names to numbers 0..1 (config)
    PATH = "path"  # a file path inside the records folder (config)


TYPE_LABELS: dict[Type, tuple[str, str]] = {
    Type.ID: ("编号", "an id"),
    Type.TEXT: ("文字", "text"),
    Type.MARKDOWN: ("文字（可用 Markdown）", "text (Markdown)"),
    Type.DATE: ("日期（年-月-日）", "a date (YYYY-MM-DD)"),
    Type.INT: ("整数", "a whole number"),
    Type.MONEY: ("金额（元）", "an amount in yuan"),
    Type.BOOL: ("true 或 false", "true or false"),
    Type.ENUM: ("固定选项之一", "one of fixed words"),
    Type.REF: ("另一条记录的编号", "another record's id"),
    Type.USCC: ("统一社会信用代码", "a USCC"),
    Type.PHONE: ("电话号码", "a phone number"),
    Type.LIST: ("列表", "a list"),
    Type.MAPPING: ("键值对", "a mapping"),
    Type.WEIGHTS: ("权重表", "a table of weights"),
    Type.PATH: ("文件路径", "a file path"),
}


@dataclass(frozen=True)
class Field:
    """One field of a record: its type, meaning, example and constraints."""

    name: str
    type: Type
    label: str
    description: str
    example: Any = None
    required: bool = False
    private: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()  # an ENUM of English words: what each choice means, in Chinese
    ref: str | None = None  # kind name a REF points to
    role: str | None = None  # for REF to staff: the role the person must have
    items: Field | None = None  # for LIST
    fields: tuple[Field, ...] = ()  # for MAPPING
    minimum: float | None = None
    maximum: float | None = None
    min_items: int = 0
    max_length: int = 20000
    label_en: str = ""  # English label and description (messages and help under --lang en)
    description_en: str = ""

    @property
    def choices_shown(self) -> tuple[str, ...]:
        """The choices as an office reads them: each English word with its Chinese meaning (working（工作日））."""
        if not self.choice_labels:
            return self.choices
        return tuple(f"{choice}（{label}）" for choice, label in zip(self.choices, self.choice_labels, strict=True))

    def child(self, name: str) -> Field | None:
        """The nested field called ``name`` of a MAPPING field."""
        return self._children.get(name)

    @cached_property
    def _children(self) -> dict[str, Field]:
        # looked up for every key of every record: a dict, not a scan
        return {f.name: f for f in self.fields}

    @cached_property
    def ref_fields(self) -> tuple[Field, ...]:
        """The nested fields that are, or contain, references (walks of every record skip the rest)."""
        return tuple(f for f in self.fields if f.holds(lambda g: g.type is Type.REF))

    @cached_property
    def private_fields(self) -> tuple[Field, ...]:
        """The nested fields that are, or contain, private values."""
        return tuple(f for f in self.fields if f.holds(lambda g: g.private))

    def holds(self, test: Callable[[Field], bool]) -> bool:
        """Whether this field or any field nested in it passes ``test``."""
        nested = (*self.fields, *([self.items] if self.items is not None else []))
        return test(self) or any(f.holds(test) for f in nested)

    @cached_property
    def interned_choices(self) -> dict[str, str]:
        """Each choice by itself, so a validated value can share the schema's string object."""
        return {choice: choice for choice in self.choices}

    @cached_property
    def choices_by_label(self) -> dict[str, str]:
        """Each choice by its Chinese label (月通报: monthly); empty when the choices are Chinese themselves."""
        return dict(zip(self.choice_labels, self.choices, strict=True)) if self.choice_labels else {}


@dataclass(frozen=True)
class Kind:
    """A kind of record: where its files live and which fields they have."""

    name: str  # machine name, e.g. "enterprise"
    label: str  # Chinese name, e.g. "企业"
    title: str  # the register it belongs to, e.g. "助企企业库"
    folder: str  # folder under records/, e.g. "enterprises"
    id_pattern: str  # regular expression an id must match
    id_example: str
    description: str
    fields: tuple[Field, ...]
    id_field: str = "id"
    suffix: str = ".yaml"
    label_en: str = ""  # English name, e.g. "enterprise" (messages under --lang en)

    def field(self, name: str) -> Field | None:
        """The top-level field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def words(self) -> Words:
        """The kind's name in both languages, for a problem's message."""
        return Words(self.label, self.label_en)

    @cached_property
    def as_mapping(self) -> Field:
        """The whole record seen as one MAPPING field (the validator's entry point)."""
        return Field(self.name, Type.MAPPING, self.label, self.description, fields=self.fields)
