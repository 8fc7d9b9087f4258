"""The fonts a bulletin is drawn with, and the check that every character has a glyph.

A bulletin uses five roles of GB/T 9704: 小标宋 (header and title), 仿宋 (body), 楷体
(“（一）” headings), 黑体 (“一、” headings) and 宋体 (page numbers).  By default free
stand-ins draw them; an office that owns the official fonts lists their files in
``config.fonts`` and they are loaded with ``@font-face``.

The HTML itself names families through CSS custom properties (``--font-fangsong`` …)
with a browser-friendly stack; for the PDF ``FontSet.css()`` pins each role to exactly
the chain of fonts ``check_glyphs`` verified, so what was checked is what is drawn.
"""

from __future__ import annotations

import functools
import shutil
import stat
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from reportgen.lang import os_reason
from reportgen.model import Records
from reportgen.problems import Problem, Words
from reportgen.render import BulletinInfo

ROLE_LABELS = {
    "xiaobiaosong": Words("小标宋", "XiaoBiaoSong"),
    "fangsong": Words("仿宋", "FangSong"),
    "kaiti": Words("楷体", "KaiTi"),
    "heiti": Words("黑体", "HeiTi"),
    "songti": Words("宋体", "SongTi"),
}
ROLES = tuple(ROLE_LABELS)


@dataclass(frozen=True)
class FontFace:
    """One font file (or one face of a collection) under the CSS family name it is used by."""

    family: str  # the CSS family name
    path: Path
    index: int = 0  # the face within a .ttc collection
    weight: int = 400
    custom: bool = False  # an office's own file, loaded with @font-face


# The free stand-ins: (family, fontconfig weight name, CSS weight).  The first one installed wins.
STAND_INS: dict[str, tuple[tuple[str, str, int], ...]] = {
    "xiaobiaosong": (("Noto Serif CJK SC", "bold", 700),),
    "fangsong": (("Noto Serif CJK SC", "regular", 400),),
    "kaiti": (("LXGW WenKai", "regular", 400), ("AR PL UKai CN", "regular", 400)),
    "heiti": (("Noto Sans CJK SC", "regular", 400),),
    "songti": (("Noto Serif CJK SC", "regular", 400),),
}
FALLBACKS: tuple[tuple[str, str, int], ...] = (
    ("Noto Serif CJK SC", "regular", 400),
    ("Noto Sans CJK SC", "regular", 400),
)
# The families a browser should try for each role (the same HTML is published on the site).
BROWSER_STACKS: dict[str, str] = {
    "xiaobiaosong": '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "Source Han Serif SC", '
    '"SimSun", serif',
    "fangsong": '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", '
    '"Source Han Serif SC", serif',
    "kaiti": '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "LXGW WenKai", "AR PL UKai CN", serif',
    "heiti": '"黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
    "songti": '"宋体", "SimSun", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", serif',
}
# Which role draws the text inside an element: by class first, then by tag.
ROLE_BY_CLASS = {
    "f-xbs": "xiaobiaosong",
    "f-fangsong": "fangsong",
    "f-kai": "kaiti",
    "f-hei": "heiti",
    "f-song": "songti",
}
ROLE_BY_TAG = {"h1": "xiaobiaosong", "h2": "heiti", "h3": "kaiti", "h4": "kaiti", "th": "heiti"}
# Text the stylesheet adds (page numbers): drawn in 宋体.
GENERATED_TEXT = "— 0123456789"
# Characters that need no glyph: controls and invisible format characters (a private-use character does).
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})
# Format characters that are drawn all the same (Pango asks the font for a glyph): the prepended
# concatenation marks (Arabic number signs …), Egyptian hieroglyph and shorthand format controls.
_DRAWN_FORMAT = frozenset(
    [*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD, *range(0x13430, 0x13439)]
) | frozenset(range(0x1BCA0, 0x1BCA4))


def _needs_no_glyph(ch: str) -> bool:
    """White space, controls and the invisible format characters: nothing is drawn for them."""
    return ch.isspace() or (unicodedata.category(ch) in _INVISIBLE and ord(ch) not in _DRAWN_FORMAT)


