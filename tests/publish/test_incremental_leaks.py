"""The leak search reads only the files a build writes otherwise than the last one (``publish/leakmemo``)."""

from __future__ import annotations

import io
import json
import weakref
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reportgen.privacy import PrivateSearch
from reportgen.publish import leakrows, leakscan
from reportgen.publish.build import BuildResult
from reportgen.publish.leakmemo import MEMO_FILE, MORE_FILE, LeakMemo
from reportgen.publish.leakscan import LeakScan, find_leaks
from reportgen.validate import check_repository
from tests.conftest import write_minimal_repository
from tests.publish.test_build import make_office, run, tree

CONTACT = {"name": "雷雨声", "phone": "13800000001"}


@pytest.fixture(autouse=True)
def _own_check_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))


def _leaky_office(tmp_path: Path) -> Path:
    """The scenario office with a contact whose private name a visit's summary repeats (W802 when built)."""
    records = make_office(tmp_path)
    enterprise = records / "enterprises/E001.yaml"
    enterprise.write_text(
        enterprise.read_text("utf-8") + f"contact:\n  name: {CONTACT['name']}\n  phone: '{CONTACT['phone']}'\n", "utf-8"
    )
    visit = records / "visits/2021-08/V0001.yaml"
    visit.write_text(visit.read_text("utf-8").replace("了解情况。", f"与{CONTACT['name']}了解情况。"), "utf-8")
    return records


def _retitle(records: Path) -> None:
    path = records / "issues/2021-09/Q0004.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("\ntitle: ", "\ntitle: 核实后：", 1), "utf-8")


