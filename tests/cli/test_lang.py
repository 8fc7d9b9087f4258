"""Every subcommand speaks the language of ``--lang``: Chinese by default, English with ``--lang en``.

Each case runs one subcommand in a situation that prints its own lines (a success and a
typical failure) and asserts the exact text in both languages; in English no Chinese
character may appear except in record data the line quotes (a name, a sheet's title).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportgen import __version__
from reportgen.cli import main
from reportgen.cms.bundle import DECAP_CMS_VERSION
from reportgen.cms.config import office_files
from reportgen.commands.schema import schema_files
from reportgen.schema.types import Field
from tests.conftest import write_minimal_repository
from tests.workflow.workflow_helpers import commit_all, git

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
SECONDS = re.compile(r"\d+\.\d+ (秒|s)")


@dataclass(frozen=True)
class Said:
    """What a command prints in one language: exit code, standard output, standard error."""

    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Case:
    """A command line (run in the test's folder, which holds the minimal office's records/) and what it prints."""

    argv: tuple[str, ...]
    zh: Said
    en: Said
    prepare: Callable[[Path], None] | None = None
    data: tuple[str, ...] = ()  # record data the English lines may quote


def _file(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text("x\n", encoding="utf-8")


def _folder(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).mkdir(parents=True)


def _other_files(folder: Path) -> None:
    """A folder ``mine`` holding a file of the user's."""
    (folder / "mine").mkdir()
    (folder / "mine" / "a.txt").write_text("x\n", encoding="utf-8")


def _misplaced(folder: Path) -> None:
    """The enterprise names a team that does not exist; a department's record lies among the staff."""
    enterprise = folder / "records/enterprises/E001.yaml"
    enterprise.write_text(enterprise.read_text("utf-8").replace("team: T01", "team: T09"), "utf-8")
    department = (folder / "records/departments/D01.yaml").read_text("utf-8")
    (folder / "records/staff/D02.yaml").write_text(department.replace("id: D01", "id: D02"), "utf-8")


def _example_department(folder: Path) -> None:
    """The department is still marked as an example record (a warning)."""
    with (folder / "records/departments/D01.yaml").open("a", encoding="utf-8") as department:
        department.write("example: true\n")


def _left_before_joining(folder: Path) -> None:
    """The enterprise left the day before it joined."""
    enterprise = folder / "records/enterprises/E001.yaml"
    text = enterprise.read_text("utf-8")
    enterprise.write_text(text.replace("joined: 2021-08-02\n", "joined: 2021-08-02\nleft: 2021-08-01\n"), "utf-8")


def _working_days(folder: Path) -> None:
    """Overdue days counted in working days: the calendar's years matter."""
    config = folder / "records" / "config.yaml"
    config.write_text(config.read_text("utf-8").replace("day_kind: calendar", "day_kind: working"), "utf-8")


SCHEMA_LIST = "".join(f"s/{name}\n" for name in schema_files())


def _repository(folder: Path) -> None:
    git(folder, "init", "-q", "-b", "main")
    commit_all(folder, "records")


def _workbook(folder: Path) -> None:
    assert main(["workbook", "--out", str(folder / "w.xlsx"), "--with-records", str(folder / "records")]) == 0


def _mapping(text: str) -> Callable[[Path], None]:
    """The minimal office's workbook beside a mapping file holding ``text``."""

    def prepare(folder: Path) -> None:
        _workbook(folder)
        (folder / "map.yaml").write_text(text, encoding="utf-8")

    return prepare


