"""A period's statistics as typed values: what ``StatsEngine.stats`` returns and render reads.

Every field named after a metric is that metric's key in the registry (``metrics.py``):
``tests/compute/test_results.py`` holds the fields of ``Figures``, ``LegalFigures`` and
``UnitFigures`` to the registry's keys and groups, so the two cannot drift.  ``to_json()``
gives the ``reportgen stats --format json`` shape.  ``encode`` and ``decode`` turn a result
into plain JSON values and back, exactly (every field, its type and its value): the build
keeps each period's statistics that way (``compute.persisted``).
"""

from __future__ import annotations

import datetime as dt
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from itertools import starmap
from operator import attrgetter
from typing import Any, TypeVar

Count = int | None  # None only where there is nothing to count (a period before the campaign)
Rate = float | None  # None when the denominator is 0
Money = int | float | None


def _plain(obj: Any) -> dict[str, Any]:
    """The dataclass's fields as a dict, in declaration order (not recursive).

    The names are the class's, worked out once, and the values taken in C: a period's
    lists have tens of thousands of rows, and ``dataclasses.fields`` per row cost most of
    a period's ``to_json``.
    """
    cls: type = type(obj)
    return dict(zip(_field_names(cls), _fields_of(cls)(obj), strict=True))


# the lists whose rows' ``to_json`` is each row's fields (``_json_rows``), made for the whole list at once
FLAT_ROWS = frozenset({"by_enterprise", "overdue"})


