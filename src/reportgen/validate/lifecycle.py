"""The issue lifecycle: 问题收集 → 分办交办 → 办理中 → 已解决 → 销号 (and the other endings).

The dated history is what lets any past state be reconstructed, so it must be
trustworthy: in date order, starting with collection on the raised date, following
the allowed transitions, with the rating after the resolution.
"""

from __future__ import annotations

import datetime as dt

from reportgen.lang import listed
from reportgen.model import Record, Records
from reportgen.problems import Problem, Words
from reportgen.schema.kinds import ISSUE, RESOLVED_STATUSES, TRANSITIONS
from reportgen.validate.locate import Locator
from reportgen.validate.wording import field_words

_RAISED = field_words(ISSUE.as_mapping, "raised")
_NONE_CLOSED = Words("无（已销号）", "none (the issue is closed)")
_NOT_RESOLVED = Words("尚未解决", "not resolved yet")


def check_issue(issue: Record, records: Records, locator: Locator) -> list[Problem]:
    """Every lifecycle and date rule of one issue."""
    problems: list[Problem] = []
    raised: dt.date = issue["raised"]
    history: list[dict[str, object]] = issue["history"]
    start = records.config.get("campaign_start")
    if start and raised < start:
        problems.append(locator.problem(issue, "raised", "E405", field=_RAISED, value=raised, start=start))
    enterprise = records.enterprises.get(issue["enterprise"])
    visit = records.visits.get(issue.get("visit") or "")
    # an issue cannot be raised before the enterprise joined, nor before the visit that found it
    anchors = (
        (Words("企业入库日期", "the enterprise's joining"), enterprise["joined"] if enterprise else None),
        (Words("走访日期", "the visit"), visit["date"] if visit else None),
    )
    for anchor, day in anchors:
        if day and raised < day:
            problems.append(
                locator.problem(
                    issue,
                    "raised",
                    "E407",
                    what=Words("问题提出", "raising the issue"),
                    value=raised,
                    anchor=anchor,
                    anchor_date=day,
                )
            )
    deadline = issue.get("deadline")
    if deadline and deadline < raised:
        problems.append(
            locator.problem(
                issue,
                "deadline",
                "E401",
                later_label=Words("办结期限", "the deadline"),
                later=deadline,
                earlier_label=Words("提出日期", "the raising"),
                earlier=raised,
            )
        )
    problems.extend(_check_history(issue, raised, history, locator))
    problems.extend(_check_rating(issue, history, locator))
    return problems


def _check_history(issue: Record, raised: dt.date, history: list[dict[str, object]], locator: Locator) -> list[Problem]:
    problems: list[Problem] = []
    if not history:
        return problems
    first = history[0]
    if first.get("status") != "问题收集" or first.get("date") != raised:
        problems.append(locator.problem(issue, "history.0", "E406", raised=raised))
    previous_date: dt.date | None = None
    previous_status: str | None = None
    for i, entry in enumerate(history):
        date = entry.get("date")
        status = entry.get("status")
        if not isinstance(date, dt.date) or not isinstance(status, str):
            return problems  # a field error was already reported for this entry
        if previous_date and date < previous_date:
            problems.append(locator.problem(issue, f"history.{i}.date", "E402", date=date, previous=previous_date))
        if (
            previous_status is not None
            and status not in TRANSITIONS[previous_status]
            and not (
                status == previous_status and entry.get("level")  # an escalation keeps the status
            )
        ):
            allowed = listed(TRANSITIONS[previous_status]) if TRANSITIONS[previous_status] else _NONE_CLOSED
            problems.append(
                locator.problem(
                    issue,
                    f"history.{i}.status",
                    "E403",
                    before=previous_status,
                    after=status,
                    allowed=allowed,
                )
            )
        previous_date, previous_status = date, status
    return problems


def _check_rating(issue: Record, history: list[dict[str, object]], locator: Locator) -> list[Problem]:
    rating = issue.get("rating")
    if not rating or "date" not in rating:
        return []
    resolved = next((e["date"] for e in history if e.get("status") in RESOLVED_STATUSES), None)
    if resolved is None or rating["date"] < resolved:
        return [locator.problem(issue, "rating.date", "E404", date=rating["date"], resolved=resolved or _NOT_RESOLVED)]
    return []


def check_lifecycles(records: Records, locator: Locator) -> list[Problem]:
    """Lifecycle rules for every issue."""
    problems: list[Problem] = []
    for issue in records.issues.values():
        problems.extend(check_issue(issue, records, locator))
    return problems
