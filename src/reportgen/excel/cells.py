"""Cell values both ways: a record's value as a cell, and whatever Excel holds read back as a value.

Excel stores dates as serial numbers or, typed by hand, as text in many forms
(2021.9.5, 2021年9月5日, 2021/9/5, 2021-9-5); numbers and phone numbers as numbers or
as text; full-width digits from Chinese input methods.  A value that cannot be read
is passed on as it was written, so the validator names what is wrong with it in the
same words as ``check``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from reportgen.schema.types import Field, Type

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
# a date, and the midnight a date cell exported with its time carries (2021/9/5 0:00, 2021-09-05 00:00:00)
_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*(?:[-./月])\s*(\d{1,2})\s*日?(?:\s+0?0:00(?::00)?)?\s*$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
TRUE_WORDS = ("是", "true", "yes", "√", "y")
FALSE_WORDS = ("否", "false", "no", "×", "n")
BOOL_CHOICES = ("是", "否")


@dataclass(frozen=True)
class Names:
    """The records' display names by kind: id → name, and every name (and short name) → id."""

    shown: Mapping[str, Mapping[str, str]]
    ids: Mapping[str, Mapping[str, str]]

    def display(self, kind: str, record_id: str) -> str:
        """``E001 富士康(周口)科技工业园``: the id and the name people know, as the lists show it."""
        name = self.shown.get(kind, {}).get(record_id)
        return f"{record_id} {name}" if name else record_id

    def lookup(self, kind: str, text: str) -> str | None:
        """The id a cell names: its leading id, else a record's exact name or short name."""
        head = text.split(maxsplit=1)[0] if text.split() else ""
        if head in self.shown.get(kind, {}):
            return head
        return self.ids.get(kind, {}).get(text)


def half_width(text: str) -> str:
    """Full-width digits, letters and ASCII signs as their plain forms (Chinese punctuation kept)."""
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" or ch == "\u3000" else ch for ch in text
    )


def as_text(value: object) -> str:
    """A cell as text: whole numbers without ``.0``, dates as YYYY-MM-DD, text stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_date(value: object) -> Any:
    """A date from a date cell, a serial number or text in the common Chinese forms; else the text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = half_width(as_text(value))
    found = _DATE.match(text)
    if found:
        try:
            return dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            return text
    return text


def read_number(value: object, field: Field) -> Any:
    """A whole number or an amount from a number cell or text such as “3,000”；else the text."""
    if isinstance(value, bool):
        return as_text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    text = half_width(as_text(value)).replace(",", "").replace(" ", "")
    if field.type is Type.MONEY:
        text = text.removesuffix("元")
    if _NUMBER.match(text):
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return text
        return int(number) if number == number.to_integral_value() else number
    return text


def read_bool(value: object) -> Any:
    """是/否 (or true/false, √/×) as a boolean; else the text."""
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return text


def read_value(value: object, field: Field, names: Names, values: Mapping[str, str]) -> Any:
    """The record's value for one cell of ``field``; None for an empty cell."""
    if value is None or as_text(value) == "":
        return None
    if field.type is Type.DATE:
        return read_date(value)
    if field.type in (Type.INT, Type.MONEY):
        return read_number(value, field)
    if field.type is Type.BOOL:
        return read_bool(value)
    if field.type is Type.LIST and field.items is not None:
        parts = [part.strip() for part in LIST_SEPARATORS.split(as_text(value)) if part.strip()]
        return [read_value(part, field.items, names, values) for part in parts]
    text = as_text(value)
    if field.type in (Type.PHONE, Type.USCC, Type.ID):
        return half_width(text).replace(" ", "").upper() if field.type is not Type.PHONE else half_width(text)
    if field.type is Type.ENUM:
        return values.get(text, text)
    if field.type is Type.REF and field.ref:
        return names.lookup(field.ref, half_width(text)) or names.lookup(field.ref, text) or text
    return text


def cell_value(value: Any, field: Field, names: Names) -> Any:
    """A record's value as the workbook shows it (references with their names, 是/否)."""
    if value is None:
        return None
    if field.type is Type.BOOL:
        return BOOL_CHOICES[0] if value else BOOL_CHOICES[1]
    if field.type is Type.REF and field.ref:
        return names.display(field.ref, str(value))
    if field.type is Type.LIST and field.items is not None:
        return "、".join(str(cell_value(item, field.items, names)) for item in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