def _json_rows(rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Each row of a list of one class as its JSON object: every field in order, dates in ISO form.

    The names, the getter and which fields are dates are worked out once per class: a
    period's lists (its overdue issues, its enterprises) have tens of thousands of rows.
    """
    if not rows:
        return []
    cls: type = type(rows[0])
    names, values, dates = _field_names(cls), _fields_of(cls), _date_fields(cls)
    if not dates:
        return [dict(zip(names, values(row), strict=True)) for row in rows]
    made = []
    for row in rows:
        row_values = list(values(row))
        for i in dates:
            row_values[i] = row_values[i].isoformat()
        made.append(dict(zip(names, row_values, strict=True)))
    return made


@dataclass(frozen=True)
class LegalFigures:
    """The legal-service totals of a window (keys: ``metrics.LEGAL_METRICS``)."""

    cases_handled: Count
    procuratorial_suggestions: Count
    pre_litigation_suggestions: Count
    judicial_suggestions: Count
    litigation_clues: Count
    cases_filed: Count
    lectures: Count
    contracts_reviewed: Count
    disputes_resolved: Count
    money_recovered_yuan: Money

    def value(self, key: str) -> Money:
        """The figure of the registry key ``key``."""
        value: Money = getattr(self, key)
        return value

    def to_json(self) -> dict[str, Any]:
        """The JSON shape: key → value."""
        return _plain(self)


@dataclass(frozen=True)
class Figures:
    """Every metric of one window of days, states as of its last day (keys: ``metrics.METRICS``)."""

    enterprises_in_library: Count
    enterprises_joined: Count
    enterprises_visited: Count
    visits: Count
    issues_identified: Count
    issues_resolved: Count
    issues_resolved_during: Count
    issues_closed: Count
    issues_open: Count
    issues_long_term: Count
    issues_answered: Count
    issues_finished: Count
    issues_overdue: Count
    issues_finished_late: Count
    issues_escalated: Count
    resolution_rate: Rate
    completion_rate: Rate
    on_time_rate: Rate
    satisfaction_rate: Rate
    response_rate: Rate
    issues_rated: Count
    median_days_to_resolve: Rate
    mean_days_to_resolve: Rate
    legal: LegalFigures

    def value(self, key: str) -> Money:
        """The figure of the registry key ``key`` (for loops over a group of the registry)."""
        value: Money = getattr(self, key)
        return value

    def to_json(self) -> dict[str, Any]:
        """The JSON shape: every key, then ``legal``."""
        return {**_plain(self), "legal": self.legal.to_json()}


@dataclass(frozen=True)
class UnitFigures:
    """The figures of one department, team, category or level (keys: the registry's group ``unit``)."""

    issues_identified: int
    issues_resolved: int
    issues_open: int
    issues_long_term: int
    issues_answered: int
    issues_finished: int
    issues_overdue: int
    issues_finished_late: int
    resolution_rate: Rate
    completion_rate: Rate
    on_time_rate: Rate
    satisfaction_rate: Rate
    response_rate: Rate
    issues_rated: int

    def value(self, key: str) -> Money:
        """The figure of the registry key ``key``."""
        value: Money = getattr(self, key)
        return value


@dataclass(frozen=True)
class UnitRow:
    """A department (by lead department) or a team, cumulative: its figures, score and rank."""

    id: str
    name: str
    short_name: str
    figures: UnitFigures
    score: float | None
    ranked: bool
    not_ranked_reason: str | None
    rank: int | None = None
    tied: bool = False

    def to_json(self) -> dict[str, Any]:
        """The JSON row: the figures flat among the other keys."""
        row = _plain(self)
        del row["figures"]
        return {"id": self.id, "name": self.name, "short_name": self.short_name, **_plain(self.figures), **row}


@dataclass(frozen=True)
class BreakdownRow:
    """A category or a level: cumulative figures, and issues raised this period and the previous one."""

    kind: str  # "category" or "level": the JSON key the value goes under
    value: str
    figures: UnitFigures
    in_period_identified: int
    in_period_resolved: int
    previous_identified: int

    def to_json(self) -> dict[str, Any]:
        """The JSON row."""
        return {
            self.kind: self.value,
            **_plain(self.figures),
            "in_period_identified": self.in_period_identified,
            "in_period_resolved": self.in_period_resolved,
            "previous_identified": self.previous_identified,
        }


@dataclass(frozen=True)
class EnterpriseRow:
    """Issues and visits of one enterprise, cumulative."""

    id: str
    name: str
    team: str | None
    visits: int
    issues_identified: int
    issues_resolved: int
    issues_open: int

    def to_json(self) -> dict[str, Any]:
        """The JSON row."""
        return _json_rows((self,))[0]


@dataclass(frozen=True)
class OverdueRow:
    """An issue open past its deadline: exactly the issues ``issues_overdue`` counts."""

    issue: str
    title: str
    enterprise: str
    enterprise_name: str
    department: str
    department_name: str
    raised: dt.date
    deadline: dt.date
    days_overdue: int  # days (or working days) after the deadline up to the as-of date
    days_overdue_unit: str  # 天 or 个工作日
    status: str
    level: str

    def to_json(self) -> dict[str, Any]:
        """The JSON row, dates as ISO strings."""
        return _json_rows((self,))[0]


@dataclass(frozen=True)
class MonthFigures:
    """One month of a quarter or year: its own figures and the cumulative ones at its end."""

    period: str
    name: str
    as_of: dt.date
    in_period: Figures
    cumulative: Figures

    def to_json(self) -> dict[str, Any]:
        """The JSON shape."""
        return {
            "period": self.period,
            "name": self.name,
            "as_of": self.as_of.isoformat(),
            "in_period": self.in_period.to_json(),
            "cumulative": self.cumulative.to_json(),
        }


@dataclass(frozen=True)
class PeriodStats:
    """The statistics of a period as of its end."""

    period: str
    kind: str
    name: str
    start: dt.date
    counted_from: dt.date  # the start, clipped to the campaign start
    end: dt.date  # the period's last day (the full period, even when cut at an earlier as-of date)
    as_of: dt.date
    campaign_start: dt.date
    day_unit: str  # how day counts are printed: 天 or 个工作日
    cumulative: Figures
    in_period: Figures
    previous_period: str
    has_previous: bool  # False when the previous period ended before the campaign began
    previous: Figures
    by_department: tuple[UnitRow, ...]
    by_team: tuple[UnitRow, ...]
    by_category: tuple[BreakdownRow, ...]
    by_level: tuple[BreakdownRow, ...]
    by_enterprise: tuple[EnterpriseRow, ...]
    overdue: tuple[OverdueRow, ...]
    months: tuple[MonthFigures, ...] | None  # a quarter's or a year's months; None for a month

    def to_json(self, lists: Callable[[str], Any] | None = None) -> dict[str, Any]:
        """The ``reportgen stats --format json`` shape.

        ``lists``: the value of each list of rows, by its name (default ``list_json``: its rows; the site writes
        a long list apart, and a list's rows once for all the files that show them).
        """
        each = lists or self.list_json
        result: dict[str, Any] = {
            "period": self.period,
            "kind": self.kind,
            "name": self.name,
            "start": self.start.isoformat(),
            "counted_from": self.counted_from.isoformat(),
            "end": self.end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "campaign_start": self.campaign_start.isoformat(),
            "day_unit": self.day_unit,
            "cumulative": self.cumulative.to_json(),
            "in_period": self.in_period.to_json(),
            "previous_period": self.previous_period,
            "has_previous": self.has_previous,
            "previous": self.previous.to_json(),
            "by_department": each("by_department"),
            "by_team": each("by_team"),
            "by_category": each("by_category"),
            "by_level": each("by_level"),
            "by_enterprise": each("by_enterprise"),
            "overdue": each("overdue"),
        }
        if self.months is not None:
            result["months"] = each("months")
        return result

    def list_json(self, name: str) -> list[dict[str, Any]]:
        """The JSON rows of the list ``name`` (``by_department`` … ``overdue``, ``months``) as ``to_json`` has them."""
        rows = getattr(self, name)
        if name in FLAT_ROWS:
            return _json_rows(rows)
        return [row.to_json() for row in rows]

    def list_lengths(self) -> dict[str, int]:
        """How many rows each list has (the months' too, for a quarter or a year), by its name in ``to_json``."""
        return {f.name: len(value) for f in fields(self) if isinstance(value := getattr(self, f.name), tuple)}


# -- exact round trips: a result as plain JSON values and back -------------------------------

Result = TypeVar("Result")
_PLAIN = (int, float, str, bool, type(None))  # what JSON keeps as it is (a float by its repr: exactly)


def encode(value: Any) -> Any:
    """``value`` as JSON values: a result as the list of its fields in order, a tuple as a list, a date in ISO form.

    Meant for ``json.dumps(..., default=encode)``, which calls it for what JSON has no form of.
    A result's date fields are turned into ISO form here, with its other fields: one call
    per row of a long list, not three.
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    cls: type = type(value)
    if is_dataclass(cls):  # (a class itself is of type ``type``: not a result)
        values = _fields_of(cls)(value)
        dates = _date_fields(cls)
        if not dates:
            return values
        listed = list(values)
        for i in dates:
            listed[i] = listed[i].isoformat()
        return listed
    raise TypeError(f"not a statistics result: {cls.__name__}")


def decode(cls: type[Result], data: Any) -> Result:
    """The result of type ``cls`` that ``encode`` (through ``json``) turned into ``data``."""
    hint: Any = cls
    made: Result = _decoder(hint)(data)
    return made


@cache
def field_decoder(cls: type, name: str) -> Callable[[Any], Any]:
    """How ``decode`` turns the JSON form of the field ``name`` of the result ``cls`` back."""
    return _decoder(typing.get_type_hints(cls)[name])


def is_rows(cls: type, name: str) -> bool:
    """Whether the field ``name`` of the result ``cls`` is a list of rows: a tuple of results."""
    hint = typing.get_type_hints(cls)[name]
    args = typing.get_args(hint)
    return typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis and is_dataclass(args[0])


def row_class(cls: type, name: str) -> type:
    """The result class of the rows of the list of rows ``name`` of the result ``cls`` (``is_rows``)."""
    row: type = typing.get_args(typing.get_type_hints(cls)[name])[0]
    return row


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _date_fields(cls: type) -> tuple[int, ...]:
    """Where a result's fields of type date are among its fields (their JSON form is ISO text)."""
    hints = typing.get_type_hints(cls)
    return tuple(i for i, name in enumerate(_field_names(cls)) if hints[name] is dt.date)


@cache
def _fields_of(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """The values of a result's fields in order, as a tuple (taken in C: a long list has thousands of rows).

    Every result has several fields (with one, ``attrgetter`` would give the value itself).
    """
    getter: Callable[[Any], tuple[Any, ...]] = attrgetter(*_field_names(cls))
    return getter


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """How to turn the JSON form of a value of type ``hint`` back into the value."""
    if hint is dt.date:
        return _date
    if hint is str:
        return sys.intern  # equal texts one object: the same names fill every period's lists
    if isinstance(hint, type) and is_dataclass(hint):
        return _dataclass_decoder(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if isinstance(args[0], type) and is_dataclass(args[0]):
            return _rows_decoder(args[0])
        item = _decoder(args[0])
        return lambda data: tuple(map(item, data))
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(args)
    if hint in _PLAIN:
        return _same
    raise TypeError(f"no JSON form for {hint!r}")


@cache
def _date(text: str) -> dt.date:
    """The date of an ISO text: one object for each day (a period's lists repeat the same few hundred days)."""
    return dt.date.fromisoformat(text)


def _rows_decoder(cls: type) -> Callable[[list[list[Any]]], tuple[Any, ...]]:
    """How to turn a list of rows of ``cls`` back: column by column, each converted in one pass made in C."""
    hints = typing.get_type_hints(cls)
    decoders = [_decoder(hints[name]) for name in _field_names(cls)]
    width = len(decoders)

    def decoded(data: list[list[Any]]) -> tuple[Any, ...]:
        if not data:
            return ()
        if set(map(len, data)) != {width}:
            raise TypeError(f"a row of {cls.__name__} has not {width} values")
        columns = zip(decoders, zip(*data, strict=True), strict=True)
        return tuple(starmap(cls, zip(*(col if d is _same else map(d, col) for d, col in columns), strict=True)))

    return decoded


def _union_decoder(args: tuple[Any, ...]) -> Callable[[Any], Any]:
    """A union of plain types is kept as it is; ``X | None`` decodes X unless it is None."""
    if all(arg in _PLAIN for arg in args):
        return _same
    (other,) = (arg for arg in args if arg is not type(None))  # only X | None is used
    inner = _decoder(other)
    return lambda data: None if data is None else inner(data)


def _dataclass_decoder(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls)
    decoders = [_decoder(hints[name]) for name in _field_names(cls)]
    converted = [(i, d) for i, d in enumerate(decoders) if d is not _same]  # the rest are kept as they are
    if not converted:  # a row of plain values (an enterprise's): made in one call
        return lambda data: cls(*data)

    def decoded(data: list[Any]) -> Any:
        values = list(data)
        for i, d in converted:
            values[i] = d(values[i])
        return cls(*values)

    return decoded


def _same(data: Any) -> Any:
    return data
