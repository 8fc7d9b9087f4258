"""``reportgen check`` on the hostile corpus: the exact problems, no traceback, no hang, bounded memory.

Each case runs in a forked child (``harness.isolated``) with a time limit; the bomb cases
(alias bombs, huge and deeply nested files) also have their peak memory measured.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import OfficeRepo, write_minimal_repository
from corpus import CASES, Case
from harness import isolated, log

# Peak growth of resident memory allowed for one bomb case above what the child inherited
# (the 50 MB file and a billion laughs must both be refused without being expanded).
BOMB_MEMORY_MB = 200


def run_case(case: Case, root: Path) -> tuple[str, list[tuple[str, str, int, int]], list[str]]:
    """Write the case's repository under ``root`` and check it in a child; (status, found, messages)."""
    repo = OfficeRepo(write_minimal_repository(root))
    for rel, content in case.files.items():
        if content is None:
            repo.remove(rel)
        else:
            repo.write(rel, content)
    if case.setup:
        case.setup(repo)

    def check() -> tuple[list[tuple[str, str, int, int]], list[str]]:
        problems = repo.check().report.sorted()
        # every message and hint must format (a KeyError or a broken template is a traceback too)
        texts = [p.message() + p.hint() + p.message("en") + p.hint("en") for p in problems]
        return [(p.code, repo.relative(p), p.line, p.column) for p in problems], texts

    outcome = isolated(check, timeout=case.timeout)
    ok = outcome.status == "ok" and outcome.value[0] == case.expected
    if case.bomb:
        ok = ok and outcome.growth_mb < BOMB_MEMORY_MB
    log("check", case.name, outcome, ok, bomb=case.bomb)
    assert outcome.status == "ok", outcome.error
    if case.bomb:
        assert outcome.growth_mb < BOMB_MEMORY_MB, f"{case.name}: grew {outcome.growth_mb:.0f} MB"
    found, texts = outcome.value
    return outcome.status, found, texts


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_case(tmp_path: Path, case: Case) -> None:
    _, found, texts = run_case(case, tmp_path / "records")
    assert found == case.expected
    assert all("Traceback" not in t for t in texts)


def test_case_names_are_unique() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))


def test_corpus_size() -> None:
    assert len(CASES) >= 200