def _problems(result: BuildResult) -> list[dict[str, Any]]:
    return [problem.as_dict("en") for problem in result.report.problems]


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output paths the leak search reads from now on."""
    read: list[str] = []
    original = leakscan._document_parts

    def counted(path: str, data: bytes, search: PrivateSearch, *args: Any) -> Iterator[leakscan._Part]:
        read.append(path)
        return original(path, data, search, *args)

    monkeypatch.setattr(leakscan, "_document_parts", counted)
    return read


def test_only_files_written_otherwise_are_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = _leaky_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    before = tree(out)
    _retitle(records)
    read = _reads(monkeypatch)
    assert run(records, out).ok
    after = tree(out)
    rewritten = sorted(path for path, sha in after.items() if before.get(path) != sha)
    assert 0 < len(rewritten) < len(after) // 2
    assert sorted(read) == rewritten


def test_a_leak_in_a_file_not_read_again_is_still_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, out = _leaky_office(tmp_path), tmp_path / "output"
    first = run(records, out)
    assert first.ok
    warned = [p for p in _problems(first) if p["code"] == "W802"]
    assert len(warned) == 1 and warned[0]["file"].endswith("enterprises/E001.yaml")
    _retitle(records)
    again = run(records, out)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    cold = run(records, tmp_path / "cold-output")
    assert again.ok and cold.ok
    assert _problems(again) == _problems(cold)
    assert [p for p in _problems(again) if p["code"] == "W802"] == warned


def test_a_memo_serves_only_the_terms_it_was_written_for(tmp_path: Path) -> None:
    memo = LeakMemo(tmp_path, "terms-a")
    sha, found = memo.found(b"<p>text</p>")
    assert found is None
    memo.remember(sha, [("", ["n雷雨声"])])
    memo.save()
    assert LeakMemo(tmp_path, "terms-a").found(b"<p>text</p>") == (sha, [("", ["n雷雨声"])])
    assert LeakMemo(tmp_path, "terms-b").found(b"<p>text</p>") == (sha, None)
    assert LeakMemo(tmp_path, "terms-a").found(b"<p>other</p>")[1] is None


@pytest.mark.parametrize(
    "saved",
    [
        "not json",
        "[]",
        '{"format": 3, "terms": "terms-a", "nothing": [], "files": {"x": [["", [1]]]}, "parts": {}}',
        '{"format": 3, "terms": "terms-a", "nothing": [], "files": {}, "parts": []}',
        '{"format": 3, "terms": "terms-a", "nothing": {}, "files": {}, "parts": {}}',
        '{"format": 3, "terms": "terms-a", "nothing": [1], "files": {}, "parts": {}}',
    ],
)
def test_a_damaged_memo_is_empty(tmp_path: Path, saved: str) -> None:
    (tmp_path / MEMO_FILE).write_text(saved, "utf-8")
    memo = LeakMemo(tmp_path, "terms-a")
    assert memo.found(b"x")[1] is None
    memo.save()  # replaced by what this build searched: nothing
    assert json.loads((tmp_path / MEMO_FILE).read_text("utf-8")) == {
        "files": {},
        "format": 3,
        "nothing": [],
        "parts": {},
        "terms": "terms-a",
    }


def test_files_in_which_nothing_was_found_are_saved_as_one_list_of_digests(tmp_path: Path) -> None:
    memo = LeakMemo(tmp_path, "terms-a")
    memo.remember("b-clean", [("", [])])
    memo.remember("a-clean", [("", [])])
    memo.remember("leaky", [("", ["n雷雨声"]), ("!x.xml", [])])
    memo.remember("no-text", [])
    memo.remember("clean-in-parts", [("", []), ("", [])])
    memo.save()
    saved = json.loads((tmp_path / MEMO_FILE).read_text("utf-8"))
    assert saved["nothing"] == ["a-clean", "b-clean"]
    assert saved["files"] == {
        "clean-in-parts": [["", []], ["", []]],
        "leaky": [["", ["n雷雨声"]], ["!x.xml", []]],
        "no-text": [],
    }
    again = LeakMemo(tmp_path, "terms-a")
    assert [again.known(sha) for sha in ("a-clean", "b-clean", "leaky", "no-text", "clean-in-parts")] == [
        [("", [])],
        [("", [])],
        [("", ["n雷雨声"]), ("!x.xml", [])],
        [],
        [("", []), ("", [])],
    ]


def test_a_file_kept_unread_keeps_its_parts_for_its_next_change(tmp_path: Path) -> None:
    memo = LeakMemo(tmp_path, "terms-a")
    memo.remember("part-1", [("", ["n雷雨声"])])
    memo.remember("part-2", [])
    memo.remember("page", [("", ["n雷雨声"]), ("", [])], ["part-1", "part-2"])
    memo.save()
    kept = LeakMemo(tmp_path, "terms-a")
    assert kept.known("page") == [("", ["n雷雨声"]), ("", [])]  # the page written again alike, not read
    kept.save()
    changed = LeakMemo(tmp_path, "terms-a")  # the page changed in its second part: the first is known
    assert changed.known("part-1") == [("", ["n雷雨声"])]
    assert changed.learned() == ({"part-1": [("", ["n雷雨声"])]}, {})
    assert json.loads((tmp_path / MEMO_FILE).read_text("utf-8"))["parts"] == {"page": ["part-1", "part-2"]}


def _worksheet(rows: list[str]) -> bytes:
    """An XLSX-like zip whose one worksheet holds a row of each text."""
    cells = "".join(f'<row r="{n}"><c t="inlineStr"><is><t>{text}</t></is></c></row>' for n, text in enumerate(rows))
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{cells}</sheetData></worksheet>")
    return data.getvalue()


def _texts_read(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Each text the leak search reads from now on, as (name, length)."""
    read: list[tuple[str, int]] = []
    original = leakscan._readable

    def counted(name: str, text: str) -> str:
        read.append((name, len(text)))
        return original(name, text)

    monkeypatch.setattr(leakscan, "_readable", counted)
    return read


