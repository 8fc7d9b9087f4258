"""The build state written in parts (``cache.save_state``) and what the build keeps of the last one."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import marshal
import os
import zlib
from array import array
from itertools import accumulate
from pathlib import Path

import pytest

from reportgen.codeversion import code_version
from reportgen.publish import cache, filestates, hashing
from reportgen.publish.cache import Changes, FileState
from reportgen.publish.filestates import MAGIC

BASE = len(MAGIC) + 8 + 4  # the base's marshal data starts after the magic line, its length and its CRC-32


def _framed(base: object) -> bytes:
    """A state file of the base ``base`` and no journal, as ``FileStates.dumped`` frames it (with its CRC)."""
    data = marshal.dumps(base)
    return MAGIC + len(data).to_bytes(8, "little") + zlib.crc32(data).to_bytes(4, "little") + data


def _packed(texts: list[str]) -> tuple[str, bytes]:
    """The stamps as the base holds them: one text, and where each ends (8 bytes, little-endian)."""
    return "".join(texts), b"".join(end.to_bytes(8, "little") for end in accumulate(map(len, texts)))


def _states(count: int) -> dict[str, FileState]:
    """``count`` files in no order, with a name that is not ASCII and files without dates."""
    states = {}
    for i in reversed(range(count)):
        earliest = None if i % 3 == 0 else f"2021-09-{1 + i % 28:02d}"
        shown = f"2021-08-{1 + i % 28:02d}" if i % 2 else None
        states[f"records/issues/Q{i:05d}-问题.yaml"] = FileState(
            f"{i} 1.5 2.5 {i}", f"{i:064x}", earliest, earliest, shown
        )
    return states


@pytest.mark.parametrize("count", [0, 1, 4, 9])
def test_the_state_is_a_column_per_value_and_loads_as_it_was_saved(tmp_path: Path, count: int) -> None:
    out, files = tmp_path / "output", _states(count)
    if count:  # a dangling link: no SHA-256
        files["records/issues/Q00000-问题.yaml"] = FileState("-1 0 0 0", "", None, None)
    head = cache.save_state(out, files, "options", dt.date(2021, 10, 5), "5f0e")
    assert head == {
        "version": cache.STATE_VERSION,
        "options": "options",
        "code": code_version(),
        "day": "2021-10-05",
        "horizon": "2021-12-31" if count > 1 else None,
        "generation": "5f0e",
    }
    saved = cache.state_file(out).read_bytes()
    assert saved.startswith(MAGIC)
    stamps, *columns = [[st[i] for st in files.values()] for i in range(5)]
    base = [{**head, filestates.DIGESTS: {}, filestates.LISTED: None}, list(files), _packed(stamps), *columns]
    assert marshal.loads(saved[BASE:]) == base
    assert saved[BASE - 4 : BASE] == zlib.crc32(saved[BASE:]).to_bytes(4, "little")
    loaded = cache.load_state(out)
    assert {k: v for k, v in loaded.items() if k != "files"} == head
    assert isinstance(loaded["files"], cache.FileStates)
    assert list(loaded["files"].items()) == list(files.items())  # the same states, in the same order
    some = set(list(files)[::2])
    assert loaded["files"].only(some) == {k: list(st) for k, st in files.items() if k in some}


COLUMNS = ("head", "keys", "stamps", "sha256", "earliest", "latest", "shown")


@pytest.mark.parametrize(
    ("column", "damage"),
    [
        ("keys", 1),
        ("keys", ["records/a.yaml"]),
        ("stamps", "a"),
        ("stamps", ["1 1.0 1.0 1", None]),
        ("sha256", None),
        ("earliest", ["2021-09-01", "2021-13-01"]),
        ("earliest", ["2021-09-01", ["2021-09-01"]]),
        ("latest", [None]),
        ("latest", [None, 1]),
        ("shown", None),
        ("head", {"version": 6}),
        ("head", {"horizon": "soon"}),
        ("head", {"generation": 7}),
        ("head", []),
    ],
)
def test_a_state_of_another_shape_is_no_state(tmp_path: Path, column: str, damage: object) -> None:
    out, files = tmp_path / "output", _states(2)
    cache.save_state(out, files, "options", dt.date(2021, 10, 5))
    saved = marshal.loads(cache.state_file(out).read_bytes()[BASE:])
    assert cache.load_state(out) != {}
    at = COLUMNS.index(column)
    saved[at] = {**saved[0], **damage} if column == "head" and isinstance(damage, dict) else damage
    cache.state_file(out).write_bytes(_framed(saved))
    assert cache.load_state(out) == {}


@pytest.mark.parametrize("data", [b"", MAGIC, MAGIC + b"\xff", MAGIC[:-1] + b"{", b'{"version": 7}', MAGIC + b"[" * 9])
def test_a_state_that_is_not_marshalled_by_the_build_is_no_state(tmp_path: Path, data: bytes) -> None:
    out = tmp_path / "output"
    cache.save_state(out, _states(2), "options")
    cache.state_file(out).write_bytes(data)
    assert cache.load_state(out) == {}


def test_the_build_keeps_of_the_last_state_only_the_files_that_changed(tmp_path: Path) -> None:
    out = tmp_path / "output"
    cache.save_state(out, {"records/a.yaml": FileState("1", "a", None), "records/b.yaml": FileState("2", "b", "")}, "o")
    state = cache.load_state(out)
    changes = Changes({}, changed={"records/b.yaml", "records/new.yaml"})
    cache.forget_unchanged(state, changes)
    assert state["files"] == {"records/b.yaml": ["2", "b", "", None, None]}
    empty: dict[str, object] = {}
    cache.forget_unchanged(empty, changes)  # no last state
    assert empty == {"files": {}}


def test_unchanged_files_share_one_text_per_date_read_from_the_state(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    (folder / "issues").mkdir(parents=True)
    for name in ("Q1", "Q2", "Q3"):
        (folder / "issues" / f"{name}.yaml").write_text(name, "utf-8")
    inputs = cache.list_inputs(folder, None, "options")
    stamps = {f"records/{rel}": stamp for rel, stamp in inputs.listings[0].stamps().items()}
    files = {key: FileState(stamp, "sha", "2021-09-01", "2021-09-30") for key, stamp in stamps.items()}
    cache.save_state(tmp_path / "out", files, "options")
    (folder / "issues" / "Q3.yaml").unlink()
    (folder / "issues" / "Q4.yaml").write_text("Q4", "utf-8")
    again = cache.list_inputs(folder, None, "options")
    changes = cache.detect_changes(again, cache.load_state(tmp_path / "out"))
    assert changes.changed == {"records/issues/Q3.yaml", "records/issues/Q4.yaml"}
    first, second, new = (changes.files[f"records/issues/{name}.yaml"] for name in ("Q1", "Q2", "Q4"))
    assert (first.earliest, first.latest) == ("2021-09-01", "2021-09-30")
    assert first.earliest is second.earliest and first.latest is second.latest
    assert list(changes.files)[-1] == "records/issues/Q4.yaml" and new.earliest is None
    assert set(changes.files) == {f"records/issues/{name}.yaml" for name in ("Q1", "Q2", "Q4")}


def test_the_change_detection_makes_a_cold_build_s_states_without_a_collection(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    (folder / "issues").mkdir(parents=True)
    for number in range(3000):
        (folder / "issues" / f"Q{number:04d}.yaml").write_text(f"id: Q{number:04d}\n", "utf-8")
    inputs = cache.list_inputs(folder, None, "options")
    started: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(count)
    try:
        changes = cache.detect_changes(inputs, {})
    finally:
        gc.callbacks.remove(count)
    assert len(changes.files) == len(changes.changed) == 3000
    assert started == []  # a collection would walk every state made so far (at 100,000 issues ~0.2 s of 1.1)


def test_a_state_saved_again_after_a_change_loads_as_the_states_it_was_saved_with(tmp_path: Path) -> None:
    out, files = tmp_path / "output", _states(9)
    cache.save_state(out, files, "options", dt.date(2021, 10, 5))
    loaded = cache.load_state(out)["files"]
    key, other = "records/issues/Q00004-问题.yaml", "records/issues/Q00005-问题.yaml"
    edits: list[dict[str, FileState]] = [
        {key: files[key]._replace(stamp="4 9.5 9.5 4", sha256="f" * 64)},  # a title edit: its dates stay
        {key: files[key]._replace(earliest="2021-09-01")},  # a date another file carries
        {other: files[other]._replace(shown="2022-01-31")},  # a date no file carried
        {"records/issues/Q00010-新.yaml": FileState("10 1.5 2.5 10", "e" * 64, "2021-10-01", "2021-10-01")},
    ]
    for edit in edits:
        files.update(edit)
        loaded.update(edit)
        cache.save_state(out, loaded, "options", dt.date(2021, 10, 5))
        assert list(cache.load_state(out)["files"].items()) == list(files.items())
        loaded = cache.load_state(out)["files"]


def test_a_state_edited_by_hand_is_no_state_by_its_crc(tmp_path: Path) -> None:
    out = tmp_path / "output"
    cache.save_state(out, _states(3), "options")
    data = cache.state_file(out).read_bytes()
    saved = marshal.loads(data[BASE:])
    saved[1] = [saved[1][0]] * 3  # a key twice, written with the CRC of the base as it was
    edited = marshal.dumps(saved)
    cache.state_file(out).write_bytes(MAGIC + len(edited).to_bytes(8, "little") + data[BASE - 4 : BASE] + edited)
    assert cache.load_state(out) == {}
    cache.state_file(out).write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit of the base flipped
    assert cache.load_state(out) == {}
    cache.state_file(out).write_bytes(data)
    assert cache.load_state(out) != {}


def test_the_stamps_loaded_are_cut_out_when_asked_for_and_listed_whole_for_a_pass(tmp_path: Path) -> None:
    out, files = tmp_path / "output", _states(5)
    cache.save_state(out, files, "options")
    loaded = cache.load_state(out)["files"]
    first, third = "records/issues/Q00004-问题.yaml", "records/issues/Q00002-问题.yaml"
    assert loaded[first] == files[first] and loaded[third] == files[third]
    loaded[third] = files[third]._replace(stamp="2 7.5 7.5 2")  # set, then read back before any pass
    assert loaded[third].stamp == "2 7.5 7.5 2"
    assert loaded.column("stamps") == [f"{i} 1.5 2.5 {i}" for i in (4, 3)] + [
        "2 7.5 7.5 2",
        "1 1.5 2.5 1",
        "0 1.5 2.5 0",
    ]
    with pytest.raises(IndexError):
        filestates._Packed(*_packed_read(["a", "bc"]))[2]


def _packed_read(texts: list[str]) -> tuple[str, array[int]]:
    """``_Packed``'s arguments for ``texts``."""
    joined, ends = _packed(texts)
    return joined, array("q", [int.from_bytes(ends[k : k + 8], "little") for k in range(0, len(ends), 8)])


