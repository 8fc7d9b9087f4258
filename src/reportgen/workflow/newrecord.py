"""``reportgen new``: the values of a new record — given, derived from related records, or left to fill in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from reportgen.compute.periods import PeriodError, parse_period, period_of
from reportgen.echo import shown
from reportgen.lang import Pair, Said, Words, listed, pick
from reportgen.load import LoadedFile, SourceFile
from reportgen.load.yamlnodes import compose, split_front_matter
from reportgen.problems import Problem
from reportgen.schema.kinds import BULLETIN_KIND_NAMES, BULLETIN_KINDS, CONFIG_FILE, KINDS_BY_NAME
from reportgen.schema.types import Field, Kind, Type
from reportgen.validate.bulletins import NUMBERED, next_free_number
from reportgen.validate.record import check_file
from reportgen.workflow import store
from reportgen.workflow.recordfile import Placeholder, record_header, render_record

_LIST_SEPARATORS = re.compile(r"[,，、]\s*")
_UNDECODABLE = re.compile("[\ud800-\udfff]")  # how Python keeps bytes of a command line that are no UTF-8
# a bulletin's kind → (period kind, its name, its period in words, an example)
_PERIOD_KINDS = {
    "monthly": ("month", "月通报", "一个月", "2021-09"),
    "quarterly": ("quarter", "季点评", "一个季度", "2021-Q3"),
    "annual": ("year", "年度考核", "一年", "2021"),
}
_DEFAULT_BODY = """\
（工作亮点：本期的总体情况和主要做法，写在第一个小标题之前。）

## 典型案例

（一两个解决问题的典型事例。）

## 下步工作

