"""The dates the build state keeps for a record: its earliest and latest, at any depth (``cache._date_span``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reportgen import filewalk
from reportgen.model import Record, Records
from reportgen.publish.cache import EVERYTHING, Changes, FileState, _date_span, input_key, with_earliest
from reportgen.render import bulletins
from reportgen.validate import check_repository
from tests.publish.test_build import make_office, run, tree


def _record(kind: str, data: dict[str, object]) -> Record:
    return Record(kind, "Q0001", f"{kind}s/Q0001.yaml", data)


def test_the_earliest_and_latest_date_at_any_depth() -> None:
    data = {
        "raised": dt.date(2021, 9, 3),
        "title": "2020-01-01",  # text that looks like a date is not one
        "events": [{"date": dt.date(2021, 10, 1), "notes": [dt.date(2021, 8, 30)]}, {"date": dt.date(2021, 9, 3)}],
        "response": {"deadline": dt.date(2022, 1, 15)},
    }
    assert _date_span(_record("issue", data)) == ("2021-08-30", "2022-01-15")


def test_dates_inside_subclasses_of_dicts_and_lists_count_too() -> None:
    class Listed(list[object]):
        pass

    class Mapped(dict[str, object]):
        pass

    data = {
        "raised": dt.date(2021, 9, 3),
        "events": Listed([Mapped({"date": dt.date(2021, 8, 30)}), 7, True, None]),
        "response": Mapped({"deadline": Listed([dt.date(2022, 1, 15)])}),
    }
    assert _date_span(_record("issue", data)) == ("2021-08-30", "2022-01-15")


def test_a_record_without_dates_counts_for_everything() -> None:
    assert _date_span(_record("issue", {"title": "x", "events": [], "tags": [[], {}]})) == (EVERYTHING, None)


def test_an_edit_that_moves_a_record_earlier_in_its_own_file_rebuilds_from_the_new_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Raised a month earlier, the file left where it is: August's figures change, and are not read back."""
    monkeypatch.setattr(filewalk, "RACY_NS", 0)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))
    records, out = make_office(tmp_path), tmp_path / "output"
    day = dt.date(2021, 12, 31)
    assert run(records, out, as_of=day).ok
    issue = records / "issues" / "2021-09" / "Q0003.yaml"
    text = issue.read_text("utf-8")
    for date in ("12", "13", "14"):
        text = text.replace(f"2021-09-{date}", f"2021-08-{date}")
    issue.write_text(text, "utf-8")
    assert run(records, out, as_of=day).ok
    cold = tmp_path / "cold"
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cold-check-cache"))
    assert run(records, cold, as_of=day).ok
    assert tree(out) == tree(cold)


def test_only_the_changed_files_are_dated_again_unless_everything_changed() -> None:
    """An unchanged file keeps the dates the last state saved; a changed one gets its record's; config its start."""
    records = Records(
        Path("office"),
        {"campaign_start": dt.date(2021, 8, 1)},
        {
            "issue": {
                "Q0001": Record(
                    "issue", "Q0001", "office/issues/Q0001.yaml", {"raised": dt.date(2021, 9, 3), "history": []}
                ),
                "Q0002": Record(
                    "issue", "Q0002", "office/issues/Q0002.yaml", {"raised": dt.date(2021, 10, 5), "history": []}
                ),
            }
        },
    )
    saved = FileState("stamp", "sha", "2021-09-01", "2021-09-30")  # as the last build saved them
    files = {f"records/{name}": saved for name in ("issues/Q0001.yaml", "issues/Q0002.yaml", "config.yaml")}
    changes = Changes(files, changed={"records/issues/Q0002.yaml"})
    dated = {key: (st.earliest, st.latest) for key, st in with_earliest(changes, records).items()}
    assert dated == {
        "records/issues/Q0001.yaml": ("2021-09-01", "2021-09-30"),
        "records/issues/Q0002.yaml": ("2021-10-05", "2021-10-05"),
        "records/config.yaml": (EVERYTHING, "2021-08-01"),
    }
    changes.everything = True
    dated = {key: (st.earliest, st.latest) for key, st in with_earliest(changes, records).items()}
    assert dated["records/issues/Q0001.yaml"] == ("2021-09-03", "2021-09-03")


def test_the_latest_record_date_is_given_from_the_files_shown_dates_as_a_walk_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file dated once; then one issue's last step moved past every other date, the rest kept as saved."""
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))
    folder = make_office(tmp_path)
    records = check_repository(folder).records
    keys = {input_key(folder, Path(r.file)): r for by_id in records.by_kind.values() for r in by_id.values()}
    first = Changes(dict.fromkeys(keys, FileState("stamp", "sha", None)), everything=True)
    dated = with_earliest(first, records)
    dates = {key: bulletins.record_latest_date(r) for key, r in keys.items()}
    assert {key: st.shown for key, st in dated.items()} == {k: d.isoformat() if d else None for k, d in dates.items()}
    assert sum(d is not None for d in dates.values()) > 10
    [(given, latest)] = bulletins._LAST_DATE
    assert given() is records and latest == bulletins._latest_record_date(records)

    key, issue = next((key, r) for key, r in keys.items() if r.kind == "issue")
    later = latest + dt.timedelta(days=40)
    steps = [*issue["history"][:-1], {**issue["history"][-1], "date": later}]
    edited = Record(issue.kind, issue.id, issue.file, {**issue.data, "history": steps})
    again = Records(records.root, records.config, {k: dict(v) for k, v in records.by_kind.items()})
    again.by_kind["issue"][issue.id] = edited
    with_earliest(Changes(dated, changed={key}), again)
    [(given, latest)] = bulletins._LAST_DATE
    assert given() is again and latest == later == bulletins._latest_record_date(again)