def test_a_touched_file_keeps_its_state_and_a_file_of_no_folder_listed_is_gone(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    (folder / "issues").mkdir(parents=True)
    for name in ("Q1", "Q2"):
        (folder / "issues" / f"{name}.yaml").write_text(name, "utf-8")
    inputs = cache.list_inputs(folder, None, "options")
    files = {f"records/{rel}": FileState(stamp, "", "2021-09-01") for rel, stamp in inputs.listings[0].stamps().items()}
    files = {key: st._replace(sha256=hashing.digest(str(tmp_path / key))) for key, st in files.items()}
    files["templates/gone.html"] = FileState("1 1.0 1.0 1", "a" * 64, cache.EVERYTHING)
    cache.save_state(tmp_path / "out", files, "options")
    os.utime(folder / "issues" / "Q1.yaml", ns=(1, 1))  # touched: another stamp, the same bytes
    changes = cache.detect_changes(cache.list_inputs(folder, None, "options"), cache.load_state(tmp_path / "out"))
    assert changes.changed == {"templates/gone.html"}
    touched = changes.files["records/issues/Q1.yaml"]
    assert touched.stamp != files["records/issues/Q1.yaml"].stamp and touched.stamp.split(" ")[1] == "0.0000000010"
    assert touched._replace(stamp="") == files["records/issues/Q1.yaml"]._replace(stamp="")
    assert list(changes.files) == [key for key in files if key.startswith("records/")]  # in the saved order


@pytest.mark.parametrize("skip", ["records/issues/", "records/", "none/"])
def test_the_digests_by_column_are_those_file_by_file(skip: str) -> None:
    files = _states(9)
    files["templates/page.html"] = FileState("1 1.0 1.0 1", "a" * 64, cache.EVERYTHING)
    states = cache.FileStates.of(files)
    hasher = hashlib.blake2b(digest_size=16)
    for key, state in files.items():
        if not key.startswith(skip):
            hasher.update(f"{key}\0{state.sha256}\0".encode())
    assert states.shas_digest(skip) == hasher.hexdigest()
    assert states.shas((skip, "templates/")) == {
        key: st.sha256 for key, st in files.items() if key.startswith((skip, "templates/"))
    }
    files["templates/page.html"] = FileState("-1 0 0 0", "", None)  # a dangling link
    assert cache.FileStates.of(files).shas_digest(skip) is None


def test_a_digest_is_kept_with_the_files_until_a_file_it_covers_changes(tmp_path: Path) -> None:
    out, files = tmp_path / "output", _states(4)
    files["records/config.yaml"] = FileState("1 1.0 1.0 1", "c" * 64, cache.EVERYTHING)
    skip, issue = "records/issues/", "records/issues/Q00001-问题.yaml"
    states = cache.FileStates.of(files)
    worked_out = states.shas_digest(skip)
    assert states.digests == {skip: worked_out}
    cache.save_state(out, states, "options")
    loaded = cache.load_state(out)["files"]
    assert loaded.digests == {skip: worked_out}
    loaded[issue] = files[issue]._replace(sha256="e" * 64)  # an issue edited: the digest leaves it out
    loaded["records/config.yaml"] = files["records/config.yaml"]._replace(stamp="2 2.0 2.0 2")  # touched only
    cache.save_state(out, loaded, "options")  # appended to the state: the journal record carries the digests
    again = cache.load_state(out)["files"]
    assert again.digests == {skip: worked_out} and again._shas_digest(skip) == worked_out
    for edit in ("sha", "add", "extend", "drop"):
        states = cache.load_state(out)["files"]
        if edit == "sha":
            states["records/config.yaml"] = files["records/config.yaml"]._replace(sha256="d" * 64)
        elif edit == "add":
            states["records/new.yaml"] = FileState("1 1.0 1.0 1", "a" * 64, None)
        elif edit == "extend":
            states.extend(["templates/new.html"], [["1 1.0 1.0 1"], ["a" * 64], [None], [None], [None]])
        else:
            states.drop({"records/config.yaml"})
        assert states.digests == {}, edit
        assert states.shas_digest(skip) == cache.FileStates.of(dict(states.items()))._shas_digest(skip) != worked_out


def test_digests_of_another_code_version_or_misshapen_are_not_kept(tmp_path: Path) -> None:
    out, files = tmp_path / "output", _states(3)
    states = cache.FileStates.of(files)
    states.digests = {"records/issues/": "x"}
    head = {"version": cache.STATE_VERSION, "options": "options", "code": code_version(), "day": None, "horizon": None}
    cache.cache_folder(out).mkdir(parents=True)
    cache.state_file(out).write_bytes(b"".join(states.dumped(head)))
    assert cache.load_state(out)["files"].digests == {"records/issues/": "x"}
    cache.state_file(out).write_bytes(b"".join(states.dumped({**head, "code": "other"})))
    assert list(cache.load_state(out)["files"]) == list(files) and cache.load_state(out)["files"].digests == {}
    states.digests = {"records/issues/": 1}  # type: ignore[dict-item]
    found = filestates.loaded(b"".join(states.dumped(head)))
    assert found is not None and found[1].digests == {}


@pytest.mark.parametrize("date", [1, ["2021-09-01"], "2021-13-01", b"2021-09-01"])
def test_a_state_whose_dates_are_not_dates_is_not_loaded(date: object) -> None:
    states = cache.FileStates.of(_states(3))
    head = {"version": cache.STATE_VERSION, "options": "options", "code": code_version(), "day": None, "horizon": None}
    assert filestates.loaded(b"".join(states.dumped(head))) is not None
    states.column("latest")[1] = date  # edited by hand
    assert filestates.loaded(b"".join(states.dumped(head))) is None


def test_the_places_under_each_folder_and_the_keys_under_none() -> None:
    keys = ["records/a.yaml", "templates/t.html", "records/b.yaml", "gone/x", "admin/config.yml", "records/c.md"]
    states = cache.FileStates.of({key: FileState("1 1.0 1.0 1", "", None) for key in keys})
    assert states.under(["records/", "templates/", "admin/"]) == ([[0, 2, 5], [1], [4]], ["gone/x"])
    assert states.under([]) == ([], keys)


def _edited_and_saved(out: Path, edit: dict[str, FileState | None]) -> cache.FileStates:
    """Load the state of ``out``, set (or, for None, drop) the files ``edit``, save it again; the files saved."""
    files = cache.load_state(out)["files"]
    for key, state in edit.items():
        if state is None:
            del files[key]
        else:
            files[key] = state
    cache.save_state(out, files, "options", dt.date(2021, 10, 5))
    return files


def test_a_few_files_changed_are_appended_to_the_state_and_read_back_in_their_order(tmp_path: Path) -> None:
    out, files = tmp_path / "output", _states(9)
    cache.save_state(out, files, "options", dt.date(2021, 10, 5))
    before = cache.state_file(out).read_bytes()
    token = os.stat(cache.state_file(out)).st_ino
    key, new = "records/issues/Q00004-问题.yaml", "records/issues/Q00010-新.yaml"
    edits: list[dict[str, FileState | None]] = [
        {key: files[key]._replace(sha256="f" * 64)},
        {new: FileState("10 1.5 2.5 10", "e" * 64, "2021-10-01", "2021-10-01")},
        {key: None},  # gone
        {key: files[key]},  # back: after the others now
        {},  # nothing changed: the head alone
    ]
    expected = dict(files)
    for edit in edits:
        size = os.stat(cache.state_file(out)).st_size
        saved = _edited_and_saved(out, edit)
        for name, state in edit.items():
            if state is None:
                del expected[name]
            else:
                expected[name] = state  # in its place, or after the others when new
        assert list(saved.items()) == list(expected.items())
        assert list(cache.load_state(out)["files"].items()) == list(expected.items())
        assert os.stat(cache.state_file(out)).st_size > size  # appended: the stamp the statistics are tied to moved
    assert cache.state_file(out).read_bytes().startswith(before)  # the base as it was
    assert os.stat(cache.state_file(out)).st_ino == token


def test_the_base_is_written_again_when_the_journal_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, files = tmp_path / "output", _states(9)
    monkeypatch.setattr(filestates, "JOURNAL_RECORDS", 2)
    cache.save_state(out, files, "options", dt.date(2021, 10, 5))
    key = "records/issues/Q00004-问题.yaml"
    sizes = []
    for n in range(4):
        _edited_and_saved(out, {key: files[key]._replace(sha256=f"{n}" * 64)})
        sizes.append(os.stat(cache.state_file(out)).st_size)
    assert sizes[0] < sizes[1] > sizes[2] < sizes[3]  # two records, then a base alone, then a record
    assert cache.load_state(out)["files"][key].sha256 == "3" * 64


def test_a_state_replaced_since_it_was_read_is_written_whole(tmp_path: Path) -> None:
    out, files = tmp_path / "output", _states(9)
    cache.save_state(out, files, "options")
    loaded = cache.load_state(out)["files"]
    cache.save_state(out, _states(3), "options")  # another build's state in between
    key = "records/issues/Q00004-问题.yaml"
    loaded[key] = files[key]._replace(sha256="f" * 64)
    cache.save_state(out, loaded, "options")
    assert list(cache.load_state(out)["files"].items()) == list(loaded.items())


@pytest.mark.parametrize("damage", ["cut", "flipped", "garbage", "misshapen"])
def test_a_damaged_journal_is_no_state(tmp_path: Path, damage: str) -> None:
    out, files = tmp_path / "output", _states(9)
    cache.save_state(out, files, "options")
    size = os.stat(cache.state_file(out)).st_size
    key = "records/issues/Q00004-问题.yaml"
    _edited_and_saved(out, {key: files[key]._replace(sha256="f" * 64)})
    data = cache.state_file(out).read_bytes()
    if damage == "cut":
        data = data[:-1]
    elif damage == "flipped":
        data = data[:-5] + bytes([data[-5] ^ 1]) + data[-4:]
    elif damage == "garbage":
        data += b"\x00" * 30
    else:  # a record whose digest fits but is not a journal record
        body = marshal.dumps([{}, [1], [], [], [], [], [], []])
        data = data[:size] + len(body).to_bytes(8, "little") + hashlib.blake2b(body, digest_size=16).digest() + body
    cache.state_file(out).write_bytes(data)
    assert cache.load_state(out) == {}


def _built(folder: Path, out: Path) -> cache.Changes:
    """The changes a build of ``folder`` finds against the state of ``out``, saved as the build saves it."""
    state = cache.load_state(out)
    changes = cache.detect_changes(cache.list_inputs(folder, None, "options"), state)
    cache.save_state(out, changes.files, "options")
    return changes


def test_the_listings_saved_with_the_state_find_the_changes_a_full_compare_finds(tmp_path: Path) -> None:
    folder, out = tmp_path / "records", tmp_path / "out"
    (folder / "issues").mkdir(parents=True)
    for name in ("Q1", "Q2", "Q3", "Q4"):
        (folder / "issues" / f"{name}.yaml").write_text(name, "utf-8")
    assert _built(folder, out).changed == {f"records/issues/Q{i}.yaml" for i in range(1, 5)}
    assert set(cache.load_state(out)["files"].listed or {}) == {"records", "admin"}
    (folder / "issues" / "Q1.yaml").write_text("Q1 改", "utf-8")
    os.utime(folder / "issues" / "Q2.yaml", ns=(1, 1))  # touched: another stamp, the same bytes
    (folder / "issues" / "Q3.yaml").unlink()
    (folder / "issues" / "Q5.yaml").write_text("Q5", "utf-8")
    inputs = cache.list_inputs(folder, None, "options")
    by_lines = cache.load_state(out)
    changes = cache.detect_changes(inputs, by_lines)
    whole = cache.load_state(out)
    whole["files"].listed = None  # compared file by file
    expected = cache.detect_changes(inputs, whole)
    assert changes.changed == expected.changed == {f"records/issues/Q{i}.yaml" for i in (1, 3, 5)}
    assert list(changes.files.items()) == list(expected.files.items())
    assert by_lines["files"] == whole["files"]  # the saved states of the files that moved or went
    assert set(by_lines["files"]) == {f"records/issues/Q{i}.yaml" for i in (1, 2, 3)}


def test_each_build_appends_only_the_lines_of_its_listings_that_changed(tmp_path: Path) -> None:
    folder, out = tmp_path / "records", tmp_path / "out"
    (folder / "issues").mkdir(parents=True)
    for i in range(300):
        (folder / "issues" / f"Q{i:03d}.yaml").write_text(f"Q{i}", "utf-8")
    (cache.cache_folder(out)).mkdir(parents=True)
    (cache.cache_folder(out) / cache.OLD_LISTING_FILE).write_bytes(b"v9")  # beside an older state: removed
    _built(folder, out)
    assert not (cache.cache_folder(out) / cache.OLD_LISTING_FILE).exists()
    edits = [("Q150", "Q150 改"), ("Q007", "Q7 改了"), ("Q299", "Q299 再改"), ("Q150", "Q150")]
    for name, text in edits:
        before = cache.state_file(out).stat().st_size
        (folder / "issues" / f"{name}.yaml").write_text(text, "utf-8")
        assert _built(folder, out).changed == {f"records/issues/{name}.yaml"}
        listings = cache.list_inputs(folder, None, "options")
        loaded = cache.load_state(out)["files"]
        assert loaded.listed == {prefix: listing.data for prefix, _, listing in listings.folders}
        assert cache.state_file(out).stat().st_size - before < 1000  # one line of each listing, not 300
    (folder / "issues" / "Q000.yaml").unlink()  # a file gone: its line goes from the listing kept too
    assert _built(folder, out).changed == {"records/issues/Q000.yaml"}
    assert cache.detect_changes(cache.list_inputs(folder, None, "options"), cache.load_state(out)).none


def test_the_listings_of_a_line_changed_are_spliced_back_as_they_were() -> None:
    old = b"".join(b"f 1 2.0 3.0 %d ./issues/Q%03d.yaml\0" % (i, i) for i in range(3000))
    cases = [
        old.replace(b" 1500 ./", b" 99999 ./"),  # a line longer
        old.replace(b" 7 ./", b" 8 ./").replace(b" 2990 ./", b" 1 ./"),  # two lines, far apart
        old + b"f 1 2.0 3.0 4 ./issues/new.yaml\0",  # a line added at the end
        old[old.index(b"f 1 2.0 3.0 1 ./") :],  # the first line gone
        b"",
    ]
    for new in cases:
        splice = filestates._splice(old, new)
        assert b"".join(filestates._applied([memoryview(old)], splice) or ()) == new
    line = b"f 1 2.0 3.0 1500 ./issues/Q1500.yaml\0"
    assert filestates._splice(old, cases[0]) == (old.index(line), len(line), line.replace(b" 1500 ", b" 99999 "))
    assert filestates._applied([memoryview(old)], (len(old), 1, b"")) is None  # beyond the listing: misshapen


def test_the_states_forget_their_listings_when_a_stamp_moves_otherwise() -> None:
    states = cache.FileStates.of(_states(3))
    key = "records/issues/Q00001-问题.yaml"
    states.listed = {"records": b""}
    states[key] = states[key]._replace(earliest="2021-09-02")  # a date: the same stamp
    assert states.redated([(None, None, None)] * 3).listed == states.listed == {"records": b""}
    states[key] = states[key]._replace(stamp="9 9.0 9.0 9")
    assert states.listed is None
    for edit in ("add", "extend", "drop"):
        states.listed = {"records": b""}
        if edit == "add":
            states["records/new.yaml"] = FileState("1 1.0 1.0 1", "", None)
        elif edit == "extend":
            states.extend(["records/other.yaml"], [["1 1.0 1.0 1"], [""], [None], [None], [None]])
        else:
            states.drop({key})
        assert states.listed is None, edit


def test_a_few_keys_are_found_by_a_scan_then_by_their_places() -> None:
    files = _states(40)
    states = cache.FileStates.of(files)
    for key in list(files)[: filestates.SCANS]:
        assert states[key] == files[key] and key in states
    assert "records/none.yaml" not in states
    assert states._place is not None  # the scans used up: every key's place made
    assert list(states.items()) == list(files.items())


def test_new_files_read_by_the_check_are_added_with_its_digests_and_the_rest_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "records"
    (folder / "issues").mkdir(parents=True)
    for name in ("Q1", "Q2", "Q3"):
        (folder / "issues" / f"{name}.yaml").write_text(name, "utf-8")
    inputs = cache.list_inputs(folder, None, "options")
    expected = cache.detect_changes(inputs, {})
    hashed: list[str] = []
    real = cache._hashed
    monkeypatch.setattr(cache, "_hashed", lambda inputs, keys: hashed.extend(keys) or real(inputs, keys))
    changes = cache.detect_changes(inputs, {}, read_later=True)
    assert (len(changes.files), hashed) == (0, [])
    assert changes.changed == set(changes.new) == {f"records/issues/Q{i}.yaml" for i in (1, 2, 3)}
    read = {f"{folder}/issues/{name}.yaml": hashlib.sha256(name.encode()).hexdigest() for name in ("Q1", "Q3")}
    cache.add_new(changes, inputs, cache.records_read(folder, read))
    assert hashed == ["records/issues/Q2.yaml"]  # the one the check did not read
    assert list(changes.files.items()) == list(expected.files.items())
    assert changes.files.listed == expected.files.listed and changes.new == {}


@pytest.mark.parametrize("folder", [".", "records", "/office/records", "records/"])
def test_the_files_the_check_read_are_keyed_as_the_build_lists_them(folder: str) -> None:
    path = os.fspath(Path(folder) / "issues" / "2021-09" / "Q0001.yaml")  # as the check's discovery names it
    assert cache.records_read(Path(folder), {path: "ab"}) == {"records/issues/2021-09/Q0001.yaml": "ab"}
