"""Hostile values written by ``reportgen new``: every string reads back from the file exactly as given
(line separators, C1 controls, BOM, surrogates, 100,000 characters), through YAML and through the loader."""

from __future__ import annotations

import sys

import pytest
import yaml

from reportgen.load.yamlnodes import compose
from reportgen.workflow import yamlwrite

# every character YAML treats specially, one at a time, inside text and alone
SPECIAL = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]] + [
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\u202e",
    "\u200b",
    "\U0001f600",
]  # fmt: skip  (lone surrogates cannot be in a UTF-8 file: ``new`` refuses them, see test_hostile_new)
VALUES = [
    *(f"甲{ch}乙" for ch in SPECIAL),
    *SPECIAL,
    "",
    " ",
    "- 列表",
    "键: 值",
    "# 注释",
    "!!python/object:os.system",
    "&a *a",
    "'单引号'",
    '"双引号"',
    "yes",
    "0x1F",
    "2021-09-30",
    "1e3",
    "~",
    "null",
    "=",
    "<<",
    "x" * 100_000,
    "文" * 100_000 + "\u2028",
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:30] for v in VALUES])
def test_text_reads_back_unchanged(value: str) -> None:
    line = "\n".join(yamlwrite.entry("name", value)) + "\n"
    assert yaml.safe_load(line) == {"name": value}
    node, problems = compose(line, "x.yaml")
    assert problems == [] and node is not None
    assert node.value[0][1].value == value


def test_digits_past_the_integer_limit_are_written_as_text() -> None:
    """Thousands of digits (Python refuses to convert 4,300 or more) are quoted text, never a traceback."""
    digits = "9" * (sys.get_int_max_str_digits() + 1)
    assert yamlwrite.entry("employees", digits) == [f'employees: "{digits}"']
