"""Writing YAML by hand, so that comments sit where people need them.

Values are written so that ``reportgen``'s loader reads them back unchanged: text that
YAML 1.1 would read as a number, a date or a boolean is quoted, like a phone number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import yaml

INDENT = "  "
_BAD_FIRST = set("-?:,[]{}#&*!|>'\"%@`~ \t")
# characters YAML reads as line breaks or refuses outright, beyond the C0 controls JSON escapes
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def scalar(value: Any) -> str:
    """One scalar as YAML text: ``true``, ``15``, ``2021-09-30``, plain or double-quoted text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return text(str(value))


def text(value: str) -> str:
    """Text written plain when YAML reads it back as the same text, double-quoted otherwise.

    JSON's escapes are YAML's; YAML also breaks lines at NEL and U+2028/2029 and refuses
    DEL, C1 controls, surrogates and noncharacters, so those are written as ``\\uXXXX`` too.
    """
    if is_plain_safe(value):
        return value
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def is_plain_safe(value: str) -> bool:
    """True when ``value`` can be written without quotes and still reads back as this text."""
    if not value or value != value.strip() or value[0] in _BAD_FIRST:
        return False
    if any(ch in value for ch in "\n\r\t") or any(ord(ch) < 32 for ch in value) or _UNSAFE.search(value):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    try:
        return bool(yaml.safe_load(value) == value)
    except yaml.YAMLError:
        return False
    except ValueError:  # a date-looking value that is no date, e.g. 2021-13-01
        return False


def entry(name: str, value: Any, indent: str = "") -> list[str]:
    """``name: value`` as lines; mappings and lists go on the lines below, indented."""
    if isinstance(value, Mapping):
        if not value:
            return [f"{indent}{name}: {{}}"]
        return [f"{indent}{name}:", *mapping(value, indent + INDENT)]
    if isinstance(value, list | tuple):
        if not value:
            return [f"{indent}{name}: []"]
        return [f"{indent}{name}:", *sequence(value, indent + INDENT)]
    written = scalar(value)
    return [f"{indent}{name}: {written}".rstrip()]


def mapping(values: Mapping[str, Any], indent: str = "") -> list[str]:
    """Every key of ``values`` as lines."""
    lines: list[str] = []
    for key, value in values.items():
        lines += entry(key, value, indent)
    return lines


def sequence(items: Sequence[Any], indent: str = "") -> list[str]:
    """A block list: ``- item``; a mapping item starts on the dash line."""
    lines: list[str] = []
    for item in items:
        if isinstance(item, Mapping) and item:
            inner = mapping(item, indent + INDENT)
            lines.append(f"{indent}- {inner[0].lstrip()}")
            lines += inner[1:]
        else:
            lines.append(f"{indent}- {scalar(item)}".rstrip())
    return lines


def commented(lines: Sequence[str]) -> list[str]:
    """The same lines turned into comments (for optional fields shown as examples)."""
    return [f"# {line}" if line else "#" for line in lines]