def test_a_big_worksheet_with_one_row_changed_is_read_again_in_that_row_s_part_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = check_repository(write_minimal_repository(tmp_path / "records")).records  # contact 雷雨, 138 0000 0001
    rows = [f"第{n}行，共{n % 97}件" for n in range(120_000)]
    rows[70_000] = "联系电话 138 0000 0001"
    before = _worksheet(rows)
    scan = LeakScan(records, memo_folder=tmp_path / "memo")
    scan.add("ledger.xlsx", before)
    assert [(leak.value.path, leak.outputs) for leak in scan.leaks()] == [
        ("contact.phone", ("ledger.xlsx!xl/worksheets/sheet1.xml",))
    ]
    parts = len(list(leakscan._rows_apart(zipfile.ZipFile(io.BytesIO(before)).read("xl/worksheets/sheet1.xml"))))
    assert parts > 3
    rows[20_000] = "雷雨来电"  # a private name, in another part
    after = _worksheet(rows)
    read = _texts_read(monkeypatch)
    again = LeakScan(records, memo_folder=tmp_path / "memo")
    again.add("ledger.xlsx", after)
    found = [(leak.value.path, leak.outputs) for leak in again.leaks()]
    assert [name for name, _ in read] == ["xl/worksheets/sheet1.xml"]  # one part of the worksheet read, the rest known
    assert found == [(leak.value.path, leak.outputs) for leak in find_leaks(records, {"ledger.xlsx": after})]
    assert found == [
        ("contact.name", ("ledger.xlsx!xl/worksheets/sheet1.xml",)),
        ("contact.phone", ("ledger.xlsx!xl/worksheets/sheet1.xml",)),
    ]


def test_a_big_csv_with_one_line_changed_is_read_again_in_that_line_s_part_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = check_repository(write_minimal_repository(tmp_path / "records")).records  # contact 雷雨, 138 0000 0001
    lines = [f"Q{n:06},第{n}行,共{n % 97}件" for n in range(200_000)]
    lines[150_000] = "Q150000,联系电话 138 0000 0001,1件"
    before = "\r\n".join(lines).encode("utf-8")
    assert len(before) > leakscan._LINES_FROM
    scan = LeakScan(records, memo_folder=tmp_path / "memo")
    scan.add("ledger.csv", before)
    assert [(leak.value.path, leak.outputs) for leak in scan.leaks()] == [("contact.phone", ("ledger.csv",))]
    lines[20_000] = "Q020000,雷雨来电,1件"  # a private name, in another part
    after = "\r\n".join(lines).encode("utf-8")
    read = _texts_read(monkeypatch)
    again = LeakScan(records, memo_folder=tmp_path / "memo")
    again.add("ledger.csv", after)
    found = [(leak.value.path, leak.outputs) for leak in again.leaks()]
    assert len(read) == 1 and read[0][1] < len(after) // 3  # one part read, the rest known
    assert found == [("contact.name", ("ledger.csv",)), ("contact.phone", ("ledger.csv",))]
    assert found == [(leak.value.path, leak.outputs) for leak in find_leaks(records, {"ledger.csv": after})]


def _page(lines: list[str]) -> bytes:
    """A page of a table with a row a line, as the ledger's month pages are written."""
    return ("<table>\n" + "\n".join(lines) + "\n</table>\n").encode("utf-8")


def test_a_big_page_with_one_line_changed_is_read_again_in_that_line_s_part_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = check_repository(write_minimal_repository(tmp_path / "records")).records  # contact 雷雨, 138 0000 0001
    lines = [f"<tr><td>Q{n:06}</td><td>第{n}行，共{n % 97}件</td></tr>" for n in range(20_000)]
    before = _page(lines)
    assert len(before) > 4 * leakscan._PAGE_PARTS_FROM
    scan = LeakScan(records, memo_folder=tmp_path / "memo")
    scan.add("ledger/2021-09.html", before)
    assert scan.leaks() == []
    lines[15_000] = "<tr><td>Q015000</td><td>联系电话 138 0000 0001</td></tr>"  # a private phone in the edited line
    after = _page(lines)
    monkeypatch.setattr(leakrows, "_ROWS", weakref.WeakKeyDictionary())  # no line read yet, as in a new process
    read: list[int] = []
    original = leakscan._markup_read

    def counted(search: PrivateSearch, texts: list[str]) -> tuple[list[str], list[str]]:
        read.extend(map(len, texts))
        return original(search, texts)

    monkeypatch.setattr(leakscan, "_markup_read", counted)
    again = LeakScan(records, memo_folder=tmp_path / "memo")
    again.add("ledger/2021-09.html", after)
    found = [(leak.value.path, leak.outputs) for leak in again.leaks()]
    assert found == [("contact.phone", ("ledger/2021-09.html",))]
    assert 0 < sum(read) <= 5 * leakscan._PAGE_PART  # the edited line's part, not the page (~1 MB)
    monkeypatch.setattr(leakrows, "_ROWS", weakref.WeakKeyDictionary())
    assert found == [(leak.value.path, leak.outputs) for leak in find_leaks(records, {"ledger/2021-09.html": after})]