（下一步的工作安排。）
"""


# Why a value given on the command line does not fit, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "unknown_arg": (
        "无法理解参数“{token}”：字段写成 --字段名 值，例如 --enterprise E012",
        "cannot read the argument '{token}': give a field as --name value, e.g. --enterprise E012",
    ),
    "no_value": ("参数 {token} 后面缺少值", "the argument {token} needs a value after it"),
    "undecodable": (
        "--{name} 的值里有无法识别的字节（不是 UTF-8 文字）：请把终端设为 UTF-8 后重新输入",
        "the value of --{name} holds bytes that are no UTF-8 text: set the terminal to UTF-8 and type it again",
    ),
    "no_field": (
        "{label}没有字段“{name}”。可用的字段：{fields}",
        "{label_en} records have no field '{name}'. Their fields: {fields}",
    ),
    "no_child": ("字段“{top}”下没有“{name}”", "the field '{top}' has no '{name}'"),
    "give_children": (
        "字段“{top}”包含几项内容，请分别给出：{children}",
        "the field '{top}' holds several values: give each of {children}",
    ),
    "edit_file": (
        "“{name}”（{label}）不能在命令行填写，请生成记录后编辑文件",
        "'{name}' ({label_en}) cannot be given on the command line: edit the file once it is written",
    ),
    "unknown_kind": (
        "--kind：通报种类“{kind}”不认识，只能是{choices}",
        "--kind: no bulletin kind '{kind}': it is {choices}",
    ),
    "period": ("--period：{reason}", "--period: {reason}"),
    "period_kind": (
        "--period：{name}的时期是{words}，如 {example}，不能写 {key}",
        "--period: the period of a {kind} bulletin is a {period_kind}, e.g. {example}, not {key}",
    ),
    "given": ("--{flag}：{message}（{hint}）", "--{flag}: {message} ({hint})"),
    "no_target": (
        "{flag}：找不到{label} {ref}（{folder} 下没有 {ref}{suffix}）",
        "{flag}: no {label_en} {ref} (no {ref}{suffix} in {folder})",
    ),
    "wrong_role": (
        "{flag}：{ref} 的角色是“{actual}”，这里需要“{role}”",
        "{flag}: the role of {ref} is '{actual}'; this needs '{role}'",
    ),
}


class FieldError(Said):
    """A value given on the command line that does not fit the schema; for the user, in the language of ``--lang``."""


@dataclass
class Draft:
    """A new record before it is written: its values, notes for comments, and where it goes."""

    kind: Kind
    id: str
    values: dict[str, Any]
    extras: dict[str, str] = field(default_factory=dict)  # field → extra comment (e.g. the ids to choose from)
    given: set[str] = field(default_factory=set)  # fields the user gave with --field

    @property
    def to_fill(self) -> list[str]:
        """The fields left for the user to fill in."""
        return [name for name, value in self.values.items() if isinstance(value, Placeholder)]


# -- command-line values ---------------------------------------------------------------------


def parse_field_args(kind: Kind, tokens: Sequence[str]) -> dict[str, Any]:
    """``--enterprise E012 --contact.name 雷雨 --staff S002,S003`` → values typed by the schema."""
    values: dict[str, Any] = {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.startswith("--") or token == "--":
            raise FieldError(MESSAGES["unknown_arg"], token=shown(token))
        name, eq, text = token[2:].partition("=")
        if not eq:
            if i + 1 >= len(tokens):
                raise FieldError(MESSAGES["no_value"], token=shown(token))
            text = tokens[i + 1]
            i += 1
        i += 1
        _assign(kind, values, name.replace("-", "_"), text)
    return values


def _assign(kind: Kind, values: dict[str, Any], name: str, text: str) -> None:
    if _UNDECODABLE.search(text):  # bytes that were no UTF-8 in the command line
        raise FieldError(MESSAGES["undecodable"], name=shown(name))
    top, _, child_name = name.partition(".")
    schema_field = kind.field(top)
    if schema_field is None:
        fields = ", ".join(f.name for f in kind.fields)
        raise FieldError(MESSAGES["no_field"], label=kind.label, label_en=kind.label_en, name=shown(top), fields=fields)
    if child_name:
        child = schema_field.child(child_name) if schema_field.type is Type.MAPPING else None
        if child is None:
            raise FieldError(MESSAGES["no_child"], top=top, name=shown(child_name))
        values.setdefault(top, {})[child_name] = convert(child, text)
        return
    if schema_field.type is Type.MAPPING:
        children = [f"--{top}.{c.name}" for c in schema_field.fields]
        raise FieldError(MESSAGES["give_children"], top=top, children=listed(children))
    values[top] = convert(schema_field, text)


def convert(schema_field: Field, text: str) -> Any:
    """A command-line string as the value the schema expects (left as text when it does not parse)."""
    kind = schema_field.type
    if kind is Type.LIST:
        assert schema_field.items is not None
        if schema_field.items.type in (Type.MAPPING, Type.LIST):
            raise FieldError(
                MESSAGES["edit_file"],
                name=schema_field.name,
                label=schema_field.label,
                label_en=schema_field.label_en,
            )
        return [convert(schema_field.items, part) for part in _LIST_SEPARATORS.split(text.strip()) if part]
    if kind is Type.DATE:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            return text
    if kind is Type.INT and re.fullmatch(r"-?[0-9]{1,18}", text.strip()):
        return int(text.strip())  # longer is out of every range: left as text, the schema says so
    if kind is Type.MONEY:
        try:
            return Decimal(text.strip().replace(",", ""))
        except InvalidOperation:
            return text
    if kind is Type.BOOL:
        return {"true": True, "是": True, "false": False, "否": False}.get(text.strip().lower(), text)
    if kind is Type.ENUM:  # a choice may be typed by its Chinese name: 月通报
        return schema_field.choices_by_label.get(text.strip(), text)
    return text


# -- the draft -------------------------------------------------------------------------------


def make_draft(kind_name: str, records: Path, given: dict[str, Any], today: dt.date) -> Draft:
    """The new record: given values first, then what related records tell, then today's date and placeholders."""
    kind = KINDS_BY_NAME[kind_name]
    draft = Draft(kind, "", {}, given=set(given))
    if kind_name == "bulletin":
        _bulletin_defaults(draft, records, given, today)
    else:
        taken = store.existing_ids(records, kind)
        draft.id = str(given.get("id") or store.next_id(kind, taken))
        draft.values["id"] = draft.id
    derived = _derived(kind_name, records, given, today)
    for f in kind.fields:
        if f.name in given:
            draft.values[f.name] = given[f.name]
        elif f.name in derived:
            draft.values[f.name] = derived[f.name]
        elif f.required and f.name not in draft.values:
            draft.values[f.name] = _required_default(f, draft.values, today)
    draft.extras = _choice_notes(kind, records, draft.values)
    return draft


def _required_default(f: Field, values: dict[str, Any], today: dt.date) -> Any:
    if f.type is Type.DATE:
        return today
    if f.name == "history":  # an issue starts as collected on the day it was raised
        raised = values.get("raised")
        return [{"date": raised if isinstance(raised, dt.date) else today, "status": "问题收集"}]
    return Placeholder()


