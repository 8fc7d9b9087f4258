"""A warm check after random edits reports exactly what a cold check of the same records reports.

The rules across records run again only where a changed file can matter
(``validate/incremental.py``); this applies random edits to a generated office (add,
change, delete, rename, move between months, break a file, a private value copied into
public text, a reference sent elsewhere, an enterprise that leaves) and compares, after
every edit, the warm check's records and report with a check without any cache.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen import filewalk
from reportgen.validate import Validated, check_repository, filecache, incremental
from tests.modules import bench_synth

Edit = Callable[[random.Random, Path], str]

_REF_LINE = re.compile(
    r"^(\s*(?:- )?(?:enterprise|issue|team|leader|responsible|lead_department|department|unit|visit|judge): )(\S+)$"
    r"|^(\s+- )([SDTEV]\d+)$",
    re.MULTILINE,
)
_DATE_LINE = re.compile(
    r"^(\s*(?:- )?(?:date|raised|joined|left|due|done_on|deadline): )(\d{4}-\d\d-\d\d)$", re.MULTILINE
)
_TEXT_LINE = re.compile(r'^((?:title|summary|description|action|notes|name): )"(.*)"$', re.MULTILINE)
_PRIVATE_LINE = re.compile(r'^(\s+(?:name|phone): )"(.*)"$|^(phone: )"(.*)"$', re.MULTILINE)


def _records(root: Path, folder: str = "") -> list[Path]:
    return sorted(p for p in (root / folder).rglob("*") if p.is_file() and p.name != "config.yaml")


def _ids(root: Path) -> list[str]:
    return [p.name.split(".")[0] for p in _records(root)]


def _sub(rng: random.Random, path: Path, pattern: re.Pattern[str], new: Callable[[re.Match[str]], str]) -> bool:
    """Replace one random match of ``pattern`` in ``path``; False when there is none."""
    text = path.read_text(encoding="utf-8")
    matches = list(pattern.finditer(text))
    if not matches:
        return False
    match = rng.choice(matches)
    path.write_text(text[: match.start()] + new(match) + text[match.end() :], encoding="utf-8")
    return True


def send_reference_elsewhere(rng: random.Random, root: Path) -> str:
    path = rng.choice(_records(root))
    ids = _ids(root)

    def other(match: re.Match[str]) -> str:
        head, old = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        same_kind = [i for i in ids if i[0] == old[0]] or ids
        return head + rng.choice([*same_kind, old[0] + "999", old.lower()])

    _sub(rng, path, _REF_LINE, other)
    return f"reference in {path.name}"


def move_a_date(rng: random.Random, root: Path) -> str:
    path = rng.choice(_records(root))
    shift = dt.timedelta(days=rng.choice([-400, -90, -20, -3, 2, 30, 200]))
    _sub(rng, path, _DATE_LINE, lambda m: m.group(1) + (dt.date.fromisoformat(m.group(2)) + shift).isoformat())
    return f"date in {path.name}"


def enterprise_leaves(rng: random.Random, root: Path) -> str:
    path = rng.choice(_records(root, "enterprises"))
    day = dt.date(2021, 8, 1) + dt.timedelta(days=rng.randrange(0, 200))
    text = re.sub(r"^left: .*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    path.write_text(text + f"left: {day.isoformat()}\n", encoding="utf-8")
    return f"{path.name} leaves"


def copy_private_into_public(rng: random.Random, root: Path) -> str:
    source = rng.choice(_records(root, "staff") + _records(root, "enterprises"))
    values = [m.group(2) or m.group(4) for m in _PRIVATE_LINE.finditer(source.read_text(encoding="utf-8"))]
    value = rng.choice([*values, "13912345678", "联系人"]) if values else "13912345678"
    path = rng.choice(_records(root))
    _sub(rng, path, _TEXT_LINE, lambda m: f'{m.group(1)}"{m.group(2)}{value}"')
    return f"private {value} into {path.name}"


def change_a_private_value(rng: random.Random, root: Path) -> str:
    path = rng.choice(_records(root, "staff") + _records(root, "enterprises"))
    word = rng.choice(["服务队", "13800000001", "企业", "王明"])
    _sub(rng, path, _PRIVATE_LINE, lambda m: f'{m.group(1) or m.group(3)}"{word}"')
    return f"private value of {path.name}"


def delete(rng: random.Random, root: Path) -> str:
    path = rng.choice(_records(root))
    path.unlink()
    return f"delete {path.name}"


def rename(rng: random.Random, root: Path) -> str:
    path = rng.choice(_records(root))
    stem, _, suffix = path.name.partition(".")
    folders = [p for p in path.parent.parent.iterdir() if p.is_dir()] if path.parent != root else []
    where = rng.choice([path.parent, *folders]) if rng.random() < 0.5 else path.parent
    name = rng.choice([stem + "9", stem.lower(), rng.choice(_ids(root))]) + "." + suffix
    if (where / name).exists():
        return "rename onto an existing file: skipped"
    path.rename(where / name)
    return f"rename {path.name} → {where.name}/{name}"


def copy(rng: random.Random, root: Path) -> str:
    path = rng.choice(_records(root))
    stem, _, suffix = path.name.partition(".")
    target = path.with_name(f"{stem}8.{suffix}")
    shutil.copyfile(path, target)
    if rng.random() < 0.5:
        target.write_text(target.read_text(encoding="utf-8").replace(f"id: {stem}", f"id: {stem}8"), encoding="utf-8")
    return f"copy {path.name} → {target.name}"


def break_a_file(rng: random.Random, root: Path) -> str:
    path = rng.choice(_records(root))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(rng.choice(["\n: : [\n", "\nextra_field: 1\n", "\nid: [1, 2]\n"]))
    return f"break {path.name}"


def change_a_calendar(rng: random.Random, root: Path) -> str:
    calendars = _records(root, "calendar")
    path = rng.choice(calendars)
    if rng.random() < 0.5 and len(calendars) > 1:
        path.unlink()
        return f"delete calendar {path.name}"
    _sub(rng, path, _DATE_LINE, lambda m: m.group(0))
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^(\s+- )(\d{4})", lambda m: m.group(1) + str(int(m.group(2)) + 1), text, count=1, flags=re.M)
    )
    return f"calendar {path.name}"


EDITS: list[tuple[Edit, int]] = [
    (send_reference_elsewhere, 5),
    (move_a_date, 5),
    (enterprise_leaves, 2),
    (copy_private_into_public, 3),
    (change_a_private_value, 2),
    (delete, 2),
    (rename, 3),
    (copy, 2),
    (break_a_file, 2),
    (change_a_calendar, 1),
]


def synth_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A generated office of 150 issues, its check cache in ``tmp_path`` and no file racy."""
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(filewalk, "RACY_NS", 0)  # only the files an edit changed are parsed again
    monkeypatch.setattr(filecache, "RACY_NS", 0)
    synth = bench_synth()
    scale = synth.Scale(
        enterprises=20, issues=150, visits=60, staff=40, departments=5, teams=5, legal=15, rectifications=30, months=6
    )
    synth.generate(tmp_path / "records", scale)
    return tmp_path / "records"


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return synth_office(tmp_path, monkeypatch)


