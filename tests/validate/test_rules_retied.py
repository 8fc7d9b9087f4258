"""What the rules across records found, kept as it was when an edit changes none of it (``incremental``):
tied to the new per-file results by a new tie beside it, not written again; written again when it changes."""

from __future__ import annotations

import datetime as dt
import pickle
import re
from pathlib import Path

import pytest

from reportgen.validate import Validated, check_repository, filecache, incremental
from tests.validate.test_incremental_check import synth_office


def _whole(validated: Validated) -> tuple[object, ...]:
    problems = [(p, dict(p.params), p.record) for p in validated.report.problems]
    return problems, validated.records.by_kind


def _rules_payload(office: Path) -> bytes:
    with open(filecache._folder_for(office) / filecache.RULES, "rb") as handle:
        pickle.load(handle)
        return handle.read()


def _facts(office: Path) -> tuple[int, int]:
    """The rules' state file's inode and mtime: another when it is written again."""
    stat = (filecache._folder_for(office) / filecache.RULES).stat()
    return stat.st_ino, stat.st_mtime_ns


def _state(office: Path) -> object:
    return filecache.load_state(office, filecache.load_cache(office).written_ns)


def test_a_title_edit_reties_the_rules_and_a_private_phone_in_a_title_rewrites_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = synth_office(tmp_path, monkeypatch)
    check_repository(office, jobs=1)
    before = _rules_payload(office)
    written = _facts(office)
    issue = sorted((office / "issues").rglob("*.yaml"))[7]
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("\ntitle: ", "\ntitle: 核实后：", 1), encoding="utf-8")
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert _rules_payload(office) == before  # the same bytes, tied to the new results
    assert _facts(office) == written  # by its tie alone: the state's file not written again
    assert isinstance(_state(office), incremental.RuleState)
    staff = sorted((office / "staff").rglob("*.yaml"))[0].read_text(encoding="utf-8")
    phone = re.search(r'^phone: "(\d+)"', staff, re.M)
    assert phone is not None
    issue.write_text(text.replace("\ntitle: ", f"\ntitle: 请拨{phone.group(1)}：", 1), encoding="utf-8")
    warm = check_repository(office, jobs=1)
    assert "W603" in {p.code for p in warm.report.problems}
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
    assert _rules_payload(office) != before
    issue.write_text(text, encoding="utf-8")  # and back: the problem goes, its state with it
    warm = check_repository(office, jobs=1)
    assert "W603" not in {p.code for p in warm.report.problems}
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))


def test_a_problem_whose_words_alone_change_is_kept_with_its_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = synth_office(tmp_path, monkeypatch)
    visit = sorted((office / "visits").rglob("*.yaml"))[0]
    enterprise = re.search(r"^enterprise: (\S+)$", visit.read_text(encoding="utf-8"), re.M)
    assert enterprise is not None
    path = office / "enterprises" / f"{enterprise.group(1)}.yaml"
    text = path.read_text(encoding="utf-8")
    joined = re.search(r"^joined: (\S+)$", text, re.M)
    assert joined is not None
    check_repository(office, jobs=1)
    for later in ("2031-01-01", "2031-02-01"):  # the visit before the enterprise joined: the same place, another date
        path.write_text(text.replace(f"joined: {joined.group(1)}", f"joined: {later}"), encoding="utf-8")
        warm = check_repository(office, jobs=1)
        assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
        assert repr(dt.date.fromisoformat(later)) in str(
            [dict(p.params) for p in warm.report.problems if p.file == str(visit)]
        )
    issue = sorted((office / "issues").rglob("*.yaml"))[7]  # elsewhere: the visit's problem read from the state
    issue.write_text(issue.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: 核实后：", 1), encoding="utf-8")
    warm = check_repository(office, jobs=1)
    assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))


def test_a_problem_whose_words_alone_change_is_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = synth_office(tmp_path, monkeypatch)
    issue = sorted((office / "issues").rglob("*.yaml"))[7]
    text = issue.read_text(encoding="utf-8")
    enterprise = re.search(r"^enterprise: (\S+)$", text, re.M)
    assert enterprise is not None
    for missing in ("E9998", "E9999"):  # the same problem at the same place, naming another id
        issue.write_text(text.replace(f"enterprise: {enterprise.group(1)}", f"enterprise: {missing}"), encoding="utf-8")
        warm = check_repository(office, jobs=1)
        assert _whole(warm) == _whole(check_repository(office, jobs=1, use_cache=False))
        assert missing in str([dict(p.params) for p in warm.report.problems])
    issue.write_text(text, encoding="utf-8")
    assert _whole(check_repository(office, jobs=1)) == _whole(check_repository(office, jobs=1, use_cache=False))


def test_a_state_whose_tie_names_another_token_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = synth_office(tmp_path, monkeypatch)
    check_repository(office, jobs=1)
    assert isinstance(_state(office), incremental.RuleState)
    tie = filecache._folder_for(office) / f"{filecache.RULES}.tie"
    with open(tie, "rb") as handle:
        header = pickle.load(handle)
    tie.write_bytes(pickle.dumps({**header, "token": "another"}))  # a state written after this tie, say
    assert _state(office) is None
    tie.write_bytes(pickle.dumps(header))
    assert isinstance(_state(office), incremental.RuleState)