def test_a_leak_planted_in_a_changed_row_of_a_spliced_page_is_found_reading_that_row_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = check_repository(write_minimal_repository(tmp_path / "records")).records  # contact 雷雨, 138 0000 0001
    lines = [f"<tr><td>Q{n:06}</td><td>第{n}行，共{n % 97}件</td></tr>" for n in range(20_000)]
    small = [f"<li>第{n}项</li>" for n in range(100)]  # a page not searched in parts (an issue list's)
    out = tmp_path / "out"
    (out / "ledger").mkdir(parents=True)
    (out / "ledger/2021-09.html").write_bytes(_page(lines))  # the last build's output, as it stays until swapped
    (out / "list.html").write_bytes(_page(small))
    scan = LeakScan(records, memo_folder=tmp_path / "memo")
    scan.add("ledger/2021-09.html", _page(lines))
    scan.add("list.html", _page(small))
    assert scan.leaks() == []
    lines[15_000] = (
        "<tr><td>Q015000</td><td>联系电话 138 0000 0001（办公室）</td></tr>"  # the spliced page's changed row
    )
    small[40] = "<li>雷雨来电</li>"
    monkeypatch.setattr(leakrows, "_ROWS", weakref.WeakKeyDictionary())  # no line read yet, as in a new process
    read: list[str] = []
    original = leakscan._markup_read

    def counted(search: PrivateSearch, texts: list[str]) -> tuple[list[str], list[str]]:
        read.extend(texts)
        return original(search, texts)

    monkeypatch.setattr(leakscan, "_markup_read", counted)
    again = LeakScan(records, memo_folder=tmp_path / "memo", previous=out)
    again.add("ledger/2021-09.html", _page(lines))
    again.add("list.html", _page(small))
    found = [(leak.value.path, leak.outputs) for leak in again.leaks()]
    assert found == [("contact.name", ("list.html",)), ("contact.phone", ("ledger/2021-09.html",))]
    # each changed row, then alone for what it holds: none of the rows the last build's page held alike
    assert read == [lines[15_000] + "\n"] * 2 + [small[40] + "\n"] * 2
    monkeypatch.setattr(leakrows, "_ROWS", weakref.WeakKeyDictionary())
    whole = find_leaks(records, {"ledger/2021-09.html": _page(lines), "list.html": _page(small)})
    assert found == [(leak.value.path, leak.outputs) for leak in whole]


def test_a_big_file_changed_in_one_line_is_searched_in_the_build_s_own_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = check_repository(write_minimal_repository(tmp_path / "records")).records
    monkeypatch.setattr(leakscan, "WORKER_FROM", 0)
    monkeypatch.setattr(leakscan, "IN_PROCESS_BYTES", 2 << 20)
    lines = [f"Q{n:06},第{n}行,共{n % 97}件" for n in range(200_000)]
    scan = LeakScan(records, memo_folder=tmp_path / "memo")  # no folder: no worker for the first build
    scan.add("ledger.csv", "\r\n".join(lines).encode("utf-8"))
    assert scan.leaks() == []
    lines[20_000] = "Q020000,雷雨来电,1件"
    after = "\r\n".join(lines).encode("utf-8")
    assert len(after) > 2 * leakscan.IN_PROCESS_BYTES
    again = LeakScan(records, memo_folder=tmp_path / "memo", folder=tmp_path)
    again.add("ledger.csv", after)
    assert not again.in_workers  # what it reads (one part) is under the limit, though the file is not
    assert [(leak.value.path, leak.outputs) for leak in again.leaks()] == [("contact.name", ("ledger.csv",))]


