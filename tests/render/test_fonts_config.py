"""The office's own font files: every bad one is a located problem from ``check`` and the build, never a traceback."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CONFIG, OfficeRepo
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from reportgen.publish.build import BuildOptions, build
from reportgen.render.fonts import configured_fonts, font_set

# config.yaml of the minimal office has 5 lines; the font lines follow.
FONT_LINE = 7
FANGSONG_COLUMN = len("  fangsong: ") + 1


def tiny_font(chars: str, *, cmap: bool = True) -> bytes:
    """A valid TrueType font with a square glyph for each of ``chars`` (no character map when ``cmap`` is False)."""
    names = [".notdef", *(f"u{ord(c):04X}" for c in chars)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 500))
    pen.closePath()
    glyph = pen.glyph()
    builder.setupGlyf({name: glyph for name in names})
    builder.setupHorizontalMetrics({name: (600, 0) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    font = builder.font
    if not cmap:
        del font["cmap"]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def with_fonts(office: OfficeRepo, **roles: str) -> None:
    """config.yaml with ``fonts:`` naming the given files, one role a line from line 7."""
    lines = "".join(f"  {role}: {path}\n" for role, path in roles.items())
    office.write("config.yaml", CONFIG + "fonts:\n" + lines)


def _write(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _truncated(path: Path) -> None:
    data = tiny_font("汉字测试")
    path.write_bytes(data[: len(data) * 3 // 4])


def _fifo(path: Path) -> None:
    os.mkfifo(path)


# (code, name, how to make fonts/f.ttf, the message)
BAD_FONTS: list[tuple[str, str, Callable[[Path], None] | None, str]] = [
    ("E702", "missing", None, "找不到仿宋字体文件“fonts/f.ttf”"),
    ("E704", "folder", lambda p: p.mkdir(), "仿宋字体“fonts/f.ttf”是一个文件夹，不是字体文件"),
    ("E704", "fifo", _fifo, "仿宋字体“fonts/f.ttf”是一个特殊文件，不是字体文件"),
    ("E706", "empty", _write(b""), "仿宋字体文件“fonts/f.ttf”不能使用：文件是空的"),
    ("E706", "text", _write("这不是字体\n".encode()), "仿宋字体文件“fonts/f.ttf”不能使用：不是可以识别的字体格式"),
    ("E706", "truncated", _truncated, "仿宋字体文件“fonts/f.ttf”不能使用：文件不完整（可能没有复制完）"),
    ("E706", "no_cmap", _write(tiny_font("汉", cmap=False)), "仿宋字体文件“fonts/f.ttf”不能使用：字体里没有字符对照表"),
    (
        "W702",
        "latin_only",
        _write(tiny_font("AB12")),
        "仿宋字体文件“fonts/f.ttf”里没有汉字，通报中的汉字会改用免费替代字体",
    ),
]


@pytest.mark.parametrize(
    ("code", "make", "message"), [(c[0], *c[2:]) for c in BAD_FONTS], ids=[c[1] for c in BAD_FONTS]
)
def test_a_bad_font_file_is_located_at_its_config_line(
    office: OfficeRepo, code: str, make: Callable[[Path], None] | None, message: str
) -> None:
    (office.root / "fonts").mkdir()
    if make is not None:
        make(office.root / "fonts" / "f.ttf")
    with_fonts(office, fangsong="fonts/f.ttf")
    problems = office.check().report.sorted()
    assert [(p.code, office.relative(p), p.line, p.column) for p in problems] == [
        (code, "config.yaml", FONT_LINE, FANGSONG_COLUMN)
    ]
    assert problems[0].message() == message
    assert problems[0].field == "fonts.fangsong"


def test_an_unreadable_font_file(office: OfficeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    office.write("fonts/f.ttf", tiny_font("汉"))
    with_fonts(office, fangsong="fonts/f.ttf")
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "f.ttf":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    (problem,) = office.check().report.sorted()
    assert (problem.code, problem.line, problem.column) == ("E705", FONT_LINE, FANGSONG_COLUMN)
    assert problem.message() == "不能读取仿宋字体文件“fonts/f.ttf”：没有权限"  # lang.os_reason's words
    assert problem.message("en").endswith("'fonts/f.ttf': Permission denied")


def test_each_role_is_located_on_its_own_line(office: OfficeRepo) -> None:
    office.write("fonts/ok.ttf", tiny_font("汉字"))
    with_fonts(office, xiaobiaosong="fonts/ok.ttf", kaiti="fonts/none.ttf", heiti="/nowhere/黑体.ttf")
    found = [(p.code, p.line, p.column, p.message()) for p in office.check().report.sorted()]
    assert found == [
        ("E702", 8, 10, "找不到楷体字体文件“fonts/none.ttf”"),
        ("E702", 9, 10, "找不到黑体字体文件“/nowhere/黑体.ttf”"),
    ]


def test_a_good_font_is_accepted_and_drawn(office: OfficeRepo) -> None:
    office.write("fonts/ok.ttf", tiny_font("汉字"))
    with_fonts(office, fangsong="fonts/ok.ttf")
    validated = office.check()
    assert validated.report.sorted() == []
    assert configured_fonts(validated.records) == {"fangsong": office.root / "fonts" / "ok.ttf"}
    first = font_set(validated.records).chain("fangsong")[0]
    assert (first.path, first.custom) == (office.root / "fonts" / "ok.ttf", True)


def test_a_bad_font_is_left_out_of_the_font_set(office: OfficeRepo) -> None:
    office.write("fonts/f.ttf", "不是字体")
    with_fonts(office, fangsong="fonts/f.ttf")
    records = office.check().records
    records.config["fonts"] = {"fangsong": "fonts/f.ttf"}
    assert not any(face.custom for face in font_set(records).chain("fangsong"))


def test_the_font_file_is_read_as_a_font(tmp_path: Path) -> None:
    path = tmp_path / "tiny.ttf"
    path.write_bytes(tiny_font("汉"))
    assert TTFont(str(path)).getBestCmap() == {ord("汉"): "u6C49"}


def test_the_build_fails_on_a_bad_font_and_keeps_the_output(office: OfficeRepo, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(BuildOptions(office.root, out, pdf=False)).ok
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    office.write("fonts/f.ttf", b"\x00\x01\x00\x00garbage")
    with_fonts(office, fangsong="fonts/f.ttf")
    result = build(BuildOptions(office.root, out, pdf=False))
    assert [(p.code, office.relative(p), p.line, p.column) for p in result.report.sorted()] == [
        ("E706", "config.yaml", FONT_LINE, FANGSONG_COLUMN)
    ]
    assert not result.ok
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
