"""``reportgen init``: every file of a new office repository, written all at once or not at all."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from reportgen.commands.schema import schema_files
from reportgen.formatting import shown_path
from reportgen.lang import Pair, Said, os_phrase
from reportgen.publish.ownership import protected_reason, records_around
from reportgen.schema.kinds import KINDS
from reportgen.workflow.examples import Office, example_records
from reportgen.workflow.install import InstallSource

# the pre-commit hook, as .pre-commit-hooks.yaml at the top of reportgen's repository declares it (a test
# keeps the two equal); an office installing reportgen from anything but git gets it as a local hook
HOOK: dict[str, Any] = {
    "id": "reportgen-check",
    "name": "reportgen check（检查记录）",
    "description": "校验 records/ 下的全部记录；有错误时列出文件、行号和改法，提交被拦下。",
    "entry": "reportgen check records",
    "language": "python",
    "pass_filenames": False,
    "files": "^records/",
}

# packaged file (src/reportgen/scaffold/) → its path in the new repository
SCAFFOLD_FILES: dict[str, str] = {
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "github-workflow.yml": ".github/workflows/reportgen.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
}


class InitError(Said):
    """The repository cannot be created; the message is for the user, in the language of ``--lang``."""


# The lines ``init`` says about the folder it writes, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "under_file": (
        "{target} 的上一级 {parent} 是一个文件，不是目录，无法在其中新建仓库；请换一个位置",
        "{parent} above {target} is a file, not a folder; no repository can be made in it: choose another place",
    ),
    "protected": ("{zh}", "{en}"),
    "not_empty": (
        "{target} 已经存在且不是空目录；reportgen init 不会覆盖已有的文件，请换一个目录",
        "{target} exists and is not empty; reportgen init overwrites no file: choose another folder",
    ),
    "cannot_make": (
        "无法在 {parent} 中新建目录（{reason}），没有写入任何文件",
        "cannot make a folder in {parent} ({reason}); nothing was written",
    ),
    "taken": (
        "{target} 已经存在且不是空目录，没有写入任何文件（{reason}）",
        "{target} exists and is not empty; nothing was written ({reason})",
    ),
}


def _os_error(key: str, exc: OSError, **params: object) -> InitError:
    """An InitError for a refusal of the system, its reason in either language."""
    return InitError(MESSAGES[key], reason=os_phrase(exc), **params)


def scaffold_text(name: str, office: str, source: InstallSource) -> str:
    """A packaged scaffold file with its placeholders filled in."""
    text = (resources.files("reportgen") / "scaffold" / name).read_text("utf-8")
    replacements = {
        "@REPORTGEN_PIP_SPEC@": json.dumps(source.pip_spec, ensure_ascii=False),
        "@REPORTGEN_SOURCE@": source.label.text("zh"),  # the office's files are Chinese
        "@PRE_COMMIT_REPOS@": pre_commit_repos(source),
        "@OFFICE@": office,
    }
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    return text


def pre_commit_repos(source: InstallSource) -> str:
    """The ``repos:`` of ``.pre-commit-config.yaml``: reportgen's git repository at its revision, else a local hook.

    A local hook with ``language: python`` has pre-commit pip-install ``additional_dependencies``
    into the hook's own environment: any pip requirement, folder or wheel works there.
    """
    if source.git_url and source.rev:
        repo: dict[str, Any] = {"repo": source.git_url, "rev": source.rev, "hooks": [{"id": HOOK["id"]}]}
    else:
        repo = {"repo": "local", "hooks": [{**HOOK, "additional_dependencies": [source.pip_spec]}]}
    return yaml.safe_dump({"repos": [repo]}, allow_unicode=True, sort_keys=False, width=1000)


def vscode_settings() -> str:
    """``.vscode/settings.json``: each record folder mapped to its JSON Schema, as in reportgen's own repository."""
    schemas: dict[str, list[str]] = {}
    for kind in KINDS:
        if kind.suffix != ".yaml":
            continue
        pattern = "records/config.yaml" if kind.folder == "." else f"records/{kind.folder}/**/*.yaml"
        schemas[f"./schemas/{kind.name}.schema.json"] = [pattern]
    settings = {
        "yaml.schemas": schemas,
        "files.encoding": "utf8",
        "editor.insertSpaces": True,
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2},
    }
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def repository_files(office: Office, today: dt.date, source: InstallSource) -> dict[str, str]:
    """Path in the new repository → text, for every file ``init`` writes."""
    files = {f"records/{rel}": text for rel, text in example_records(office, today).items()}
    files.update({f"schemas/{name}": text for name, text in schema_files().items()})
    files[".vscode/settings.json"] = vscode_settings()
    for packaged, target in SCAFFOLD_FILES.items():
        files[target] = scaffold_text(packaged, office.name, source)
    return files


def check_target(target: Path) -> None:
    """``target`` must be a new or empty folder in an ordinary place, not under a file."""
    for parent in target.absolute().parents:  # the nearest existing folder above it
        if parent.is_dir():
            break
        if parent.exists() or parent.is_symlink():
            raise InitError(MESSAGES["under_file"], target=shown_path(target), parent=shown_path(parent))
    records = records_around(target)  # a new office is never made inside another's records
    reason = protected_reason(target, records)
    if reason is not None:
        raise InitError(MESSAGES["protected"], zh=reason, en=protected_reason(target, records, lang="en"))
    if target.is_dir() and any(target.iterdir()):
        raise InitError(MESSAGES["not_empty"], target=shown_path(target))


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A hidden folder beside ``target`` to write into; renamed into place when the block succeeds.

    The rename fails when ``target`` has meanwhile become non-empty, so nothing is ever
    overwritten; when the block raises, the folder and any parent folders made for it go.
    """
    check_target(target)
    parent = target.absolute().parent
    made = [p for p in (parent, *parent.parents) if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=parent))
    except OSError as exc:
        _remove_empty(made)
        raise _os_error("cannot_make", exc, parent=shown_path(parent)) from exc
    try:
        yield staging
        os.chmod(staging, 0o755)
        try:
            os.rename(staging, target)
        except OSError as exc:
            raise _os_error("taken", exc, target=shown_path(target)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_empty(made)
        raise


def write_files(folder: Path, files: dict[str, str]) -> None:
    """Write each file (path relative to ``folder`` → text) as UTF-8 with LF line ends."""
    for rel, text in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


def _remove_empty(folders: list[Path]) -> None:
    """Remove folders ``init`` made (innermost first) as long as they are empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return