def test_a_file_kept_unread_keeps_its_pieces_and_their_parts_when_handed_on(tmp_path: Path) -> None:
    memo = LeakMemo(tmp_path, "terms-a")
    memo.remember("part-1", [("", ["n雷雨声"])])
    memo.remember("part-2", [])
    memo.remember("piece", [("", ["n雷雨声"])], ["part-1", "part-2"])
    memo.remember("book", [("!sheet.xml", ["n雷雨声"])], ["piece"])
    memo.save()
    kept = LeakMemo(tmp_path, "terms-a")
    assert kept.known("book") == [("!sheet.xml", ["n雷雨声"])]  # a lookup: its pieces are carried when handed on
    assert kept.learned() == (
        {
            "book": [("!sheet.xml", ["n雷雨声"])],
            "piece": [("", ["n雷雨声"])],
            "part-1": [("", ["n雷雨声"])],
            "part-2": [],
        },
        {"book": ["piece"], "piece": ["part-1", "part-2"]},
    )
    kept.save()
    again = LeakMemo(tmp_path, "terms-a")
    assert [again.known(sha) for sha in ("part-1", "part-2", "piece")] == [[("", ["n雷雨声"])], [], [("", ["n雷雨声"])]]


def test_a_page_stands_for_its_runs_only_when_nothing_was_found_in_any_part_of_it(tmp_path: Path) -> None:
    memo = LeakMemo(tmp_path, "terms-a")
    memo.remember("page", [("", []), ("", [])], ["part-1", "part-2"])
    memo.remember("part-1", [("", [])])
    memo.remember("part-2", [])  # not UTF-8: no text, nothing searched in it
    memo.remember("other", [("", []), ("", [])], ["part-1", "part-3"])
    memo.remember("part-3", [("", [])])
    memo.remember("leaky", [("", ["n雷雨声"])])
    memo.remember("whole", [("", [])])
    memo.save()
    again = LeakMemo(tmp_path, "terms-a")
    found = {sha: again.found_nothing(sha) for sha in ("page", "other", "leaky", "whole", "unknown")}
    assert found == {"page": False, "other": True, "leaky": False, "whole": True, "unknown": False}
    assert (again.in_parts("other"), again.in_parts("whole")) == (True, False)


def _saved_memo(folder: Path, files: list[str]) -> None:
    """A memo saved in ``folder`` by a build that searched ``files`` and found nothing in them."""
    memo = LeakMemo(folder, "terms-a")
    for sha in files:
        memo.remember(sha, [("", [])])
    memo.save()


def test_what_a_build_searched_is_kept_beside_the_memo_until_a_quarter_of_it(tmp_path: Path) -> None:
    _saved_memo(tmp_path, [f"file-{n}" for n in range(8)])
    whole = (tmp_path / MEMO_FILE).read_bytes()
    second = LeakMemo(tmp_path, "terms-a")
    assert second.known("file-0") == [("", [])]
    second.remember("new-1", [("", ["n雷雨声"])])
    second.save()
    assert (tmp_path / MEMO_FILE).read_bytes() == whole  # not written again
    assert json.loads((tmp_path / MORE_FILE).read_text("utf-8"))["files"] == {"new-1": [["", ["n雷雨声"]]]}
    third = LeakMemo(tmp_path, "terms-a")
    assert [third.known(sha) for sha in ("file-7", "new-1")] == [[("", [])], [("", ["n雷雨声"])]]
    third.remember("new-2", [("", [])])
    third.save()  # two beside eight: a quarter at most
    assert json.loads((tmp_path / MORE_FILE).read_text("utf-8"))["nothing"] == ["new-2"]
    assert json.loads((tmp_path / MORE_FILE).read_text("utf-8"))["files"] == {"new-1": [["", ["n雷雨声"]]]}
    fourth = LeakMemo(tmp_path, "terms-a")
    assert fourth.known("file-1") == [("", [])]
    fourth.remember("new-3", [("", [])])
    fourth.save()  # three beside eight: the memo is written whole, of what this build searched or took only
    assert not (tmp_path / MORE_FILE).exists()
    saved = json.loads((tmp_path / MEMO_FILE).read_text("utf-8"))
    assert (saved["nothing"], saved["files"]) == (["file-1", "new-3"], {})


