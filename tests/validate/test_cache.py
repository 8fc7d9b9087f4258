"""The check cache never serves a stale result."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen import filewalk
from reportgen.commands.check import check_report
from reportgen.filewalk import list_tree
from reportgen.load import SourceFile, discover
from reportgen.problems import Problem
from reportgen.validate import check_repository, filecache
from reportgen.validate.record import FileResult
from tests.compute.scenario import scenario_files, write_repository
from tests.render.test_fonts_config import tiny_font


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = write_repository(tmp_path / "records", scenario_files())
    old = time.time() - 60  # older than the racy window, so the cache is trusted
    for path in root.rglob("*.yaml"):
        os.utime(path, (old, old))
    return root


@pytest.fixture(params=["racy window", "no racy window"])
def window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the real window every test file is racy (written just now); without it the report cache is used."""
    if request.param == "no racy window":
        monkeypatch.setattr(filewalk, "RACY_NS", 0)


@pytest.mark.usefixtures("window")
def test_an_edit_that_keeps_size_and_mtime_is_still_seen(office: Path) -> None:
    assert check_report(office).valid
    path = office / "issues/2021-09/Q0003.yaml"
    stat = path.stat()
    text = path.read_text("utf-8")
    broken = text.replace("category: 用地", "category: 用电")  # same size in bytes, invalid value
    assert len(broken.encode()) == len(text.encode())
    path.write_text(broken, "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # put the old mtime back
    report = check_report(office)
    assert [p.code for p in report.errors] == ["E204"]
    path.write_text(text, "utf-8")
    assert check_report(office).valid


def test_a_warm_check_parses_nothing(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filewalk, "RACY_NS", 0)
    first = check_report(office)
    import reportgen.commands.check as check_module

    def no_parse(root: Path) -> None:
        raise AssertionError("nothing changed: nothing may be parsed")

    monkeypatch.setattr(check_module, "check_repository", no_parse)
    assert check_report(office) == first


def test_unchanged_files_come_from_the_cache(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check_repository(office)
    assert first.report.valid
    parsed: list[int] = []
    import reportgen.validate as validate_module

    real = validate_module.check_files
    counted = lambda todo, jobs=0, read=None: parsed.append(len(todo)) or real(todo, jobs, read)  # noqa: E731
    monkeypatch.setattr(validate_module, "check_files", counted)
    (office / "issues/2021-09/Q0004.yaml").write_text(
        (office / "issues/2021-09/Q0004.yaml").read_text("utf-8") + "# 备注\n", "utf-8"
    )
    again = check_repository(office)
    assert parsed == [1]
    assert again.report.valid
    assert again.records.issues.keys() == first.records.issues.keys()


def test_a_corrupt_cache_is_ignored(office: Path) -> None:
    assert check_report(office).valid
    for path in filecache.cache_root().rglob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert check_report(office).valid


@pytest.mark.parametrize("shown", ["as given", "trailing slash", "dot"])
def test_stat_keys_from_the_listing_equal_a_stat(office: Path, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = office
    if shown == "trailing slash":
        root = Path(f"{office}/")
    elif shown == "dot":
        monkeypatch.chdir(office)
        root = Path(".")
    sources, _ = discover(root)
    from_listing = filecache.stat_keys(root, sources, list_tree(os.fspath(root)))
    assert from_listing == filecache.stat_keys(root, sources, None)
    assert len(from_listing) == len(sources) and None not in from_listing


class _Stamps:
    """A listing stand-in: only its stamps (``stat_keys`` reads nothing else)."""

    def __init__(self, stamps: dict[str, str]) -> None:
        self.stamps = stamps

    def stamps_unkept(self) -> dict[str, str]:
        return self.stamps


def test_stat_keys_stat_the_files_a_listing_lacks_and_give_none_for_dangling_links(office: Path) -> None:
    sources, _ = discover(office)
    first, second, third = sources[:3]
    rel = [s.display[len(str(office)) + 1 :] for s in (first, second, third)]
    listing = _Stamps({rel[0]: "listed key", rel[1]: "-1 dangling"})  # the third is not listed
    keys = filecache.stat_keys(office, [first, second, third], listing)  # type: ignore[arg-type]
    assert keys == ["listed key", None, filecache.stat_key(third.where)]
    assert keys[2] is not None and not keys[2].startswith("-")


def test_pipes_where_the_cache_files_belong_are_ignored_not_waited_on(office: Path) -> None:
    folder = filecache._folder_for(office)
    folder.mkdir(parents=True)
    for name in ("report.pickle", "files.pickle"):
        os.mkfifo(folder / name)
    assert filecache.load_report_only(office).report is None
    assert filecache.load_cache(office).entries == {}
    assert check_report(office).valid


def _with_font_outside(office: Path, font: Path) -> None:
    """config.yaml names a font file outside the records folder (by its absolute path)."""
    font.parent.mkdir(parents=True, exist_ok=True)
    font.write_bytes(tiny_font("汉字测试"))
    config = office / "config.yaml"
    config.write_text(config.read_text("utf-8") + f"fonts:\n  fangsong: {font}\n", "utf-8")
    old = time.time() - 60
    for path in (font, config):
        os.utime(path, (old, old))


def _replace_with_folder(font: Path) -> None:
    font.unlink()
    font.mkdir()


def _replace_with_text(font: Path) -> None:
    font.unlink()
    font.write_bytes(b"not a font")


@pytest.mark.parametrize(
    ("change", "code"),
    [(Path.unlink, "E702"), (_replace_with_folder, "E704"), (_replace_with_text, "E706")],
    ids=["deleted", "a folder", "not a font"],
)
def test_a_changed_font_outside_the_folder_is_seen_by_a_warm_check(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None], code: str
) -> None:
    monkeypatch.setattr(filewalk, "RACY_NS", 0)
    font = tmp_path / "fonts" / "fs.ttf"
    _with_font_outside(office, font)
    assert check_report(office).valid
    import reportgen.commands.check as check_module

    real = check_module.check_repository
    parsed: list[Path] = []
    monkeypatch.setattr(check_module, "check_repository", lambda root, **kw: parsed.append(root) or real(root, **kw))
    assert check_report(office).valid
    assert parsed == []  # warm: nothing changed, nothing parsed
    change(font)
    report = check_report(office)
    assert [(p.file, p.line, p.column, p.code) for p in report.problems] == [(f"{office}/config.yaml", 16, 13, code)]
    assert parsed == [office]
    if font.is_dir():
        font.rmdir()
    font.unlink(missing_ok=True)
    font.write_bytes(tiny_font("汉字测试"))
    assert check_report(office).valid
    assert parsed == [office, office]


def _parsed_counts(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The files each later check parses, by display name."""
    import reportgen.validate as validate_module

    real = validate_module.check_files
    parsed: list[list[str]] = []

    def counting(todo: list[SourceFile], jobs: int = 0, read: dict[str, str] | None = None) -> list[FileResult]:
        parsed.append([s.display for s in todo])
        return real(todo, jobs, read)

    monkeypatch.setattr(validate_module, "check_files", counting)
    return parsed


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")
    old = time.time() - 30  # older than the racy window
    os.utime(path, (old, old))


def test_one_changed_file_is_written_as_one_journal_entry(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check_repository(office)
    folder = filecache._folder_for(office)
    whole = (folder / filecache.FILES).read_bytes()
    assert not (folder / filecache.JOURNAL).exists()
    changed = office / "issues/2021-09/Q0004.yaml"
    _append(changed, "# 备注\n")
    parsed = _parsed_counts(monkeypatch)
    check_repository(office)
    assert (folder / filecache.FILES).read_bytes() == whole  # not rewritten
    cache = filecache.load_cache(office)
    assert list(cache.journal) == [f"{office}/issues/2021-09/Q0004.yaml"]
    assert cache.entries.keys() == filecache.load_cache(office).entries.keys()
    (office / "issues/2021-09/Q0005.yaml").unlink()
    again = check_repository(office)
    assert filecache.load_cache(office).journal == {
        f"{office}/issues/2021-09/Q0004.yaml": filecache.load_cache(office).entries[changed.as_posix()],
        f"{office}/issues/2021-09/Q0005.yaml": None,
    }
    assert parsed == [[f"{office}/issues/2021-09/Q0004.yaml"], []]
    assert "Q0005" not in again.records.issues and again.records.issues.keys() < first.records.issues.keys()
    assert check_repository(office).report.problems == again.report.problems
    assert parsed[2:] == [[]]  # the journal's entries are served


def test_the_journal_is_folded_into_the_whole_file_when_it_grows(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filecache, "JOURNAL_MIN", 2)
    monkeypatch.setattr(filecache, "JOURNAL_SHARE", 10_000)
    check_repository(office)
    folder = filecache._folder_for(office)
    sizes = []
    for name in ("Q0001", "Q0002", "Q0003"):
        _append(next(office.glob(f"issues/*/{name}.yaml")), "# 备注\n")
        check_repository(office)
        sizes.append(len(filecache.load_cache(office).journal))
    assert sizes == [1, 2, 0]  # the third change rewrote files.pickle, and the journal no longer applies
    assert (folder / filecache.JOURNAL).exists()
    parsed = _parsed_counts(monkeypatch)
    warm = check_repository(office)
    assert parsed == [[]]
    assert warm.report.problems == check_repository(office, use_cache=False).report.problems


def test_a_racy_journal_entry_is_parsed_again(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_repository(office)
    path = office / "issues/2021-09/Q0004.yaml"
    path.write_text(path.read_text("utf-8") + "# 备注\n", "utf-8")  # changed just now: racy when cached
    parsed = _parsed_counts(monkeypatch)
    check_repository(office)
    check_repository(office)
    assert parsed == [[str(path)], [str(path)]]
    assert filecache.load_cache(office).racy == {str(path)}


def test_cache_files_written_aside_are_waited_for_and_read_back(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filecache, "ASIDE_FROM", 0)  # every write in a forked child
    first = check_repository(office)
    assert len(filecache._ASIDE) == 1  # rules.pickle, perhaps still being written (files.pickle was waited for)
    parsed = _parsed_counts(monkeypatch)
    import reportgen.validate.incremental as incremental_module

    def no_full_run(gathered: object) -> None:
        raise AssertionError("the rules' state was written aside: it must be read back")

    monkeypatch.setattr(incremental_module, "check_all", no_full_run)
    again = check_repository(office)
    assert parsed == [[]]
    assert again.report.problems == first.report.problems
    filecache.wait_written()
    assert filecache._ASIDE == []


def test_files_pickle_by_columns_reads_back_every_entry(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filecache, "ENTRIES_PER_PICKLE", 4)  # several parts, the last one short
    check_repository(office)
    cached = filecache.load_cache(office).entries
    unreadable = ("10 1.0 1.0 7", None, [Problem(f"{office}/issues/bad.yaml", 1, 1, "E101", {})])
    seen = ("11 1.0 1.0 8", None, [Problem(f"{office}/issues/odd.yaml", 2, 3, "E102", {})])
    entries = [*cached.items(), (f"{office}/issues/bad.yaml", unreadable), (f"{office}/issues/odd.yaml", seen)]
    filecache._save_entries(office, entries)
    filecache.wait_written()
    loaded = filecache.load_cache(office).entries
    assert list(loaded.items()) == entries
    assert len({id(problems) for _, _, problems in loaded.values()}) == len(entries)  # a list of its own each
    assert all(file is entry[1].file for file, entry in loaded.items() if entry[1] is not None)  # pickled once


def test_split_gives_the_cached_entries_of_the_files_to_parse_and_of_those_gone(office: Path) -> None:
    check_repository(office)
    edited, deleted = office / "issues/2021-09/Q0004.yaml", office / "issues/2021-09/Q0005.yaml"
    sources, _ = discover(office)
    cache = filecache.load_cache(office)
    assert cache.files == [s.display for s in sources]  # kept in discovery's order: the columns serve as they are
    was = cache.entries
    _append(edited, "# 备注\n")
    split = cache.split(sources, filecache.stat_keys(office, sources, None))
    assert [sources[i].display for i in split.misses] == [str(edited)]
    assert split.cached == {str(edited): was[str(edited)]} and split.gone == set()
    deleted.unlink()
    sources, _ = discover(office)
    split = cache.split(sources, filecache.stat_keys(office, sources, None))
    assert [sources[i].display for i in split.misses] == [str(edited)]
    assert split.cached == {str(edited): was[str(edited)], str(deleted): was[str(deleted)]}
    assert split.gone == {str(deleted)}
    assert [r is None for r in split.results] == [s.display == str(edited) for s in sources]


def test_a_journal_replaces_drops_and_adds_entries_in_place(office: Path) -> None:
    check_repository(office)
    cache = filecache.load_cache(office)
    first, second = cache.files[:2]
    added = ("1 1.0 1.0 9", None, [Problem(f"{office}/issues/new.yaml", 1, 1, "E101", {})])
    replaced = ("2 1.0 1.0 8", None, [])
    expected = {**cache.entries, first: replaced, f"{office}/issues/new.yaml": added}
    del expected[second]
    cache.apply({first: replaced, second: None, f"{office}/issues/new.yaml": added, "absent.yaml": None})
    assert list(cache.entries.items()) == list(expected.items())


@pytest.mark.usefixtures("window")
def test_a_stray_folder_added_after_a_check_is_warned_of_as_a_cold_check_would(office: Path) -> None:
    assert check_report(office).valid
    stray = office / "isues/2021-09"
    stray.mkdir(parents=True)
    shutil.copy(office / "issues/2021-09/Q0003.yaml", stray / "Q0099.yaml")
    assert [(p.code, p.file) for p in check_report(office).warnings if p.code == "W608"] == [
        ("W608", f"{office}/isues")
    ]
    shutil.rmtree(office / "isues")
    assert not [p for p in check_report(office).warnings if p.code == "W608"]