def _same(warm: Validated, cold: Validated) -> None:
    def whole(validated: Validated) -> list[tuple[object, ...]]:  # a Problem's == leaves out its params
        return [(p, dict(p.params), p.record) for p in validated.report.problems]

    assert whole(warm) == whole(cold)
    assert (warm.report.files_checked, warm.report.records_checked) == (
        cold.report.files_checked,
        cold.report.records_checked,
    )
    assert warm.records.by_kind == cold.records.by_kind
    assert warm.records.config == cold.records.config


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_warm_check_after_random_edits_is_the_cold_check(
    office: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(filecache, "JOURNAL_MIN", 5)  # the changed files' journal is folded in every few steps
    monkeypatch.setattr(filecache, "JOURNAL_SHARE", 1_000_000)
    check_repository(office, jobs=1)
    partial = []
    monkeypatch.setattr(incremental, "check_all", _counting(incremental.check_all, partial))
    edits, weights = zip(*EDITS, strict=True)
    journal = []
    for step in range(12):
        done = [rng.choices(edits, weights)[0](rng, office) for _ in range(rng.choice([1, 1, 2, 3]))]
        warm = check_repository(office, jobs=1)
        journal.append(len(filecache.load_cache(office).journal))
        cold = check_repository(office, jobs=1, use_cache=False)
        assert warm.report.problems, f"step {step}: {done} left no problem to compare"
        _same(warm, cold)
    assert len(partial) < 12  # most checks took the incremental way
    assert max(journal) > 1 and 0 in journal  # checks read the journal, and it was folded in


def _counting(function: Callable[..., object], calls: list[int]) -> Callable[..., object]:
    def counted(*args: object) -> object:
        calls.append(1)
        return function(*args)

    return counted


def _issue_with_rectification(root: Path) -> tuple[str, str, dt.date]:
    """(rectification file's issue, that issue's enterprise, the rectification's done_on) for one done item."""
    for path in _records(root, "rectifications"):
        text = path.read_text(encoding="utf-8")
        done = re.search(r"^done_on: (\S+)$", text, re.MULTILINE)
        if done:
            issue = re.search(r"^issue: (\S+)$", text, re.MULTILINE)
            assert issue is not None
            issue_file = next(root.glob(f"issues/*/{issue.group(1)}.yaml"))
            enterprise = re.search(r"^enterprise: (\S+)$", issue_file.read_text(encoding="utf-8"), re.MULTILINE)
            assert enterprise is not None
            return issue.group(1), enterprise.group(1), dt.date.fromisoformat(done.group(1))
    raise AssertionError("no rectification is done")


def _edited(root: Path, name: str, change: Callable[[str], str]) -> None:
    path = next(p for p in _records(root) if p.name == name)
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_an_enterprise_that_leaves_reaches_its_issues_rectifications(office: Path) -> None:
    check_repository(office, jobs=1)
    _, enterprise, done_on = _issue_with_rectification(office)
    _edited(office, f"{enterprise}.yaml", lambda text: text + f"left: {done_on - dt.timedelta(days=1)}\n")
    warm = check_repository(office, jobs=1)
    assert any(p.code == "E409" and p.file.startswith(f"{office}/rectifications/") for p in warm.report.problems)
    _same(warm, check_repository(office, jobs=1, use_cache=False))


def test_a_new_record_answers_a_failing_reference_and_the_nearest_ids_follow(office: Path) -> None:
    _edited(office, "V0004.yaml", lambda text: re.sub(r"^enterprise: \S+", "enterprise: E077", text, flags=re.M))
    check_repository(office, jobs=1)
    (office / "enterprises/E002.yaml").rename(office / "enterprises/E076.yaml")  # nearer to E077 now
    _edited(office, "E076.yaml", lambda text: text.replace("id: E002", "id: E076"))
    warm = check_repository(office, jobs=1)
    assert [p.params["nearest"] for p in warm.report.problems if p.file.endswith("V0004.yaml") and p.code == "E302"]
    _same(warm, check_repository(office, jobs=1, use_cache=False))
    shutil.copyfile(office / "enterprises/E076.yaml", office / "enterprises/E077.yaml")
    _edited(office, "E077.yaml", lambda text: text.replace("id: E076", "id: E077"))
    warm = check_repository(office, jobs=1)
    assert not [p for p in warm.report.problems if p.file.endswith("V0004.yaml")]
    _same(warm, check_repository(office, jobs=1, use_cache=False))


def test_deleting_the_file_that_kept_a_repeated_id_lets_the_other_take_its_place(office: Path) -> None:
    _, enterprise, _ = _issue_with_rectification(office)
    shutil.copyfile(office / f"enterprises/{enterprise}.yaml", office / f"enterprises/{enterprise}x.yaml")
    _edited(office, f"{enterprise}x.yaml", lambda text: re.sub(r"^joined: \S+", "joined: 2022-12-01", text, flags=re.M))
    check_repository(office, jobs=1)
    (office / f"enterprises/{enterprise}.yaml").unlink()
    warm = check_repository(office, jobs=1)
    assert any(p.code == "E407" for p in warm.report.problems)  # its visits now come before it joined
    _same(warm, check_repository(office, jobs=1, use_cache=False))


def test_a_private_value_changed_is_found_in_every_public_text(office: Path) -> None:
    check_repository(office, jobs=1)
    _edited(office, "S007.yaml", lambda text: re.sub(r'^phone: "\d+"', 'phone: "13912345678"', text, flags=re.M))
    _edited(office, "E002.yaml", lambda text: re.sub(r'^(  name: )"[^"]*"', r'\1"园区道路"', text, flags=re.M))
    warm = check_repository(office, jobs=1)
    _same(warm, check_repository(office, jobs=1, use_cache=False))
    _edited(
        office,
        "V0004.yaml",
        lambda text: re.sub(r'^summary: "', 'summary: "联系电话 139 1234 5678，', text, flags=re.M),
    )
    warm = check_repository(office, jobs=1)
    assert [p.code for p in warm.report.problems if p.file.endswith("V0004.yaml")] == ["W603"]
    _same(warm, check_repository(office, jobs=1, use_cache=False))


def _name_in_a_title(office: Path) -> Path:
    """Make E002's contact 道路 and put that word in the title of one issue; the issue's file."""
    _edited(office, "E002.yaml", lambda text: re.sub(r'^(  name: )"[^"]*"', r'\1"道路"', text, flags=re.M))
    issue = _records(office, "issues")[0]
    _edited(office, issue.name, lambda text: re.sub(r'^title: "[^"]*"', 'title: "园区道路破损"', text, flags=re.M))
    return issue


def _searches_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A count of the privacy searches the incremental check makes again (``PrivateSearch``)."""
    made: list[int] = []
    monkeypatch.setattr(incremental, "PrivateSearch", _counting(incremental.PrivateSearch, made))
    return made


def test_an_edit_beside_a_title_holding_a_name_keeps_the_search(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The title still holds the contact's name as it did: the search is the one kept, the problems the cold check's."""
    issue = _name_in_a_title(office)
    check_repository(office, jobs=1)
    made = _searches_made(monkeypatch)
    _edited(office, issue.name, lambda text: re.sub(r'^description: "', 'description: "经核实，', text, flags=re.M))
    warm = check_repository(office, jobs=1)
    assert made == []
    _same(warm, check_repository(office, jobs=1, use_cache=False))
    _edited(office, issue.name, lambda text: re.sub(r'^title: "[^"]*"', 'title: "园区破损"', text, flags=re.M))
    warm = check_repository(office, jobs=1)  # the name left the title: the search is made again
    assert made == [1]
    _same(warm, check_repository(office, jobs=1, use_cache=False))


def test_an_edit_of_a_record_sharing_its_id_makes_the_search_again(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which of two files of one id is in the set may change: the search is made again (whichever holds the name)."""
    issue = _name_in_a_title(office)
    shutil.copyfile(issue, issue.with_name(f"{issue.stem}x.yaml"))  # the same id in another file
    check_repository(office, jobs=1)
    made = _searches_made(monkeypatch)
    _edited(office, issue.name, lambda text: re.sub(r'^description: "', 'description: "经核实，', text, flags=re.M))
    warm = check_repository(office, jobs=1)
    assert made == [1]
    _same(warm, check_repository(office, jobs=1, use_cache=False))


@pytest.mark.parametrize("broken_first", [True, False])
def test_a_record_made_whole_or_broken_makes_the_search_again(
    office: Path, monkeypatch: pytest.MonkeyPatch, broken_first: bool
) -> None:
    """A record with a field error is out of the set, its title with it: whole again (or broken), the search changes."""
    issue = _name_in_a_title(office)
    whole = issue.read_text(encoding="utf-8")
    broken = re.sub(r"^raised: \S+", "raised: 2021-02-30", whole, flags=re.M)
    issue.write_text(broken if broken_first else whole, encoding="utf-8")
    check_repository(office, jobs=1)
    made = _searches_made(monkeypatch)
    issue.write_text(whole if broken_first else broken, encoding="utf-8")
    warm = check_repository(office, jobs=1)
    assert made == [1]
    _same(warm, check_repository(office, jobs=1, use_cache=False))