def test_what_is_beside_another_memo_is_not_read(tmp_path: Path) -> None:
    _saved_memo(tmp_path, [f"file-{n}" for n in range(8)])
    second = LeakMemo(tmp_path, "terms-a")
    second.remember("new-1", [("", ["n雷雨声"])])
    second.save()
    _saved_memo(tmp_path / "other", [f"other-{n}" for n in range(8)])  # another memo put in its place
    (tmp_path / "other" / MEMO_FILE).replace(tmp_path / MEMO_FILE)
    assert (tmp_path / MORE_FILE).exists()
    again = LeakMemo(tmp_path, "terms-a")
    assert (again.known("other-0"), again.known("new-1")) == ([("", [])], None)


def test_a_file_s_parts_count_in_what_is_kept_beside_the_memo(tmp_path: Path) -> None:
    _saved_memo(tmp_path, [f"file-{n}" for n in range(12)])
    second = LeakMemo(tmp_path, "terms-a")
    second.remember("csv", [("", []), ("", [])], ["part-1", "part-2"])  # 1 outcome and 2 parts: 3 of 12
    second.save()
    assert json.loads((tmp_path / MORE_FILE).read_text("utf-8"))["parts"] == {"csv": ["part-1", "part-2"]}
    third = LeakMemo(tmp_path, "terms-a")
    third.remember("csv-2", [("", []), ("", [])], ["part-1", "part-3"])  # its last version not written again
    third.save()
    assert json.loads((tmp_path / MORE_FILE).read_text("utf-8"))["parts"] == {"csv-2": ["part-1", "part-3"]}
    fourth = LeakMemo(tmp_path, "terms-a")
    assert (fourth.known("csv"), fourth.known("csv-2")) == (None, [("", []), ("", [])])
    fourth.remember("csv-3", [("", []), ("", [])], ["part-1", "part-4"])  # with csv-2 kept: 6 of 15, over a quarter
    fourth.save()
    assert not (tmp_path / MORE_FILE).exists()
    saved = json.loads((tmp_path / MEMO_FILE).read_text("utf-8"))["parts"]
    assert saved == {"csv-2": ["part-1", "part-3"], "csv-3": ["part-1", "part-4"]}


def test_a_leak_planted_by_an_edit_is_reported_as_a_cold_build_does_the_pages_compared_with_the_last_build_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = _leaky_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    path = records / "issues/2021-09/Q0004.yaml"
    path.write_text(path.read_text("utf-8").replace("\ntitle: ", f"\ntitle: 回电{CONTACT['phone']}：", 1), "utf-8")
    since: list[int] = []
    original = leakrows.Rows.keys_since

    def counted(self: leakrows.Rows, data: bytes, *args: Any, **kw: Any) -> list[str] | None:
        since.append(len(data))
        return original(self, data, *args, **kw)

    monkeypatch.setattr(leakrows.Rows, "keys_since", counted)
    again = run(records, out)
    assert since  # the changed pages were compared with the last build's
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    cold = run(records, tmp_path / "cold-output")
    assert not again.ok and not cold.ok
    assert _problems(again) == _problems(cold)
    assert [p["code"] for p in _problems(again) if p["code"].startswith("E8")] == ["E801"]