NEXT_STEPS_ZH = (
    "已创建 office（测试办公室，文号前缀 TO，活动开始于 2021-08-01），示例记录已通过检查。\n"
    "CI 和提交前检查安装的 reportgen：zhuqi-reportgen==0.1.0。\n"
    "下一步：\n"
    "  cd office\n"
    '  git init -b main && git add . && git commit -m "新建记录仓库"\n'
    "  reportgen check records            # 检查记录\n"
    "  reportgen new 企业                 # 新建一条企业记录\n"
    "  pre-commit install                 # 每次提交前自动检查（需先 pip install pre-commit）\n"
    "示例记录（E001、Q0001 等，标有“示例记录”）正式发布前请删除或改写：在此之前检查会逐条提醒。\n"
)
NEXT_STEPS_EN = (
    "created office (测试办公室, document-number prefix TO, campaign from 2021-08-01); "
    "the example records pass check.\n"
    "CI and pre-commit install reportgen from: zhuqi-reportgen==0.1.0.\n"
    "Next:\n"
    "  cd office\n"
    '  git init -b main && git add . && git commit -m "new records repository"\n'
    "  reportgen check records            # check the records\n"
    "  reportgen new enterprise           # write a new enterprise record\n"
    "  pre-commit install                 # check before every commit (pip install pre-commit first)\n"
    "Delete or rewrite the example records (E001, Q0001, …, marked example: true) before publishing: "
    "until then check warns about each one.\n"
)
NEW_VISIT_HELP_ZH = (
    "reportgen new visit [--字段 值 …]：新建一条走访（走访记录）\n"
    "\n"
    "  --id V0001                              编号（必填）：走访的编号，以 V"
    " 开头，与文件名相同。不填时自动取下一个编号。\n"
    "  --date 2021-08-05                       日期（必填）：走访日期。格式：年-月-日，如 2021-09-30。\n"
    "  --enterprise E001                       企业（必填）：走访的企业。填写企业的编号，如 E001。\n"
    "  --staff S002,S003                       参加人员（必填）：参加走访的干部。可以写多项，每项一行，以“-"
    " ”开头。填写人员的编号，如 S001。\n"
    "  --kind 走访                             形式（必填）：走访的形式。可选：走访、座谈、送法进企业、调研。\n"
    "  --summary 了解企业用电需求。            情况摘要（必填）：了解到的情况。\n"
    "  --internal-notes 企业负责人希望不公开融资细节。内部备注（选填）：仅内部可见的备注，公开发布时删去。\n"
    "  --example                               示例记录（选填）：新建仓库时写入的示例记录标为"
    " true；正式发布前请删除这条记录，或改写成真实记录并删去这一行。填写 true（是）或 false（否）。\n"
    "\n"
    "  --records DIR                           记录目录（默认 records/）\n"
)
NEW_VISIT_HELP_EN = (
    "reportgen new visit [--field value …]: write a new visit record\n"
    "\n"
    "  --id V0001                              id (required): The visit's id,"
    " starting with V, the same as the file name. Write an id. When left out, the"
    " next free id.\n"
    "  --date 2021-08-05                       date (required): The day of the"
    " visit. Write a date (YYYY-MM-DD).\n"
    "  --enterprise E001                       enterprise (required): The enterprise"
    " visited. Write the enterprise's id.\n"
    "  --staff S002,S003                       staff (required): The officials who"
    " took part. Write several, separated by commas, each the staff member's id.\n"
    "  --kind 走访                             form (required): What form the visit"
    " took. Write one of 走访, 座谈, 送法进企业, 调研.\n"
    "  --summary 了解企业用电需求。            summary (required): What was learned. Write"
    " text (Markdown).\n"
    "  --internal-notes 企业负责人希望不公开融资细节。internal notes (optional): Notes for internal"
    " eyes only, removed from the public site. Write text (Markdown).\n"
    "  --example                               example record (optional): Set to"
    " true on the example records a new repository starts with; before publishing,"
    " delete the record, or rewrite it as a real one and delete this line. Write"
    " true or false.\n"
    "\n"
    "  --records DIR                           the records folder (default records/)\n"
)
INIT = ("init", "office", "--district", "测试区", "--name", "测试办公室", "--prefix", "TO", "--start", "2021-08-01")
TAIL_ZH = "reportgen 只写入它自己建立的输出目录。"
TAIL_EN = "reportgen writes only into an output folder it made itself."

