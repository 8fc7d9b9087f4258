"""What a build takes from the last one's answers (``ListIndex.remember``) instead of working it out again."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.publish.atomic import StagingWriter
from reportgen.render.site.context import Figures, cumulative_window, data_as_of, month_window, periods
from reportgen.render.site.keptanswers import KeptAnswers, packed, unpacked
from reportgen.render.site.lists import ISSUE_LISTS, RESOLVED_DURING, ListIndex, ListKey, Unit, Window

pytest_plugins = ["tests.site.fixtures"]

LINKED = ("issues_identified", "issues_resolved", "resolution_rate", "issues_overdue")


def _kept(answers: dict[Any, Any], key: str = "figures") -> KeptAnswers:
    """``answers`` as the page store keeps them and the next build reads them back."""
    kept = unpacked(packed(key, answers))
    assert kept is not None and kept.key == key
    return kept


def _latest(records: Records) -> tuple[Window, Window]:
    start = records.config["campaign_start"]
    month = periods(start, data_as_of(records), "month")[-1]
    return month_window(month), cumulative_window(start, month)


def _units(records: Records) -> list[Unit]:
    return [Unit("department", d, d) for d in sorted(records.departments)] + [
        Unit("team", t, t) for t in sorted(records.teams)
    ]


def _figures(index: ListIndex, unit: Unit, windows: tuple[Window, ...]) -> list[object]:
    """What a unit page's latest figures show: each figure formatted, with its list and note."""
    figures = Figures(index)
    return [figures.computed(metric, window, unit) for window in windows for metric in LINKED]


def test_a_kept_value_links_to_its_lists_again_and_works_nothing_out(records: Records) -> None:
    windows = _latest(records)
    first = ListIndex(records, StatsEngine(records))
    made = {u: first.linking(("unit", u.kind, u.id), partial(_figures, first, u, windows)) for u in _units(records)}
    assert first.wanted  # the figures link to lists
    second = ListIndex(records, StatsEngine(records))
    second.remember(answers := _kept(first.answers))

    def refused() -> list[object]:
        raise AssertionError("worked out again")

    kept = {u: second.linking(("unit", u.kind, u.id), refused) for u in _units(records)}
    assert kept == made
    assert second.wanted == first.wanted
    assert list(second.wanted) == list(first.wanted)  # in the order they were first linked to
    assert second.answers == {key: value for key, value in first.answers.items() if key[0] == "linking"}
    assert answers.merged("figures", second.answers) is None  # nothing new to keep


def test_the_answers_of_a_build_carry_those_it_did_not_ask(records: Records) -> None:
    month, to_date = _latest(records)
    first = ListIndex(records, StatsEngine(records))
    figure = first.figure(None, month, "issues_identified")
    kept = _kept(first.answers)
    second = ListIndex(records, StatsEngine(records))
    second.remember(kept)
    count = second.count(None, to_date, "issues_identified")
    new = ("count", None, None, to_date.key, "issues_identified")
    assert second.answers == {new: count}  # only what this build asked
    carried = unpacked(kept.merged("figures", second.answers) or b"")
    assert carried is not None  # a page kept now may be made by the next build
    assert carried.get(("figure", None, None, month.key, "issues_identified")) == figure
    assert carried.get(new) == count
    assert kept.merged("figures", {new: count, **first.answers}) is not None
    assert _kept(second.answers).merged("figures", {new: count}) is None  # nothing new: the file is not written


def test_answers_kept_under_another_key_are_not_carried(records: Records) -> None:
    month, to_date = _latest(records)
    first = ListIndex(records, StatsEngine(records))
    first.figure(None, month, "issues_identified")
    count = ListIndex(records, StatsEngine(records)).count(None, to_date, "issues_identified")
    new = ("count", None, None, to_date.key, "issues_identified")
    carried = unpacked(_kept(first.answers).merged("another", {new: count}) or b"")
    assert carried is not None and carried.key == "another"
    assert carried.get(new) == count
    assert carried.get(("figure", None, None, month.key, "issues_identified")) is None


