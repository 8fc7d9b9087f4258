"""One set of invisible characters, refused the same way in every text field and key (E210)."""

from __future__ import annotations

import pytest
import yaml

from reportgen.load.characters import INVISIBLE, invisible_name, visible
from reportgen.problems import Words
from reportgen.schema.kinds import ISSUE
from reportgen.validate.fields import FieldChecker

# one of each kind the hint names; tab is allowed only in free text
SAMPLES = {
    "\u200b": "零宽字符（U+200B）",
    "\ufeff": "零宽字符（U+FEFF）",
    "\u00ad": "软连字符（U+00AD）",
    "\u202e": "方向控制字符（U+202E）",
    "\u2067": "方向控制字符（U+2067）",
    "\u061c": "方向控制字符（U+061C）",
    "\u2062": "格式控制字符（U+2062）",
    "\x1b": "控制字符（U+001B）",
    "\x85": "控制字符（U+0085）",
}


def _problems(text: str) -> list[tuple[str, int, int, str, str]]:
    node = yaml.compose(text)
    checker = FieldChecker("issue.yaml", id_pattern=ISSUE.id_pattern)
    checker.check(ISSUE.as_mapping, node, "")
    return [(p.code, p.line, p.column, str(p.field), p.message()) for p in checker.problems if p.code == "E210"]


def _escaped(char: str) -> str:
    return f"\\u{ord(char):04x}"


@pytest.mark.parametrize("char", list(SAMPLES), ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("id", "Q00{}01"),
        ("enterprise", "E0{}01"),
        ("category", "水{}电"),
        ("title", "招{}工难"),
        ("description", "用{}工"),
    ],
)
def test_every_string_field_refuses_it(char: str, key: str, value: str) -> None:
    text = f'{key}: "{value.format(_escaped(char))}"\n'
    field = ISSUE.field(key)
    assert field is not None
    assert _problems(text) == [("E210", 1, len(key) + 3, key, f"{field.label}含有看不见的{SAMPLES[char]}")]


@pytest.mark.parametrize("char", list(SAMPLES), ids=lambda c: f"U+{ord(c):04X}")
def test_a_key_refuses_it_and_is_read_without_it(char: str) -> None:
    found = _problems(f'"ti{_escaped(char)}tle": 招工难\n')
    assert found == [("E210", 1, 1, "title", f"问题标题含有看不见的{SAMPLES[char]}")]


def test_tab_is_refused_in_an_id_and_allowed_in_free_text() -> None:
    assert _problems('id: "Q\\t0001"\n') == [("E210", 1, 5, "id", "编号含有看不见的Tab（制表符，这里只能写一行文字）")]
    assert _problems('description: "用\\t工"\n') == []


def test_every_refused_character_is_unprintable() -> None:
    # the checker skips its regular expression for printable text: this must never let one through
    refused = [c for c in range(0x110000) if INVISIBLE.match(chr(c))]
    assert refused and not [hex(c) for c in refused if chr(c).isprintable()]


def test_messages_show_refused_characters_as_code_points() -> None:
    assert visible("E0\u200b01\x1b[2J") == "E0⟨U+200B⟩01⟨U+001B⟩[2J"
    assert invisible_name("\u00ad") == Words("软连字符（U+00AD）", "soft hyphen (U+00AD)")