CASES: dict[str, Case] = {
    "check": Case(
        ("check", "records"),
        Said(0, "检查了 13 个文件、12 条记录：0 个错误，0 个警告。通过\n", ""),
        Said(0, "checked 13 files, 12 records: 0 errors, 0 warnings\n", ""),
    ),
    "check a record that is a broken link": Case(
        ("check", "records"),
        Said(
            1,
            "records/departments/D09.yaml:1:1: 错误 E109 不能读取文件：找不到这个文件或目录\n"
            "    提示：检查文件权限；记录目录里不要放指向目录外的链接。\n\n"
            "检查了 14 个文件、12 条记录：1 个错误，0 个警告。未通过。各错误代码的说明和改法见 docs/guide.md。\n",
            "",
        ),
        Said(
            1,
            "records/departments/D09.yaml:1:1: error E109 cannot read the file: No such file or directory\n"
            "    hint: Check permissions; do not link to files outside the records folder.\n\n"
            "checked 14 files, 12 records: 1 error, 0 warnings. What each code means and how to fix it: "
            "docs/guide.md.\n",
            "",
        ),
        prepare=lambda folder: (folder / "records/departments/D09.yaml").symlink_to("nowhere.yaml"),
    ),
    "check a missing team and a record in the wrong folder": Case(
        ("check", "records"),
        Said(
            1,
            "records/enterprises/E001.yaml:14:7: 错误 E302 [E001] 服务队伍“T09”不存在，是否指 T01 第一服务队？\n"
            "    提示：检查编号是否写对，或先添加这条服务队伍记录。\n\n"
            "records/staff/D02.yaml:1:1: 错误 E305 [D02] 责任单位记录放错了目录（应在 departments/ 下）\n"
            "    提示：把文件移到 departments/ 目录。\n\n"
            "检查了 14 个文件、12 条记录：2 个错误，0 个警告。未通过。各错误代码的说明和改法见 docs/guide.md。\n",
            "",
        ),
        Said(
            1,
            "records/enterprises/E001.yaml:14:7: error E302 [E001] 'team' refers to service team 'T09', "
            "which does not exist; did you mean T01 第一服务队?\n"
            "    hint: Check the id, or add that service team first.\n\n"
            "records/staff/D02.yaml:1:1: error E305 [D02] department record is in the wrong folder "
            "(belongs under departments/)\n"
            "    hint: Move it to departments/.\n\n"
            "checked 14 files, 12 records: 2 errors, 0 warnings. What each code means and how to fix it: "
            "docs/guide.md.\n",
            "",
        ),
        prepare=_misplaced,
        data=("第一服务队",),
    ),
    "check dates out of order": Case(
        ("check", "records"),
        Said(
            1,
            "records/enterprises/E001.yaml:16:7: 错误 E401 [E001] "
            "日期顺序不对：出库日期（2021-08-01）早于入库日期（2021-08-02）\n"
            "    提示：出库日期不能早于入库日期；核对两个日期。\n\n"
            "检查了 13 个文件、12 条记录：1 个错误，0 个警告。未通过。各错误代码的说明和改法见 docs/guide.md。\n",
            "",
        ),
        Said(
            1,
            "records/enterprises/E001.yaml:16:7: error E401 [E001] dates out of order: "
            "leaving (2021-08-01) is before joining (2021-08-02)\n"
            "    hint: Check both dates.\n\n"
            "checked 13 files, 12 records: 1 error, 0 warnings. What each code means and how to fix it: "
            "docs/guide.md.\n",
            "",
        ),
        prepare=_left_before_joining,
    ),
    "check a missing path": Case(
        ("check", "nope"),
        Said(2, "", "reportgen: 找不到记录目录或文件 nope（请在办公室仓库的根目录运行，或给出记录目录的路径）\n"),
        Said(
            2, "", "reportgen: no records folder or file nope (run in the office repository's root, or give the path)\n"
        ),
    ),
    "stats without a period": Case(
        ("stats", "records"),
        Said(2, "", "reportgen: 请用 --period 给出时期（如 2021-09、2021-Q3、2021），或用 --as-of 给出截止日期\n"),
        Said(
            2, "", "reportgen: give the period with --period (2021-09, 2021-Q3, 2021) or a cut-off date with --as-of\n"
        ),
    ),
    "stats with a misspelt period": Case(
        ("stats", "records", "--period", "2021-9"),
        Said(2, "", "reportgen: 时期“2021-9”的写法不对，请写成 2021-09\n"),
        Said(2, "", "reportgen: the period '2021-9' is misspelt: write 2021-09\n"),
    ),
    "stats with a cut-off date out of the period": Case(
        ("stats", "records", "--period", "2021-08", "--as-of", "2021-09-05"),
        Said(2, "", "reportgen: 截止日期 2021-09-05 不在 2021年8月（2021-08-01 至 2021-08-31）之内\n"),
        Said(2, "", "reportgen: the cut-off date 2021-09-05 is not within 2021-08 (2021-08-01 to 2021-08-31)\n"),
    ),
    "stats with a day that does not exist": Case(
        ("stats", "records", "--as-of", "2021-02-30"),
        Said(2, "", "reportgen: 截止日期“2021-02-30”不存在：2021年2月只有 28 天\n"),
        Said(2, "", "reportgen: the cut-off date '2021-02-30' does not exist: 2021-02 has 28 days\n"),
    ),
    "stats past the working-day calendar": Case(
        ("stats", "records", "--period", "2030-01"),
        Said(
            2,
            "",
            "reportgen: 2030年1月统计到 2030年1月31日，超期天数按工作日计算，需要 2030 年的节假日安排，"
            "但工作日历只有 2021 年：请选择日历覆盖的时期，或在 calendar 目录中补充 2030.yaml\n",
        ),
        Said(
            2,
            "",
            "reportgen: 2030-01 is counted up to 2030-01-31, and overdue days count working days, which needs "
            "the holidays of 2030; but the working-day calendar has only 2021: choose a period the calendar "
            "covers, or add 2030.yaml to the calendar folder\n",
        ),
        prepare=_working_days,
    ),
    "build with an unknown period": Case(
        ("build", "records", "--period", "x"),
        Said(2, "", "reportgen: 时期“x”无法识别：月份写成 2021-09，季度写成 2021-Q3，年度写成 2021\n"),
        Said(
            2,
            "",
            "reportgen: the period 'x' is not recognised: write a month as 2021-09, a quarter as 2021-Q3, "
            "a year as 2021\n",
        ),
    ),
    "build": Case(
        ("build", "records", "--out", "out", "--no-pdf"),
        Said(
            0,
            "构建完成：通报 3 期（HTML 生成 3、复用 0；PDF 生成 0、复用 0），网站文件 47 个，用时 <t> 秒 → out\n",
            "校验记录……\n"
            "通报 HTML 1/3 2021-08-monthly\n"
            "通报 HTML 2/3 2021-Q3-quarterly\n"
            "通报 HTML 3/3 2021-annual\n"
            "生成网站……\n"
            "已写入 51 个文件\n"
            "检查公开版中有没有不公开的信息……\n",
        ),
        Said(
            0,
            "built 3 bulletins (HTML 3 rendered, 0 reused; PDF 0 rendered, 0 reused), 47 site files in <t> s → out\n",
            "checking the records…\n"
            "bulletin HTML 1/3 2021-08-monthly\n"
            "bulletin HTML 2/3 2021-Q3-quarterly\n"
            "bulletin HTML 3/3 2021-annual\n"
            "writing the site…\n"
            "51 files written\n"
            "searching the public output for private values…\n",
        ),
    ),
    "build --strict with a warning": Case(
        ("build", "records", "--out", "out", "--no-pdf", "--strict"),
        Said(
            1,
            "",
            "校验记录……\n"
            "通报 HTML 1/3 2021-08-monthly\n"
            "通报 HTML 2/3 2021-Q3-quarterly\n"
            "通报 HTML 3/3 2021-annual\n"
            "records/departments/D01.yaml:5:10: 警告 W630 [D01] 示例记录，正式发布前请删除或改写\n"
            "    提示：这是新建仓库时写入的示例，可以照着它填写真实记录；之后删除这个文件，"
            "或把它改写成真实记录并删去标着“示例记录”的那一行。\n\n"
            "构建失败：有 1 个警告，严格模式（--strict）下不发布。原有的 out 未被改动。\n",
        ),
        Said(
            1,
            "",
            "checking the records…\n"
            "bulletin HTML 1/3 2021-08-monthly\n"
            "bulletin HTML 2/3 2021-Q3-quarterly\n"
            "bulletin HTML 3/3 2021-annual\n"
            "records/departments/D01.yaml:5:10: warning W630 [D01] example record: delete or rewrite it before "
            "publishing\n"
            "    hint: reportgen init wrote it as an example; delete the file, or rewrite it as a real record and "
            "remove the line example: true.\n\n"
            "build failed: 1 warnings: nothing is published under --strict. out was left as it was.\n",
        ),
        prepare=_example_department,
    ),
    "build into the records": Case(
        ("build", "records", "--out", "records"),
        Said(1, "", f"reportgen: 拒绝写入 {{tmp}}/records：这就是记录目录，{TAIL_ZH}\n"),
        Said(1, "", f"reportgen: refused to write into {{tmp}}/records: it is the records folder; {TAIL_EN}\n"),
    ),
    "serve into a folder of other files": Case(
        ("serve", "records", "--out", "mine"),
        Said(
            1,
            "",
            "reportgen: 拒绝写入 {tmp}/mine：其中已有 a.txt，不是 reportgen 生成的输出目录。"
            "请换一个空目录，或删除后重试。\n",
        ),
        Said(
            1,
            "",
            "reportgen: refused to write into {tmp}/mine: it holds a.txt and is no output folder of reportgen. "
            "Choose an empty folder, or delete it and try again.\n",
        ),
        prepare=_other_files,
    ),
    "schema": Case(
        ("schema", "--out", "s"),
        Said(0, SCHEMA_LIST, ""),
        Said(0, SCHEMA_LIST, ""),
    ),
    "schema under a file": Case(
        ("schema", "--out", "afile/s"),
        Said(1, "", "reportgen: 不能写入 afile/s：路径中有一段是文件，不是目录\n"),
        Said(1, "", "reportgen: cannot write afile/s: Not a directory\n"),
        prepare=_file("afile"),
    ),
    "docs": Case(
        ("docs", "--out", "d"),
        Said(0, "d/records.md\nd/metrics.md\nd/guide.md\n", ""),
        Said(0, "d/records.md\nd/metrics.md\nd/guide.md\n", ""),
    ),
    "docs over a folder": Case(
        ("docs", "--out", "d"),
        Said(1, "", "reportgen: 拒绝写入 d/guide.md：这个位置已经有一个文件夹或特殊文件，reportgen 不会删除它\n"),
        Said(
            1,
            "",
            "reportgen: refused to write d/guide.md: a folder or special file is there, "
            "and reportgen does not delete it\n",
        ),
        prepare=_folder("d/guide.md"),
    ),
    "init": Case(
        (*INIT, "--source", "zhuqi-reportgen==0.1.0"),
        Said(0, NEXT_STEPS_ZH, ""),
        Said(0, NEXT_STEPS_EN, ""),
        data=("测试办公室",),
    ),
    "init with a bad prefix": Case(
        ("init", "office", "--district", "测试区", "--prefix", "T O"),
        Said(2, "", "reportgen: 发文字号前缀“T O”不能含空格或括号：文号中的〔年份〕和序号会自动加上\n"),
        Said(
            2,
            "",
            "reportgen: the document-number prefix 'T O' must hold no space or bracket: "
            "the year and number are added to it\n",
        ),
    ),
    "init into a folder of other files": Case(
        ("init", "mine", "--district", "测试区"),
        Said(2, "", "reportgen: mine 已经存在且不是空目录；reportgen init 不会覆盖已有的文件，请换一个目录\n"),
        Said(
            2, "", "reportgen: mine exists and is not empty; reportgen init overwrites no file: choose another folder\n"
        ),
        prepare=_other_files,
    ),
    "init with a git source without its revision": Case(
        ("init", "office", "--district", "测试区", "--source", "git+https://h.example.org/r.git"),
        Said(
            2,
            "",
            "reportgen: git 地址“git+https://h.example.org/r.git”要写明版本：git+地址@标签或提交号，"
            f"如 git+https://h.example.org/r.git@v{__version__}\n",
        ),
        Said(
            2,
            "",
            "reportgen: the git URL 'git+https://h.example.org/r.git' needs a revision: git+URL@tag or commit, "
            f"e.g. git+https://h.example.org/r.git@v{__version__}\n",
        ),
    ),
    "init from a folder on this machine": Case(
        (*INIT, "--source", "wheels"),
        Said(
            0,
            NEXT_STEPS_ZH.replace("zhuqi-reportgen==0.1.0", "本机目录 {tmp}/wheels"),
            "提示：CI 文件和提交前检查将从本机上的位置安装 reportgen（本机目录 {tmp}/wheels），"
            "GitHub、GitLab 上的 CI 访问不到；推送前请用 --source 给出 reportgen 的 git 地址和版本重新生成，"
            "或修改 CI 文件中的 REPORTGEN_PIP_SPEC 和 .pre-commit-config.yaml。\n",
        ),
        Said(
            0,
            NEXT_STEPS_EN.replace("zhuqi-reportgen==0.1.0", "the folder {tmp}/wheels on this machine"),
            "note: CI and pre-commit will install reportgen from a place on this machine "
            "(the folder {tmp}/wheels on this machine), which CI on GitHub or GitLab cannot reach; before pushing, "
            "run init again with --source giving reportgen's git URL and version, or edit REPORTGEN_PIP_SPEC "
            "in the CI files and .pre-commit-config.yaml.\n",
        ),
        prepare=_folder("wheels"),
        data=("测试办公室",),
    ),
    "init --git-host without --repo": Case(
        ("init", "office", "--git-host", "gitlab"),
        Said(2, "", "reportgen: 使用 --git-host 时请用 --repo 给出仓库，如 --repo zhuqi/records\n"),
        Said(2, "", "reportgen: --git-host needs --repo with the repository, e.g. --repo zhuqi/records\n"),
    ),
    "new": Case(
        ("new", "enterprise", "--records", "records", "--name", "Acme"),
        Said(
            0,
            "records/enterprises/E002.yaml\n",
            "已生成企业 E002；请打开文件填写："
            "uscc（统一社会信用代码）、industry（行业）、park（所在园区或位置）、scale（企业规模）\n",
        ),
        Said(
            0,
            "records/enterprises/E002.yaml\n",
            "wrote enterprise E002; open it and fill in: uscc, industry, park, scale\n",
        ),
    ),
    "new with an unknown field": Case(
        ("new", "enterprise", "--records", "records", "--nope", "1"),
        Said(
            2,
            "",
            "reportgen: 企业没有字段“nope”。可用的字段：id, name, uscc, industry, park, scale, key_project, "
            "investment_yuan, employees, contact, team, joined, left, notes, example\n",
        ),
        Said(
            2,
            "",
            "reportgen: enterprise records have no field 'nope'. Their fields: id, name, uscc, industry, park, "
            "scale, key_project, investment_yuan, employees, contact, team, joined, left, notes, example\n",
        ),
    ),
    "new with a mapping field given whole": Case(
        ("new", "enterprise", "--records", "records", "--contact", "x"),
        Said(
            2,
            "",
            "reportgen: 字段“contact”包含几项内容，请分别给出：--contact.name、--contact.phone、--contact.title\n",
        ),
        Said(
            2,
            "",
            "reportgen: the field 'contact' holds several values: give each of "
            "--contact.name, --contact.phone, --contact.title\n",
        ),
    ),
    "new with a missing team": Case(
        ("new", "enterprise", "--records", "records", "--team", "T09"),
        Said(
            2,
            "",
            "reportgen: 给出的值有问题，没有写入文件：\n"
            "  --team：找不到服务队伍 T09（records/teams 下没有 T09.yaml）\n",
        ),
        Said(
            2,
            "",
            "reportgen: wrong values; nothing was written:\n"
            "  --team: no service team T09 (no T09.yaml in records/teams)\n",
        ),
    ),
    "new with a person of another role": Case(
        ("new", "team", "--records", "records", "--leader", "S002"),
        Said(
            2,
            "",
            "reportgen: 给出的值有问题，没有写入文件：\n  --leader：S002 的角色是“首席服务官”，这里需要“处级领导”\n",
        ),
        Said(
            2,
            "",
            "reportgen: wrong values; nothing was written:\n"
            "  --leader: the role of S002 is '首席服务官'; this needs '处级领导'\n",
        ),
        data=("首席服务官", "处级领导"),
    ),
    "new bulletin of another period kind": Case(
        ("new", "bulletin", "--records", "records", "--period", "2021-Q3"),
        Said(2, "", "reportgen: --period：月通报的时期是一个月，如 2021-09，不能写 2021-Q3\n"),
        Said(2, "", "reportgen: --period: the period of a monthly bulletin is a month, e.g. 2021-09, not 2021-Q3\n"),
    ),
    "new bulletin of a misspelt period": Case(
        ("new", "bulletin", "--records", "records", "--period", "2021-9"),
        Said(2, "", "reportgen: --period：时期“2021-9”的写法不对，请写成 2021-09\n"),
        Said(2, "", "reportgen: --period: the period '2021-9' is misspelt: write 2021-09\n"),
    ),
    "new bulletin of an unknown kind": Case(
        ("new", "bulletin", "--records", "records", "--kind", "weekly"),
        Said(
            2,
            "",
            "reportgen: --kind：通报种类“weekly”不认识，"
            "只能是 monthly（月通报）、quarterly（季点评）或 annual（年度考核）\n",
        ),
        Said(2, "", "reportgen: --kind: no bulletin kind 'weekly': it is monthly, quarterly or annual\n"),
    ),
    "new with an id of another kind": Case(
        ("new", "enterprise", "--records", "records", "--id", "X1"),
        Said(2, "", "reportgen: 编号“X1”不是企业的编号（形如 E001），没有写入文件\n"),
        Said(2, "", "reportgen: 'X1' is no enterprise id (like E001); nothing was written\n"),
    ),
    "new with a word that is no field": Case(
        ("new", "enterprise", "--records", "records", "foo"),
        Said(2, "", "reportgen: 无法理解参数“foo”：字段写成 --字段名 值，例如 --enterprise E012\n"),
        Said(
            2, "", "reportgen: cannot read the argument 'foo': give a field as --name value, e.g. --enterprise E012\n"
        ),
    ),
    "new visit --help": Case(
        ("new", "visit", "--help"),
        Said(0, NEW_VISIT_HELP_ZH, ""),
        Said(0, NEW_VISIT_HELP_EN, ""),
        data=("送法进企业", "走访", "座谈", "调研", "了解企业用电需求。", "企业负责人希望不公开融资细节。"),
    ),
    "new without records": Case(
        ("new", "enterprise", "--records", "nope"),
        Said(2, "", "reportgen: 找不到记录目录 nope（请在办公室仓库的根目录运行，或用 --records 指定）\n"),
        Said(
            2, "", "reportgen: records folder nope not found (run in the office repository's root, or give --records)\n"
        ),
    ),
    "diff": Case(
        ("diff", "HEAD", "--records", "records"),
        Said(0, "记录和统计数字的变化：HEAD（{head}） → 工作区\n\n记录没有改动。统计数字没有变化。\n", ""),
        Said(
            0,
            "Changes in records and figures: HEAD ({head}) → work tree\n\nNo record changed. No figure changed.\n",
            "",
        ),
        prepare=_repository,
    ),
    "diff with an unknown revision": Case(
        ("diff", "origin/nope", "--records", "records"),
        Said(2, "", "reportgen: 找不到版本“origin/nope”；在 CI 中请先 git fetch 这个分支\n"),
        Said(2, "", "reportgen: no revision 'origin/nope'; in CI, git fetch the branch first\n"),
        prepare=_repository,
    ),
    "diff outside git": Case(
        ("diff", "HEAD", "--records", "records"),
        Said(2, "", "reportgen: records 不在 git 仓库中：reportgen diff 比较的是两个 git 版本\n"),
        Said(2, "", "reportgen: records is in no git repository: reportgen diff compares two git revisions\n"),
    ),
    "freeze": Case(
        ("freeze", "records"),
        Said(0, "已印发的通报都已记录印发时的数字，没有新文件。\n", ""),
        Said(0, "every issued bulletin has its figures recorded already; no new file.\n", ""),
    ),
    "freeze without records": Case(
        ("freeze", "nope"),
        Said(2, "", "reportgen: 找不到记录目录 nope（请在办公室仓库的根目录运行，或给出记录目录的路径）\n"),
        Said(
            2, "", "reportgen: records folder nope not found (run in the office repository's root, or give its path)\n"
        ),
    ),
    "workbook": Case(
        ("workbook", "--out", "w.xlsx", "records"),
        Said(0, "", "已生成填报模板 w.xlsx\n"),
        Said(0, "", "wrote the workbook w.xlsx\n"),
    ),
    "workbook not .xlsx": Case(
        ("workbook", "--out", "w.txt", "records"),
        Said(2, "", "reportgen: 拒绝写入 w.txt：填报模板的文件名要以 .xlsx 结尾\n"),
        Said(2, "", "reportgen: refused to write w.txt: the workbook's name must end in .xlsx\n"),
    ),
    "import": Case(
        ("import", "w.xlsx", "records", "--dry-run"),
        Said(0, "共 4 条记录：写入 0 个文件，4 条没有变化（试运行，没有写入文件）\n", ""),
        Said(0, "4 records: 0 files written, 4 unchanged (dry run: nothing written)\n", ""),
        prepare=_workbook,
    ),
    "import a file that is no workbook": Case(
        ("import", "afile.xlsx", "records"),
        Said(2, "reportgen: 这个文件不是 Excel 工作簿（.xlsx），请在表格软件中另存为 .xlsx 或 CSV\n", ""),
        Said(
            2,
            "reportgen: this file is no Excel workbook (.xlsx): save it as .xlsx or CSV in the spreadsheet program\n",
            "",
        ),
        prepare=_file("afile.xlsx"),
    ),
    "import with a mapping to a missing field": Case(
        ("import", "w.xlsx", "records", "--map", "map.yaml"),
        Said(2, "reportgen: 对照表中工作表“问题清单”的列对应到“nope”，问题记录没有这个字段\n", ""),
        Said(
            2,
            "reportgen: the mapping sends a column of the sheet '问题清单' to 'nope', "
            "a field issue records do not have\n",
            "",
        ),
        prepare=_mapping("sheets:\n  问题清单:\n    kind: issue\n    columns:\n      企业: nope\n"),
        data=("问题清单",),
    ),
    "import with a missing mapping": Case(
        ("import", "w.xlsx", "records", "--map", "nomap.yaml"),
        Said(2, "reportgen: 不能读取对照表 nomap.yaml：找不到这个文件或目录\n", ""),
        Said(2, "reportgen: cannot read the mapping nomap.yaml: No such file or directory\n", ""),
        prepare=_workbook,
    ),
    "import a missing file": Case(
        ("import", "missing.xlsx", "records"),
        Said(2, "reportgen: 无法读取 missing.xlsx：找不到这个文件或目录\n", ""),
        Said(2, "reportgen: cannot read missing.xlsx: No such file or directory\n", ""),
    ),
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's working folder with the minimal office's records/ in it."""
    write_minimal_repository(tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _expected(text: str, folder: Path) -> str:
    head = git(folder, "rev-parse", "--short", "HEAD").strip() if "{head}" in text else ""
    return text.replace("{tmp}", str(folder)).replace("{head}", head)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(CASES))
def test_each_command_speaks_the_chosen_language(
    name: str, lang: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    if case.prepare is not None:
        case.prepare(folder)
    argv = [*case.argv, "--lang", "en"] if lang == "en" else list(case.argv)
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    said = case.en if lang == "en" else case.zh
    assert (code, SECONDS.sub(r"<t> \1", out), err) == (
        said.code,
        _expected(said.out, folder),
        _expected(said.err, folder),
    )
    if lang == "en":
        shown = out + err
        for value in case.data:
            shown = shown.replace(value, "")
        assert CJK.findall(shown) == []


def test_every_subcommand_has_a_case() -> None:
    from reportgen.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands is not None
    assert sorted(commands) == sorted({case.argv[0] for case in CASES.values()} | {"serve"})


@pytest.mark.parametrize(
    ("lang", "previewing", "stopped"),
    [
        ("zh", "正在预览：{url}  （修改 records/ 或 templates/ 后自动重新构建；Ctrl+C 结束）\n", "已停止。\n"),
        ("en", "previewing: {url}  (rebuilt on every change of records/ or templates/; Ctrl+C stops)\n", "Stopped.\n"),
    ],
)
def test_serve_says_where_it_previews_in_the_chosen_language(
    folder: Path, lang: str, previewing: str, stopped: str
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    command = [sys.executable, "-m", "reportgen", "serve", "records", "--out", "out", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--lang", lang], env=env, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        status = f"http://127.0.0.1:{port}/__reportgen__/status"
        with urllib.request.urlopen(status, timeout=30) as answer:  # serving: Ctrl+C now stops the server
            assert answer.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
    assert first == previewing.format(url=f"http://127.0.0.1:{port}/")
    assert out == stopped
    assert process.returncode == 0


DIFF_EN = """\
Changes in records and figures: HEAD ({head}) → work tree

Records changed (1):
  issue edited 1: Q0001 需增加第二路供电线路

Figures that change:
  2021-08
    in period 13: {figures} (13 in all)
    cumulative 13: {figures} (13 in all)
    rankings 2: {ranks}
  2021-Q3
    in period 13: {figures} (13 in all)
    cumulative 13: {figures} (13 in all)
    rankings 2: {ranks}
"""
DIFF_ZH = """\
记录和统计数字的变化：HEAD（{head}） → 工作区

改动的记录（1 条）：
  问题 修改 1 条：Q0001 需增加第二路供电线路

统计数字的变化：
  2021年8月（2021-08）
    本期 13 项：{figures} 等 13 项
    累计 13 项：{figures} 等 13 项
    排名 2 项：{ranks}
  2021年第三季度（2021-Q3）
    本期 13 项：{figures} 等 13 项
    累计 13 项：{figures} 等 13 项
    排名 2 项：{ranks}
"""
DIFF_PARTS = {
    "en": (
        "issues resolved 1 → 0; issues resolved during the period 1 → 0; issues closed 1 → 0; issues open 0 → 1",
        "by department 区供电公司 not ranked (score 100.0) → not ranked (score 0.0); "
        "by team 第一服务队 not ranked (score 100.0) → not ranked (score 0.0)",
    ),
    "zh": (
        "已解决问题（件） 1 → 0；期内解决问题（件） 1 → 0；已销号问题（件） 1 → 0；正在办理问题（件） 0 → 1",
        "责任单位 区供电公司 不排名（得分 100.0） → 不排名（得分 0.0）；"
        "服务队伍 第一服务队 不排名（得分 100.0） → 不排名（得分 0.0）",
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_diff_words_records_and_figures_in_the_chosen_language(
    lang: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _repository(folder)
    issue = folder / "records/issues/2021-08/Q0001.yaml"
    text = issue.read_text("utf-8")
    issue.write_text(text[: text.index("  - date: 2021-08-18")], "utf-8")  # no longer resolved
    capsys.readouterr()
    assert main(["diff", "HEAD", "--records", "records", "--lang", lang]) == 0
    out = capsys.readouterr().out
    figures, ranks = DIFF_PARTS[lang]
    head = git(folder, "rev-parse", "--short", "HEAD").strip()
    assert out == (DIFF_EN if lang == "en" else DIFF_ZH).format(head=head, figures=figures, ranks=ranks)
    if lang == "en":
        for name in ("需增加第二路供电线路", "区供电公司", "第一服务队"):  # the records' own names
            out = out.replace(name, "")
        assert CJK.findall(out) == []


def test_an_issued_bulletin_and_ranked_places_in_english() -> None:
    from reportgen.compute.freeze import FigureChange
    from reportgen.workflow.diffreport import _bulletin_line, _place
    from reportgen.workflow.statsdiff import BulletinChange

    change = FigureChange("cumulative.issues_resolved", "累计·已解决问题", 33, 32)
    bulletin = BulletinChange("2021-09-monthly", "川助企〔2021〕9号", "2021年10月8日", (change,))
    assert _bulletin_line(bulletin, "en") == (
        "2021-09-monthly (川助企〔2021〕9号, issued 2021-10-08): its figures as issued would change: "
        "cumulative issues resolved 33 → 32"
    )
    assert _bulletin_line(bulletin) == (
        "2021-09-monthly（川助企〔2021〕9号，2021年10月8日印发）印发时的数字会改变：累计·已解决问题 33 → 32"
    )
    assert [_place(text, "en") for text in ("第3名（得分 88.5）", "不排名（得分 —）", "未列入")] == [
        "#3 (score 88.5)",
        "not ranked (score —)",
        "not listed",
    ]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            "reportgen: 没有找到网页编辑器的文件（{nowhere}）。请先运行 bash scripts/dev.sh setup 安装，"
            "或把 REPORTGEN_DECAP_DIR 设为装有 decap-cms 和 decap-server 的目录。\n",
        ),
        (
            "en",
            "reportgen: the web editor's files are not installed ({nowhere}): run bash scripts/dev.sh setup, "
            "or set REPORTGEN_DECAP_DIR to a folder holding decap-cms and decap-server.\n",
        ),
    ],
)
def test_serve_edit_without_the_editor_says_what_to_install(
    lang: str, said: str, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPORTGEN_DECAP_DIR", str(folder / "nowhere"))
    capsys.readouterr()
    assert main(["serve", "records", "--out", "out", "--edit", "--lang", lang]) == 1
    assert capsys.readouterr() == ("", said.format(nowhere=folder / "nowhere"))


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "zh",
            "提示：网站的网页编辑器（/admin/）缺少程序文件 decap-cms.js，暂时打不开；"
            f"请运行 npm install decap-cms@{DECAP_CMS_VERSION}，把 node_modules/decap-cms/dist/decap-cms.js "
            "复制到仓库的 admin/ 文件夹并提交，重新构建即可（通报和网站已照常生成）。\n",
        ),
        (
            "en",
            "note: the site's web editor (/admin/) lacks its script decap-cms.js and cannot open yet; "
            f"run npm install decap-cms@{DECAP_CMS_VERSION}, copy node_modules/decap-cms/dist/decap-cms.js "
            "into the repository's admin/ folder, commit it and build again (the bulletins and the site were built).\n",
        ),
    ],
)
def test_the_build_says_where_to_get_the_editors_script(
    lang: str, said: str, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPORTGEN_DECAP_DIR", str(folder / "nowhere"))
    (folder / "admin").mkdir()
    for rel, text in office_files("gitlab", "office/records").items():
        if not rel.endswith(".js"):
            (folder / rel).write_text(text, "utf-8")
    capsys.readouterr()
    assert main(["build", "records", "--out", "out", "--no-pdf", "--lang", lang]) == 0
    err = capsys.readouterr().err
    assert [line for line in err.splitlines(keepends=True) if "decap-cms.js" in line] == [said]
    if lang == "en":
        assert CJK.findall(err) == []


def _fields_within(field: Field) -> list[Field]:
    """``field`` and every field nested in it."""
    nested = [*field.fields, *([field.items] if field.items is not None else [])]
    return [field, *(inner for child in nested for inner in _fields_within(child))]


def test_every_kind_and_field_has_english_words_in_the_schema() -> None:
    from reportgen.schema.kinds import KINDS

    words = [kind.label_en for kind in KINDS]
    for kind in KINDS:
        for field in kind.fields:
            words += [w for f in _fields_within(field) for w in (f.label_en, f.description_en)]
    assert "" not in words
    assert [w for w in words if CJK.search(w)] == []
