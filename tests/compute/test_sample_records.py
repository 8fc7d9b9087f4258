"""The sample office (records/) reproduces the source article's figures as of 2021-09-30."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from itertools import starmap
from pathlib import Path

import pytest

from reportgen.compute import compute_stats
from reportgen.compute.metrics import compute_all, days_to_resolve
from reportgen.compute.periods import parse_period
from reportgen.compute.snapshots import issue_flags
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.validate import check_repository

RECORDS = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture(scope="module")
def records() -> Records:
    validated = check_repository(RECORDS)
    # no errors; a warning (the document numbers' gap, W661) does not touch the figures
    assert [p for p in validated.report.problems if p.code.startswith("E")] == []
    return validated.records


def test_q3_cumulative_matches_the_article(records: Records) -> None:
    cumulative = compute_stats(records, parse_period("2021-Q3"))["cumulative"]
    assert cumulative["enterprises_in_library"] == 83  # 已建立83家企业服务库
    assert cumulative["enterprises_visited"] == 36  # 走访企业36家
    assert cumulative["issues_identified"] == 52  # 梳理企业存在问题52项
    legal = cumulative["legal"]
    assert legal["cases_handled"] == 3  # 办理涉民营经济案件3件
    assert legal["procuratorial_suggestions"] == 5  # 提出检察建议5份
    assert 600_000 < legal["money_recovered_yuan"] < 700_000  # 追回款项60万余元
    assert legal["litigation_clues"] == 8  # 诉讼案件线索8件
    assert legal["cases_filed"] == 8  # 立案8件
    assert legal["pre_litigation_suggestions"] == 4  # 诉前检察建议4件
    assert 21 <= legal["lectures"] <= 29  # 讲座20余场次
    assert 181 <= legal["contracts_reviewed"] <= 189  # 审查合同180余份
    assert 31 <= legal["disputes_resolved"] <= 39  # 化解纠纷30余件
    assert 11 <= legal["judicial_suggestions"] <= 19  # 司法建议10余条


def test_september_is_the_same_rebuilt_in_december(records: Records) -> None:
    september = compute_stats(records, parse_period("2021-09"))
    december = compute_stats(records, parse_period("2021-12"))
    assert september["cumulative"]["issues_identified"] == 52
    assert december["cumulative"]["issues_identified"] > 52
    assert september["cumulative"]["issues_resolved"] < december["cumulative"]["issues_resolved"]


def test_rates_are_fractions_and_identities_hold(records: Records) -> None:
    for key in ("2021-08", "2021-09", "2021-10", "2021-11", "2021-12", "2021-Q3", "2021-Q4"):
        stats = compute_stats(records, parse_period(key))
        for figures in (stats["cumulative"], stats["in_period"]):
            assert figures["issues_identified"] == (
                figures["issues_resolved"]
                + figures["issues_open"]
                + figures["issues_long_term"]
                + figures["issues_answered"]
            )
            for rate in ("resolution_rate", "completion_rate", "on_time_rate", "response_rate", "satisfaction_rate"):
                assert figures[rate] is None or 0 <= figures[rate] <= 1


PERIODS = ("2021-08", "2021-09", "2021-10", "2021-11", "2021-12", "2021-Q3", "2021-Q4", "2021", "2022-01")


def test_figures_do_not_depend_on_the_order_periods_are_asked_in(records: Records) -> None:
    # a day's snapshot is made from the latest earlier one: any order must give the same figures
    forward, backward = StatsEngine(records), StatsEngine(records)
    ahead = {key: forward.stats(parse_period(key)) for key in PERIODS}
    behind = {key: backward.stats(parse_period(key)) for key in reversed(PERIODS)}
    assert ahead == behind


def test_snapshots_made_day_after_day_equal_a_fresh_replay(records: Records) -> None:
    engine = StatsEngine(records)
    day = engine.campaign_start
    while day <= dt.date(2022, 1, 31):
        snapshot = engine.snapshot(day)  # made from the day before's
        pairs = [(t, t.state_at(day)) for t in engine.timelines if t.raised <= day]
        assert snapshot.pairs == pairs
        assert snapshot.flags == issue_flags(engine.cohort(day, day), pairs)
        assert snapshot.days() == [d for d in starmap(days_to_resolve, pairs) if d is not None]
        day += dt.timedelta(days=1)


def test_snapshots_made_from_a_later_day_equal_a_fresh_replay(records: Records) -> None:
    engine = StatsEngine(records)
    day = dt.date(2022, 1, 31)
    engine.snapshot(day)  # made afresh; each earlier day then from the day after's, cut to the issues raised by it
    while day >= engine.campaign_start:
        snapshot = engine.snapshot(day)
        pairs = [(t, t.state_at(day)) for t in engine.timelines if t.raised <= day]
        assert snapshot.pairs == pairs
        assert snapshot.flags == issue_flags(engine.cohort(day, day), pairs)
        assert snapshot.levels() == [s.level for _, s in pairs]
        assert snapshot.days() == [d for d in starmap(days_to_resolve, pairs) if d is not None]
        day -= dt.timedelta(days=1)
    assert len(engine.snapshots._made) > 150


def test_a_day_made_from_an_earlier_day_equals_one_made_afresh(records: Records) -> None:
    shared = StatsEngine(records)
    made = {key: shared.stats(parse_period(key)) for key in PERIODS}  # each day from the one before
    for key in PERIODS:
        if len(key) == 7:  # a month's own engine makes its end and the previous month's end afresh
            assert made[key] == StatsEngine(records).stats(parse_period(key))


def test_figures_worked_out_per_day_equal_one_pass_over_the_cohort(records: Records) -> None:
    # the engine presets its cohorts' counts; a replaced cohort works them out from its own issues
    engine = StatsEngine(records)
    for key in PERIODS:
        period = parse_period(key)
        for start in (period.start, engine.campaign_start):
            cohort = engine.cohort(start, period.end)
            assert compute_all(cohort) == compute_all(replace(cohort))


def test_states_replayed_from_earlier_ones_equal_states_replayed_from_the_start(records: Records) -> None:
    ends = [dt.date(2021, 8, 1) + dt.timedelta(days=d) for d in range(0, 200, 9)]
    timelines = StatsEngine(records).timelines
    for t in timelines:
        for day in ends:  # each state replayed from the one handed out for an earlier day
            if t.raised <= day:
                assert t.state_at(day) == replace(t).state_at(day)  # a copy: nothing handed out yet
    assert sum(len(t._states) > 2 for t in timelines) > 20  # many were replayed from an earlier state