@dataclass(frozen=True)
class FontSet:
    """The font chain of every role, as the PDF will use it."""

    roles: dict[str, tuple[FontFace, ...]]  # role → its own faces, best first
    fallbacks: tuple[FontFace, ...]

    def chain(self, role: str) -> tuple[FontFace, ...]:
        """Every face that may draw text of ``role``, in the order they are tried."""
        seen: dict[tuple[Path, int], FontFace] = {}
        for face in (*self.roles.get(role, ()), *self.fallbacks):
            seen.setdefault((face.path, face.index), face)
        return tuple(seen.values())

    def families(self, role: str) -> str:
        """The CSS font-family list of ``role``."""
        names: list[str] = []
        for face in (*self.roles.get(role, ()), *self.fallbacks):
            if face.family not in names:
                names.append(face.family)
        return ", ".join(f'"{n}"' for n in names)

    def weight(self, role: str) -> int:
        """The CSS weight that selects ``role``'s first face."""
        faces = self.roles.get(role, ())
        return faces[0].weight if faces else 400

    def css(self) -> str:
        """@font-face rules for the office's own files and the role families, for the PDF."""
        rules = []
        for faces in self.roles.values():
            for face in faces:
                if face.custom:
                    rules.append(
                        f'@font-face {{ font-family: "{face.family}"; src: url("{face.path.resolve().as_uri()}"); }}'
                    )
        props = " ".join(
            f"--font-{role}: {self.families(role)} !important; --weight-{role}: {self.weight(role)} !important;"
            for role in ROLES
        )
        rules.append(f":root {{ {props} }}")
        return "\n".join(sorted(set(rules[:-1]))) + ("\n" if len(rules) > 1 else "") + rules[-1] + "\n"

    @property
    def files(self) -> tuple[Path, ...]:
        """The office's own font files (the PDF's url_fetcher may read them)."""
        return tuple(sorted({f.path.resolve() for faces in self.roles.values() for f in faces if f.custom}))


def configured_fonts(records: Records) -> dict[str, Path]:
    """The office's own font files by role, as ``config.fonts`` names them (relative to the records folder)."""
    configured: dict[str, Any] = dict(records.config.get("fonts") or {})
    paths: dict[str, Path] = {}
    for role in ROLES:
        if configured.get(role):
            path = Path(str(configured[role]))
            paths[role] = path if path.is_absolute() else records.root / path
    return paths


def font_set(records: Records) -> FontSet:
    """The fonts of this office: its own usable files from ``config.fonts``, then the free stand-ins.

    A configured file that is not a usable font is left out (``check`` reports it: E702–E706).
    """
    own = {role: path for role, path in configured_fonts(records).items() if _usable(font_fault(path))}
    roles: dict[str, tuple[FontFace, ...]] = {}
    for role in ROLES:
        faces = [FontFace(f"reportgen-{role}", own[role], 0, 400, custom=True)] if role in own else []
        stand_ins = [f for f in (_system_face(*spec) for spec in STAND_INS[role]) if f is not None]
        roles[role] = tuple(faces + stand_ins)
    fallbacks = tuple(f for f in (_system_face(*spec) for spec in FALLBACKS) if f is not None)
    return FontSet(roles, fallbacks)


NO_DETAIL = Words("", "")


@dataclass(frozen=True)
class FontFault:
    """Why a configured font file cannot be used: a catalogue code and, for E705/E706, the reason in words."""

    code: str
    detail: Words = NO_DETAIL


def _usable(fault: FontFault | None) -> bool:
    """Whether a font file can draw (a font without Chinese characters still draws digits and Latin)."""
    return fault is None or fault.code.startswith("W")


# CJK Unified Ideographs: a Chinese font has some of them; a font with none cannot draw a bulletin.
_CJK = range(0x4E00, 0xA000)