def test_kept_answers_are_grouped_by_unit_and_window_each_read_when_asked(records: Records) -> None:
    month, to_date = _latest(records)
    first = ListIndex(records, StatsEngine(records))
    unit = _units(records)[0]
    first.figure(unit, month, "issues_identified")
    first.count(None, to_date, "issues_identified")
    first.candidates(None, month, every=False)
    kept = _kept(first.answers)
    assert list(kept.front) == [("bounds", month.key)]
    assert sorted(kept.groups, key=str) == sorted([(unit.kind, unit.id, month.key), (None, None, to_date.key)], key=str)
    assert kept._read == {}
    assert (
        kept.get(("count", None, None, to_date.key, "issues_identified"))
        == first.answers[("count", None, None, to_date.key, "issues_identified")]
    )
    assert list(kept._read) == [(None, None, to_date.key)]  # the unit's group still packed
    damaged = KeptAnswers("figures", {}, {(None, None, to_date.key): b"not a pickle"})
    assert damaged.get(("count", None, None, to_date.key, "issues_identified")) is None  # worked out again


def test_a_value_made_inside_another_links_to_its_lists_for_both(records: Records) -> None:
    windows = _latest(records)
    unit = _units(records)[0]
    index = ListIndex(records, StatsEngine(records))

    def outer() -> int:
        inner = index.linking(("inner",), lambda: _figures(index, unit, windows))
        return len(inner)

    assert index.linking(("outer",), outer) == len(LINKED) * len(windows)
    inner_links = index.answers[("linking", "inner")][1]
    assert inner_links and index.answers[("linking", "outer")][1] == inner_links


def test_a_list_key_as_values_names_everything_its_page_shows_of_it(records: Records) -> None:
    month, _ = _latest(records)
    unit = Unit("department", "D01", "区供电公司")
    assert ListKey(unit, month, "issues_overdue").values() == (
        ("department", "D01", "区供电公司"),
        month.key,
        month.name,
        month.start,
        month.as_of,
        "issues_overdue",
    )
    assert ListKey(None, month, "visits").values()[0] is None
    renamed = ListKey(Unit("department", "D01", "供电公司"), month, "issues_overdue")
    assert renamed.values() != ListKey(unit, month, "issues_overdue").values()


@pytest.mark.parametrize("kind", ["department", "team"])
def test_shared_unit_indices_are_those_the_index_finds(records: Records, kind: str) -> None:
    engine = StatsEngine(records)
    found = ListIndex(records, engine)._unit_indices(kind)
    shared = ListIndex(records, engine)
    by_unit: dict[tuple[str, str | None], list[int]] = {}
    for at, t in enumerate(engine.timelines):
        by_unit.setdefault(("department", t.lead_department), []).append(at)
        by_unit.setdefault(("team", engine.team_of.get(t.enterprise)), []).append(at)
    shared.share_indices(by_unit)
    assert shared._unit_indices(kind) == found


def test_a_file_kept_where_links_are_refused_is_copied_and_never_replaces_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "old.html"
    old.write_bytes(b"<p>1</p>")

    def refused(source: object, target: object) -> None:
        raise PermissionError("no links here")

    monkeypatch.setattr("os.link", refused)
    writer = StagingWriter(tmp_path / "staging")
    staged = writer.reuse("a/b/c.html", old)
    assert staged == f"{tmp_path}/staging/a/b/c.html" and Path(staged).read_bytes() == b"<p>1</p>"
    writer.write("d.html", b"<p>2</p>")
    with pytest.raises(FileExistsError):
        writer.reuse("d.html", old)
    assert (tmp_path / "staging/d.html").read_bytes() == b"<p>2</p>"
    assert writer.written == ["a/b/c.html", "d.html"]


def test_a_kept_list_is_made_from_its_members_states_alone(records: Records, monkeypatch: pytest.MonkeyPatch) -> None:
    start = records.config["campaign_start"]
    months = periods(start, data_as_of(records), "month")
    windows = [month_window(months[len(months) // 2]), *_latest(records), cumulative_window(start, months[0])]
    lists = [(u, w, m) for u in [None, *_units(records)] for w in windows for m in [*ISSUE_LISTS, RESOLVED_DURING]]
    first = ListIndex(records, StatsEngine(records))
    made = {key: first.items(*key) for key in lists}
    assert any(made.values())
    engine = StatsEngine(records)
    second = ListIndex(records, engine)
    second.remember(_kept(first.answers))

    def refused(*args: object) -> None:
        raise AssertionError("a snapshot or a cohort made")

    monkeypatch.setattr(engine, "snapshot", refused)
    monkeypatch.setattr(engine, "cohort", refused)
    for key, items in made.items():
        kept = second.items(*key)
        assert sorted((t.id, s) for t, s in kept) == sorted((t.id, s) for t, s in items), key
    assert second.answers == first.answers