def _derived(kind_name: str, records: Path, given: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Values read from the records the new one refers to."""
    if kind_name in ("issue", "visit") and isinstance(given.get("enterprise"), str):
        derived: dict[str, Any] = {}
        chief = _chief_officer(records, given["enterprise"])
        if chief is not None:
            derived.update({"responsible": chief} if kind_name == "issue" else {"staff": [chief]})
        if kind_name == "issue":
            raised = given.get("raised")
            derived.update(_visit_of(records, given["enterprise"], raised if isinstance(raised, dt.date) else today))
        return derived
    if kind_name == "rectification" and isinstance(given.get("issue"), str):
        return _from_issue(records, given["issue"])
    return {}


def _from_issue(records: Path, issue_id: str) -> dict[str, Any]:
    issue = store.read_record(records, "issue", issue_id) or {}
    derived: dict[str, Any] = {}
    if issue.get("lead_department"):
        derived["department"] = issue["lead_department"]
    if issue.get("responsible"):
        derived["responsible"] = issue["responsible"]
    deadline = _date(issue.get("deadline"))
    if deadline:
        derived["due"] = deadline
    return derived


def _visit_of(records: Path, enterprise_id: str, day: dt.date) -> dict[str, Any]:
    """The visit to this enterprise on the day the issue was raised, when there is exactly one."""
    folder = records / KINDS_BY_NAME["visit"].folder / f"{day.year:04d}-{day.month:02d}"
    found = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        values = store.read_values(path) or {}
        if values.get("enterprise") == enterprise_id and values.get("date") == day.isoformat():
            found.append(values)
    if len(found) != 1 or not isinstance(found[0].get("id"), str):
        return {}
    return {"visit": found[0]["id"], "source": "座谈" if found[0].get("kind") == "座谈" else "走访"}


def _chief_officer(records: Path, enterprise_id: str) -> str | None:
    enterprise = store.read_record(records, "enterprise", enterprise_id) or {}
    team_id = enterprise.get("team")
    team = store.read_record(records, "team", team_id) if isinstance(team_id, str) else None
    chief = (team or {}).get("chief_officer")
    return chief if isinstance(chief, str) and chief else None


def _date(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _choice_notes(kind: Kind, records: Path, values: dict[str, Any]) -> dict[str, str]:
    """For references left to fill in: the records to choose from, in the comment."""
    notes: dict[str, str] = {}
    for f in kind.fields:
        if not isinstance(values.get(f.name), Placeholder):
            continue
        target = f.ref or (f.items.ref if f.items is not None else None)
        if target not in ("department", "team", "staff"):
            continue
        found = store.list_records(records, target, _choice_filter(f.role, kind.name == "legal" and f.name == "unit"))
        if found:
            notes[f.name] = "现有：" + "、".join(f"{i} {n}".strip() for i, n in found) + "。"
    return notes


def _choice_filter(role: str | None, judicial: bool) -> Callable[[dict[str, Any]], bool]:
    """Staff of the role a field asks for; for a legal service's unit, the courts and procuratorates."""

    def keep(values: dict[str, Any]) -> bool:
        return (role is None or values.get("role") == role) and (not judicial or values.get("type") == "司法机关")

    return keep


def _kind_choices() -> Words:
    """``monthly（月通报）、quarterly（季点评）或 annual（年度考核）`` and in English, from the schema's one list."""
    named = [f"{kind}（{name}）" for kind, name in BULLETIN_KIND_NAMES.items()]
    kinds = list(BULLETIN_KIND_NAMES)
    return Words(f" {'、'.join(named[:-1])}或 {named[-1]}", f"{', '.join(kinds[:-1])} or {kinds[-1]}")


def _bulletin_defaults(draft: Draft, records: Path, given: dict[str, Any], today: dt.date) -> None:
    kind = str(given.get("kind") or "monthly")
    if kind not in BULLETIN_KINDS:
        raise FieldError(MESSAGES["unknown_kind"], kind=shown(kind), choices=_kind_choices())
    period = (
        _bulletin_period(kind, str(given["period"]))
        if "period" in given
        else _previous_period(kind, max(today, _first_reported(records, kind)))
    )
    draft.id = f"{period}-{kind}"
    draft.values.update(kind=kind, period=period)
    if "number" not in given:
        draft.values["number"] = _next_number(records, today.year)


def _bulletin_period(kind: str, text: str) -> str:
    """The period given for a bulletin, read strictly (it names the file) and of the bulletin's kind."""
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise FieldError(MESSAGES["period"], reason=exc) from None
    period_kind, name, words, example = _PERIOD_KINDS[kind]
    if period.kind != period_kind:
        raise FieldError(
            MESSAGES["period_kind"],
            name=name,
            words=words,
            kind=kind,
            period_kind=period_kind,
            example=example,
            key=period.key,
        )
    return period.key


def _first_reported(records: Path, kind: str) -> dt.date:
    """The first day a bulletin of ``kind`` can report on a whole period of the campaign: the day after the period
    its start falls in (the one before it, which ``check`` refuses as E405, is never proposed to a new office).

    ``date.min`` when the config gives no start.
    """
    try:
        start = yaml.safe_load((records / CONFIG_FILE).read_text("utf-8"))["campaign_start"]
    except (OSError, ValueError, yaml.YAMLError, TypeError, KeyError):
        return dt.date.min
    if not isinstance(start, dt.date):
        return dt.date.min
    return period_of(start, _PERIOD_KINDS[kind][0]).end + dt.timedelta(days=1)


def _previous_period(kind: str, today: dt.date) -> str:
    """The period a bulletin written today reports on: last month, last quarter, or last year."""
    if kind == "annual":
        return str(today.year - 1)
    if kind == "quarterly":
        quarter = (today.month - 1) // 3  # 0-based current quarter; the previous one is reported
        year, q = (today.year - 1, 4) if quarter == 0 else (today.year, quarter)
        return f"{year}-Q{q}"
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year}-{first.month:02d}"


