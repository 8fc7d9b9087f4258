"""Every catalogue code is real: emitted by the code, asserted by a test, explained in docs/guide.md.

A code counts as asserted when some test names it as the first item of a tuple — the
``("E702", file, line, column)`` shape the corpora and the located tests use.  Codes added
without such a test, without an emitter or without an example are listed by the failures.
(That docs/guide.md on disk is the generated text: tests/schema/test_generated_files.py.)
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from conftest import OfficeRepo

from reportgen.problem_examples import EXAMPLES
from reportgen.problems import CATALOGUE
from reportgen.schema import guide

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "reportgen"
# Where codes are defined or explained rather than emitted.
NOT_EMITTERS = {SRC / "problems.py", SRC / "problem_examples.py", SRC / "schema" / "guide.py"}


def _texts(folder: Path, skip: set[Path]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.py")) if p not in skip]


def test_every_code_is_emitted_somewhere() -> None:
    sources = "\n".join(_texts(SRC, NOT_EMITTERS))
    missing = [code for code in CATALOGUE if f'"{code}"' not in sources]
    assert not missing, f"catalogue codes no source file emits (emit them or remove them): {missing}"


def test_every_code_is_asserted_with_its_place_by_a_test() -> None:
    tests = "\n".join(_texts(ROOT / "tests", {Path(__file__).resolve()}))
    missing = [code for code in CATALOGUE if not re.search(rf'\(\s*"{code}"\s*,', tests)]
    assert not missing, f"catalogue codes no test asserts as (code, file, line, column): {missing}"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_an_example_that_fills_its_message_and_hint() -> None:
    assert not [code for code in CATALOGUE if code not in EXAMPLES], "codes without an example in problem_examples.py"
    unfilled = {
        code: sorted(_placeholders(entry.zh + entry.zh_hint + entry.en + entry.en_hint) - set(EXAMPLES[code].params))
        for code, entry in CATALOGUE.items()
    }
    assert {code: names for code, names in unfilled.items() if names} == {}
    assert sorted(set(EXAMPLES) - set(CATALOGUE)) == [], "examples of codes the catalogue no longer has"


def test_the_guide_explains_every_code_with_its_example() -> None:
    text = guide.guide_markdown()
    for code, example in EXAMPLES.items():
        assert f"\n### {code}（" in text, code
        assert f"**什么时候出现：** {example.situation}\n" in text, code
    assert "### E702（错误）找不到仿宋字体文件“fonts/仿宋_GB2312.ttf”\n" in text


def test_the_guide_records_are_valid_at_every_step(office: OfficeRepo) -> None:
    for rel, text in guide.GUIDE_RECORDS.items():
        office.write(rel, text)
    assert office.found() == []
    issue = "issues/2021-08/Q0002.yaml"
    office.write(issue, guide.ISSUE_OPENED)
    assert office.found() == []
    office.write(issue, guide.ISSUE_OPENED + guide.ISSUE_PROGRESS)
    assert office.found() == []
    office.write("config.yaml", office.root.joinpath("config.yaml").read_text("utf-8") + guide.FONTS_TEXT)
    assert [(code, file, line) for code, file, line, _ in office.found()] == [
        ("E702", "config.yaml", 8),
        ("E702", "config.yaml", 9),
        ("E702", "config.yaml", 10),
    ]


def test_the_guide_pictures_are_there_and_small() -> None:
    for name in (guide.CHECK_IMAGE, guide.NOTICE_IMAGE):
        data = (ROOT / "docs" / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), name
        assert len(data) < 200_000, f"{name} is {len(data)} bytes"


def test_the_readme_links_the_guide() -> None:
    assert "(docs/guide.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
