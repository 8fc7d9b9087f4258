"""``reportgen new KIND [--字段 值 …]``: write a new record with the next free id, ready to fill in."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from reportgen.formatting import pad, shown_path, terminal_safe
from reportgen.lang import Pair, os_reason, pick
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.schema.types import TYPE_LABELS, Field, Kind, Type
from reportgen.workflow import store, yamlwrite
from reportgen.workflow.newrecord import (
    Draft,
    FieldError,
    check_given,
    make_draft,
    parse_field_args,
    render_draft,
)
from reportgen.workflow.recordfile import field_comment

ATTEMPTS = 5  # another `new` may take the same id at the same moment: then take the next one

# This command's own lines; field values and labels are checked and named by the schema, in Chinese.
MESSAGES: dict[str, Pair] = {
    "missing": (
        "reportgen: 找不到记录目录 {records}（请在办公室仓库的根目录运行，或用 --records 指定）",
        "reportgen: records folder {records} not found (run in the office repository's root, or give --records)",
    ),
    "bad_values": ("reportgen: 给出的值有问题，没有写入文件：", "reportgen: wrong values; nothing was written:"),
    "exists": ("reportgen: {path} 已经存在，不会覆盖", "reportgen: {path} exists; it is not overwritten"),
    "unwritable": ("reportgen: 无法写入 {path}：{detail}", "reportgen: cannot write {path}: {detail}"),
    "no_free_id": (
        "reportgen: 多次尝试都没有找到空闲的{label}编号，请稍后再试",
        "reportgen: no free {kind} id after several attempts; try again",
    ),
    "written": ("已生成{label} {id}", "wrote {kind} {id}"),
    "to_fill": ("已生成{label} {id}；请打开文件填写：{fields}", "wrote {kind} {id}; open it and fill in: {fields}"),
    "id_taken": ("--id：{label} {id} 已经存在", "--id: {kind} {id} exists already"),
}
# ``reportgen new KIND --help``: the lines around the schema's own words for each field.
HELP: dict[str, Pair] = {
    "usage": (
        "reportgen new {name} [--字段 值 …]：新建一条{label}（{title}）",
        "reportgen new {name} [--field value …]: write a new {label_en} record",
    ),
    "next_id": ("不填时自动取下一个编号。", " When left out, the next free id."),
    "records": ("记录目录（默认 records/）", "the records folder (default records/)"),
    "in_file": ("（编辑文件填写）", "(fill in the file)"),
}


def _say(key: str, lang: str, err: TextIO, **params: object) -> None:
    print(pick(MESSAGES[key], lang, **params), file=err)


def run_new(
    kind_name: str,
    tokens: Sequence[str],
    records: Path,
    today: dt.date | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    lang: str = "zh",
) -> int:
    """Write the record and print its path; 2 for a bad value or a taken id, 1 when writing failed."""
    out, err = out or sys.stdout, err or sys.stderr
    kind = KINDS_BY_NAME[kind_name]
    if any(t in ("-h", "--help") for t in tokens):
        out.write(field_help(kind, lang))
        return 0
    today = today or dt.date.today()
    if not records.is_dir():
        _say("missing", lang, err, records=shown_path(records, lang))
        return 2
    try:
        given = parse_field_args(kind, tokens)
        return _write(kind, given, records, today, out, err, lang)
    except (FieldError, store.StoreError) as exc:
        print(f"reportgen: {terminal_safe(exc.text(lang))}", file=err)
        return 2


def _write(
    kind: Kind, given: dict[str, object], records: Path, today: dt.date, out: TextIO, err: TextIO, lang: str
) -> int:
    fixed_id = "id" in given or kind.name == "bulletin"
    for _ in range(1 if fixed_id else ATTEMPTS):
        draft = make_draft(kind.name, records, given, today)
        path = store.record_path(records, kind, draft.id, draft.values, today)
        text = render_draft(draft, today)
        problems = check_given(draft, text, path, records, lang)
        if "id" in given and draft.id in store.existing_ids(records, kind):
            problems.append(pick(MESSAGES["id_taken"], lang, label=kind.label, kind=kind.name, id=draft.id))
        if problems:
            _say("bad_values", lang, err)
            for line in problems:
                print(f"  {terminal_safe(line)}", file=err)
            return 2
        try:
            store.write_new_file(path, text)
        except FileExistsError:
            if fixed_id:
                _say("exists", lang, err, path=shown_path(path, lang))
                return 2
            continue
        except OSError as exc:
            _say("unwritable", lang, err, path=shown_path(path, lang), detail=os_reason(exc, lang))
            return 1
        print(path, file=out)
        _tell_what_to_fill(draft, err, lang)
        return 0
    _say("no_free_id", lang, err, label=kind.label, kind=kind.name)
    return 1


def _tell_what_to_fill(draft: Draft, err: TextIO, lang: str) -> None:
    """Which fields the new record still needs, by name (and, in Chinese, by label)."""
    todo = draft.to_fill
    names = {"label": draft.kind.label, "kind": draft.kind.name, "id": draft.id}
    if not todo:
        _say("written", lang, err, **names)
    elif lang == "en":
        _say("to_fill", lang, err, fields=", ".join(todo), **names)
    else:
        _say("to_fill", lang, err, fields="、".join(f"{name}（{_label(draft.kind, name)}）" for name in todo), **names)


def _label(kind: Kind, name: str) -> str:
    schema_field = kind.field(name)
    return schema_field.label if schema_field else name


def field_help(kind: Kind, lang: str = "zh") -> str:
    """The fields of ``kind`` as ``--name`` options, for ``reportgen new KIND --help`` (in ``lang``)."""
    lines = [pick(HELP["usage"], lang, name=kind.name, label=kind.label, title=kind.title, label_en=kind.label_en), ""]
    for f in kind.fields:
        if f.type is Type.MAPPING:
            lines += [_option(f"--{f.name}.{c.name}", c.example, _comment(c, lang), lang) for c in f.fields]
        elif f.name == "id":
            lines.append(_option("--id", f.example, _comment(f, lang) + pick(HELP["next_id"], lang), lang))
        else:
            lines.append(_option(f"--{f.name.replace('_', '-')}", f.example, _comment(f, lang), lang))
    lines += ["", _option("--records", "DIR", pick(HELP["records"], lang), lang), ""]
    return "\n".join(lines)


def _comment(f: Field, lang: str) -> str:
    """What ``f`` means: the record file's comment in Chinese; in English, the schema's English words."""
    if lang != "en":
        return field_comment(f)
    required = "required" if f.required else "optional"
    return f"{f.label_en} ({required}): {f.description_en} Write {_value_words(f)}."


def _value_words(f: Field) -> str:
    """What a value of ``f`` looks like, in English (the schema's type words, its choices or the kind it names)."""
    if f.type is Type.ENUM:
        return "one of " + ", ".join(f.choices)
    if f.type is Type.REF and f.ref:
        return f"the {KINDS_BY_NAME[f.ref].label_en}'s id"
    if f.type is Type.LIST and f.items is not None and f.items.type is not Type.MAPPING:
        return "several, separated by commas, each " + _value_words(f.items)
    return TYPE_LABELS[f.type][1]


def _option(flag: str, example: object, comment: str, lang: str) -> str:
    if isinstance(example, list):
        example = ",".join(str(e) for e in example if not isinstance(e, dict)) or pick(HELP["in_file"], lang)
    elif isinstance(example, bool):
        example = yamlwrite.scalar(example)
    shown = (
        flag if example is None else f"{flag} {example}"
    )  # a field without an example: its comment says what to write
    return f"  {pad(shown, 40)}{comment}"


def split_records_option(tokens: Sequence[str], default: Path) -> tuple[Path, list[str]]:
    """Take ``--records DIR`` (or ``--records=DIR``) out of the field arguments."""
    records, rest = default, []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--records" and i + 1 < len(tokens):
            records = Path(tokens[i + 1])
            i += 2
            continue
        if token.startswith("--records="):
            records = Path(token.split("=", 1)[1])
        else:
            rest.append(token)
        i += 1
    return records, rest