def _next_number(records: Path, year: int) -> int:
    """The next free document number of the year a bulletin written today is issued in (the register's rule)."""
    numbers: list[tuple[int, dt.date | None]] = []
    for path in store.record_files(records, KINDS_BY_NAME["bulletin"]):
        text = path.read_text("utf-8", errors="replace")
        for number_field, date_field in NUMBERED:  # the bulletin's number, and its correction notice's
            number = re.search(rf"^{number_field}:\s*([0-9]+)\s*$", text, re.MULTILINE)
            issued = re.search(
                rf"^{date_field}:\s*['\"]?([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})['\"]?\s*$", text, re.MULTILINE
            )
            if number:
                numbers.append((int(number.group(1)), _date(issued.group(1)) if issued else None))
    return next_free_number(numbers, year)


# -- rendering and checking ------------------------------------------------------------------


def render_draft(draft: Draft, today: dt.date) -> str:
    """The file's text."""
    note = f"由 reportgen new 于 {today.isoformat()} 生成；标有“请填写”的字段填好后再提交。"
    header = record_header(draft.kind, draft.id, note)
    body = _DEFAULT_BODY if draft.kind.name == "bulletin" else ""
    return render_record(draft.kind, draft.values, header, draft.extras, body=body)


def check_given(draft: Draft, text: str, path: Path, records: Path, lang: str = "zh") -> list[str]:
    """Problems with the values the user gave (as lines in ``lang``): schema rules and references."""
    source = SourceFile(path, str(path), draft.kind)
    loaded = _parse(source, text)
    _, problems = check_file(loaded)
    relevant = [p for p in problems if _about_given(p, draft.given)]
    messages = [
        pick(
            MESSAGES["given"], lang, flag=(p.field or "").replace("_", "-"), message=p.message(lang), hint=p.hint(lang)
        )
        for p in relevant
    ]
    return messages + _reference_problems(draft, records, lang)


def _parse(source: SourceFile, text: str) -> LoadedFile:
    if source.kind.suffix == ".md":
        parts = split_front_matter(text)
        assert parts is not None, "the renderer always writes front matter"
        front, body, body_line = parts
        node, problems = compose(front, source.display, line_offset=1)
        return LoadedFile(source, node, problems, body, body_line)
    node, problems = compose(text, source.display)
    return LoadedFile(source, node, problems)


def _about_given(problem: Problem, given: set[str]) -> bool:
    if problem.code.startswith("E1"):  # the file itself does not parse: never expected, always shown
        return True
    return bool(problem.field) and (problem.field or "").split(".")[0] in given


def _reference_problems(draft: Draft, records: Path, lang: str) -> list[str]:
    messages: list[str] = []
    for f in draft.kind.fields:
        if f.name not in draft.given:
            continue
        target = f.ref or (f.items.ref if f.type is Type.LIST and f.items is not None else None)
        if target is None:
            continue
        value = draft.values[f.name]
        for ref in value if isinstance(value, list) else [value]:
            messages += _one_reference(f, target, str(ref), records, lang)
    return messages


def _one_reference(f: Field, target: str, ref: str, records: Path, lang: str) -> list[str]:
    target_kind = KINDS_BY_NAME[target]
    flag = f"--{f.name.replace('_', '-')}"
    path = store.existing_ids(records, target_kind).get(ref)
    if path is None:
        folder = records / target_kind.folder
        params = {"label": target_kind.label, "label_en": target_kind.label_en, "suffix": target_kind.suffix}
        return [pick(MESSAGES["no_target"], lang, flag=flag, ref=ref, folder=folder, **params)]
    role = f.role or (f.items.role if f.items is not None else None)
    if role:
        actual = (store.read_values(path) or {}).get("role")
        if actual != role:
            return [pick(MESSAGES["wrong_role"], lang, flag=flag, ref=ref, actual=actual, role=role)]
    return []