def font_fault(path: Path) -> FontFault | None:
    """What is wrong with the font file at ``path`` (None when it is a usable font with Chinese characters).

    E702 not there, E704 a folder or special file, E705 unreadable, E706 not a font (fontTools
    cannot open it, its tables run past the end of the file, or it has no character map),
    W702 a font without a single Chinese character.  Never raises, never blocks on a FIFO.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return FontFault("E702")
    except (OSError, ValueError) as exc:  # a permission-denied folder on the way, a name too long, a NUL
        return FontFault("E705", _os_reason(exc))
    if not stat.S_ISREG(st.st_mode):
        return FontFault(
            "E704", Words("文件夹", "folder") if stat.S_ISDIR(st.st_mode) else Words("特殊文件", "special file")
        )
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return FontFault("E705", _os_reason(exc))
    try:
        cmap = _inspect_font(path, st.st_size, st.st_mtime_ns)
    except _NotAFont as exc:
        return FontFault("E706", exc.words)
    return None if any(cp in cmap for cp in _CJK) else FontFault("W702")


class _NotAFont(ValueError):
    """The file is not a font that can be drawn with; ``words`` say why (``str``: in Chinese)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.words = Words(zh, en)


@functools.lru_cache(maxsize=16)
def _inspect_font(path: Path, size: int, mtime_ns: int) -> frozenset[int]:
    """The code points of the file's first face, after checking it is a whole, parseable font.

    ``size`` and ``mtime_ns`` key the cache: ``check`` and the build's font set ask about the
    same files, and a Chinese font's character map takes a few tenths of a second to read.
    """
    from fontTools.ttLib import TTFont

    if size == 0:
        raise _NotAFont("文件是空的", "the file is empty")
    try:
        font = TTFont(str(path), fontNumber=0, lazy=True)
    except Exception as exc:  # any garbage makes fontTools raise something different
        raise _NotAFont("不是可以识别的字体格式", "no font format it recognises") from exc
    try:
        end = max((entry.offset + entry.length for entry in font.reader.tables.values()), default=0)
        if end > size:
            raise _NotAFont("文件不完整（可能没有复制完）", "the file is incomplete (perhaps not fully copied)")
        if "cmap" not in font:
            raise _NotAFont("字体里没有字符对照表", "the font has no character map")
        try:
            cmap = font.getBestCmap()
        except Exception as exc:  # a damaged table can fail in any way
            raise _NotAFont("字体文件已损坏", "the font file is damaged") from exc
    finally:
        font.close()
    if not cmap:
        raise _NotAFont("字体里没有字符对照表", "the font has no character map")
    return frozenset(cmap)


def _os_reason(exc: OSError | ValueError) -> Words:
    """An operating-system error in words a clerk can act on (``lang.os_reason``; a NUL in the name: ValueError)."""
    if isinstance(exc, OSError):
        return Words(os_reason(exc, "zh"), os_reason(exc, "en"))
    return Words("文件名中有系统不接受的字符", "the file name holds a character the system refuses")


@functools.lru_cache(maxsize=32)
def _system_face(family: str, weight_name: str, css_weight: int) -> FontFace | None:
    """Where fontconfig keeps ``family`` (None when it is not installed)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    result = subprocess.run(
        [fc_match, "-f", "%{file}|%{index}|%{family}", f"{family}:weight={weight_name}"],
        capture_output=True,
        text=True,
        check=False,
    )
    parts = result.stdout.split("|", 2)
    if result.returncode != 0 or len(parts) != 3 or family not in parts[2].split(","):
        return None
    return FontFace(family, Path(parts[0]), int(parts[1] or 0), css_weight)


@functools.lru_cache(maxsize=32)
def font_cmap(path: Path, index: int) -> frozenset[int]:
    """The code points a font face has glyphs for."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


# -- which characters are drawn in which role ----------------------------------------------


class _RoleText(HTMLParser):
    """Collects the text of an HTML document by the font role that draws it."""

    _SKIP = frozenset({"style", "script"})
    _VOID = frozenset({"br", "hr", "img", "meta", "link", "col", "input", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, role or None when inherited)
        self.text: dict[str, set[str]] = {}

    def role(self) -> str:
        for _, role in reversed(self.stack):
            if role:
                return role
        return "fangsong"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        role = next((ROLE_BY_CLASS[c] for c in classes if c in ROLE_BY_CLASS), ROLE_BY_TAG.get(tag))
        self.stack.append((tag, role))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if any(tag in self._SKIP for tag, _ in self.stack) or (self.stack and self.stack[0][0] == "head"):
            return
        self.text.setdefault(self.role(), set()).update(data)


def text_by_role(html: str) -> dict[str, set[str]]:
    """The characters of ``html``'s visible text, grouped by the role whose font draws them."""
    parser = _RoleText()
    parser.feed(html)
    parser.close()
    result = parser.text
    result.setdefault("songti", set()).update(GENERATED_TEXT)
    return result


def uncovered(html: str, fonts: FontSet) -> dict[str, list[str]]:
    """Characters no font of their role's chain has, by character (→ the roles that miss it)."""
    if _covered_in_every_role(html, fonts):
        return {}  # nothing can be missing: no need to find which role draws which character
    missing: dict[str, list[str]] = {}
    for role, chars in sorted(text_by_role(html).items()):
        cmaps = [font_cmap(f.path, f.index) for f in fonts.chain(role)]
        for ch in sorted(chars):
            if _needs_no_glyph(ch):
                continue
            if not any(ord(ch) in cmap for cmap in cmaps):
                missing.setdefault(ch, []).append(role)
    return missing


def _covered_in_every_role(html: str, fonts: FontSet) -> bool:
    """Whether every character of the whole document (markup included) is in every role's chain.

    The characters of the markup are a superset of the visible text, so when this holds the
    per-role analysis (an HTML parse: seconds for a notice with a 1,000-row ledger) finds nothing.
    """
    everywhere = _common_coverage(tuple(tuple((f.path, f.index) for f in fonts.chain(role)) for role in ROLES))
    return all(ord(ch) in everywhere for ch in set(html).union(GENERATED_TEXT))


@functools.lru_cache(maxsize=8)
def _common_coverage(chains: tuple[tuple[tuple[Path, int], ...], ...]) -> frozenset[int]:
    """Code points every chain can draw, plus the ones never drawn (spaces, controls)."""
    covered = [frozenset().union(*(font_cmap(path, index) for path, index in chain)) for chain in chains]
    common = frozenset.intersection(*covered) if covered else frozenset()
    return common | _NEVER_DRAWN


# white space and invisible characters are not checked (see ``uncovered``): ASCII and the common ones
_NEVER_DRAWN = (
    frozenset(cp for cp in range(0x3000) if _needs_no_glyph(chr(cp)))
    | frozenset(range(0x200B, 0x2010))
    | frozenset({0xFEFF, 0x2028, 0x2029, 0x2060})
)


# -- where a character came from --------------------------------------------------------------


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _line_of(file: str, ch: str) -> tuple[int, int]:
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1, 1
    for number, line in enumerate(lines, start=1):
        if ch in line:
            return number, line.index(ch) + 1
    return 1, 1


def _sources(records: Records, ch: str) -> Iterable[tuple[str, str | None, str]]:
    """(file, record id, field) of every record text value containing ``ch``."""
    for path, text in _strings(records.config, ""):
        if ch in text:
            yield str(records.root / "config.yaml"), None, path
    for kind in sorted(records.by_kind):
        for record_id, record in sorted(records.by_kind[kind].items()):
            data = {k: v for k, v in record.data.items() if k != "sections"}
            for path, text in _strings(data, ""):
                if ch in text:
                    yield record.file, record_id, path


def tofu_allowed(records: Records) -> bool:
    """Whether the office accepts a box for a character no font has (``missing_glyphs: warning``)."""
    return bool(records.config.get("missing_glyphs") == "warning")


def check_glyphs(records: Records, html: str, fonts: FontSet, info: BulletinInfo) -> list[Problem]:
    """Every character of ``html`` against the fonts that will draw it; a problem per character not covered.

    The problem names the record file, record id and field the character came from (the
    records' text values are searched for it); a character of no record is reported
    against the bulletin itself.  ``config.missing_glyphs: warning`` turns errors into warnings.
    """
    code = "W701" if tofu_allowed(records) else "E701"
    problems: list[Problem] = []
    for ch, roles in sorted(uncovered(html, fonts).items()):
        params = {
            "char": ch,
            "codepoint": f"U+{ord(ch):04X}",
            "fonts": Words("、".join(ROLE_LABELS[r].zh for r in roles), ", ".join(ROLE_LABELS[r].en for r in roles)),
            "bulletin": info.id,
        }
        sources = list(_sources(records, ch))
        if not sources:
            problems.append(Problem(info.html, 1, 1, code, params, record=info.id, field=None))
        for file, record_id, field in sources:
            line, column = _line_of(file, ch)
            problems.append(Problem(file, line, column, code, params, record=record_id, field=field))
    return problems
